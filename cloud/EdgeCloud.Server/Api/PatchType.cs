namespace EdgeCloud.Server.Api;

/// <summary>The PATCH flavours, by Content-Type.</summary>
internal enum PatchType
{
    /// <summary>application/json-patch+json (RFC 6902).</summary>
    Json,

    /// <summary>application/merge-patch+json (RFC 7386).</summary>
    Merge,

    /// <summary>application/strategic-merge-patch+json: merge keys and directives from the kind's schema.</summary>
    StrategicMerge,
}
