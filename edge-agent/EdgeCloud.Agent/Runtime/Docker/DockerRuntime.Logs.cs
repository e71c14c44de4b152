using System.Globalization;
using System.Net;

namespace EdgeCloud.Agent.Runtime.Docker;

internal sealed partial class DockerRuntime
{
    /// <summary>
    /// Writes the container's output from the engine's log (GET /containers/{id}/logs): stdout and stderr
    /// interleaved as they were written. Throws <see cref="DockerEngineException"/> (404) for an unknown id.
    /// </summary>
    public async Task WriteLogsAsync(string id, ContainerLogRequest request, Stream output, CancellationToken cancellationToken)
    {
        // The log stream is multiplexed unless the container has a tty: ask first which it is.
        var inspect = await InspectRawAsync(id, cancellationToken)
            ?? throw new DockerEngineException($"No such container: {id}", HttpStatusCode.NotFound);
        var limit = request.LimitBytes ?? long.MaxValue;
        if (limit <= 0)
        {
            return;
        }

        var query = new List<string>
        {
            "stdout=1",
            "stderr=1",
            request.Follow ? "follow=1" : "follow=0",
            request.Timestamps ? "timestamps=1" : "timestamps=0",
            "tail=" + (request.TailLines is { } tail ? Math.Max(0, tail).ToString(CultureInfo.InvariantCulture) : "all"),
        };
        if (request.Since is { } since)
        {
            // Whole seconds, rounded down: sinceSeconds has that resolution, and earlier includes rather than loses lines.
            query.Add("since=" + since.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        }

        var path = $"containers/{Uri.EscapeDataString(inspect.Id)}/logs?" + string.Join('&', query);
        using var response = await _client.SendAsync(HttpMethod.Get, path, null, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await DockerEngineClient.EnsureSuccessAsync(response, HttpMethod.Get, path, cancellationToken);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        if (inspect.Config?.Tty == true)
        {
            await MultiplexedStreamCopier.CopyRawAsync(body, output, limit, cancellationToken);
        }
        else
        {
            await MultiplexedStreamCopier.CopyDemultiplexedAsync(body, output, output, limit, cancellationToken);
        }
    }
}
