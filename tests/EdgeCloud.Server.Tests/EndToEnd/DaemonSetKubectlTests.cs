using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using EdgeCloud.Server.Security;

namespace EdgeCloud.Server.Tests.EndToEnd;

/// <summary>
/// The fleet's workhorse against the real edgecloud executable: a DaemonSet whose nodeSelector picks one edge site
/// lands only there, rolls a new image, and `kubectl rollout status|history|undo` work, with the oldest, a middle
/// and the newest supported kubectl. The site is played as its agent would: the Node and its Lease registered,
/// node status through nodes/status, bound pods marked Running and Ready through pods/status, deletions finished.
/// </summary>
public sealed class DaemonSetKubectlTests(EdgeCloudProcess server) : IClassFixture<EdgeCloudProcess>
{
    [Theory]
    [MemberData(nameof(Kubectl.Versions), MemberType = typeof(Kubectl))]
    public async Task DaemonSet_lands_on_the_labelled_site_rolls_out_and_undoes_with_kubectl(string version)
    {
        var tag = version.Replace(".", "", StringComparison.Ordinal);
        var ns = $"e2e-ds-{tag}";
        var site = $"plant-7-gw-{tag}";
        var office = $"office-{tag}";
        var kubectl = new Kubectl(version, server.KubeconfigPath);
        await kubectl.OkWithInputAsync($"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {ns}\n", "apply", "-f", "-");
        try
        {
            await RegisterNodeAsync(kubectl, site, "site: plant-7");
            await RegisterNodeAsync(kubectl, office, "site: office");
            await using var player = await SitePlayer.StartAsync(server.KubeconfigPath, site, office);

            await kubectl.OkWithInputAsync(DaemonSet("fluent/fluent-bit:3.0"), "apply", "-n", ns, "-f", "-");
            Assert.Contains("successfully rolled out", await kubectl.OkAsync("rollout", "status", "ds/logs", "-n", ns, "--timeout=60s"), StringComparison.Ordinal);
            var pods = await PodsAsync(kubectl, ns);
            var first = Assert.Single(pods);
            Assert.Equal(site, first["spec"]!["nodeName"]!.GetValue<string>());
            Assert.Matches(@"logs\s+1\s+1\s+1\s+1\s+1\s+site=plant-7\s+", await kubectl.OkAsync("get", "ds", "-n", ns));

            await kubectl.OkAsync("set", "image", "ds/logs", "agent=fluent/fluent-bit:3.1", "-n", ns);
            Assert.Contains("successfully rolled out", await kubectl.OkAsync("rollout", "status", "ds/logs", "-n", ns, "--timeout=60s"), StringComparison.Ordinal);
            Assert.Equal("fluent/fluent-bit:3.1", Image(Assert.Single(await PodsAsync(kubectl, ns))));
            var history = await kubectl.OkAsync("rollout", "history", "ds/logs", "-n", ns);
            Assert.Matches(@"REVISION\s+CHANGE-CAUSE\s*\n1\s+<none>\s*\n2\s+<none>", history);
            Assert.Contains("fluent/fluent-bit:3.0", await kubectl.OkAsync("rollout", "history", "ds/logs", "-n", ns, "--revision=1"), StringComparison.Ordinal);
            Assert.Matches(@"logs-\w+\s+daemonset\.apps/logs\s+2\s+", await kubectl.OkAsync("get", "controllerrevisions", "-n", ns));
            Assert.Contains("integer", await kubectl.OkAsync("explain", "controllerrevisions.revision"), StringComparison.Ordinal);

            Assert.Contains("rolled back", await kubectl.OkAsync("rollout", "undo", "ds/logs", "-n", ns), StringComparison.Ordinal);
            Assert.Contains("successfully rolled out", await kubectl.OkAsync("rollout", "status", "ds/logs", "-n", ns, "--timeout=60s"), StringComparison.Ordinal);
            Assert.Equal("fluent/fluent-bit:3.0", (await kubectl.OkAsync("get", "ds", "logs", "-n", ns, "-o", "jsonpath={.spec.template.spec.containers[0].image}")).Trim());
            var back = Assert.Single(await PodsAsync(kubectl, ns));
            Assert.Equal("fluent/fluent-bit:3.0", Image(back));
            Assert.Equal(site, back["spec"]!["nodeName"]!.GetValue<string>());
            // The first template is the newest revision now: history lists 2 and 3.
            Assert.Matches(@"\n2\s+<none>\s*\n3\s+<none>", await kubectl.OkAsync("rollout", "history", "ds/logs", "-n", ns));
            Assert.Equal(0, player.PodsSeenOn(office));
        }
        finally
        {
            await kubectl.RunAsync(["delete", "ds", "logs", "-n", ns, "--ignore-not-found", "--wait=false"]);
            await kubectl.RunAsync(["delete", "node", site, office, "--ignore-not-found", "--wait=false"]);
        }
    }

