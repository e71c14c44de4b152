using Google.Protobuf;
using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Kube.OpenApi;

/// <summary>
/// /openapi/v2 in the protobuf form kubectl 1.27 and 1.28 download (gnostic's openapi.v2.Document). It carries
/// what those versions read from it: for each kind, a PATCH operation tagged with x-kubernetes-group-version-kind
/// whose parameters include fieldValidation. kubectl then leaves validation to the server; it finds no
/// definitions, so client-side schema lookups fall back to its compiled-in types, as for an unknown kind.
/// Field numbers are those of gnostic's OpenAPIv2.proto.
/// </summary>
public static class OpenApiV2Protobuf
{
    /// <summary>
    /// The media type of the response. kubectl asks with an "@" in it, which Go's mime parser refuses in a
    /// Content-Type, so the answer names the dotted form kube-apiserver also accepts.
    /// </summary>
    public const string MediaType = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

    /// <summary>The encoded document for <paramref name="kinds"/>.</summary>
    public static byte[] Build(IEnumerable<KindDefinition> kinds, string kubernetesVersion)
    {
        var paths = new List<byte[]>();
        foreach (var kind in kinds.OrderBy(static k => k.Group, StringComparer.Ordinal).ThenBy(static k => k.Kind, StringComparer.Ordinal))
        {
            var scope = "/" + OpenApiDocuments.GroupVersionPath(kind.Group, kind.Version) + (kind.Namespaced ? $"/namespaces/{{namespace}}/{kind.Plural}/{{name}}" : $"/{kind.Plural}/{{name}}");
            var operation = Message(
                w => String(w, 5, $"patch{kind.Kind}"),
                w => Embedded(w, 8, QueryParameter("dryRun")),
                w => Embedded(w, 8, QueryParameter("fieldManager")),
                w => Embedded(w, 8, QueryParameter("fieldValidation")),
                w => Embedded(w, 8, QueryParameter("force")),
                w => Embedded(w, 9, Message(w2 => Embedded(w2, 1, Message(
                    w3 => String(w3, 1, "200"),
                    w3 => Embedded(w3, 2, Message(w4 => Embedded(w4, 1, Message(w5 => String(w5, 1, "OK"))))))))),
                w => Embedded(w, 13, Message(
                    w2 => String(w2, 1, "x-kubernetes-action"),
                    w2 => Embedded(w2, 2, Message(w3 => String(w3, 2, "patch\n"))))),
                w => Embedded(w, 13, Message(
                    w2 => String(w2, 1, "x-kubernetes-group-version-kind"),
                    w2 => Embedded(w2, 2, Message(w3 => String(w3, 2, $"group: \"{kind.Group}\"\nkind: {kind.Kind}\nversion: {kind.Version}\n"))))));
            var pathItem = Message(w => Embedded(w, 8, operation));
            paths.Add(Message(w => String(w, 1, scope), w => Embedded(w, 2, pathItem)));
        }

        return Message(
            w => String(w, 1, "2.0"),
            w => Embedded(w, 2, Message(w2 => String(w2, 1, "Kubernetes"), w2 => String(w2, 2, kubernetesVersion))),
            w => Embedded(w, 8, Message([.. paths.Select(static p => (Action<CodedOutputStream>)(w2 => Embedded(w2, 2, p)))])));
    }

    /// <summary>ParametersItem → Parameter → NonBodyParameter → QueryParameterSubSchema.</summary>
    private static byte[] QueryParameter(string name) =>
        Message(w => Embedded(w, 1, Message(w2 => Embedded(w2, 2, Message(w3 => Embedded(w3, 3, Message(
            w4 => String(w4, 2, "query"),
            w4 => String(w4, 4, name),
            w4 => String(w4, 6, name == "force" ? "boolean" : "string"),
            w4 => w4.WriteTag(20, WireFormat.WireType.Varint),
            w4 => w4.WriteBool(true))))))));

    private static byte[] Message(params Action<CodedOutputStream>[] fields)
    {
        using var buffer = new MemoryStream();
        using (var output = new CodedOutputStream(buffer, leaveOpen: true))
        {
            foreach (var field in fields)
            {
                field(output);
            }
        }

        return buffer.ToArray();
    }

    private static void String(CodedOutputStream output, int field, string value)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteString(value);
    }

    private static void Embedded(CodedOutputStream output, int field, byte[] message)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(message));
    }
}
