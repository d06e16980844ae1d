namespace TaskQueue.Tests; public class SmokeTests { [Xunit.Fact] public void Works() { } }
