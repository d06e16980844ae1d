namespace Dundie.Api;

/// <summary>One page of a list: the items, how many there are in all, and which page of what size this is.</summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, int Total, int Page, int Size);
