namespace EdgeCloud.Agent.Cloud;

/// <summary>The cloud answered an API call with an error Status.</summary>
internal sealed class ClusterApiException(int statusCode, string message) : Exception(message)
{
    /// <summary>The HTTP status code (403 when the node may not do it, 410 when a watch is too old).</summary>
    public int StatusCode { get; } = statusCode;
}
