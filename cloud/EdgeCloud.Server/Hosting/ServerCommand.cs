using System.CommandLine;

namespace EdgeCloud.Server.Hosting;

/// <summary>The <c>edgecloud</c> command line: <c>edgecloud server [--data-dir DIR] [--listen HOST:PORT] [--datastore ...] [--agent-binary [PLATFORM=]PATH]</c>.</summary>
internal static class ServerCommand
{
    /// <summary>The root command with its subcommands.</summary>
    public static RootCommand Create()
    {
        var dataDir = new Option<string>("--data-dir") { Description = "Directory for certificates, the kubeconfig and the SQLite database (default ~/.edgecloud)" };
        var listen = new Option<string>("--listen") { Description = "Address to serve HTTPS on, HOST:PORT (default 0.0.0.0:6443; port 0 picks a free port)" };
        var datastore = new Option<string>("--datastore") { Description = "\"sqlite\" (default, a file in the data directory) or a postgres:// URL for HA" };
        var nodeGrace = new Option<int?>("--node-monitor-grace-period") { Description = "Seconds without a node Lease renewal before the node is Ready=Unknown and tainted unreachable (default 40)" };
        var evict = new Option<bool>("--evict-unreachable-pods") { Description = "Evict pods from unreachable nodes (NoExecute taint; tolerationSeconds honoured). Default: pods stay bound and keep running offline" };
        var plans = new Option<string>("--plans") { Description = "JSON file with the plans tenants can be on (an array of {name, maxClusters, maxNodesPerCluster, maxObjectsPerCluster, requestsPerSecond, requestBurst, maxWatchesPerCluster}); default: the built-in free, team and fleet plans" };
        var defaultPlan = new Option<string>("--default-plan") { Description = "The plan new tenants get (default free)" };
        var agentBinary = new Option<string[]>("--agent-binary")
        {
            Description = "The edge-agent file install.sh downloads, [linux-amd64=|linux-arm64=]PATH (a bare PATH is for this machine's platform; repeat for more). Default: a single-file edge-agent beside edgecloud, if there is one",
        };
        var server = new Command("server", "Run the control plane: the Kubernetes API of each cluster over the datastore, and its controllers") { dataDir, listen, datastore, nodeGrace, evict, plans, defaultPlan, agentBinary };
        server.SetAction(async (parse, cancellationToken) =>
        {
            if (await ReadOptionsAsync(parse, dataDir, listen, datastore, nodeGrace, evict, (plans, defaultPlan), agentBinary, "server") is not { } options)
            {
                return 2;
            }

            await using var running = await EdgeCloudServer.StartAsync(options, cancellationToken);
            Console.WriteLine($"edgecloud: serving {running.ApiAddress} (kubeconfig {options.KubeconfigPath})");
            await running.WaitForShutdownAsync(cancellationToken);
            return 0;
        });
        var up = new Command("up", "Run the control plane and one local edge agent (process runtime) together: EdgeCloud on one machine") { dataDir, listen, datastore, nodeGrace, evict, plans, defaultPlan, agentBinary };
        up.SetAction(async (parse, cancellationToken) =>
        {
            if (await ReadOptionsAsync(parse, dataDir, listen, datastore, nodeGrace, evict, (plans, defaultPlan), agentBinary, "up") is not { } options)
            {
                return 2;
            }

            if (!OperatingSystem.IsLinux())
            {
                await Console.Error.WriteLineAsync("edgecloud up: the local agent runs on Linux only; run edgecloud server here and edge-agent on a Linux machine");
                return 2;
            }

            await using var running = await EdgeCloudServer.StartAsync(options, cancellationToken);
            Console.WriteLine($"edgecloud: serving {running.ApiAddress} (kubeconfig {options.KubeconfigPath})");
            // The host takes SIGTERM and Ctrl+C for itself (it stops the server): the agent stops with it.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var shutdown = running.WaitForShutdownAsync(cancellationToken).ContinueWith(static (_, state) => ((CancellationTokenSource)state!).Cancel(), stop, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            var exit = await LocalAgent.RunAsync(options, running, stop.Token);
            await shutdown;
            return exit;
        });
        return new RootCommand("EdgeCloud: a Kubernetes-compatible control plane for edge fleets") { server, up };
    }

    private static async Task<ServerOptions?> ReadOptionsAsync(
        ParseResult parse, Option<string> dataDir, Option<string> listen, Option<string> datastore, Option<int?> nodeGrace, Option<bool> evict,
        (Option<string> File, Option<string> Default) plans, Option<string[]> agentBinary, string command)
    {
        if (Install.AgentBinaries.Parse(parse.GetValue(agentBinary) ?? [], AppContext.BaseDirectory, out var binaryError) is not { } agentBinaries)
        {
            await Console.Error.WriteLineAsync($"edgecloud {command}: {binaryError}");
            return null;
        }

        if (ServerOptions.ParseListen(parse.GetValue(listen) ?? ServerOptions.DefaultListen, out var error) is not var (host, port))
        {
            await Console.Error.WriteLineAsync(error);
            return null;
        }

        Tenancy.PlanCatalog catalog;
        try
        {
            var defaultPlan = parse.GetValue(plans.Default) ?? Tenancy.PlanCatalog.Standard.Default.Name;
            catalog = parse.GetValue(plans.File) is { } file ? Tenancy.PlanCatalog.Load(file, defaultPlan) : new Tenancy.PlanCatalog(Tenancy.PlanCatalog.BuiltIn, defaultPlan);
        }
        catch (Exception invalid) when (invalid is ArgumentException or IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"edgecloud {command}: --plans/--default-plan: {invalid.Message}");
            return null;
        }

        var options = new ServerOptions
        {
            Plans = catalog,
            DataDirectory = Path.GetFullPath(parse.GetValue(dataDir) ?? ServerOptions.DefaultDataDirectory),
            ListenHost = host,
            ListenPort = port,
            Datastore = parse.GetValue(datastore) ?? "sqlite",
            AgentBinaries = agentBinaries,
            Controllers = new Controllers.ControllerOptions
            {
                NodeMonitorGracePeriod = TimeSpan.FromSeconds(parse.GetValue(nodeGrace) ?? 40),
                EvictPodsFromUnreachableNodes = parse.GetValue(evict),
            },
        };
        try
        {
            options.Controllers.Validate();
        }
        catch (ArgumentException invalid)
        {
            await Console.Error.WriteLineAsync($"edgecloud {command}: {invalid.Message}");
            return null;
        }

        return options;
    }
}
