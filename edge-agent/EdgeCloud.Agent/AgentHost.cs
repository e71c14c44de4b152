namespace EdgeCloud.Agent;

/// <summary>One agent run: join, register the node, sync pods; until the process is asked to stop.</summary>
internal static class AgentHost
{
    public static async Task<int> RunAsync(AgentOptions options, CancellationToken cancellationToken)
    {
        await Console.Error.WriteLineAsync($"edge-agent: node {options.NodeName}: joining is not built yet");
        return 1;
    }
}
