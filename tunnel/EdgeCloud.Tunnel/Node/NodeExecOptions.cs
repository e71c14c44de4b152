namespace EdgeCloud.Tunnel.Node;

/// <summary>The pods/exec parameters the agent applies (PodExecOptions of the Kubernetes API).</summary>
public sealed record NodeExecOptions
{
    /// <summary>The command and its arguments; never empty.</summary>
    public required IReadOnlyList<string> Command { get; init; }

    /// <summary>The caller sends standard input (<see cref="ExecChannel.Stdin"/>, ended by <see cref="ExecChannel.StdinEnd"/>).</summary>
    public bool Stdin { get; init; }

    /// <summary>The caller wants standard output.</summary>
    public bool Stdout { get; init; } = true;

    /// <summary>The caller wants standard error (ignored with <see cref="Tty"/>: a terminal has one output).</summary>
    public bool Stderr { get; init; } = true;

    /// <summary>Run with a terminal; <see cref="ExecChannel.Resize"/> frames deliver its size.</summary>
    public bool Tty { get; init; }
}
