using System.Text.Json.Nodes;

namespace EdgeCloud.Server.Api;

/// <summary>A PATCH body and its type.</summary>
/// <param name="Type">The flavour, from Content-Type.</param>
/// <param name="Body">The patch document.</param>
internal sealed record PatchRequest(PatchType Type, JsonNode Body);
