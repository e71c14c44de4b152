using System.Text.Json.Nodes;
using EdgeCloud.Tunnel.Node;

namespace EdgeCloud.Server.NodeProxy;

/// <summary>kubectl's end of an exec, over whichever streaming protocol it upgraded to (WebSocket or SPDY).</summary>
internal interface IExecClient : IAsyncDisposable
{
    /// <summary>Relays the client's stdin, stdin end and resizes to the agent until the client closes its connection.</summary>
    Task RelayInputAsync(ExecFrameWriter agent, CancellationToken cancellationToken);

    /// <summary>Sends stdout or stderr bytes to the client.</summary>
    ValueTask WriteOutputAsync(ExecChannel channel, ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>Sends the final Status on the error channel and ends the output streams.</summary>
    ValueTask FinishAsync(JsonObject status, CancellationToken cancellationToken);
}
