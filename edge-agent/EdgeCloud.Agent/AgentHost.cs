using EdgeCloud.Agent.Join;
using EdgeCloud.Agent.Runtime;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Agent;

/// <summary>One agent process: logging to the console, the runtime chosen on the command line, the agent until SIGTERM.</summary>
internal static class AgentHost
{
    public static async Task<int> RunAsync(AgentOptions options, CancellationToken cancellationToken)
    {
        if (JoinToken.Parse(options.Token, out var error) is not { } token)
        {
            await Console.Error.WriteLineAsync($"edge-agent: {error}");
            return 2;
        }

        using var loggers = LoggerFactory.Create(builder => builder
            .AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z' ";
                console.UseUtcTimestamp = true;
            })
            .SetMinimumLevel(LogLevel.Information));
        Directory.CreateDirectory(options.DataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await using var runtime = RuntimeFactory.Create(options, TimeProvider.System, loggers);
        await using var agent = new EdgeAgent(options, token, runtime, TimeProvider.System, loggers);
        try
        {
            await agent.RunAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        return 0;
    }
}
