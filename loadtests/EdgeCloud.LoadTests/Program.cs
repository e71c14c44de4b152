using System.Runtime.InteropServices;

namespace EdgeCloud.LoadTests;

/// <summary>
/// Entry point of the load-test harnesses. <c>store</c> runs the datastore benchmark, <c>api</c> the API one,
/// <c>tunnel</c> the tunnel one (<c>tunnel-idle-child</c> is its load process), <c>agent</c> the edge-agent one
/// (<c>agent-baseline-child</c> is its memory baseline);
/// <c>store-watch-child</c> is the second process of the store cross-process watch measurement (not for direct use).
/// </summary>
internal static class Program
{
    private const string Usage = """
        usage: EdgeCloud.LoadTests store [--quick] [--out DIR] [--sqlite-only | --postgres-only]
               EdgeCloud.LoadTests api [--quick] [--clients N] [--out DIR]
               EdgeCloud.LoadTests tunnel [--quick] [--sessions N] [--out DIR]
               EdgeCloud.LoadTests schedule [--quick] [--nodes N] [--pods N] [--out DIR]
               EdgeCloud.LoadTests idle-clusters [--quick] [--clusters N] [--out DIR]
               EdgeCloud.LoadTests agent [--quick] [--pods N] [--out DIR]
               EdgeCloud.LoadTests tenants [--quick] [--clusters N] [--tenants N] [--out DIR]
               EdgeCloud.LoadTests port-forward [--quick] [--out DIR]

          store    datastore benchmark: writes/s beside the database's own ceiling, watch latency,
                   list time and database size under churn. Writes store-bench.json and store-bench.md.
                   PostgreSQL: set EDGECLOUD_BENCH_POSTGRES (Npgsql connection string of a superuser)
                   and optionally EDGECLOUD_PGBIN (directory holding pgbench).
          api      Kubernetes API benchmark: create/get/list/watch through HTTPS with 16 clients beside the
                   raw store in the same run, and the server's time to ready. Writes api-bench.json and .md.
          tunnel   tunnel benchmark: 1 and 64 streams over one session beside a raw WebSocket and ssh -R (if
                   openssh-server is installed): throughput, open-to-first-byte latency; server memory and
                   keepalive traffic of N idle sessions (10,000, or 500 with --quick) opened by a second process.
                   Writes tunnel-bench.json and tunnel-bench.md.
          schedule scheduling benchmark: N simulated nodes (default 1,000; 100 with --quick) renewing their Leases,
                   M pending pods (default 10,000; 1,000 with --quick) created by 16 clients: bindings/s and
                   create-to-bound latency beside the raw pod create rate of the same run. Writes schedule-bench.json and .md.
          idle-clusters  what idle clusters cost the process running their controllers: CPU over an idle window
                   and memory per cluster for N clusters (default 1,000; 200 with --quick) beside the same process
                   with none. Writes idle-clusters-bench.json and .md.
          agent    edge-agent benchmark (Linux; a real edgecloud and edge-agent, process runtime): agent RSS/PSS idle
                   and with 10 running pods beside a trivial .NET process and idle agents with other GC settings;
                   create-to-Running of N bare pods (default 100; 20 with --quick; at most 110) from 8 clients and
                   sequentially; idle uplink bytes of the agent's connection (ss -tin) over 180 s (60 s with --quick).
                   Writes agent-bench.json and agent-bench.md. EDGECLOUD_BENCH_AGENT: an edge-agent executable to measure
                   instead of the build beside the load tests (e.g. the trimmed single-file of dotnet publish -r linux-x64).
          port-forward
                   kubectl port-forward (1.33 over WebSocket, 1.27 over SPDY) through a real edgecloud and edge-agent to
                   a pod's port, beside the port reached directly: MiB/s on 1 and 8 connections, server+agent CPU per
                   MiB, connect-to-first-byte p50/p99. Writes portforward-bench.json and .md.
          tenants  tenant density: N clusters (default 10,000; 300 with --quick) over T signed-up tenants on one real
                   edgecloud, each with a namespace, a Deployment and a simulated node: RSS per idle cluster, cluster
                   creation latency, API p99 at N/10 and N clusters. Writes tenant-density-bench.json and .md.
        """;

