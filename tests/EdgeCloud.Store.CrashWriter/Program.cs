namespace EdgeCloud.Store.CrashWriter;

/// <summary>
/// The child process of the crash-durability test: N writers write to the store for ever and print
/// <c>ACK key modRevision sha256</c> for each write the store acknowledged, until the test kills the process
/// with SIGKILL. It never exits on its own; a failure of the store prints an <c>ERROR</c> line and stops that writer.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (CrashWriterArguments.Parse(args, out var error) is not { } arguments)
        {
            await Console.Error.WriteLineAsync(error + Environment.NewLine + CrashWriterArguments.Usage);
            return 2;
        }

        var log = new AckLog(Console.OpenStandardOutput());
        await using var store = arguments.SqlitePath is { } path
            ? await RevisionedStore.OpenSqliteAsync(path, arguments.Synchronous)
            : await RevisionedStore.OpenPostgresAsync(arguments.PostgresConnectionString!);
        await store.CreateClusterAsync(arguments.ClusterId);

        // Before the first ACK: the parent reads anything else first as a protocol error.
        log.Ready();
        var writers = Enumerable.Range(0, arguments.Writers)
            .Select(w => RunWriterAsync(new AcknowledgingWriter(store, arguments.ClusterId, w, log), log))
            .ToList();
        await Task.WhenAll(writers);

        // Every writer failed (each printed why). Stay alive anyway: the parent decides when this process ends.
        await Task.Delay(Timeout.Infinite);
        return 1;
    }

    private static async Task RunWriterAsync(AcknowledgingWriter writer, AckLog log)
    {
        // Leave the caller's thread at once so that all writers start together.
        await Task.Yield();
        try
        {
            await writer.RunAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            log.Error($"writer of {writer.CasKey} stopped: {ex}");
        }
    }
}
