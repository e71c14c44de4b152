namespace EdgeCloud.Kube.Schema;

/// <summary>The JSON shape a <see cref="SchemaNode"/> accepts, as OpenAPI v3 and CRD structural schemas name them.</summary>
public enum SchemaType
{
    /// <summary>A JSON object with declared properties, or a map when <see cref="SchemaNode.AdditionalProperties"/> is set.</summary>
    Object,

    /// <summary>A JSON array of <see cref="SchemaNode.Items"/>.</summary>
    Array,

    /// <summary>A JSON string; <see cref="SchemaNode.Format"/> may narrow it (date-time, byte).</summary>
    String,

    /// <summary>A JSON integer (int32 or int64 by <see cref="SchemaNode.Format"/>).</summary>
    Integer,

    /// <summary>A JSON number.</summary>
    Number,

    /// <summary>true or false.</summary>
    Boolean,

    /// <summary>An integer or a string (x-kubernetes-int-or-string), e.g. a port name or number, "25%" or 1.</summary>
    IntOrString,

    /// <summary>A resource quantity ("100m", "1Gi", 2): a string or a number on the wire.</summary>
    Quantity,

    /// <summary>Any JSON value (x-kubernetes-preserve-unknown-fields without a type), e.g. a RawExtension.</summary>
    Any,
}
