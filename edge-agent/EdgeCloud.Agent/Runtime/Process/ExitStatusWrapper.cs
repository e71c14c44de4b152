namespace EdgeCloud.Agent.Runtime.Process;

/// <summary>
/// The /bin/sh script every process container runs under. The agent cannot wait for a process it did not spawn (after
/// its own restart), so this small parent outlives the agent, waits for the container's process and writes its exit
/// status to the state directory. Files it writes there: <c>log</c> (the container's stdout and stderr, appended),
/// <c>pid</c> ("&lt;wrapper pid&gt; &lt;container pid&gt;") and <c>exit</c> (the status as the shell reports it:
/// the exit code, or 128 + the signal number).
/// </summary>
/// <remarks>
/// The wrapper runs in a session of its own (setsid, started by the agent) so that signals to the agent's process
/// group (Ctrl-C, a service manager stopping the agent) do not reach it. The container's process runs in another session
/// (setsid again, without a fork, so <c>$!</c> is its pid and its process group id): stopping signals that group, and the
/// wrapper, outside it, survives even SIGKILL to record 137. A TERM or INT sent to the wrapper itself is forwarded to
/// the container's group. Only shell builtins run after the container starts, so the pod's PATH cannot break the wrapper,
/// and it assigns no variable before the container starts, so the pod's environment reaches the process unchanged.
/// The wrapper's own messages (e.g. dash's "Terminated") go to /dev/null, not to the container's log.
/// </remarks>
internal static class ExitStatusWrapper
{
    /// <summary>$1: the state directory; $2...: setsid, then the container's command line.</summary>
    public const string Script = """
        exec </dev/null >>"$1/log" 2>&1 || exit 126
        trap 'kill -s TERM -- "-$c" 2>/dev/null' TERM
        trap 'kill -s INT -- "-$c" 2>/dev/null' INT
        (shift; exec "$@") &
        c=$!
        exec >/dev/null 2>&1
        trap '' HUP
        echo "$$ $c" >"$1/pid"
        while :; do
          wait "$c"
          s=$?
          kill -0 "$c" 2>/dev/null || break
        done
        echo "$s" >"$1/exit"
        """;

    /// <summary>The wrapper's $0, which ps shows.</summary>
    public const string ProcessName = "edgecloud-container";

    public const string LogFileName = "log";

    public const string PidFileName = "pid";

    public const string ExitFileName = "exit";
}
