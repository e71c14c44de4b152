namespace EdgeCloud.LoadTests.Api;

/// <summary>What the benchmark does to each side: the raw store, or the Kubernetes API over HTTPS.</summary>
internal interface IApiBenchTarget : IAsyncDisposable
{
    /// <summary>"store" or "api".</summary>
    string Name { get; }

    /// <summary>Makes namespace <paramref name="ns"/> ready for objects.</summary>
    Task PrepareNamespaceAsync(string ns, CancellationToken cancellationToken);

    /// <summary>Creates ConfigMap <paramref name="index"/> in <paramref name="ns"/> as client <paramref name="client"/>.</summary>
    Task CreateAsync(int client, string ns, int index, CancellationToken cancellationToken);

    /// <summary>Reads ConfigMap <paramref name="index"/> in <paramref name="ns"/>.</summary>
    Task GetAsync(int client, string ns, int index, CancellationToken cancellationToken);

    /// <summary>Lists every ConfigMap of <paramref name="ns"/>; returns how many.</summary>
    Task<int> ListAsync(string ns, CancellationToken cancellationToken);

    /// <summary>
    /// Waits until the target is done with what came before (the server's background recompilation after the
    /// warm-up); returns how long that took.
    /// </summary>
    Task<TimeSpan> SettleAsync(CancellationToken cancellationToken);

    /// <summary>Starts watching ConfigMaps of <paramref name="ns"/>; <paramref name="seen"/> is called with each new object's name.</summary>
    Task<IAsyncDisposable> WatchAsync(string ns, Action<string> seen, CancellationToken cancellationToken);
}
