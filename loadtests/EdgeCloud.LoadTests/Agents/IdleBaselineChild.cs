using System.Diagnostics;

namespace EdgeCloud.LoadTests.Agents;

/// <summary>
/// The memory baseline of the agent benchmark: the smallest .NET console program, this executable doing nothing but
/// waiting for its standard input to close (no assembly beyond the runtime's own is loaded). Started the same way as
/// the agent (framework-dependent apphost, same runtime, same GC defaults), its RSS is the floor any .NET agent pays.
/// Dispatched first thing in Main so that nothing else is loaded.
/// </summary>
internal static class IdleBaselineChild
{
    public const string Command = "agent-baseline-child";

    public static int Run()
    {
        using var input = Console.OpenStandardInput();
        Span<byte> buffer = stackalloc byte[16];
        while (input.Read(buffer) > 0)
        {
        }

        return 0;
    }

    /// <summary>Starts the child; it lives until its standard input is closed or it is killed.</summary>
    public static Process Start()
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "EdgeCloud.LoadTests"))
        {
            ArgumentList = { Command },
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        return Process.Start(start) ?? throw new InvalidOperationException("the baseline process did not start");
    }
}
