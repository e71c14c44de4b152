using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using HostProcess = System.Diagnostics.Process;

namespace EdgeCloud.Agent.Runtime.Process;

/// <summary>Running a command beside a container's process.</summary>
internal sealed partial class ProcessRuntime
{
    /// <summary>
    /// Runs <see cref="ContainerExec.Command"/> as a host process in the container's working directory with its
    /// environment (read from its state file, so this works for containers of an earlier agent run too), pumping
    /// stdin, stdout and stderr; the command's stdin is closed when <see cref="ContainerExec.Stdin"/> ends (or at once
    /// when it is null). A command that cannot be found or run writes why to stderr and returns 127 (not found) or 126
    /// (not executable), as runc does.
    /// </summary>
    /// <remarks>
    /// There is no pty: with <see cref="ContainerExec.Tty"/>, stdout and stderr both go to
    /// <see cref="ContainerExec.Stdout"/> and <see cref="ContainerExec.Resize"/> is ignored, so programs see pipes,
    /// not a terminal. The command is the agent's child, not part of the container's process group: stopping the
    /// container does not end it; cancelling the token kills it. Throws <see cref="KeyNotFoundException"/> for an
    /// unknown id and <see cref="InvalidOperationException"/> when the container is not running.
    /// </remarks>
    public async Task<int> ExecAsync(string id, ContainerExec exec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exec);
        if (exec.Command.Count == 0)
        {
            throw new ArgumentException("exec needs a command.", nameof(exec));
        }

        var stateDirectory = FindStateDirectory(id);
        var record = stateDirectory is null ? null : await TryReadRecordAsync(stateDirectory, cancellationToken);
        if (stateDirectory is null || record is null)
        {
            throw new KeyNotFoundException($"The process runtime has no container {id}.");
        }

        if (!BuildState(record, stateDirectory).Running)
        {
            throw new InvalidOperationException($"Container {id} is not running; exec needs a running container.");
        }

        var errors = exec.Tty ? exec.Stdout : exec.Stderr;
        var path = record.Environment.LastOrDefault(static v => v.Name == "PATH")?.Value ?? "";
        if (ResolveExecutable(exec.Command[0], path, record.WorkingDirectory, out var executable, out var failureCode) is { } problem)
        {
            await WriteExecErrorAsync(errors, problem, cancellationToken);
            return failureCode;
        }

        var start = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            WorkingDirectory = record.WorkingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in exec.Command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        SetEnvironment(start, record.Environment);
        using var process = new HostProcess { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception exception)
        {
            await WriteExecErrorAsync(errors, $"{executable} could not be started: {exception.Message}", cancellationToken);
            return 126;
        }

        // With a tty both pumps write to one stream, which must not see two writes at once.
        using var writeLock = new SemaphoreSlim(1, 1);
        using var stopInput = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var input = FeedInputAsync(exec.Stdin, process.StandardInput.BaseStream, stopInput.Token);
        try
        {
            var stdout = PumpAsync(process.StandardOutput.BaseStream, exec.Stdout, writeLock, cancellationToken);
            var stderr = PumpAsync(process.StandardError.BaseStream, errors, writeLock, cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            await Task.WhenAll(stdout, stderr);
        }
        catch
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            throw;
        }
        finally
        {
            // The input may never end (an interactive client); its pump ends on its own once the token fires.
            await stopInput.CancelAsync();
            if (input.IsCompleted)
            {
                await input;
            }
        }

        return process.ExitCode;
    }

    private static async Task FeedInputAsync(Stream? source, Stream stdin, CancellationToken cancellationToken)
    {
        try
        {
            if (source is not null)
            {
                await source.CopyToAsync(stdin, cancellationToken);
            }
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The command exited (EPIPE), or the exec ended before its input did.
        }
        finally
        {
            try
            {
                await stdin.DisposeAsync();
            }
            catch (Exception exception) when (exception is IOException or ObjectDisposedException)
            {
                // Closing a pipe whose reader has gone.
            }
        }
    }

    private static async Task PumpAsync(Stream source, Stream? destination, SemaphoreSlim writeLock, CancellationToken cancellationToken)
    {
        var buffer = new byte[LogBufferSize];
        while (true)
        {
            var read = await source.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                return;
            }

            if (destination is null)
            {
                continue;
            }

            await writeLock.WaitAsync(cancellationToken);
            try
            {
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                await destination.FlushAsync(cancellationToken);
            }
            finally
            {
                writeLock.Release();
            }
        }
    }

    private static async Task WriteExecErrorAsync(Stream? errors, string problem, CancellationToken cancellationToken)
    {
        if (errors is not null)
        {
            await errors.WriteAsync(Encoding.UTF8.GetBytes($"edge-agent: exec: {problem}\n"), cancellationToken);
            await errors.FlushAsync(cancellationToken);
        }
    }
}
