namespace EdgeCloud.Tunnel.Node;

/// <summary>The channel of an <see cref="ExecFrame"/>: which of the exec's streams its payload belongs to.</summary>
public enum ExecChannel : byte
{
    /// <summary>cloud→agent: bytes of standard input.</summary>
    Stdin = 0,

    /// <summary>agent→cloud: bytes of standard output (of the terminal, with a tty).</summary>
    Stdout = 1,

    /// <summary>agent→cloud: bytes of standard error.</summary>
    Stderr = 2,

    /// <summary>agent→cloud, last frame: the command's exit code, a 4-byte big-endian signed integer.</summary>
    Exit = 3,

    /// <summary>cloud→agent: the terminal size, columns then rows, each a 2-byte big-endian unsigned integer.</summary>
    Resize = 4,

    /// <summary>cloud→agent: standard input ended (empty payload); no Stdin frame may follow.</summary>
    StdinEnd = 5,

    /// <summary>agent→cloud, last frame: the command could not run; the payload is a UTF-8 message for the user.</summary>
    Error = 6,
}
