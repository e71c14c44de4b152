namespace EdgeCloud.Store;

/// <summary>How hard SQLite pushes each commit to disk (SQLite's <c>PRAGMA synchronous</c> in WAL mode).</summary>
public enum SqliteSynchronous
{
    /// <summary>
    /// Commits survive the process being killed, but the last commits may be lost on power loss or an OS crash.
    /// </summary>
    Normal,

    /// <summary>Each commit is fsynced before it is acknowledged: commits also survive power loss. The default.</summary>
    Full,
}
