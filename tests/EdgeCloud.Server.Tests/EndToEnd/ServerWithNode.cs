namespace EdgeCloud.Server.Tests.EndToEnd;

/// <summary>The real edgecloud with one <see cref="SimulatedNode"/> that lives as long as the server.</summary>
public sealed class ServerWithNode : EdgeCloudProcess
{
    private SimulatedNode? _node;

    /// <summary>The node.</summary>
    public SimulatedNode Node => _node ?? throw new InvalidOperationException("not started");

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _node = await SimulatedNode.StartAsync(KubeconfigPath, "edge-1", new Dictionary<string, string> { ["topology.kubernetes.io/zone"] = "wl-1" });
    }

    public override async ValueTask DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }

        await base.DisposeAsync();
    }
}