    private static string DaemonSet(string image) => $$"""
        apiVersion: apps/v1
        kind: DaemonSet
        metadata:
          name: logs
        spec:
          selector:
            matchLabels: {app: logs}
          updateStrategy:
            type: RollingUpdate
            rollingUpdate: {maxUnavailable: 1}
          template:
            metadata:
              labels: {app: logs}
            spec:
              nodeSelector: {site: plant-7}
              containers:
              - name: agent
                image: {{image}}
        """;

    /// <summary>Registers a node as its agent does: the Node and its Lease by kubectl apply, then Ready status through nodes/status.</summary>
    private static async Task RegisterNodeAsync(Kubectl kubectl, string name, string label)
    {
        var now = DateTime.UtcNow;
        await kubectl.OkWithInputAsync($"""
            apiVersion: v1
            kind: Node
            metadata:
              name: {name}
              labels:
                kubernetes.io/hostname: {name}
                {label}
            ---
            apiVersion: coordination.k8s.io/v1
            kind: Lease
            metadata:
              name: {name}
              namespace: kube-node-lease
            spec:
              holderIdentity: {name}
              leaseDurationSeconds: 40
              renewTime: "{MicroTime(now)}"
            """, "apply", "-f", "-");
        var stamp = Time(now);
        var status = new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["capacity"] = new JsonObject { ["cpu"] = "4", ["memory"] = "8Gi", ["pods"] = "110" },
                ["allocatable"] = new JsonObject { ["cpu"] = "4", ["memory"] = "8Gi", ["pods"] = "110" },
                ["conditions"] = new JsonArray(new JsonObject
                {
                    ["type"] = "Ready", ["status"] = "True", ["reason"] = "KubeletReady", ["message"] = "kubelet is posting ready status",
                    ["lastHeartbeatTime"] = stamp, ["lastTransitionTime"] = stamp,
                }),
            },
        };
        // apply --subresource=status exists only in newer kubectl; patch --subresource=status in all the tested ones.
        await kubectl.OkAsync("patch", "node", name, "--subresource=status", "--type=merge", "-p", status.ToJsonString());
    }

    private static async Task<List<JsonObject>> PodsAsync(Kubectl kubectl, string ns) =>
        (JsonNode.Parse(await kubectl.OkAsync("get", "pods", "-n", ns, "-o", "json"))!["items"] as JsonArray)!.OfType<JsonObject>()
            .Where(static p => p["metadata"]!["deletionTimestamp"] is null).ToList();

    private static string Image(JsonObject pod) => pod["spec"]!["containers"]![0]!["image"]!.GetValue<string>();

    private static string Time(DateTime at) => at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string MicroTime(DateTime at) => at.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// The agents of some nodes, through the API as the edge agent talks to it: renews each node's Lease, watches
    /// the pods bound to the nodes (fieldSelector spec.nodeName), marks each Running and Ready through pods/status,
    /// and finishes the deletion of pods marked for deletion (as a kubelet does once the containers stopped).
    /// </summary>
    private sealed class SitePlayer : IAsyncDisposable
    {
        private readonly HttpClient _client;
        private readonly CancellationTokenSource _stop = new();
        private readonly Dictionary<string, HashSet<string>> _seen = [];
        private readonly List<Task> _loops = [];

        private SitePlayer(HttpClient client, string[] nodes)
        {
            _client = client;
            foreach (var node in nodes)
            {
                _seen[node] = [];
            }
        }

        public static async Task<SitePlayer> StartAsync(string kubeconfigPath, params string[] nodes)
        {
            var kubeconfig = await KubeconfigReader.ReadAsync(kubeconfigPath, CancellationToken.None);
            var client = new HttpClient(CaTrust.CreateHandler(X509Certificate2.CreateFromPem(kubeconfig.CertificateAuthorityPem)))
            {
                BaseAddress = new Uri(kubeconfig.Server.TrimEnd('/') + "/"),
                Timeout = Timeout.InfiniteTimeSpan,
            };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", kubeconfig.Token);
            var player = new SitePlayer(client, nodes);
            foreach (var node in nodes)
            {
                player._loops.Add(Task.Run(() => player.HeartbeatAsync(node, player._stop.Token)));
                player._loops.Add(Task.Run(() => player.RunPodsAsync(node, player._stop.Token)));
            }

            return player;
        }

        /// <summary>How many distinct pods were ever bound to <paramref name="node"/>.</summary>
        public int PodsSeenOn(string node)
        {
            lock (_seen)
            {
                return _seen[node].Count;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            foreach (var loop in _loops)
            {
                try
                {
                    await loop;
                }
                catch (OperationCanceledException)
                {
                }
                catch (HttpRequestException)
                {
                }
                catch (IOException)
                {
                }
            }

            _client.Dispose();
            _stop.Dispose();
        }

        private async Task HeartbeatAsync(string node, CancellationToken cancellationToken)
        {
            // The node's heartbeat period, not synchronization: without it the node would turn Unknown after 40 s.
            using var period = new PeriodicTimer(TimeSpan.FromSeconds(5));
            while (await period.WaitForNextTickAsync(cancellationToken))
            {
                await PatchAsync($"apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/{node}", new JsonObject { ["spec"] = new JsonObject { ["renewTime"] = MicroTime(DateTime.UtcNow) } }, cancellationToken);
            }
        }

        private async Task RunPodsAsync(string node, CancellationToken cancellationToken)
        {
            var selector = Uri.EscapeDataString("spec.nodeName=" + node);
            while (!cancellationToken.IsCancellationRequested)
            {
                using var listed = await _client.GetAsync($"api/v1/pods?fieldSelector={selector}", cancellationToken);
                listed.EnsureSuccessStatusCode();
                var list = JsonNode.Parse(await listed.Content.ReadAsStringAsync(cancellationToken))!;
                foreach (var pod in (list["items"] as JsonArray)!.OfType<JsonObject>())
                {
                    await HandleAsync(node, pod, cancellationToken);
                }

                var rv = list["metadata"]!["resourceVersion"]!.GetValue<string>();
                using var response = await _client.GetAsync($"api/v1/pods?watch=true&fieldSelector={selector}&resourceVersion={rv}", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                response.EnsureSuccessStatusCode();
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
                while (await reader.ReadLineAsync(cancellationToken) is { } line)
                {
                    var change = JsonNode.Parse(line)!;
                    if (change["type"]!.GetValue<string>() is "ADDED" or "MODIFIED" && change["object"] is JsonObject pod)
                    {
                        await HandleAsync(node, pod, cancellationToken);
                    }
                }
            }
        }

        private async Task HandleAsync(string node, JsonObject pod, CancellationToken cancellationToken)
        {
            var metadata = pod["metadata"]!.AsObject();
            lock (_seen)
            {
                _seen[node].Add(metadata["uid"]!.GetValue<string>());
            }

            var path = $"api/v1/namespaces/{metadata["namespace"]}/pods/{metadata["name"]}";
            if (metadata["deletionTimestamp"] is not null)
            {
                using var request = new HttpRequestMessage(HttpMethod.Delete, path)
                {
                    Content = JsonContent.Create(new JsonObject { ["gracePeriodSeconds"] = 0, ["preconditions"] = new JsonObject { ["uid"] = metadata["uid"]!.GetValue<string>() } }),
                };
                using var deleted = await _client.SendAsync(request, cancellationToken);
                return;
            }

            if (pod["status"]?["phase"]?.GetValue<string>() == "Running")
            {
                return;
            }

            var now = Time(DateTime.UtcNow);
            var containers = pod["spec"]!["containers"]!.AsArray().OfType<JsonObject>().Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c["name"]!.GetValue<string>(),
                ["image"] = c["image"]!.GetValue<string>(),
                ["imageID"] = "",
                ["ready"] = true,
                ["started"] = true,
                ["restartCount"] = 0,
                ["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = now } },
            });
            var conditions = new[] { "PodScheduled", "Initialized", "ContainersReady", "Ready" }
                .Select(t => (JsonNode)new JsonObject { ["type"] = t, ["status"] = "True", ["lastTransitionTime"] = now });
            await PatchAsync(path + "/status", new JsonObject
            {
                ["status"] = new JsonObject
                {
                    ["phase"] = "Running",
                    ["hostIP"] = "127.0.0.1",
                    ["podIP"] = "10.42.0.7",
                    ["startTime"] = now,
                    ["conditions"] = new JsonArray([.. conditions]),
                    ["containerStatuses"] = new JsonArray([.. containers]),
                },
            }, cancellationToken);
        }

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
    }
}
