using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using EdgeCloud.Server.Security;

namespace EdgeCloud.Server;

/// <summary>Source-generated JSON for what the host stores and serves itself.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(TokenIdentity))]
[JsonSerializable(typeof(Nodes.JoinTokenRecord))]
[JsonSerializable(typeof(Nodes.NodeIdentity))]
[JsonSerializable(typeof(Portal.SignupBody))]
[JsonSerializable(typeof(Portal.LoginBody))]
[JsonSerializable(typeof(Portal.CreateClusterBody))]
[JsonSerializable(typeof(Portal.MemberBody))]
[JsonSerializable(typeof(Portal.PlanBody))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonNode))]
internal sealed partial class ServerJsonContext : JsonSerializerContext;
