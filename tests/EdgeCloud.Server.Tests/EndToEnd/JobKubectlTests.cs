using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using EdgeCloud.Server.Security;

namespace EdgeCloud.Server.Tests.EndToEnd;

/// <summary>
/// A Job against the real edgecloud executable, with the test playing a node through the API as the agent will
/// (registers a Node and its Lease, watches its pods with fieldSelector spec.nodeName, writes their status through
/// /status): `kubectl wait --for=condition=complete` finishes and `kubectl get jobs` shows COMPLETIONS 1/1.
/// </summary>
public sealed class JobKubectlTests(EdgeCloudProcess server) : IClassFixture<EdgeCloudProcess>
{
    private const string NodeName = "edge-job-1";

    [Theory]
    [MemberData(nameof(Kubectl.Versions), MemberType = typeof(Kubectl))]
    public async Task Kubectl_create_job_completes_once_the_node_runs_its_pod(string version)
    {
        using var api = await ApiClientAsync();
        await RegisterNodeAsync(api);
        var kubectl = new Kubectl(version, server.KubeconfigPath);
        var ns = $"e2e-job-{version.Replace(".", "", StringComparison.Ordinal)}";
        await kubectl.OkAsync("create", "namespace", ns);

        // kubectl 1.32+ sends this create as protobuf.
        await kubectl.OkAsync("create", "job", "hello", "-n", ns, "--image=busybox", "--", "echo", "hi");
        var pod = await WaitForBoundPodAsync(api, ns);
        Assert.Equal("hello", pod["metadata"]!["labels"]!["batch.kubernetes.io/job-name"]!.GetValue<string>());
        await SucceedAsync(api, ns, pod);

        var waited = await kubectl.RunAsync(["wait", "--for=condition=complete", "job/hello", "-n", ns, "--timeout=30s"]);
        Assert.True(waited.ExitCode == 0, $"kubectl wait failed: {waited.Stderr}");
        Assert.Contains("job.batch/hello condition met", waited.Stdout, StringComparison.Ordinal);

        var table = (await kubectl.OkAsync("get", "jobs", "-n", ns)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = table[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var row = Assert.Single(table.Skip(1)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("COMPLETIONS", header);
        Assert.Contains("DURATION", header);
        Assert.Equal("hello", row[0]);
        Assert.Equal("1/1", row[Array.IndexOf(header, "COMPLETIONS")]);
        Assert.Matches("^[0-9]+s$", row[Array.IndexOf(header, "DURATION")]);

        var job = JsonNode.Parse(await kubectl.OkAsync("get", "job", "hello", "-n", ns, "-o", "json"))!;
        Assert.Equal(1, job["status"]!["succeeded"]!.GetValue<int>());
        Assert.NotNull(job["status"]!["completionTime"]);
    }

    private async Task<HttpClient> ApiClientAsync()
    {
        var config = await KubeconfigReader.ReadAsync(server.KubeconfigPath, CancellationToken.None);
        var client = new HttpClient(CaTrust.CreateHandler(X509Certificate2.CreateFromPem(config.CertificateAuthorityPem)))
        {
            BaseAddress = new Uri(config.Server.TrimEnd('/') + "/"),
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", config.Token);
        return client;
    }

    // What the agent does on join: a Ready Node with room for pods and a fresh Lease in kube-node-lease.
    private static async Task RegisterNodeAsync(HttpClient api)
    {
        var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var created = await api.PostAsync("api/v1/nodes", Json(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Node",
            ["metadata"] = new JsonObject { ["name"] = NodeName, ["labels"] = new JsonObject { ["kubernetes.io/hostname"] = NodeName } },
        }));
        if (created.StatusCode == HttpStatusCode.Conflict)
        {
            return;
        }

        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var node = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        node["status"] = new JsonObject
        {
            ["capacity"] = new JsonObject { ["cpu"] = "4", ["memory"] = "8Gi", ["pods"] = "110" },
            ["allocatable"] = new JsonObject { ["cpu"] = "4", ["memory"] = "8Gi", ["pods"] = "110" },
            ["conditions"] = new JsonArray(new JsonObject
            {
                ["type"] = "Ready", ["status"] = "True", ["reason"] = "KubeletReady", ["message"] = "edge agent is posting ready status",
                ["lastHeartbeatTime"] = now, ["lastTransitionTime"] = now,
            }),
        };
        var status = await api.PutAsync($"api/v1/nodes/{NodeName}/status", Json(node));
        Assert.True(status.IsSuccessStatusCode, await status.Content.ReadAsStringAsync());

        var lease = await api.PostAsync("apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases", Json(new JsonObject
        {
            ["apiVersion"] = "coordination.k8s.io/v1",
            ["kind"] = "Lease",
            ["metadata"] = new JsonObject { ["name"] = NodeName },
            ["spec"] = new JsonObject { ["holderIdentity"] = NodeName, ["leaseDurationSeconds"] = 40, ["renewTime"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture) },
        }));
        Assert.True(lease.IsSuccessStatusCode || lease.StatusCode == HttpStatusCode.Conflict, await lease.Content.ReadAsStringAsync());
    }

    // The agent's watch: pods bound to this node, the first one not finished and not being deleted.
    private static async Task<JsonObject> WaitForBoundPodAsync(HttpClient api, string ns)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/v1/namespaces/{ns}/pods?watch=true&fieldSelector=spec.nodeName%3D{NodeName}");
        using var response = await api.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (JsonNode.Parse(line)?["object"] is JsonObject pod && pod["metadata"]?["deletionTimestamp"] is null
                && pod["status"]?["phase"]?.GetValue<string>() is not ("Succeeded" or "Failed"))
            {
                return pod;
            }
        }

        throw new InvalidOperationException("the pod watch ended before a pod was bound to the node");
    }

    // The agent reports the container ran and exited 0.
    private static async Task SucceedAsync(HttpClient api, string ns, JsonObject pod)
    {
        var name = pod["metadata"]!["name"]!.GetValue<string>();
        var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var current = (await api.GetFromJsonAsync<JsonObject>($"api/v1/namespaces/{ns}/pods/{name}"))!;
        var container = current["spec"]!["containers"]![0]!["name"]!.GetValue<string>();
        current["status"] = new JsonObject
        {
            ["phase"] = "Succeeded",
            ["startTime"] = now,
            ["conditions"] = new JsonArray(
                new JsonObject { ["type"] = "PodScheduled", ["status"] = "True", ["lastTransitionTime"] = now },
                new JsonObject { ["type"] = "Ready", ["status"] = "False", ["reason"] = "PodCompleted", ["lastTransitionTime"] = now }),
            ["containerStatuses"] = new JsonArray(new JsonObject
            {
                ["name"] = container,
                ["image"] = "docker.io/library/busybox:latest",
                ["imageID"] = "docker.io/library/busybox@sha256:0000000000000000000000000000000000000000000000000000000000000000",
                ["ready"] = false,
                ["restartCount"] = 0,
                ["state"] = new JsonObject
                {
                    ["terminated"] = new JsonObject { ["exitCode"] = 0, ["reason"] = "Completed", ["startedAt"] = now, ["finishedAt"] = now },
                },
            }),
        };
        var written = await api.PutAsync($"api/v1/namespaces/{ns}/pods/{name}/status", Json(current));
        Assert.True(written.IsSuccessStatusCode, await written.Content.ReadAsStringAsync());
    }

    private static StringContent Json(JsonObject body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");
}
