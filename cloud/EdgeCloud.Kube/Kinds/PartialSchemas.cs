using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Kube.Kinds;

/// <summary>Marks schemas whose declaration is not yet complete.</summary>
public static class PartialSchemas
{
    /// <summary>
    /// The declared fields are validated and merged by their rules; other fields are kept as written rather
    /// than refused, until the full declaration lands.
    /// </summary>
    public static SchemaNode Open(this SchemaNode node) => node with { PreserveUnknownFields = true };
}
