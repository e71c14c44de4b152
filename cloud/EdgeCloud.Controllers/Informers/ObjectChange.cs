using System.Text.Json.Nodes;
using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Controllers.Informers;

/// <summary>
/// One change the cache saw: <see cref="Old"/> is null for an add, <see cref="New"/> null for a delete. Both are
/// the cache's own instances: read them, never change them.
/// </summary>
public sealed record ObjectChange(KindDefinition Kind, JsonObject? Old, JsonObject? New)
{
    /// <summary>The object as it is now, or as it was last seen when deleted.</summary>
    public JsonObject Object => New ?? Old!;

    /// <summary>Whether the change is about objects of <paramref name="kind"/> (same group and resource).</summary>
    public bool Is(KindDefinition kind) => Kind.Group == kind.Group && Kind.Plural == kind.Plural;
}
