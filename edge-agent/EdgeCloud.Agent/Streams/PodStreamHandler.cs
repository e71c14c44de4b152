using System.IO.Pipelines;
using System.Threading.Channels;
using EdgeCloud.Agent.Runtime;
using EdgeCloud.Tunnel;
using EdgeCloud.Tunnel.Node;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Agent.Streams;

/// <summary>
/// Serves the node streams the cloud opens into this agent (<see cref="NodeStreamHeader"/>): kubectl logs and
/// kubectl exec of one container, and kubectl port-forward connections to a pod's port. <see cref="HandleAsync"/> is a <see cref="TunnelStreamHandler"/>. A stream whose
/// container cannot be found is refused with the reason, which the cloud shows the user as the Status message.
/// </summary>
internal sealed class PodStreamHandler(IPodContainerResolver resolver, TimeProvider timeProvider, ILogger<PodStreamHandler> logger)
{
    /// <summary>Decides on and serves one incoming stream; its task is the stream's lifetime.</summary>
    public async Task HandleAsync(TunnelIncomingStream incoming, CancellationToken cancellationToken)
    {
        if (!NodeStreamHeader.TryDecode(incoming.Header.Span, out var header, out var error))
        {
            Refuse(incoming, error);
            return;
        }

        var query = new PodContainerQuery(header.Namespace, header.Pod, header.PodUid, header.Container, header.Logs?.Previous ?? false);
        var target = await resolver.ResolveAsync(query, cancellationToken);
        if (!target.Found)
        {
            Refuse(incoming, target.Error);
            return;
        }

        if (header.Kind == NodeStreamKind.PortForward)
        {
            await ServePortForwardAsync(incoming, header, cancellationToken);
            return;
        }

        PodStreamLog.Serving(logger, header.Kind, header.Namespace, header.Pod, header.Container);
        var stream = incoming.Accept();
        try
        {
            if (header.Kind == NodeStreamKind.Logs)
            {
                await ServeLogsAsync(stream, header.Logs!, target.Runtime, target.ContainerId, cancellationToken);
            }
            else
            {
                await ServeExecAsync(stream, header.Exec!, target.Runtime, target.ContainerId, cancellationToken);
            }
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            PodStreamLog.Failed(logger, header.Kind, header.Namespace, header.Pod, header.Container, failure);
            throw;
        }
    }

    /// <summary>The runtime's log request for the API's log options.</summary>
    internal static ContainerLogRequest ToLogRequest(NodeLogOptions options, DateTimeOffset now) => new()
    {
        Follow = options.Follow,
        TailLines = options.TailLines is { } tail ? (int)Math.Clamp(tail, 0, int.MaxValue) : null,
        Since = options.SinceTime ?? (options.SinceSeconds is { } seconds ? now - TimeSpan.FromSeconds(seconds) : null),
        Timestamps = options.Timestamps,
        LimitBytes = options.LimitBytes,
    };

