using System.Globalization;
using System.Net;
using System.Text.Json;
using EdgeCloud.Agent.Runtime.Docker.Api;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Agent.Runtime.Docker;

/// <summary>
/// The <c>docker</c> runtime: each container of a pod is a container of a Docker-compatible engine (Docker, or
/// Podman's <c>podman system service</c>) reached over its Engine API unix socket. Containers are named
/// <c>ec_&lt;container&gt;_&lt;pod&gt;_&lt;namespace&gt;_&lt;uid8&gt;_&lt;attempt&gt;</c> and carry
/// <see cref="DockerLabels"/>, so that a restarted agent finds them again.
/// </summary>
internal sealed partial class DockerRuntime : IContainerRuntime
{
    private static readonly DateTimeOffset NeverTime = new(1, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly DockerEngineClient _client;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the runtime; the options are validated here, the engine is first contacted by the first call.</summary>
    public DockerRuntime(DockerRuntimeOptions options, ILogger<DockerRuntime> logger, TimeProvider timeProvider)
    {
        _client = new DockerEngineClient(options);
        _logger = logger;
        _timeProvider = timeProvider;
    }

    /// <inheritdoc />
    public string Name => "docker";

    /// <summary>
    /// The engine's container name for one attempt of one container of a pod. Kubernetes names are DNS labels and
    /// subdomains, which Docker accepts in names as they are; the uid prefix keeps a re-created pod of the same name apart.
    /// </summary>
    public static string ContainerNameFor(ContainerLaunch launch)
    {
        var uid = launch.PodUid.Replace("-", "", StringComparison.Ordinal);
        var uid8 = uid.Length > 8 ? uid[..8] : uid;
        return string.Create(CultureInfo.InvariantCulture, $"ec_{launch.ContainerName}_{launch.PodName}_{launch.PodNamespace}_{uid8}_{launch.Attempt}");
    }

    /// <summary>
    /// Pulls the image as the pull policy says, creates the container and starts it. A container for the same pod
    /// uid, container and attempt that exists already is returned instead (and started when it never was).
    /// Throws <see cref="ImagePullException"/> when the image cannot be had, <see cref="DockerEngineException"/>
    /// when the engine refuses to create or start it.
    /// </summary>
    public async Task<string> StartAsync(ContainerLaunch launch, CancellationToken cancellationToken)
    {
        var existing = await FindAsync(launch, cancellationToken);
        if (existing is not null)
        {
            _logger.ContainerExists(existing, launch.PodNamespace, launch.PodName, launch.ContainerName, launch.Attempt);
            await StartIfNeverStartedAsync(existing, cancellationToken);
            return existing;
        }

        await EnsureImageAsync(launch.Image, launch.ImagePullPolicy, launch.ImageProgress ?? NoProgress, cancellationToken);

        var name = ContainerNameFor(launch);
        string id;
        try
        {
            var created = await _client.SendJsonAsync(
                HttpMethod.Post,
                "containers/create?name=" + Uri.EscapeDataString(name),
                CreateRequestFor(launch),
                DockerJsonContext.Default.ContainerCreateRequest,
                DockerJsonContext.Default.IdResponse,
                cancellationToken);
            id = created.Id;
            _logger.ContainerCreated(id, name, launch.Image);
        }
        catch (DockerEngineException ex) when (ex.StatusCode == HttpStatusCode.Conflict)
        {
            // Another StartAsync for the same attempt won the race (the name is the same): use its container.
            id = await FindAsync(launch, cancellationToken)
                ?? throw new DockerEngineException(ex.Message + " (and no container of this pod, container and attempt exists)", ex.StatusCode, ex);
            _logger.ContainerExists(id, launch.PodNamespace, launch.PodName, launch.ContainerName, launch.Attempt);
        }

        await StartIfNeverStartedAsync(id, cancellationToken);
        return id;
    }

    /// <inheritdoc />
    public async Task StopAsync(string id, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        // The engine sends the image's stop signal (SIGTERM by default), then SIGKILL after t seconds, and answers
        // once the container has exited; t is whole seconds, so a fraction rounds up rather than cutting the grace.
        var seconds = (int)Math.Ceiling(Math.Max(0, gracePeriod.TotalSeconds));
        _logger.StoppingContainer(id, seconds);
        await _client.SendNoContentAsync(HttpMethod.Post, $"containers/{Uri.EscapeDataString(id)}/stop?t={seconds.ToString(CultureInfo.InvariantCulture)}", cancellationToken);
    }

    /// <inheritdoc />
    public async Task RemoveAsync(string id, CancellationToken cancellationToken)
    {
        var status = await _client.SendNoContentAsync(HttpMethod.Delete, $"containers/{Uri.EscapeDataString(id)}?force=true&v=true", cancellationToken);
        if (status != HttpStatusCode.NotFound)
        {
            _logger.ContainerRemoved(id);
        }
    }

    /// <inheritdoc />
    public async Task<ContainerState?> InspectAsync(string id, CancellationToken cancellationToken)
    {
        var inspect = await InspectRawAsync(id, cancellationToken);
        return inspect is null ? null : ToState(inspect);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ContainerState>> ListAsync(CancellationToken cancellationToken)
    {
        var ids = await ListIdsAsync([$"{DockerLabels.CreatedBy}={DockerLabels.CreatedByValue}"], cancellationToken);
        var states = new List<ContainerState>(ids.Count);
        foreach (var id in ids)
        {
            // The list lacks exit codes and times: inspect each. One removed in between is simply not listed.
            if (await InspectAsync(id, cancellationToken) is { } state)
            {
                states.Add(state);
            }
        }

        return states;
    }

    /// <summary>Completes with the exit code once the container has exited; throws <see cref="DockerEngineException"/> (404) for an unknown id.</summary>
    public async Task<int> WaitForExitAsync(string id, CancellationToken cancellationToken)
    {
        // not-running: answers at once for a container that has exited already (next-exit would wait for another run).
        var result = await _client.SendJsonAsync(
            HttpMethod.Post,
            $"containers/{Uri.EscapeDataString(id)}/wait?condition=not-running",
            content: null,
            DockerJsonContext.Default.WaitResponse,
            cancellationToken);
        return result.StatusCode;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<ContainerInspectResponse?> InspectRawAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.GetOrDefaultAsync($"containers/{Uri.EscapeDataString(id)}/json", DockerJsonContext.Default.ContainerInspectResponse, cancellationToken);
        }
        catch (DockerEngineException gone) when (gone.StatusCode == System.Net.HttpStatusCode.InternalServerError && gone.Message.Contains("no such container", StringComparison.OrdinalIgnoreCase))
        {
            // Podman answers 500 instead of 404 for a container removed while it was being looked up.
            return null;
        }
    }

    private async Task StartIfNeverStartedAsync(string id, CancellationToken cancellationToken)
    {
        var inspect = await InspectRawAsync(id, cancellationToken);
        if (inspect?.State is { } state && (state.Running || ParseTime(state.StartedAt) is not null))
        {
            return;
        }

        // 304: it is running already (another caller started it in between).
        var status = await _client.SendNoContentAsync(HttpMethod.Post, $"containers/{Uri.EscapeDataString(id)}/start", cancellationToken);
        if (status == HttpStatusCode.NotFound)
        {
            throw new DockerEngineException($"Container {id} disappeared before it could be started", status);
        }
    }

    private async Task<string?> FindAsync(ContainerLaunch launch, CancellationToken cancellationToken)
    {
        var ids = await ListIdsAsync(
            [
                $"{DockerLabels.CreatedBy}={DockerLabels.CreatedByValue}",
                $"{DockerLabels.PodUid}={launch.PodUid}",
                $"{DockerLabels.ContainerName}={launch.ContainerName}",
                string.Create(CultureInfo.InvariantCulture, $"{DockerLabels.Attempt}={launch.Attempt}"),
            ],
            cancellationToken);
        return ids.Count > 0 ? ids[0] : null;
    }

    private async Task<IReadOnlyList<string>> ListIdsAsync(string[] labels, CancellationToken cancellationToken)
    {
        var filters = JsonSerializer.Serialize(new Dictionary<string, string[]> { ["label"] = labels }, DockerJsonContext.Default.DictionaryStringStringArray);
        var summaries = await _client.GetOrDefaultAsync(
            "containers/json?all=true&filters=" + Uri.EscapeDataString(filters),
            DockerJsonContext.Default.ListContainerSummaryResponse,
            cancellationToken) ?? [];
        return summaries.Select(s => s.Id).ToList();
    }

    private static ContainerCreateRequest CreateRequestFor(ContainerLaunch launch)
    {
        var binds = new List<string>(launch.Mounts.Count);
        foreach (var mount in launch.Mounts)
        {
            // Binds are "host:container[:ro]": a colon inside a path would be read as a separator.
            if (mount.HostPath.Contains(':', StringComparison.Ordinal) || mount.ContainerPath.Contains(':', StringComparison.Ordinal))
            {
                throw new ArgumentException($"The docker runtime cannot mount \"{mount.HostPath}\" at \"{mount.ContainerPath}\": paths must not contain ':'", nameof(launch));
            }

            binds.Add(mount.ReadOnly ? $"{mount.HostPath}:{mount.ContainerPath}:ro" : $"{mount.HostPath}:{mount.ContainerPath}");
        }

        return new ContainerCreateRequest
        {
            Image = launch.Image,
            // Kubernetes: command replaces the image's ENTRYPOINT, args its CMD. An Entrypoint without Cmd makes the
            // engine drop the image's CMD too, as Kubernetes does when only command is given.
            Entrypoint = launch.Command.Count > 0 ? launch.Command : null,
            Cmd = launch.Args.Count > 0 ? launch.Args : null,
            Env = launch.Environment.Select(e => e.Key + "=" + e.Value).ToList(),
            WorkingDir = string.IsNullOrEmpty(launch.WorkingDirectory) ? null : launch.WorkingDirectory,
            Tty = launch.Tty,
            Labels = new Dictionary<string, string>
            {
                [DockerLabels.CreatedBy] = DockerLabels.CreatedByValue,
                [DockerLabels.PodUid] = launch.PodUid,
                [DockerLabels.PodNamespace] = launch.PodNamespace,
                [DockerLabels.PodName] = launch.PodName,
                [DockerLabels.ContainerName] = launch.ContainerName,
                [DockerLabels.Attempt] = launch.Attempt.ToString(CultureInfo.InvariantCulture),
            },
            HostConfig = DockerResources.Apply(new HostConfigRequest { Binds = binds }, launch.Resources),
        };
    }

    private static ContainerState ToState(ContainerInspectResponse inspect)
    {
        var labels = inspect.Config?.Labels ?? [];
        string Label(string key) => labels.TryGetValue(key, out var value) ? value : "";
        var state = inspect.State ?? new ContainerStateResponse();
        var startedAt = ParseTime(state.StartedAt);
        var finishedAt = state.Running ? null : ParseTime(state.FinishedAt);
        if (finishedAt < startedAt)
        {
            // Podman stamps StartedAt once runc has returned, and a command that exits at once may have finished
            // (by conmon's clock) a few milliseconds before that. Nothing ends before it starts: clamp.
            finishedAt = startedAt;
        }

        var exited = !state.Running && (finishedAt is not null || state.Status is "exited" or "stopped" or "dead");

        int? exitCode = null;
        string? reason = null;
        string? message = string.IsNullOrEmpty(state.Error) ? null : state.Error;
        if (!state.Running && startedAt is null && message is not null)
        {
            // The engine could not start it (e.g. the command does not exist in the image).
            exitCode = state.ExitCode;
            reason = "StartError";
        }
        else if (exited)
        {
            exitCode = state.ExitCode;
            reason = state.OOMKilled ? "OOMKilled" : state.ExitCode == 0 ? "Completed" : "Error";
        }

        return new ContainerState
        {
            Id = inspect.Id,
            PodUid = Label(DockerLabels.PodUid),
            PodNamespace = Label(DockerLabels.PodNamespace),
            PodName = Label(DockerLabels.PodName),
            ContainerName = Label(DockerLabels.ContainerName),
            Attempt = int.TryParse(Label(DockerLabels.Attempt), NumberStyles.None, CultureInfo.InvariantCulture, out var attempt) ? attempt : 0,
            Running = state.Running,
            StartedAt = startedAt,
            FinishedAt = finishedAt,
            ExitCode = exitCode,
            Reason = reason,
            Message = message,
            Image = inspect.Config?.Image ?? "",
            ImageId = string.IsNullOrEmpty(inspect.Image) ? null : inspect.Image,
        };
    }

    // The engine writes "0001-01-01T00:00:00Z" for a time that has not happened.
    private static DateTimeOffset? ParseTime(string? value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) && time > NeverTime.AddYears(1)
            ? time
            : null;
}
