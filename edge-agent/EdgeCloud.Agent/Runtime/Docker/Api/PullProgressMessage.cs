using System.Text.Json.Serialization;

namespace EdgeCloud.Agent.Runtime.Docker.Api;

/// <summary>
/// One line of the JSON stream POST /images/create answers with. A failed pull may still answer 200 and report the
/// failure in a line with "error" (Docker), so each line is read.
/// </summary>
internal sealed record PullProgressMessage
{
    [JsonPropertyName("status")]
    public string? Status { get; init; }

    [JsonPropertyName("error")]
    public string? Error { get; init; }

    [JsonPropertyName("errorDetail")]
    public ErrorResponse? ErrorDetail { get; init; }
}
