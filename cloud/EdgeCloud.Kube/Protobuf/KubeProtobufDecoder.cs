using System.Globalization;
using System.Text.Json.Nodes;
using EdgeCloud.Kube.Schema;
using Google.Protobuf;

namespace EdgeCloud.Kube.Protobuf;

/// <summary>
/// Decodes a request body in application/vnd.kubernetes.protobuf into the object's JSON: the "k8s\0" magic, a
/// runtime.Unknown envelope naming apiVersion and kind, and the object message in its raw field (Kubernetes API
/// concepts, "Protobuf encoding"). Zero values of non-pointer fields read as unset, as JSON's omitempty does.
/// </summary>
public static class KubeProtobufDecoder
{
    /// <summary>The media type.</summary>
    public const string MediaType = "application/vnd.kubernetes.protobuf";

    private static readonly byte[] Magic = [0x6b, 0x38, 0x73, 0x00];

    // metav1.Time of Go's zero time.Time, which ObjectMeta always carries for an unset creationTimestamp.
    private const long GoZeroTimeSeconds = -62135596800;

    /// <summary>The object of <paramref name="kind"/> encoded in <paramref name="body"/>; throws <see cref="InvalidProtobufException"/> when it is not.</summary>
    public static JsonObject Decode(ReadOnlySpan<byte> body, KindDefinition kind)
    {
        var message = KubeProtoMessages.For(kind.Group, kind.Kind)
            ?? throw new InvalidProtobufException($"protobuf bodies are not accepted for {kind.Kind}; send application/json", unsupported: true);
        if (body.Length < Magic.Length || !body[..Magic.Length].SequenceEqual(Magic))
        {
            throw new InvalidProtobufException("the body does not start with the Kubernetes protobuf prefix \"k8s\\0\"", unsupported: false);
        }

        string? apiVersion = null, bodyKind = null, encoding = null;
        ByteString? raw = null;
        try
        {
            var input = new CodedInputStream(body[Magic.Length..].ToArray());
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                switch (WireFormat.GetTagFieldNumber(tag))
                {
                    case 1:
                        (apiVersion, bodyKind) = ReadTypeMeta(input.ReadBytes());
                        break;
                    case 2:
                        raw = input.ReadBytes();
                        break;
                    case 3:
                        encoding = input.ReadString();
                        break;
                    default:
                        input.SkipLastField();
                        break;
                }
            }
        }
        catch (InvalidProtocolBufferException error)
        {
            throw new InvalidProtobufException($"the protobuf envelope is malformed: {error.Message}", unsupported: false);
        }

        if (!string.IsNullOrEmpty(encoding))
        {
            throw new InvalidProtobufException($"content encoding \"{encoding}\" is not supported", unsupported: true);
        }

        if (apiVersion != kind.ApiVersion || bodyKind != kind.Kind)
        {
            throw new InvalidProtobufException($"the body is a {bodyKind} of {apiVersion}, not a {kind.Kind} of {kind.ApiVersion}", unsupported: false);
        }

