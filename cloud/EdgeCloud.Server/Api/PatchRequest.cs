using System.Text.Json.Nodes;

namespace EdgeCloud.Server.Api;

/// <summary>A PATCH body and its media type.</summary>
/// <param name="ContentType">The media type, e.g. application/strategic-merge-patch+json.</param>
/// <param name="Body">The patch document.</param>
internal sealed record PatchRequest(string ContentType, JsonNode Body);
