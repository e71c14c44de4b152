namespace EdgeCloud.Agent.Runtime;

/// <summary>
/// A command to run inside a running container, with its standard streams. <see cref="Stdin"/> is null when the
/// caller sends no input; with <see cref="Tty"/>, stdout and stderr are one stream (<see cref="Stdout"/>) and
/// <see cref="Resize"/> delivers terminal sizes.
/// </summary>
internal sealed record ContainerExec
{
    public required IReadOnlyList<string> Command { get; init; }

    public Stream? Stdin { get; init; }

    public Stream? Stdout { get; init; }

    public Stream? Stderr { get; init; }

    public bool Tty { get; init; }

    /// <summary>Terminal sizes (columns, rows) as the user resizes the window; null without a tty.</summary>
    public IAsyncEnumerable<(int Columns, int Rows)>? Resize { get; init; }
}