        var obj = ReadMessage(raw ?? ByteString.Empty, message, kind.Kind);
        obj["apiVersion"] = apiVersion;
        obj["kind"] = bodyKind;
        return obj;
    }

    private static (string? ApiVersion, string? Kind) ReadTypeMeta(ByteString bytes)
    {
        string? apiVersion = null, kind = null;
        var input = bytes.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    apiVersion = input.ReadString();
                    break;
                case 2:
                    kind = input.ReadString();
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        return (apiVersion, kind);
    }

    private static JsonObject ReadMessage(ByteString bytes, ProtoMessage message, string path)
    {
        var obj = new JsonObject();
        try
        {
            var input = bytes.CreateCodedInput();
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                var number = WireFormat.GetTagFieldNumber(tag);
                if (!message.Fields.TryGetValue(number, out var field))
                {
                    RefuseIfSet(input, tag, message, path);
                    continue;
                }

                var value = ReadValue(input, field, $"{path}.{field.Name}");
                if (value is null)
                {
                    continue;
                }

                if (field.Repeated)
                {
                    (obj[field.Name] as JsonArray ?? (JsonArray)(obj[field.Name] = new JsonArray())).Add(value);
                }
                else if (field.Kind is ProtoKind.StringMap or ProtoKind.BytesMap or ProtoKind.QuantityMap)
                {
                    var map = obj[field.Name] as JsonObject ?? (JsonObject)(obj[field.Name] = new JsonObject());
                    foreach (var (key, entry) in (JsonObject)value)
                    {
                        map[key] = entry?.DeepClone();
                    }
                }
                else
                {
                    obj[field.Name] = value;
                }
            }
        }
        catch (InvalidProtocolBufferException error)
        {
            throw new InvalidProtobufException($"{path}: malformed protobuf: {error.Message}", unsupported: false);
        }

        return obj;
    }

    private static JsonNode? ReadValue(CodedInputStream input, ProtoField field, string path)
    {
        switch (field.Kind)
        {
            case ProtoKind.String:
                var text = input.ReadString();
                return text.Length > 0 || field.Pointer || field.Repeated ? text : null;
            case ProtoKind.Bytes:
                return Convert.ToBase64String(input.ReadBytes().Span);
            case ProtoKind.Bool:
                var flag = input.ReadBool();
                return flag || field.Pointer ? flag : null;
            case ProtoKind.Int32:
                var small = input.ReadInt32();
                return small != 0 || field.Pointer ? small : null;
            case ProtoKind.Int64:
                var large = input.ReadInt64();
                return large != 0 || field.Pointer ? large : null;
            case ProtoKind.Message:
                return ReadMessage(input.ReadBytes(), field.Message!, path);
            case ProtoKind.StringMap or ProtoKind.BytesMap or ProtoKind.QuantityMap:
                var (key, value) = ReadMapEntry(input.ReadBytes(), field.Kind);
                return new JsonObject { [key] = value };
            case ProtoKind.Time:
                return ReadTime(input.ReadBytes());
            default:
                return ReadIntOrString(input.ReadBytes());
        }
    }

    private static (string Key, JsonNode Value) ReadMapEntry(ByteString bytes, ProtoKind kind)
    {
        var input = bytes.CreateCodedInput();
        string key = "";
        JsonNode value = "";
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    key = input.ReadString();
                    break;
                case 2 when kind == ProtoKind.StringMap:
                    value = input.ReadString();
                    break;
                case 2 when kind == ProtoKind.BytesMap:
                    value = Convert.ToBase64String(input.ReadBytes().Span);
                    break;
                case 2:
                    value = ReadQuantity(input.ReadBytes());
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        return (key, value);
    }

    private static string ReadQuantity(ByteString bytes)
    {
        var input = bytes.CreateCodedInput();
        var text = "";
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == 1)
            {
                text = input.ReadString();
            }
            else
            {
                input.SkipLastField();
            }
        }

        return text;
    }

    private static JsonNode? ReadTime(ByteString bytes)
    {
        var input = bytes.CreateCodedInput();
        long seconds = 0;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == 1)
            {
                seconds = input.ReadInt64();
            }
            else
            {
                input.SkipLastField();
            }
        }

        return seconds is 0 or GoZeroTimeSeconds
            ? null
            : DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }

    private static JsonNode ReadIntOrString(ByteString bytes)
    {
        var input = bytes.CreateCodedInput();
        long type = 0;
        var number = 0;
        var text = "";
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    type = input.ReadInt64();
                    break;
                case 2:
                    number = input.ReadInt32();
                    break;
                case 3:
                    text = input.ReadString();
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        return type == 1 ? text : number;
    }

    /// <summary>A field this decoder does not know is fine while it holds its zero value (Go marshals every non-pointer field); set, it is refused.</summary>
    private static void RefuseIfSet(CodedInputStream input, uint tag, ProtoMessage message, string path)
    {
        var number = WireFormat.GetTagFieldNumber(tag);
        var isZero = WireFormat.GetTagWireType(tag) switch
        {
            WireFormat.WireType.Varint => input.ReadUInt64() == 0,
            WireFormat.WireType.LengthDelimited => input.ReadBytes().Length == 0,
            _ => false,
        };
        if (!isZero)
        {
            throw new InvalidProtobufException($"{path}: field {number} of {message.Name} is not supported in protobuf bodies; send application/json", unsupported: true);
        }
    }
}
