using System.Globalization;
using System.Text.Json.Nodes;
using EdgeCloud.Agent.Cloud;

namespace EdgeCloud.Agent.Node;

/// <summary>
/// Registers the Node as kubelet does: creates it (or takes over the existing object of this name: the password
/// check already proved it is ours), then writes its status: capacity and allocatable, addresses, nodeInfo and a
/// Ready condition. Labels given on the command line are applied on every registration.
/// </summary>
internal sealed class NodeRegistration(AgentOptions options, NodeFacts facts, string runtimeVersion, TimeProvider time)
{
    /// <summary>Reported as kubeletVersion (kubectl get nodes shows it as VERSION).</summary>
    public const string AgentVersion = "v1.33.0-edgecloud";

    /// <summary>Creates or updates the Node and reports it Ready.</summary>
    public async Task RegisterAsync(ClusterApi api, CancellationToken cancellationToken)
    {
        var path = "api/v1/nodes/" + options.NodeName;
        for (var attempt = 0; ; attempt++)
        {
            var node = await api.GetAsync(path, cancellationToken);
            if (node is null)
            {
                node = await api.CreateAsync("api/v1/nodes", NewNode(), cancellationToken);
                if (node is null)
                {
                    continue;
                }
            }
            else
            {
                var labels = node["metadata"]!["labels"] as JsonObject ?? [];
                var changed = false;
                foreach (var (key, value) in Labels())
                {
                    if (labels[key]?.GetValue<string>() != value)
                    {
                        labels[key] = value;
                        changed = true;
                    }
                }

                if (changed)
                {
                    node["metadata"]!["labels"] = labels.DeepClone();
                    node = await api.ReplaceAsync(path, node, cancellationToken);
                    if (node is null && attempt < 5)
                    {
                        continue;
                    }
                }
            }

            break;
        }

        await ReportStatusAsync(api, cancellationToken);
    }

    /// <summary>Writes the node's status (Ready, capacity, addresses, nodeInfo) with a fresh heartbeat.</summary>
    public async Task ReportStatusAsync(ClusterApi api, CancellationToken cancellationToken)
    {
        var now = ToTimestamp(time.GetUtcNow());
        var conditions = new JsonArray(
            Condition("Ready", "True", "KubeletReady", "edge-agent is posting ready status", now),
            Condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "edge-agent has sufficient memory available", now),
            Condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "edge-agent has no disk pressure", now),
            Condition("PIDPressure", "False", "KubeletHasSufficientPID", "edge-agent has sufficient PID available", now));
        var addresses = new JsonArray();
        foreach (var address in facts.InternalAddresses)
        {
            addresses.Add((JsonNode)new JsonObject { ["type"] = "InternalIP", ["address"] = address });
        }

        addresses.Add((JsonNode)new JsonObject { ["type"] = "Hostname", ["address"] = options.NodeName });
        var status = new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["capacity"] = facts.Resources(),
                ["allocatable"] = facts.Resources(),
                ["conditions"] = conditions,
                ["addresses"] = addresses,
                ["nodeInfo"] = new JsonObject
                {
                    ["machineID"] = facts.MachineId,
                    ["systemUUID"] = facts.MachineId,
                    ["bootID"] = facts.BootId,
                    ["kernelVersion"] = facts.KernelVersion,
                    ["osImage"] = facts.OsImage,
                    ["containerRuntimeVersion"] = runtimeVersion,
                    ["kubeletVersion"] = AgentVersion,
                    ["kubeProxyVersion"] = "",
                    ["operatingSystem"] = "linux",
                    ["architecture"] = facts.Architecture,
                },
            },
        };
        await api.MergePatchAsync($"api/v1/nodes/{options.NodeName}/status", status, cancellationToken);
    }

    /// <summary>The labels the node carries: the well-known ones, the runtime, and those given with --labels.</summary>
    public Dictionary<string, string> Labels()
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["kubernetes.io/hostname"] = options.NodeName,
            ["kubernetes.io/os"] = "linux",
            ["kubernetes.io/arch"] = facts.Architecture,
            ["edgecloud.io/runtime"] = options.Runtime,
        };
        foreach (var (key, value) in options.Labels)
        {
            labels[key] = value;
        }

        return labels;
    }

    private JsonObject NewNode()
    {
        var labels = new JsonObject();
        foreach (var (key, value) in Labels())
        {
            labels[key] = value;
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Node",
            ["metadata"] = new JsonObject { ["name"] = options.NodeName, ["labels"] = labels },
            ["spec"] = new JsonObject(),
        };
    }

    private static JsonObject Condition(string type, string status, string reason, string message, string now) => new()
    {
        ["type"] = type,
        ["status"] = status,
        ["reason"] = reason,
        ["message"] = message,
        ["lastHeartbeatTime"] = now,
        ["lastTransitionTime"] = now,
    };

    /// <summary>RFC 3339 seconds, as metav1.Time.</summary>
    public static string ToTimestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>RFC 3339 microseconds, as metav1.MicroTime.</summary>
    public static string ToMicroTimestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
