using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EdgeCloud.Agent.Runtime.Docker.Api;

namespace EdgeCloud.Agent.Runtime.Docker;

internal sealed partial class DockerRuntime
{
    private static readonly Action<string, string> NoProgress = static (_, _) => { };

    /// <summary>
    /// Makes sure the image is there as <paramref name="pullPolicy"/> says (Kubernetes imagePullPolicy): Always
    /// pulls, IfNotPresent pulls when missing, Never only checks; <paramref name="progress"/> hears the kubelet's Pulling and Pulled.
    /// </summary>
    private async Task EnsureImageAsync(string image, string pullPolicy, Action<string, string> progress, CancellationToken cancellationToken)
    {
        switch (pullPolicy)
        {
            case "Never":
                if (!await ImageExistsAsync(image, cancellationToken))
                {
                    throw new ImagePullException(image, ImagePullException.NeverPull, $"Container image \"{image}\" is not present with pull policy of Never");
                }

                progress("Pulled", $"Container image \"{image}\" already present on machine");
                return;
            case "IfNotPresent":
                if (await ImageExistsAsync(image, cancellationToken))
                {
                    progress("Pulled", $"Container image \"{image}\" already present on machine");
                    return;
                }

                break;
            case "Always":
                break;
            default:
                throw new ArgumentException($"Unknown image pull policy \"{pullPolicy}\": expected Always, IfNotPresent or Never", nameof(pullPolicy));
        }

        progress("Pulling", $"Pulling image \"{image}\"");
        var started = Stopwatch.GetTimestamp();
        await PullAsync(image, pullPolicy, cancellationToken);
        progress("Pulled", string.Create(CultureInfo.InvariantCulture, $"Successfully pulled image \"{image}\" in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.###}s"));
    }

    private async Task<bool> ImageExistsAsync(string image, CancellationToken cancellationToken) =>
        // Image names keep their slashes in the path: the engine's route takes the rest of the path as the name.
        await _client.GetOrDefaultAsync($"images/{image}/json", DockerJsonContext.Default.ImageInspectResponse, cancellationToken) is not null;

    private async Task PullAsync(string image, string pullPolicy, CancellationToken cancellationToken)
    {
        _logger.PullingImage(image, pullPolicy);
        // A reference without a tag or digest means :latest, as for docker pull; with an empty tag the engine
        // would pull every tag of the repository.
        var lastSlash = image.LastIndexOf('/');
        var tail = image[(lastSlash + 1)..];
        var query = "images/create?fromImage=" + Uri.EscapeDataString(image);
        if (!tail.Contains(':', StringComparison.Ordinal) && !tail.Contains('@', StringComparison.Ordinal))
        {
            query += "&tag=latest";
        }

        string? error;
        try
        {
            using var response = await _client.SendAsync(HttpMethod.Post, query, null, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            await DockerEngineClient.EnsureSuccessAsync(response, HttpMethod.Post, query, cancellationToken);
            error = await ReadPullErrorAsync(response, cancellationToken);
        }
        catch (DockerEngineException ex) when (ex.StatusCode is not null)
        {
            _logger.PullFailed(image, ex.Message);
            throw new ImagePullException(image, ImagePullException.PullFailed, $"Failed to pull image \"{image}\": {ex.Message}", ex);
        }

        if (error is null && !await ImageExistsAsync(image, cancellationToken))
        {
            error = "the engine reported no error, but the image is not there afterwards";
        }

        if (error is not null)
        {
            _logger.PullFailed(image, error);
            throw new ImagePullException(image, ImagePullException.PullFailed, $"Failed to pull image \"{image}\": {error}");
        }
    }

    // The progress stream is one JSON object per line; a failure mid-pull is a line with "error".
    private static async Task<string?> ReadPullErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(body);
        string? error = null;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                var message = JsonSerializer.Deserialize(line, DockerJsonContext.Default.PullProgressMessage);
                error ??= message?.ErrorDetail?.Message is { Length: > 0 } detail ? detail : message?.Error is { Length: > 0 } text ? text : null;
            }
            catch (JsonException)
            {
                // Progress we cannot read is not a failure; the image check afterwards decides.
            }
        }

        return error;
    }
}
