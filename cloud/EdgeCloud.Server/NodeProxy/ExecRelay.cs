using EdgeCloud.Tunnel;
using EdgeCloud.Tunnel.Node;

namespace EdgeCloud.Server.NodeProxy;

/// <summary>
/// Joins kubectl's end of an exec (<see cref="IExecClient"/>) to the agent's (a node stream of <see cref="ExecFrame"/>s):
/// input flows to the agent, output to the client, and the agent's exit code or error becomes the final Status.
/// A client that goes away resets the node stream, which stops the command's I/O on the agent.
/// </summary>
internal sealed partial class ExecRelay(TimeProvider timeProvider, ILogger<ExecRelay> logger)
{
    /// <summary>How long the client has to close its connection after the final Status: 10 seconds.</summary>
    public static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(10);

    public async Task RunAsync(IExecClient client, TunnelStream node, IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        using var agent = new ExecFrameWriter(node);
        await using var fromAgent = new ExecFrameReader(node);
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var input = client.RelayInputAsync(agent, stopping.Token);
        var output = RelayOutputAsync(client, fromAgent, command, stopping.Token);
        if (await Task.WhenAny(input, output) == input && !output.IsCompleted)
        {
            // The client closed (or broke) its connection before the command ended.
            LogClientLeft(logger, input.Exception?.GetBaseException());
            node.Reset("the exec client went away");
            await stopping.CancelAsync();
            await Quietly(output);
            return;
        }

        var status = await output;
        await client.FinishAsync(status, cancellationToken);
        await node.CompleteWritesAsync(cancellationToken);
        using var grace = new CancellationTokenSource(CloseTimeout, timeProvider);
        await Quietly(input.WaitAsync(grace.Token));
        await stopping.CancelAsync();
        await Quietly(input);
    }

    private async Task<System.Text.Json.Nodes.JsonObject> RelayOutputAsync(IExecClient client, ExecFrameReader fromAgent, IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        try
        {
            while (await fromAgent.ReadAsync(cancellationToken) is { } frame)
            {
                switch (frame.Channel)
                {
                    case ExecChannel.Stdout or ExecChannel.Stderr:
                        await client.WriteOutputAsync(frame.Channel, frame.Payload, cancellationToken);
                        break;
                    case ExecChannel.Exit:
                        return ExecStatus.ForExitCode(frame.ExitCode, command);
                    case ExecChannel.Error:
                        return ExecStatus.ForError(frame.Message);
                    default:
                        throw new ExecProtocolException($"unexpected exec {frame.Channel} frame from the agent");
                }
            }

            return ExecStatus.ForError("the node's agent closed the exec stream without an exit code");
        }
        catch (IOException broken) when (!cancellationToken.IsCancellationRequested)
        {
            LogNodeStreamFailed(logger, broken);
            return ExecStatus.ForError("the exec stream to the node failed: " + broken.Message);
        }
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception)
        {
            // Already on the way out: the outcome was decided elsewhere.
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Exec client went away before the command ended")]
    private static partial void LogClientLeft(ILogger logger, Exception? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Exec stream to the node failed")]
    private static partial void LogNodeStreamFailed(ILogger logger, Exception error);
}
