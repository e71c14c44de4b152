using System.Diagnostics;
using System.Text.Json;

namespace EdgeCloud.LoadTests.Agents;

/// <summary>
/// One watch on the pods of a namespace, from the resourceVersion of a list made when it starts, that records when
/// each pod (by name) is first seen bound (spec.nodeName set) and first seen Running with every container ready,
/// and which pods exist. Resumes from the last resourceVersion seen if the server ends the stream. Waiters name a
/// condition on that state and are woken by the events, not by polling.
/// </summary>
internal sealed class PodPhaseWatch : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _boundAt = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _runningAt = new(StringComparer.Ordinal);
    private readonly HashSet<string> _live = new(StringComparer.Ordinal);
    private readonly List<(Func<PodPhaseWatch, bool> Condition, TaskCompletionSource Met)> _waiters = [];
    private ApiWatchStream? _stream;
    private Exception? _failure;

    /// <summary>Pods that exist (added and not yet deleted). Read it inside a condition, or after a wait.</summary>
    public int Live => _live.Count;

    /// <summary>Pods seen Running with all containers ready.</summary>
    public int Running => _runningAt.Count;

    /// <summary>When (stopwatch timestamp) pod <paramref name="name"/> was first seen bound, or null.</summary>
    public long? BoundAt(string name)
    {
        lock (_gate)
        {
            return _boundAt.TryGetValue(name, out var at) ? at : null;
        }
    }

    /// <summary>When (stopwatch timestamp) pod <paramref name="name"/> was first seen Running and ready, or null.</summary>
    public long? RunningAt(string name)
    {
        lock (_gate)
        {
            return _runningAt.TryGetValue(name, out var at) ? at : null;
        }
    }

    /// <summary>Lists the pods of <paramref name="ns"/> (they are the starting state) and watches from that list's resourceVersion.</summary>
    public static async Task<PodPhaseWatch> StartAsync(HttpClient client, string ns, CancellationToken cancellationToken)
    {
        var collection = $"api/v1/namespaces/{ns}/pods";
        using var document = await ApiWatchStream.ListAsync(client, collection, cancellationToken);
        var watch = new PodPhaseWatch();
        var now = Stopwatch.GetTimestamp();
        foreach (var pod in document.RootElement.GetProperty("items").EnumerateArray())
        {
            watch.Observe("ADDED", pod, now);
        }

        watch._stream = await ApiWatchStream.OpenAsync(client, collection, ApiWatchStream.ResourceVersionOf(document), watch.Observe, watch.Fail, cancellationToken);
        return watch;
    }

    /// <summary>Waits until <paramref name="condition"/> holds; fails with <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public async Task WaitAsync(Func<PodPhaseWatch, bool> condition, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        var met = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_failure is not null)
            {
                throw new InvalidOperationException($"the pod watch failed before {what}", _failure);
            }

            if (condition(this))
            {
                return;
            }

            _waiters.Add((condition, met));
        }

        try
        {
            await met.Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            lock (_gate)
            {
                throw new TimeoutException($"{what}: not within {timeout.TotalSeconds:0} s ({_live.Count} pods exist, {_runningAt.Count} seen running)");
            }
        }
        finally
        {
            lock (_gate)
            {
                _waiters.RemoveAll(w => w.Met == met);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stream is not null)
        {
            await _stream.DisposeAsync();
        }
    }

    private void Fail(Exception error)
    {
        List<TaskCompletionSource> waiting;
        lock (_gate)
        {
            _failure = error;
            waiting = [.. _waiters.Select(static w => w.Met)];
        }

        foreach (var met in waiting)
        {
            met.TrySetException(error);
        }
    }

    private void Observe(string? type, JsonElement pod, long seen)
    {
        if (!pod.TryGetProperty("metadata", out var metadata)
            || type is not ("ADDED" or "MODIFIED" or "DELETED") || metadata.GetProperty("name").GetString() is not { } name)
        {
            return;
        }

        List<TaskCompletionSource> met;
        lock (_gate)
        {
            if (type == "DELETED")
            {
                _live.Remove(name);
            }
            else
            {
                _live.Add(name);
                if (pod.TryGetProperty("spec", out var spec) && spec.TryGetProperty("nodeName", out var node) && node.GetString() is { Length: > 0 })
                {
                    _boundAt.TryAdd(name, seen);
                }

                if (IsRunningAndReady(pod))
                {
                    _runningAt.TryAdd(name, seen);
                }
            }

            met = [.. _waiters.Where(w => w.Condition(this)).Select(static w => w.Met)];
        }

        foreach (var done in met)
        {
            done.TrySetResult();
        }
    }

    // No readiness probe is set, so a container is ready as soon as it runs.
    private static bool IsRunningAndReady(JsonElement pod)
    {
        if (!pod.TryGetProperty("status", out var status) || !status.TryGetProperty("phase", out var phase) || !phase.ValueEquals("Running")
            || !status.TryGetProperty("containerStatuses", out var containers) || containers.ValueKind != JsonValueKind.Array || containers.GetArrayLength() == 0)
        {
            return false;
        }

        foreach (var container in containers.EnumerateArray())
        {
            if (!container.TryGetProperty("ready", out var ready) || ready.ValueKind != JsonValueKind.True)
            {
                return false;
            }
        }

        return true;
    }
}
