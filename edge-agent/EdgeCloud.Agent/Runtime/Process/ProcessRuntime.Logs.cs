namespace EdgeCloud.Agent.Runtime.Process;

/// <summary>Serving a container attempt's log file.</summary>
internal sealed partial class ProcessRuntime
{
    private const int LogBufferSize = 16 * 1024;

    /// <summary>
    /// Writes the attempt's log file (stdout and stderr interleaved in the order the process wrote them: both go to one
    /// file). <see cref="ContainerLogRequest.TailLines"/>, <see cref="ContainerLogRequest.LimitBytes"/> and
    /// <see cref="ContainerLogRequest.Follow"/> are exact; follow ends once the container has exited and the rest of the
    /// file is written, and a cancelled token ends it with <see cref="OperationCanceledException"/>.
    /// </summary>
    /// <remarks>
    /// The process writes straight to the file (no pipe through the agent, which would break when the agent dies),
    /// so no line carries the time it was written. Hence <see cref="ContainerLogRequest.Since"/> is coarse: when the
    /// file was last written before that time, its existing content is skipped (with follow, only output written from
    /// now on is streamed); otherwise the whole attempt's output is written, lines before that time included.
    /// <see cref="ContainerLogRequest.Timestamps"/> is not supported: lines are written without a prefix rather than
    /// with times the runtime would have to make up. Each attempt has its own file, so an earlier attempt's output
    /// (kubectl logs --previous) is there until <see cref="RemoveAsync"/>. Throws <see cref="KeyNotFoundException"/>
    /// for an unknown id.
    /// </remarks>
    public async Task WriteLogsAsync(string id, ContainerLogRequest request, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(output);
        var stateDirectory = FindStateDirectory(id) ?? throw new KeyNotFoundException($"The process runtime has no container {id}.");
        var path = Path.Combine(stateDirectory, ExitStatusWrapper.LogFileName);
        FileStream log;
        try
        {
            log = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
        }
        catch (FileNotFoundException)
        {
            return;
        }

        await using (log)
        {
            var remaining = request.LimitBytes is { } limit ? Math.Max(0, limit) : long.MaxValue;
            var start = 0L;
            if (request.Since is { } since && LastWrite(path) < since)
            {
                start = log.Length;
            }

            if (request.TailLines is { } tail)
            {
                start = Math.Max(start, await TailOffsetAsync(log, tail, cancellationToken));
            }

            log.Position = start;
            var buffer = new byte[LogBufferSize];
            remaining = await CopyAvailableAsync(log, output, buffer, remaining, cancellationToken);
            await output.FlushAsync(cancellationToken);
            if (!request.Follow)
            {
                return;
            }

            var delay = FirstPollInterval;
            var exited = false;
            while (remaining > 0)
            {
                var before = remaining;
                remaining = await CopyAvailableAsync(log, output, buffer, remaining, cancellationToken);
                if (remaining != before)
                {
                    await output.FlushAsync(cancellationToken);
                    delay = FirstPollInterval;
                    continue;
                }

                if (exited)
                {
                    return;
                }

                if (await InspectAsync(id, cancellationToken) is not { Running: true })
                {
                    // Exited (or removed): drain what it wrote last, once more, then end.
                    exited = true;
                    continue;
                }

                await PollDelayAsync(id, delay, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxPollInterval.Ticks));
            }
        }
    }

    /// <summary>Copies from the log's position to its current end, at most <paramref name="remaining"/> bytes; returns what is left of the limit.</summary>
    private static async Task<long> CopyAvailableAsync(FileStream log, Stream output, byte[] buffer, long remaining, CancellationToken cancellationToken)
    {
        while (remaining > 0)
        {
            var read = await log.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), cancellationToken);
            if (read == 0)
            {
                break;
            }

            await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            remaining -= read;
        }

        return remaining;
    }

    /// <summary>Where the last <paramref name="lines"/> lines of the log begin; a final newline ends the last line rather than starting an empty one.</summary>
    private static async Task<long> TailOffsetAsync(FileStream log, int lines, CancellationToken cancellationToken)
    {
        var length = log.Length;
        if (lines <= 0 || length == 0)
        {
            return length;
        }

        var buffer = new byte[LogBufferSize];
        log.Position = length - 1;
        var end = await log.ReadAsync(buffer.AsMemory(0, 1), cancellationToken) == 1 && buffer[0] == (byte)'\n' ? length - 1 : length;
        var newlines = 0;
        var position = end;
        while (position > 0)
        {
            var chunk = (int)Math.Min(buffer.Length, position);
            position -= chunk;
            log.Position = position;
            await log.ReadExactlyAsync(buffer.AsMemory(0, chunk), cancellationToken);
            for (var i = chunk - 1; i >= 0; i--)
            {
                if (buffer[i] == (byte)'\n' && ++newlines == lines)
                {
                    return position + i + 1;
                }
            }
        }

        return 0;
    }
}
