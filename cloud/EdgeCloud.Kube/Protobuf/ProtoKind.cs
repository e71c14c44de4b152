namespace EdgeCloud.Kube.Protobuf;

/// <summary>How a protobuf field of a Kubernetes message is encoded and what JSON it becomes.</summary>
public enum ProtoKind
{
    /// <summary>A string.</summary>
    String,

    /// <summary>Bytes, base64 in JSON.</summary>
    Bytes,

    /// <summary>A bool (varint).</summary>
    Bool,

    /// <summary>A 32-bit integer (varint).</summary>
    Int32,

    /// <summary>A 64-bit integer (varint).</summary>
    Int64,

    /// <summary>A nested message.</summary>
    Message,

    /// <summary>map&lt;string, string&gt;.</summary>
    StringMap,

    /// <summary>map&lt;string, bytes&gt;, base64 values in JSON.</summary>
    BytesMap,

    /// <summary>map&lt;string, Quantity&gt;.</summary>
    QuantityMap,

    /// <summary>metav1.Time (seconds, nanos): an RFC 3339 string.</summary>
    Time,

    /// <summary>intstr.IntOrString (type, intVal, strVal).</summary>
    IntOrString,
}
