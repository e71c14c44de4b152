using System.Text;

namespace EdgeCloud.Store.Tests;

internal static class StoreTestExtensions
{
    public static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(15);

    public static byte[] Bytes(this string text) => Encoding.UTF8.GetBytes(text);

    public static string Text(this ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetString(bytes.Span);

    /// <summary>Reads exactly <paramref name="count"/> events, failing if they do not arrive within the timeout.</summary>
    public static async Task<List<WatchEvent>> TakeAsync(this StoreWatch watch, int count, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? EventTimeout);
        var events = new List<WatchEvent>(count);
        try
        {
            while (events.Count < count)
            {
                events.Add(await watch.Events.ReadAsync(cts.Token));
            }
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            Assert.Fail($"expected {count} events within {timeout ?? EventTimeout}, got {events.Count}");
        }

        return events;
    }

    /// <summary>Reads events until one at or beyond <paramref name="revision"/> arrives.</summary>
    public static async Task<List<WatchEvent>> TakeUntilRevisionAsync(this StoreWatch watch, long revision, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? EventTimeout);
        var events = new List<WatchEvent>();
        try
        {
            while (events.Count == 0 || events[^1].Revision < revision)
            {
                events.Add(await watch.Events.ReadAsync(cts.Token));
            }
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            Assert.Fail($"expected events up to revision {revision}; the last of {events.Count} was {(events.Count > 0 ? events[^1].Revision : 0)}");
        }

        return events;
    }

    public static async Task<List<KeyValue>> ListAllAsync(this IRevisionedStore store, string cluster, string prefix, int pageSize = 0)
    {
        var items = new List<KeyValue>();
        await foreach (var page in store.PagesAsync(cluster, prefix, pageSize))
        {
            items.AddRange(page.Items);
        }

        return items;
    }
}
