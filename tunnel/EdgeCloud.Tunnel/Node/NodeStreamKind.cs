namespace EdgeCloud.Tunnel.Node;

/// <summary>The kinds of cloud→agent node streams (<see cref="NodeStreamHeader.Kind"/>).</summary>
public static class NodeStreamKind
{
    /// <summary>kubectl logs: the agent writes the container's log bytes and closes.</summary>
    public const string Logs = "logs";

    /// <summary>kubectl exec: both directions carry <see cref="ExecFrame"/>s.</summary>
    public const string Exec = "exec";

    /// <summary>kubectl port-forward: one stream per forwarded connection, its bytes both ways, to <see cref="NodeStreamHeader.Port"/> of the pod.</summary>
    public const string PortForward = "port-forward";
}
