using System.Text.Json.Serialization;

namespace EdgeCloud.Tunnel.Node;

/// <summary>JSON of node stream headers: camelCase, nulls and defaults left out to keep headers small.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(NodeStreamHeader))]
internal sealed partial class NodeStreamJsonContext : JsonSerializerContext;
