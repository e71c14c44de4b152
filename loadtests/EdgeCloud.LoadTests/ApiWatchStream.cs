using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace EdgeCloud.LoadTests;

/// <summary>
/// One Kubernetes watch of a collection, read line by line on a background task from a given resourceVersion.
/// Each event goes to the observer with the moment it was read; the stream reopens from the last resourceVersion
/// seen (bookmarks included) when the server ends it, and reports the first failure once.
/// </summary>
internal sealed class ApiWatchStream : IAsyncDisposable
{
    /// <summary>Receives an event: its type (ADDED, MODIFIED, DELETED, ...), its object, and when it was read (a stopwatch timestamp).</summary>
    public delegate void Observer(string? type, JsonElement item, long seen);

    private readonly HttpClient _client;
    private readonly string _collection;
    private readonly Observer _observe;
    private readonly Action<Exception> _failed;
    private readonly CancellationTokenSource _stop = new();
    private Task _reader = Task.CompletedTask;
    private string _resourceVersion;
    private long _events;

    private ApiWatchStream(HttpClient client, string collection, string resourceVersion, Observer observe, Action<Exception> failed)
    {
        _client = client;
        _collection = collection;
        _resourceVersion = resourceVersion;
        _observe = observe;
        _failed = failed;
    }

    /// <summary>Events received so far, bookmarks left out.</summary>
    public long Events => Interlocked.Read(ref _events);

    /// <summary>Lists <paramref name="collection"/> (an API path such as <c>api/v1/pods</c>, with its query if any) and returns the list document.</summary>
    public static async Task<JsonDocument> ListAsync(HttpClient client, string collection, CancellationToken cancellationToken)
    {
        using var list = await client.GetAsync(collection, cancellationToken);
        await EdgeCloudProcess.EnsureAsync(list, HttpStatusCode.OK, cancellationToken);
        return await JsonDocument.ParseAsync(await list.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
    }

    /// <summary>The resourceVersion of a list document, to watch from.</summary>
    public static string ResourceVersionOf(JsonDocument list) =>
        list.RootElement.GetProperty("metadata").GetProperty("resourceVersion").GetString()!;

    /// <summary>
    /// Opens the watch of <paramref name="collection"/> (a path without query) from <paramref name="resourceVersion"/>;
    /// returns once the server has answered it. <paramref name="failed"/> is called once if reading fails later.
    /// </summary>
    public static async Task<ApiWatchStream> OpenAsync(
        HttpClient client, string collection, string resourceVersion, Observer observe, Action<Exception> failed, CancellationToken cancellationToken)
    {
        var watch = new ApiWatchStream(client, collection, resourceVersion, observe, failed);
        var opened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        watch._reader = Task.Run(() => watch.ReadAsync(opened, watch._stop.Token), CancellationToken.None);
        await opened.Task.WaitAsync(cancellationToken);
        return watch;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _reader;
        _stop.Dispose();
    }

    private async Task ReadAsync(TaskCompletionSource opened, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                using var response = await _client.GetAsync(
                    $"{_collection}?watch=true&allowWatchBookmarks=true&resourceVersion={_resourceVersion}", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                await EdgeCloudProcess.EnsureAsync(response, HttpStatusCode.OK, cancellationToken);
                opened.TrySetResult();
                using var lines = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
                while (await lines.ReadLineAsync(cancellationToken) is { } line)
                {
                    Dispatch(line, Stopwatch.GetTimestamp());
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception error)
        {
            if (!opened.TrySetException(error))
            {
                _failed(error);
            }
        }
    }

    private void Dispatch(string line, long seen)
    {
        using var change = JsonDocument.Parse(line);
        if (!change.RootElement.TryGetProperty("object", out var item))
        {
            return;
        }

        if (item.TryGetProperty("metadata", out var metadata) && metadata.TryGetProperty("resourceVersion", out var rv) && rv.GetString() is { Length: > 0 } version)
        {
            _resourceVersion = version;
        }

        var type = change.RootElement.TryGetProperty("type", out var t) ? t.GetString() : null;
        if (type == "BOOKMARK")
        {
            return;
        }

        Interlocked.Increment(ref _events);
        _observe(type, item, seen);
    }
}
