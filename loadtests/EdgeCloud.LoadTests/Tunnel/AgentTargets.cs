using EdgeCloud.Tunnel;

namespace EdgeCloud.LoadTests.Tunnel;

/// <summary>The agent side's tunnel stream handler: target "hello" is <see cref="LoopbackTargets.HelloAsync"/>, anything else <see cref="LoopbackTargets.SinkAsync"/>.</summary>
internal static class AgentTargets
{
    public static Task HandleAsync(TunnelIncomingStream incoming, CancellationToken cancellationToken)
    {
        var stream = incoming.Accept();
        return incoming.Target == "hello" ? LoopbackTargets.HelloAsync(stream, cancellationToken) : LoopbackTargets.SinkAsync(stream, cancellationToken);
    }
}
