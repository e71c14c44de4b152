namespace EdgeCloud.Kube.Protobuf;

/// <summary>A Kubernetes protobuf message: its name and fields by number.</summary>
public sealed class ProtoMessage
{
    /// <summary>Declares message <paramref name="name"/> with <paramref name="fields"/>.</summary>
    public ProtoMessage(string name, params ProtoField[] fields)
    {
        Name = name;
        Fields = fields.ToDictionary(static f => f.Number);
    }

    /// <summary>The message name, for errors.</summary>
    public string Name { get; }

    /// <summary>Fields by number.</summary>
    public IReadOnlyDictionary<int, ProtoField> Fields { get; }
}
