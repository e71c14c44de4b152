using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using EdgeCloud.Server.Security;

namespace EdgeCloud.Server.Tests.EndToEnd;

/// <summary>
/// Plays a node through the API exactly as the agent will: registers its Node (capacity, Ready), renews its Lease in
/// kube-node-lease every second, watches the pods bound to it (fieldSelector spec.nodeName) and reports them through
/// pods/status, and finishes the deletion of pods marked for deletion (as a kubelet does once the containers
/// stopped). <see cref="Silence"/> stops the heartbeats and the pod work, as a dropped link.
/// </summary>
/// <remarks>
/// Its runtime is simulated: a pod with restartPolicy Always runs (Running, Ready); a pod that runs to completion
/// (Never, OnFailure) exits at once, with code 1 when its command or args contain "false" (busybox's false), else 0.
/// </remarks>
public sealed class SimulatedNode : IAsyncDisposable
{
    private readonly HttpClient _client;
    private readonly CancellationTokenSource _stop = new();
    private readonly string _name;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _seen = new(StringComparer.Ordinal);
    private volatile bool _silent;
    private Task _heartbeats = Task.CompletedTask;
    private Task _pods = Task.CompletedTask;

    private SimulatedNode(HttpClient client, string name)
    {
        _client = client;
        _name = name;
    }

    /// <summary>Pods this node finished deleting.</summary>
    public int Deleted { get; private set; }

    /// <summary>Distinct pods ever bound to this node.</summary>
    public int PodsSeen => _seen.Count;

    /// <summary>Registers the node and starts playing it.</summary>
    public static async Task<SimulatedNode> StartAsync(string kubeconfigPath, string name, IReadOnlyDictionary<string, string>? labels = null, string cpu = "8")
    {
        var kubeconfig = await KubeconfigReader.ReadAsync(kubeconfigPath, CancellationToken.None);
        var client = new HttpClient(CaTrust.CreateHandler(X509Certificate2.CreateFromPem(kubeconfig.CertificateAuthorityPem)))
        {
            BaseAddress = new Uri(kubeconfig.Server.TrimEnd('/') + "/"),
            Timeout = Timeout.InfiniteTimeSpan,
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", kubeconfig.Token);
        var node = new SimulatedNode(client, name);
        await node.RegisterAsync(labels ?? new Dictionary<string, string>(), cpu);
        node._heartbeats = Task.Run(() => node.HeartbeatAsync(node._stop.Token));
        node._pods = Task.Run(() => node.RunPodsAsync(node._stop.Token));
        return node;
    }

    /// <summary>Stops renewing the Lease and touching pods (the link is down).</summary>
    public void Silence() => _silent = true;

    /// <summary>Renews the Lease again (the link is back).</summary>
    public void Resume() => _silent = false;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var task in new[] { _heartbeats, _pods })
        {
            try
            {
                await task;
            }
            catch (OperationCanceledException)
            {
            }
            catch (HttpRequestException)
            {
            }
        }

