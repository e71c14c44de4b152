using System.Net;
using System.Net.Sockets;

namespace EdgeCloud.Server.Tests.EndToEnd;

/// <summary>Ports on 127.0.0.1 for servers a test must name before they start.</summary>
internal static class LoopbackPorts
{
    /// <summary>A port nothing listens on now: the kernel's pick for a listener that is then let go.</summary>
    public static int Unused()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
