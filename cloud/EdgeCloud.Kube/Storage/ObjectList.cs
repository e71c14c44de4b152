using System.Text.Json.Nodes;

namespace EdgeCloud.Kube.Storage;

/// <summary>One page of a list: the items, the revision all of them are read at, and the token of the next page.</summary>
public sealed record ObjectList(IReadOnlyList<JsonObject> Items, long Revision, string? Continue);
