using EdgeCloud.Server.Tests.EndToEnd;

namespace EdgeCloud.Server.Tests.Agents;

/// <summary>An edgecloud on a port fixed at construction, so that it can be stopped and started again at the address its agents dial.</summary>
public sealed class RestartableServer : EdgeCloudProcess
{
    private readonly int _port = LoopbackPorts.Unused();

    protected override string Listen => $"127.0.0.1:{_port}";

    /// <summary>The address agents dial.</summary>
    public string Server => $"https://127.0.0.1:{_port}";
}
