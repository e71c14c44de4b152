using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace EdgeCloud.Kube;

/// <summary>Source-generated JSON metadata for the API objects this library reads and writes.</summary>
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonNode))]
internal sealed partial class KubeJsonContext : JsonSerializerContext;
