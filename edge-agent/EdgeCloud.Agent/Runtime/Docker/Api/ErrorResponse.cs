using System.Text.Json.Serialization;

namespace EdgeCloud.Agent.Runtime.Docker.Api;

/// <summary>The body of every Engine API error: {"message": "..."}.</summary>
internal sealed record ErrorResponse
{
    [JsonPropertyName("message")]
    public string? Message { get; init; }
}