        _client.Dispose();
        _stop.Dispose();
    }

    private async Task RegisterAsync(IReadOnlyDictionary<string, string> labels, string cpu)
    {
        var labelObject = new JsonObject { ["kubernetes.io/hostname"] = _name, ["kubernetes.io/os"] = "linux" };
        foreach (var (key, value) in labels)
        {
            labelObject[key] = value;
        }

        await SendAsync(HttpMethod.Post, "api/v1/nodes", new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Node",
            ["metadata"] = new JsonObject { ["name"] = _name, ["labels"] = labelObject },
            ["spec"] = new JsonObject(),
        });
        var resources = new JsonObject { ["cpu"] = cpu, ["memory"] = "16Gi", ["pods"] = "110" };
        var now = Now();
        var status = await SendAsync(HttpMethod.Get, $"api/v1/nodes/{_name}", null);
        status["status"] = new JsonObject
        {
            ["capacity"] = resources.DeepClone(),
            ["allocatable"] = resources.DeepClone(),
            ["conditions"] = new JsonArray(new JsonObject
            {
                ["type"] = "Ready", ["status"] = "True", ["reason"] = "KubeletReady", ["message"] = "kubelet is posting ready status",
                ["lastHeartbeatTime"] = now, ["lastTransitionTime"] = now,
            }),
            ["addresses"] = new JsonArray(new JsonObject { ["type"] = "InternalIP", ["address"] = "127.0.0.1" }, new JsonObject { ["type"] = "Hostname", ["address"] = _name }),
            ["nodeInfo"] = new JsonObject
            {
                ["machineID"] = _name, ["systemUUID"] = _name, ["bootID"] = "boot-1", ["kernelVersion"] = "6.1.0", ["osImage"] = "Debian GNU/Linux 12",
                ["containerRuntimeVersion"] = "process://edgecloud", ["kubeletVersion"] = "v1.33.0-edgecloud", ["kubeProxyVersion"] = "",
                ["operatingSystem"] = "linux", ["architecture"] = "amd64",
            },
        };
        await SendAsync(HttpMethod.Put, $"api/v1/nodes/{_name}/status", status);
        await SendAsync(HttpMethod.Post, "apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases", new JsonObject
        {
            ["apiVersion"] = "coordination.k8s.io/v1",
            ["kind"] = "Lease",
            ["metadata"] = new JsonObject { ["name"] = _name, ["namespace"] = "kube-node-lease" },
            ["spec"] = new JsonObject { ["holderIdentity"] = _name, ["leaseDurationSeconds"] = 40, ["renewTime"] = MicroNow() },
        });
    }

    private async Task HeartbeatAsync(CancellationToken cancellationToken)
    {
        // A heartbeat, not synchronization: the agent renews its Lease on a period too.
        using var period = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await period.WaitForNextTickAsync(cancellationToken))
        {
            if (_silent)
            {
                continue;
            }

            await PatchAsync($"apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/{_name}", new JsonObject { ["spec"] = new JsonObject { ["renewTime"] = MicroNow() } }, cancellationToken);
        }
    }

    private async Task RunPodsAsync(CancellationToken cancellationToken)
    {
        var selector = Uri.EscapeDataString("spec.nodeName=" + _name);
        while (!cancellationToken.IsCancellationRequested)
        {
            var list = await SendAsync(HttpMethod.Get, $"api/v1/pods?fieldSelector={selector}", null, cancellationToken);
            foreach (var pod in (list["items"] as JsonArray)!.OfType<JsonObject>())
            {
                await HandleAsync(pod, cancellationToken);
            }

            var rv = list["metadata"]!["resourceVersion"]!.GetValue<string>();
            using var response = await _client.GetAsync($"api/v1/pods?watch=true&fieldSelector={selector}&resourceVersion={rv}", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            response.EnsureSuccessStatusCode();
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                var change = JsonNode.Parse(line)!.AsObject();
                if (change["type"]!.GetValue<string>() is "ADDED" or "MODIFIED" && change["object"] is JsonObject pod)
                {
                    await HandleAsync(pod, cancellationToken);
                }
            }
        }
    }

    private async Task HandleAsync(JsonObject pod, CancellationToken cancellationToken)
    {
        while (_silent && !cancellationToken.IsCancellationRequested)
        {
            // While the link is down the node does nothing the cloud can see; it picks up again on Resume.
            await Task.Delay(100, cancellationToken);
        }

        var metadata = (JsonObject)pod["metadata"]!;
        _seen.TryAdd(metadata["uid"]!.GetValue<string>(), 0);
        var path = $"api/v1/namespaces/{metadata["namespace"]}/pods/{metadata["name"]}";
        if (metadata["deletionTimestamp"] is not null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Delete, path) { Content = JsonContent.Create(new JsonObject { ["gracePeriodSeconds"] = 0, ["preconditions"] = new JsonObject { ["uid"] = metadata["uid"]!.GetValue<string>() } }) };
            using var deleted = await _client.SendAsync(request, cancellationToken);
            if (deleted.IsSuccessStatusCode)
            {
                Deleted++;
            }

            return;
        }

        if (pod["status"]?["phase"]?.GetValue<string>() is "Running" or "Succeeded" or "Failed")
        {
            return;
        }

        await PatchAsync(path + "/status", new JsonObject { ["status"] = SimulatedStatus(pod) }, cancellationToken);
    }

    /// <summary>The status the simulated runtime reports for <paramref name="pod"/> (see the remarks on the class).</summary>
    private static JsonObject SimulatedStatus(JsonObject pod)
    {
        var now = Now();
        var spec = (JsonObject)pod["spec"]!;
        var completes = spec["restartPolicy"]?.GetValue<string>() is "Never" or "OnFailure";
        var failed = completes && (spec["containers"] as JsonArray)!.OfType<JsonObject>()
            .Any(static c => (c["command"] as JsonArray ?? []).Concat(c["args"] as JsonArray ?? []).Any(static a => a?.GetValue<string>() == "false"));
        var state = completes
            ? new JsonObject { ["terminated"] = new JsonObject { ["exitCode"] = failed ? 1 : 0, ["reason"] = failed ? "Error" : "Completed", ["startedAt"] = now, ["finishedAt"] = now } }
            : new JsonObject { ["running"] = new JsonObject { ["startedAt"] = now } };
        var containers = (spec["containers"] as JsonArray)!.OfType<JsonObject>().Select(c => (JsonNode)new JsonObject
        {
            ["name"] = c["name"]!.GetValue<string>(),
            ["image"] = c["image"]!.GetValue<string>(),
            ["imageID"] = "",
            ["ready"] = !completes,
            ["started"] = !completes,
            ["restartCount"] = 0,
            ["state"] = state.DeepClone(),
        });
        var ready = completes ? "False" : "True";
        var conditions = new JsonArray(
            Condition("PodScheduled", "True", now),
            Condition("Initialized", "True", now),
            Condition("ContainersReady", ready, now),
            Condition("Ready", ready, now));
        return new JsonObject
        {
            ["phase"] = !completes ? "Running" : failed ? "Failed" : "Succeeded",
            ["hostIP"] = "127.0.0.1",
            ["podIP"] = "10.42.0.1",
            ["startTime"] = now,
            ["conditions"] = conditions,
            ["containerStatuses"] = new JsonArray([.. containers]),
        };
    }

    private static JsonObject Condition(string type, string status, string now) => new() { ["type"] = type, ["status"] = status, ["lastTransitionTime"] = now };

    private async Task PatchAsync(string path, JsonObject patch, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, path) { Content = new StringContent(patch.ToJsonString(), Encoding.UTF8, "application/merge-patch+json") };
        using var response = await _client.SendAsync(request, cancellationToken);
        // A pod deleted meanwhile is no error for a node.
        if (!response.IsSuccessStatusCode && (int)response.StatusCode != 404)
        {
            throw new HttpRequestException($"PATCH {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    private async Task<JsonObject> SendAsync(HttpMethod method, string path, JsonObject? body, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await _client.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{method} {path}: {(int)response.StatusCode} {text}");
        }

        return JsonNode.Parse(text)!.AsObject();
    }

    private static string Now() => DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static string MicroNow() => DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
