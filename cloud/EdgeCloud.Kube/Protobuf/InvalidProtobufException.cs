namespace EdgeCloud.Kube.Protobuf;

/// <summary>A protobuf body that cannot be read: malformed (400) or using what is not supported (415).</summary>
/// <param name="message">What is wrong.</param>
/// <param name="unsupported">True when the body is valid but uses something not supported here (415).</param>
public sealed class InvalidProtobufException(string message, bool unsupported) : Exception(message)
{
    /// <summary>True for 415 Unsupported Media Type, false for 400 Bad Request.</summary>
    public bool Unsupported { get; } = unsupported;
}
