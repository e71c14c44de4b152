namespace EdgeCloud.Server.Tests.Install;

/// <summary>
/// The single-file edge-agent scripts/test.sh publishes (EDGECLOUD_TEST_AGENT_BINARY), which the install tests'
/// server hands out. Without it a test is skipped on a developer machine, and fails under CI=true.
/// </summary>
public static class TestAgentBinary
{
    public const string Variable = "EDGECLOUD_TEST_AGENT_BINARY";

    /// <summary>The file, when the variable names one (the server fixture passes it as --agent-binary).</summary>
    public static string? Configured() =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } path && File.Exists(path) ? path : null;

    /// <summary>The file; skips the test (fails it under CI=true) when it is missing.</summary>
    public static string Require()
    {
        if (Configured() is { } path)
        {
            return path;
        }

        var reason = $"{Variable} does not name a published edge-agent: run scripts/test.sh, or publish one with `dotnet publish edge-agent/EdgeCloud.Agent -c Release -r linux-x64 --self-contained false -p:PublishSingleFile=true -p:PublishTrimmed=false -o artifacts/edge-agent/linux-x64` and set {Variable} to its edge-agent";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(reason + " (CI=true: not skipped)");
        }

        Assert.Skip(reason);
        return null!;
    }
}
