namespace TaskQueue; internal static class Placeholder { }