    public static async Task<int> Main(string[] args)
    {
        // The agent benchmark's memory baseline: a trivial .NET process, so nothing else may run or load first.
        if (args is [Agents.IdleBaselineChild.Command])
        {
            return Agents.IdleBaselineChild.Run();
        }

        using var cancellation = new CancellationTokenSource();
        // Ctrl+C and SIGTERM (e.g. a CI timeout) let the benchmark unwind, so that it drops its databases and
        // stops its child processes, instead of the runtime exiting at once.
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            cancellation.Cancel();
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

        switch (args)
        {
            case ["store", .. var rest]:
                if (StoreBenchArguments.Parse(rest, out var error) is not { } arguments)
                {
                    await Console.Error.WriteLineAsync(error + Environment.NewLine + Usage);
                    return 2;
                }

                return await StoreBenchmark.RunAsync(arguments, cancellation.Token);
            case ["api", .. var rest]:
                if (Api.ApiBenchArguments.Parse(rest, out var apiError) is not { } apiArguments)
                {
                    await Console.Error.WriteLineAsync(apiError + Environment.NewLine + Usage);
                    return 2;
                }

                return await Api.ApiBenchmark.RunAsync(apiArguments, cancellation.Token);
            case ["tunnel", .. var rest]:
                if (Tunnel.TunnelBenchArguments.Parse(rest, out var tunnelError) is not { } tunnelArguments)
                {
                    await Console.Error.WriteLineAsync(tunnelError + Environment.NewLine + Usage);
                    return 2;
                }

                return await Tunnel.TunnelBenchmark.RunAsync(tunnelArguments, cancellation.Token);
            case [Tunnel.IdleSessionsChild.Command, .. var rest]:
                return await Tunnel.IdleSessionsChild.RunAsync(rest, cancellation.Token);
            case ["schedule", .. var rest]:
                if (Scheduling.ScheduleBenchArguments.Parse(rest, out var scheduleError) is not { } scheduleArguments)
                {
                    await Console.Error.WriteLineAsync(scheduleError + Environment.NewLine + Usage);
                    return 2;
                }

                return await Scheduling.ScheduleBenchmark.RunAsync(scheduleArguments, cancellationToken: cancellation.Token);
            case ["idle-clusters", .. var rest]:
                if (Controllers.IdleClustersArguments.Parse(rest, out var idleError) is not { } idleArguments)
                {
                    await Console.Error.WriteLineAsync(idleError + Environment.NewLine + Usage);
                    return 2;
                }

                return await Controllers.IdleClustersBenchmark.RunAsync(idleArguments, cancellation.Token);
            case ["agent", .. var rest]:
                if (Agents.AgentBenchArguments.Parse(rest, out var agentError) is not { } agentArguments)
                {
                    await Console.Error.WriteLineAsync(agentError + Environment.NewLine + Usage);
                    return 2;
                }

                if (!OperatingSystem.IsLinux())
                {
                    await Console.Error.WriteLineAsync("agent: the edge-agent runs on Linux only");
                    return 2;
                }

                return await Agents.AgentBenchmark.RunAsync(agentArguments, cancellation.Token);
            case ["port-forward", .. var rest]:
                if (PortForward.PortForwardBenchArguments.Parse(rest, out var forwardError) is not { } forwardArguments)
                {
                    await Console.Error.WriteLineAsync(forwardError + Environment.NewLine + Usage);
                    return 2;
                }

                if (!OperatingSystem.IsLinux())
                {
                    await Console.Error.WriteLineAsync("port-forward: the edge-agent runs on Linux only");
                    return 2;
                }

                return await PortForward.PortForwardBenchmark.RunAsync(forwardArguments, cancellation.Token);
            case ["tenants", .. var rest]:
                if (Tenancy.TenantDensityArguments.Parse(rest, out var tenantsError) is not { } tenantsArguments)
                {
                    await Console.Error.WriteLineAsync(tenantsError + Environment.NewLine + Usage);
                    return 2;
                }

                return await Tenancy.TenantDensityBenchmark.RunAsync(tenantsArguments, cancellation.Token);
            case [WatchChild.Command, .. var rest]:
                return await WatchChild.RunAsync(rest, cancellation.Token);
            default:
                await Console.Error.WriteLineAsync(Usage);
                return 2;
        }
    }
}
