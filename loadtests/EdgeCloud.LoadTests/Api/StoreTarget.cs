using System.Text;
using EdgeCloud.Store;

namespace EdgeCloud.LoadTests.Api;

/// <summary>The baseline: the same operations on the revisioned store directly, keys laid out as the API lays them out.</summary>
internal sealed class StoreTarget(RevisionedStore store, string directory) : IApiBenchTarget
{
    private const string Cluster = "bench";

    public string Name => "store";

    public static async Task<StoreTarget> OpenAsync(CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("edgecloud-apibench-store-").FullName;
        var store = await RevisionedStore.OpenSqliteAsync(Path.Combine(directory, "state.db"), cancellationToken: cancellationToken);
        await store.CreateClusterAsync(Cluster, cancellationToken);
        return new StoreTarget(store, directory);
    }

    public Task PrepareNamespaceAsync(string ns, CancellationToken cancellationToken) => Task.CompletedTask;

    // In process: the same runtime warmed up by the same warm-up, nothing else runs in the background.
    public Task<TimeSpan> SettleAsync(CancellationToken cancellationToken) => Task.FromResult(TimeSpan.Zero);

    public async Task CreateAsync(int client, string ns, int index, CancellationToken cancellationToken)
    {
        var result = await store.CreateAsync(Cluster, Key(ns, index), ApiObjects.StoredValue(index), null, cancellationToken);
        if (result.Status != WriteStatus.Applied)
        {
            throw new InvalidOperationException($"store create returned {result.Status}");
        }
    }

    public async Task GetAsync(int client, string ns, int index, CancellationToken cancellationToken)
    {
        var got = await store.GetAsync(Cluster, Key(ns, index), cancellationToken);
        if (got.Item is null)
        {
            throw new InvalidOperationException($"store get of {Key(ns, index)} found nothing");
        }
    }

    public async Task<int> ListAsync(string ns, CancellationToken cancellationToken)
    {
        var page = await store.ListAsync(Cluster, new ListRequest { Prefix = $"/core/configmaps/{ns}/" }, cancellationToken);
        return page.Items.Count;
    }

    public async Task<IAsyncDisposable> WatchAsync(string ns, Action<string> seen, CancellationToken cancellationToken)
    {
        var revision = await store.GetRevisionAsync(Cluster, cancellationToken);
        var watch = await store.WatchAsync(Cluster, $"/core/configmaps/{ns}/", revision, cancellationToken);
        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reader = Task.Run(async () =>
        {
            try
            {
                await foreach (var change in watch.ReadAllAsync(stop.Token))
                {
                    seen(change.Key[(change.Key.LastIndexOf('/') + 1)..]);
                }
            }
            catch (OperationCanceledException)
            {
            }
        }, CancellationToken.None);
        return new Stopper(stop, reader, watch);
    }

    public async ValueTask DisposeAsync()
    {
        await store.DisposeAsync();
        Directory.Delete(directory, recursive: true);
    }

    private static string Key(string ns, int index) => $"/core/configmaps/{ns}/{ApiObjects.Name(index)}";

    private sealed class Stopper(CancellationTokenSource stop, Task reader, IAsyncDisposable watch) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await reader;
            await watch.DisposeAsync();
            stop.Dispose();
        }
    }
}
