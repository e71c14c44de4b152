using System.Text;

namespace EdgeCloud.Store.CrashWriter;

/// <summary>
/// The one writer of stdout. Each line is written and flushed under a lock before the writer loop goes on,
/// so that a line the parent has received in full names a write the store had acknowledged by then.
/// </summary>
internal sealed class AckLog(Stream stdout)
{
    private readonly Lock _gate = new();

    // AutoFlush: a line reaches the pipe (one write(2) of less than PIPE_BUF bytes) before WriteLine returns,
    // so SIGKILL can lose only lines not yet written, never part of an already acknowledged one.
    private readonly StreamWriter _writer = new(stdout, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { AutoFlush = true, NewLine = "\n" };

    public void Ready() => Line("READY");

    public void Ack(string key, long modRevision, string valueHash) => Line($"ACK {key} {modRevision} {valueHash}");

    /// <summary>Something a durable store must never do (an exception, a lost compare-and-swap): the parent fails on it.</summary>
    public void Error(string message) => Line("ERROR " + message.ReplaceLineEndings(" | "));

    private void Line(string line)
    {
        lock (_gate)
        {
            _writer.WriteLine(line);
        }
    }
}