    /// <summary>
    /// Connects to the pod's port before accepting, so that a port nobody listens on is a refusal with the reason,
    /// which kubectl shows for that connection.
    /// </summary>
    private async Task ServePortForwardAsync(TunnelIncomingStream incoming, NodeStreamHeader header, CancellationToken cancellationToken)
    {
        var port = header.Port!.Value;
        var (socket, error) = await PodPortForward.ConnectAsync(port, cancellationToken);
        if (socket is null)
        {
            Refuse(incoming, error!);
            return;
        }

        PodStreamLog.ForwardingPort(logger, header.Namespace, header.Pod, port);
        TunnelStream stream;
        try
        {
            stream = incoming.Accept();
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        await PodPortForward.RelayAsync(socket, stream, cancellationToken);
    }

    private void Refuse(TunnelIncomingStream incoming, string reason)
    {
        PodStreamLog.Refused(logger, incoming.StreamId, reason);
        incoming.Refuse(reason);
    }

    private async Task ServeLogsAsync(TunnelStream stream, NodeLogOptions options, IContainerRuntime runtime, string containerId, CancellationToken cancellationToken)
    {
        using var serving = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // The cloud sends nothing on a logs stream: its end or reset (kubectl went away) stops a follow that is idle.
        var watch = CancelWhenCallerLeavesAsync(stream, serving);
        try
        {
            await runtime.WriteLogsAsync(containerId, ToLogRequest(options, timeProvider.GetUtcNow()), stream, serving.Token);
        }
        catch (OperationCanceledException) when (serving.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return;
        }

        await stream.CompleteWritesAsync(cancellationToken);
        await serving.CancelAsync();
        await watch;
    }

    private static async Task CancelWhenCallerLeavesAsync(TunnelStream stream, CancellationTokenSource serving)
    {
        var buffer = new byte[256];
        try
        {
            while (await stream.ReadAsync(buffer, serving.Token) > 0)
            {
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (IOException)
        {
            // Reset: handled as the end below.
        }

        await serving.CancelAsync();
    }

    private static async Task ServeExecAsync(TunnelStream stream, NodeExecOptions options, IContainerRuntime runtime, string containerId, CancellationToken cancellationToken)
    {
        using var writer = new ExecFrameWriter(stream);
        await using var reader = new ExecFrameReader(stream);
        using var running = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var stdin = options.Stdin ? new Pipe() : null;
        var resizes = options.Tty ? Channel.CreateBounded<(int Columns, int Rows)>(new BoundedChannelOptions(4) { FullMode = BoundedChannelFullMode.DropOldest }) : null;
        var input = PumpInputAsync(reader, stdin?.Writer, resizes?.Writer, running);
        var exec = new ContainerExec
        {
            Command = options.Command,
            Stdin = stdin?.Reader.AsStream(),
            Stdout = options.Stdout ? new ExecOutputStream(writer, ExecChannel.Stdout) : null,
            Stderr = options.Stderr && !options.Tty ? new ExecOutputStream(writer, ExecChannel.Stderr) : null,
            Tty = options.Tty,
            Resize = resizes?.Reader.ReadAllAsync(running.Token),
        };

        int exitCode;
        try
        {
            exitCode = await runtime.ExecAsync(containerId, exec, running.Token);
        }
        catch (Exception failure) when (failure is not OperationCanceledException && !running.IsCancellationRequested)
        {
            await writer.WriteErrorAsync(failure.Message, cancellationToken);
            await FinishAsync(stream, input, running, cancellationToken);
            return;
        }
        catch (OperationCanceledException) when (running.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The cloud reset the stream or broke the framing: nobody is left to tell.
            await input;
            throw new IOException("the exec stream was reset by the cloud");
        }

        await writer.WriteExitAsync(exitCode, cancellationToken);
        await FinishAsync(stream, input, running, cancellationToken);
    }

    private static async Task FinishAsync(TunnelStream stream, Task input, CancellationTokenSource running, CancellationToken cancellationToken)
    {
        await stream.CompleteWritesAsync(cancellationToken);
        await running.CancelAsync();
        await input;
    }

    /// <summary>Delivers stdin and resizes from the cloud until it half-closes; a broken or reset stream cancels the exec.</summary>
    private static async Task PumpInputAsync(ExecFrameReader reader, PipeWriter? stdin, ChannelWriter<(int Columns, int Rows)>? resizes, CancellationTokenSource running)
    {
        Exception? failure = null;
        try
        {
            while (await reader.ReadAsync(running.Token) is { } frame)
            {
                switch (frame.Channel)
                {
                    case ExecChannel.Stdin when stdin is not null:
                        await stdin.WriteAsync(frame.Payload, running.Token);
                        break;
                    case ExecChannel.StdinEnd when stdin is not null:
                        await stdin.CompleteAsync();
                        stdin = null;
                        break;
                    case ExecChannel.Resize:
                        resizes?.TryWrite(frame.Size);
                        break;
                    default:
                        throw new ExecProtocolException($"unexpected exec {frame.Channel} frame from the cloud");
                }
            }
        }
        catch (OperationCanceledException) when (running.IsCancellationRequested)
        {
        }
        catch (IOException error)
        {
            failure = error;
            await running.CancelAsync();
        }
        finally
        {
            if (stdin is not null)
            {
                await stdin.CompleteAsync(failure);
            }

            resizes?.TryComplete();
        }
    }
}
