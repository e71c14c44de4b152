using System.Globalization;
using System.Text.Json;
using EdgeCloud.Agent.Runtime.Docker.Api;

namespace EdgeCloud.Agent.Runtime.Docker;

internal sealed partial class DockerRuntime
{
    // How long to wait, after the exec's output ended, for the engine to record its exit code.
    private static readonly TimeSpan ExecExitCodeTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ExecExitCodePoll = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Runs a command in the container through an exec instance: created, started on a hijacked connection (stdin
    /// in, output out), then inspected for its exit code.
    /// </summary>
    public async Task<int> ExecAsync(string id, ContainerExec exec, CancellationToken cancellationToken)
    {
        var created = await _client.SendJsonAsync(
            HttpMethod.Post,
            $"containers/{Uri.EscapeDataString(id)}/exec",
            new ExecCreateRequest
            {
                Cmd = exec.Command,
                AttachStdin = exec.Stdin is not null,
                AttachStdout = true,
                AttachStderr = true,
                Tty = exec.Tty,
            },
            DockerJsonContext.Default.ExecCreateRequest,
            DockerJsonContext.Default.IdResponse,
            cancellationToken);
        var execId = Uri.EscapeDataString(created.Id);

        var startBody = JsonSerializer.SerializeToUtf8Bytes(new ExecStartRequest { Detach = false, Tty = exec.Tty }, DockerJsonContext.Default.ExecStartRequest);
        await using (var connection = await _client.HijackAsync($"exec/{execId}/start", startBody, cancellationToken))
        {
            using var sideTasks = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var stdinTask = exec.Stdin is { } stdin ? CopyStdinAsync(stdin, connection, sideTasks.Token) : Task.CompletedTask;
            var resizeTask = exec.Tty && exec.Resize is { } sizes ? ResizeAsync(execId, sizes, sideTasks.Token) : Task.CompletedTask;
            try
            {
                var stdout = exec.Stdout ?? Stream.Null;
                if (exec.Tty)
                {
                    await MultiplexedStreamCopier.CopyRawAsync(connection, stdout, long.MaxValue, cancellationToken);
                }
                else
                {
                    await MultiplexedStreamCopier.CopyDemultiplexedAsync(connection, stdout, exec.Stderr ?? Stream.Null, long.MaxValue, cancellationToken);
                }
            }
            finally
            {
                // The output ended: the command has exited. Input still being read no longer has anywhere to go.
                await sideTasks.CancelAsync();
                await ObserveAsync(resizeTask);
                if (stdinTask.IsCompleted)
                {
                    await ObserveAsync(stdinTask);
                }
                else
                {
                    // A caller's stdin stream may ignore cancellation; do not hang on it, only observe its end.
                    _ = stdinTask.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                }
            }
        }

        return await ExecExitCodeAsync(execId, cancellationToken);
    }

    private static async Task CopyStdinAsync(Stream stdin, HijackedStream connection, CancellationToken cancellationToken)
    {
        await stdin.CopyToAsync(connection, cancellationToken);
        // End of input: half-close, so that the process reads EOF while its output still flows back.
        connection.CloseWrite();
    }

    private async Task ResizeAsync(string execId, IAsyncEnumerable<(int Columns, int Rows)> sizes, CancellationToken cancellationToken)
    {
        await foreach (var (columns, rows) in sizes.WithCancellation(cancellationToken))
        {
            try
            {
                await _client.SendNoContentAsync(
                    HttpMethod.Post,
                    string.Create(CultureInfo.InvariantCulture, $"exec/{execId}/resize?h={rows}&w={columns}"),
                    cancellationToken);
            }
            catch (DockerEngineException ex)
            {
                // A resize racing the command's exit is refused; the session goes on either way.
                _logger.ResizeFailed(ex, execId);
            }
        }
    }

    private async Task<int> ExecExitCodeAsync(string execId, CancellationToken cancellationToken)
    {
        // The engine records the exit code just after the output ends; give it a moment.
        var deadline = _timeProvider.GetUtcNow() + ExecExitCodeTimeout;
        while (true)
        {
            var inspect = await _client.GetOrDefaultAsync($"exec/{execId}/json", DockerJsonContext.Default.ExecInspectResponse, cancellationToken)
                ?? throw new DockerEngineException($"The exec instance {execId} disappeared before its exit code was read");
            if (!inspect.Running && inspect.ExitCode is { } exitCode)
            {
                return exitCode;
            }

            if (_timeProvider.GetUtcNow() >= deadline)
            {
                throw new DockerEngineException($"The exec instance {execId} ended its output but reported no exit code within {ExecExitCodeTimeout.TotalSeconds} s");
            }

            await Task.Delay(ExecExitCodePoll, _timeProvider, cancellationToken);
        }
    }

    private static async Task ObserveAsync(Task task)
    {
        try
        {
            await task;
        }
        catch (OperationCanceledException)
        {
        }
        catch (IOException)
        {
            // The connection went away under a side task: the session is over anyway.
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
