namespace EdgeCloud.Kube.Protobuf;

/// <summary>One field of a Kubernetes protobuf message: its number, JSON name and encoding.</summary>
/// <param name="Number">The protobuf field number (from Kubernetes' generated.proto).</param>
/// <param name="Name">The JSON field name.</param>
/// <param name="Kind">The encoding.</param>
/// <param name="Message">The nested message, for <see cref="ProtoKind.Message"/>.</param>
/// <param name="Repeated">True for a repeated field (a JSON array).</param>
/// <param name="Pointer">
/// True when the Go field is a pointer: only then is a zero value on the wire meaningful (replicas: 0). Other
/// fields are always marshalled, so their zero values mean "unset", as JSON's omitempty.
/// </param>
public sealed record ProtoField(int Number, string Name, ProtoKind Kind, ProtoMessage? Message = null, bool Repeated = false, bool Pointer = false);
