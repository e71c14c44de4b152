using System.Text.Json.Nodes;

namespace EdgeCloud.Server.Tests.EndToEnd;

/// <summary>
/// Daily kubectl use against the real edgecloud executable, with the oldest, a middle and the newest supported
/// kubectl. Each test works in a namespace of its own.
/// </summary>
public sealed class KubectlTests(EdgeCloudProcess server) : IClassFixture<EdgeCloudProcess>
{
    private const string Deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          labels: {app: web, tier: front}
        spec:
          replicas: 2
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
              - name: web
                image: nginx:1.25
                ports:
                - containerPort: 80
                env:
                - {name: A, value: "1"}
                - {name: B, value: "2"}
        """;

    [Fact]
    public async Task Kubectl_works_as_soon_as_the_server_says_it_is_serving()
    {
        // How fast that is, is measured by the API benchmark (startup time), not asserted here.
        Assert.StartsWith("https://127.0.0.1:", server.ApiAddress, StringComparison.Ordinal);
        var namespaces = await new Kubectl("1.33", server.KubeconfigPath).OkAsync("get", "namespaces", "-o", "name");
        Assert.Contains("namespace/default", namespaces, StringComparison.Ordinal);
        Assert.Contains("namespace/kube-system", namespaces, StringComparison.Ordinal);
        // A fresh data directory starts without warnings: the cluster catalog's watch used to fail once, with a
        // stack trace, when it started before the bootstrap had created the system cluster.
        Assert.DoesNotContain("cluster catalog watch failed", server.Log, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Kubectl.Versions), MemberType = typeof(Kubectl))]
    public async Task Apply_of_a_changed_env_var_keeps_the_container_ports(string version)
    {
        var kubectl = await WithNamespaceAsync(version, "apply");
        var ns = Namespace(version, "apply");
        await kubectl.OkWithInputAsync(Deployment, "apply", "-n", ns, "-f", "-");
        await kubectl.OkWithInputAsync(Deployment.Replace("value: \"1\"", "value: \"changed\"", StringComparison.Ordinal), "apply", "-n", ns, "-f", "-");

        var deployment = JsonNode.Parse(await kubectl.OkAsync("get", "deployment", "web", "-n", ns, "-o", "json"))!;
        var container = deployment["spec"]!["template"]!["spec"]!["containers"]![0]!;
        Assert.Equal(80, container["ports"]![0]!["containerPort"]!.GetValue<int>());
        Assert.Equal("changed", container["env"]![0]!["value"]!.GetValue<string>());
        Assert.Equal("2", container["env"]![1]!["value"]!.GetValue<string>());
        Assert.Equal(2, deployment["metadata"]!["generation"]!.GetValue<long>());
    }

    [Theory]
    [MemberData(nameof(Kubectl.Versions), MemberType = typeof(Kubectl))]
    public async Task Server_side_apply_tracks_owners_reports_conflicts_and_forces(string version)
    {
        var kubectl = await WithNamespaceAsync(version, "ssa");
        var ns = Namespace(version, "ssa");
        await kubectl.OkWithInputAsync(Deployment, "apply", "--server-side", "-n", ns, "-f", "-");
        var created = JsonNode.Parse(await kubectl.OkAsync("get", "deploy", "web", "-n", ns, "-o", "json", "--show-managed-fields"))!;
        var entry = created["metadata"]!["managedFields"]!.AsArray().Single(e => e!["operation"]!.GetValue<string>() == "Apply")!;
        Assert.Equal("kubectl", entry["manager"]!.GetValue<string>());
        Assert.NotNull(entry["fieldsV1"]!["f:spec"]!["f:replicas"]);

        await kubectl.OkAsync("scale", "deploy", "web", "-n", ns, "--replicas=5");
        var changed = Deployment.Replace("replicas: 2", "replicas: 3", StringComparison.Ordinal);
        var conflict = await kubectl.RunAsync(["apply", "--server-side", "-n", ns, "-f", "-"], changed);
        Assert.NotEqual(0, conflict.ExitCode);
        Assert.Contains("Apply failed with 1 conflict", conflict.Stderr, StringComparison.Ordinal);
        Assert.Contains(".spec.replicas", conflict.Stderr, StringComparison.Ordinal);
        Assert.Equal("5", (await kubectl.OkAsync("get", "deploy", "web", "-n", ns, "-o", "jsonpath={.spec.replicas}")).Trim());

        await kubectl.OkWithInputAsync(changed, "apply", "--server-side", "--force-conflicts", "-n", ns, "-f", "-");
        Assert.Equal("3", (await kubectl.OkAsync("get", "deploy", "web", "-n", ns, "-o", "jsonpath={.spec.replicas}")).Trim());

        // The applier stops applying an env var: it is removed, since nobody else owns it.
        var fewer = changed.Replace("\n        - {name: B, value: \"2\"}", "", StringComparison.Ordinal);
        Assert.NotEqual(changed, fewer);
        await kubectl.OkWithInputAsync(fewer, "apply", "--server-side", "-n", ns, "-f", "-");
        Assert.Equal("A", (await kubectl.OkAsync("get", "deploy", "web", "-n", ns, "-o", "jsonpath={.spec.template.spec.containers[0].env[*].name}")).Trim());
    }

    [Theory]
    [MemberData(nameof(Kubectl.Versions), MemberType = typeof(Kubectl))]
    public async Task Get_prints_tables_names_yaml_labels_and_selects(string version)
    {
        var kubectl = await WithNamespaceAsync(version, "get");
        var ns = Namespace(version, "get");
        await kubectl.OkWithInputAsync(Deployment, "apply", "-n", ns, "-f", "-");
        await kubectl.OkWithInputAsync(ConfigMap("settings", "color: blue"), "apply", "-n", ns, "-f", "-");

        // The Deployment controller creates the ReplicaSet and its pods; with no node they stay pending.
        await kubectl.OkAsync("wait", "deploy/web", "-n", ns, "--for=jsonpath={.status.updatedReplicas}=2", "--timeout=30s");
        var wide = await kubectl.OkAsync("get", "deployments", "-n", ns, "-o", "wide");
        Assert.Contains("CONTAINERS", wide, StringComparison.Ordinal);
        Assert.Matches(@"web\s+0/2\s+2\s+0\s+\S+\s+web\s+nginx:1\.25\s+app=web", wide);

        Assert.Equal("deployment.apps/web", (await kubectl.OkAsync("get", "deploy", "-n", ns, "-o", "name")).Trim());
        Assert.Contains("image: nginx:1.25", await kubectl.OkAsync("get", "deploy", "web", "-n", ns, "-o", "yaml"), StringComparison.Ordinal);
        Assert.Contains("app=web,tier=front", await kubectl.OkAsync("get", "deploy", "-n", ns, "--show-labels"), StringComparison.Ordinal);
        Assert.Contains("web", await kubectl.OkAsync("get", "deploy", "-n", ns, "-l", "tier in (front,back),app!=db"), StringComparison.Ordinal);
        Assert.Contains("No resources found", (await kubectl.RunAsync(["get", "deploy", "-n", ns, "-l", "tier=back"])).Stderr, StringComparison.Ordinal);
        var all = await kubectl.OkAsync("get", "configmaps", "-A");
        Assert.Matches($@"{ns}\s+settings\s+1\s+", all);
        Assert.Contains("settings", await kubectl.OkAsync("get", "cm", "-n", ns, "--field-selector", "metadata.name=settings"), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Kubectl.Versions), MemberType = typeof(Kubectl))]
    public async Task Generator_commands_create_objects_including_kubectl_1_32_protobuf_bodies(string version)
    {
        var kubectl = new Kubectl(version, server.KubeconfigPath);
        var ns = Namespace(version, "create");
        await kubectl.OkAsync("create", "namespace", ns);
        await kubectl.OkAsync("create", "configmap", "settings", "-n", ns, "--from-literal=color=blue", "--from-literal=size=3");
        await kubectl.OkAsync("create", "secret", "generic", "creds", "-n", ns, "--from-literal=password=s3cret");
        await kubectl.OkAsync("create", "serviceaccount", "robot", "-n", ns);
        await kubectl.OkAsync("create", "deployment", "web", "-n", ns, "--image=nginx:1.25", "--replicas=3", "--port=80");
        await kubectl.OkAsync("create", "job", "once", "-n", ns, "--image=busybox", "--", "echo", "hi");

        var configMap = JsonNode.Parse(await kubectl.OkAsync("get", "cm", "settings", "-n", ns, "-o", "json"))!;
        Assert.Equal("blue", configMap["data"]!["color"]!.GetValue<string>());
        Assert.Equal("3", configMap["data"]!["size"]!.GetValue<string>());
        var secret = JsonNode.Parse(await kubectl.OkAsync("get", "secret", "creds", "-n", ns, "-o", "json"))!;
        Assert.Equal("s3cret", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(secret["data"]!["password"]!.GetValue<string>())));
        Assert.Equal("Opaque", secret["type"]!.GetValue<string>());
        Assert.Contains("serviceaccount/robot", await kubectl.OkAsync("get", "sa", "-n", ns, "-o", "name"), StringComparison.Ordinal);
        var deployment = JsonNode.Parse(await kubectl.OkAsync("get", "deploy", "web", "-n", ns, "-o", "json"))!;
        Assert.Equal(3, deployment["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal("web", deployment["spec"]!["selector"]!["matchLabels"]!["app"]!.GetValue<string>());
        Assert.Equal(80, deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["ports"]![0]!["containerPort"]!.GetValue<int>());
        Assert.Equal("IfNotPresent", deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["imagePullPolicy"]!.GetValue<string>());
        var job = JsonNode.Parse(await kubectl.OkAsync("get", "job", "once", "-n", ns, "-o", "json"))!;
        Assert.Equal(["echo", "hi"], job["spec"]!["template"]!["spec"]!["containers"]![0]!["command"]!.AsArray().Select(static c => c!.GetValue<string>()));
        Assert.Equal("Never", job["spec"]!["template"]!["spec"]!["restartPolicy"]!.GetValue<string>());
        Assert.Equal(1, job["spec"]!["completions"]!.GetValue<int>());
    }

    [Theory]
    [MemberData(nameof(Kubectl.Versions), MemberType = typeof(Kubectl))]
    public async Task Create_token_issues_a_working_service_account_token(string version)
    {
        var kubectl = await WithNamespaceAsync(version, "token");
        var ns = Namespace(version, "token");
        await kubectl.OkAsync("create", "serviceaccount", "robot", "-n", ns);
        var token = (await kubectl.OkAsync("create", "token", "robot", "-n", ns, "--duration=20m")).Trim();
        Assert.StartsWith("ec_", token, StringComparison.Ordinal);
        Assert.Contains("robot", await kubectl.OkAsync("get", "serviceaccounts", "-n", ns, "--token", token), StringComparison.Ordinal);

        var tooShort = await kubectl.RunAsync(["create", "token", "robot", "-n", ns, "--duration=1m"]);
        Assert.Contains("may not specify a duration less than 10 minutes", tooShort.Stderr, StringComparison.Ordinal);
        Assert.Contains("not found", (await kubectl.RunAsync(["create", "token", "nobody", "-n", ns])).Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Kubectl.Versions), MemberType = typeof(Kubectl))]
    public async Task A_pods_limits_become_its_missing_requests_and_describe_shows_its_QoS_class(string version)
    {
        var kubectl = await WithNamespaceAsync(version, "qos");
        var ns = Namespace(version, "qos");
        await kubectl.OkWithInputAsync("""
            apiVersion: v1
            kind: Pod
            metadata: {name: fixed}
            spec:
              nodeSelector: {site: nowhere}
              containers:
              - {name: c, image: busybox:1.36, resources: {limits: {cpu: 500m, memory: 64Mi}}}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: some}
            spec:
              nodeSelector: {site: nowhere}
              containers:
              - {name: c, image: busybox:1.36, resources: {requests: {cpu: 100m}}}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: none}
            spec:
              nodeSelector: {site: nowhere}
              containers:
              - {name: c, image: busybox:1.36}
            """, "apply", "-n", ns, "-f", "-");

        Assert.Equal("500m 64Mi", await kubectl.OkAsync("get", "pod", "fixed", "-n", ns, "-o", "jsonpath={.spec.containers[0].resources.requests.cpu} {.spec.containers[0].resources.requests.memory}"));
        // The server sets status.qosClass when the pod is created (kubectl describe would work it out itself if it were missing).
        foreach (var (pod, qos) in new[] { ("fixed", "Guaranteed"), ("some", "Burstable"), ("none", "BestEffort") })
        {
            Assert.Equal(qos, await kubectl.OkAsync("get", "pod", pod, "-n", ns, "-o", "jsonpath={.status.qosClass}"));
        }

        Assert.Matches(@"QoS Class:\s+Guaranteed", await kubectl.OkAsync("describe", "pod", "fixed", "-n", ns));
    }

    [Theory]
    [MemberData(nameof(Kubectl.Versions), MemberType = typeof(Kubectl))]
    public async Task Get_watch_prints_the_list_then_each_change_once(string version)
    {
        var kubectl = await WithNamespaceAsync(version, "watch");
        var ns = Namespace(version, "watch");
        await kubectl.OkWithInputAsync(ConfigMap("first", "k: v"), "create", "-n", ns, "-f", "-");
        using var watch = kubectl.Start("get", "configmaps", "-n", ns, "-w");
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            async Task<string> NextLineAsync() => await watch.StandardOutput.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("kubectl get -w ended");

            Assert.Matches(@"^NAME\s+DATA\s+AGE", await NextLineAsync());
            Assert.StartsWith("first ", await NextLineAsync(), StringComparison.Ordinal);
            await kubectl.OkWithInputAsync(ConfigMap("second", "k: v"), "create", "-n", ns, "-f", "-");
            // The list's resourceVersion lets kubectl watch from there: "first" is not printed again.
            Assert.StartsWith("second ", await NextLineAsync(), StringComparison.Ordinal);
            await kubectl.OkAsync("label", "cm", "second", "-n", ns, "changed=yes");
            Assert.StartsWith("second ", await NextLineAsync(), StringComparison.Ordinal);
        }
        finally
        {
            watch.Kill(entireProcessTree: true);
            await watch.WaitForExitAsync();
        }
    }

    [Theory]
    [MemberData(nameof(Kubectl.Versions), MemberType = typeof(Kubectl))]
    public async Task Patch_label_annotate_and_scale_change_the_object(string version)
    {
        var kubectl = await WithNamespaceAsync(version, "patch");
        var ns = Namespace(version, "patch");
        await kubectl.OkWithInputAsync(Deployment, "apply", "-n", ns, "-f", "-");

        await kubectl.OkAsync("patch", "deploy", "web", "-n", ns, "-p", """{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.27"}]}}}}""");
        await kubectl.OkAsync("patch", "deploy", "web", "-n", ns, "--type", "merge", "-p", """{"metadata":{"labels":{"merged":"yes"}}}""");
        await kubectl.OkAsync("patch", "deploy", "web", "-n", ns, "--type", "json", "-p", """[{"op":"add","path":"/spec/minReadySeconds","value":5}]""");
        await kubectl.OkAsync("label", "deploy", "web", "-n", ns, "team=edge");
        await kubectl.OkAsync("annotate", "deploy", "web", "-n", ns, "owner=factory");
        await kubectl.OkAsync("scale", "deploy", "web", "-n", ns, "--replicas=4");

        var deployment = JsonNode.Parse(await kubectl.OkAsync("get", "deploy", "web", "-n", ns, "-o", "json"))!;
        var container = deployment["spec"]!["template"]!["spec"]!["containers"]![0]!;
        Assert.Equal("nginx:1.27", container["image"]!.GetValue<string>());
        Assert.Equal(80, container["ports"]![0]!["containerPort"]!.GetValue<int>());
        Assert.Equal("yes", deployment["metadata"]!["labels"]!["merged"]!.GetValue<string>());
        Assert.Equal("edge", deployment["metadata"]!["labels"]!["team"]!.GetValue<string>());
        Assert.Equal("factory", deployment["metadata"]!["annotations"]!["owner"]!.GetValue<string>());
        Assert.Equal(5, deployment["spec"]!["minReadySeconds"]!.GetValue<int>());
        Assert.Equal(4, deployment["spec"]!["replicas"]!.GetValue<int>());
    }

    [Theory]
    [MemberData(nameof(Kubectl.Versions), MemberType = typeof(Kubectl))]
    public async Task Replace_with_a_stale_object_is_a_conflict(string version)
    {
        var kubectl = await WithNamespaceAsync(version, "replace");
        var ns = Namespace(version, "replace");
        await kubectl.OkWithInputAsync(ConfigMap("cfg", "a: \"1\""), "create", "-n", ns, "-f", "-");
        var stale = await kubectl.OkAsync("get", "cm", "cfg", "-n", ns, "-o", "yaml");
        await kubectl.OkAsync("label", "cm", "cfg", "-n", ns, "moved=on");

        var replaced = await kubectl.RunAsync(["replace", "-n", ns, "-f", "-"], stale.Replace("a: \"1\"", "a: \"2\"", StringComparison.Ordinal));
        Assert.NotEqual(0, replaced.ExitCode);
        Assert.Contains("Operation cannot be fulfilled on configmaps \"cfg\": the object has been modified", replaced.Stderr, StringComparison.Ordinal);
        Assert.Equal("1", (await kubectl.OkAsync("get", "cm", "cfg", "-n", ns, "-o", "jsonpath={.data.a}")).Trim());
    }

    [Theory]
    [MemberData(nameof(Kubectl.Versions), MemberType = typeof(Kubectl))]
    public async Task Edit_through_KUBE_EDITOR_updates_the_object(string version)
    {
        var kubectl = await WithNamespaceAsync(version, "edit");
        var ns = Namespace(version, "edit");
        await kubectl.OkWithInputAsync(ConfigMap("cfg", "mode: slow"), "create", "-n", ns, "-f", "-");
        var editor = Path.Combine(Path.GetDirectoryName(server.KubeconfigPath)!, $"editor-{version}.sh");
        await File.WriteAllTextAsync(editor, "#!/bin/sh\nsed -i 's/mode: slow/mode: fast/' \"$1\"\n");
        File.SetUnixFileMode(editor, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var edited = await kubectl.RunAsync(["edit", "cm", "cfg", "-n", ns], environment: new Dictionary<string, string> { ["KUBE_EDITOR"] = editor });
        Assert.True(edited.ExitCode == 0, edited.Stderr);
        Assert.Equal("fast", (await kubectl.OkAsync("get", "cm", "cfg", "-n", ns, "-o", "jsonpath={.data.mode}")).Trim());
    }

    [Theory]
    [MemberData(nameof(Kubectl.Versions), MemberType = typeof(Kubectl))]
    public async Task Delete_then_wait_for_delete_and_deleting_a_namespace_removes_its_contents(string version)
    {
        var kubectl = await WithNamespaceAsync(version, "delete");
        var ns = Namespace(version, "delete");
        await kubectl.OkWithInputAsync(ConfigMap("a", "k: v"), "create", "-n", ns, "-f", "-");
        await kubectl.OkWithInputAsync(ConfigMap("b", "k: v"), "create", "-n", ns, "-f", "-");
        await kubectl.OkAsync("delete", "cm", "a", "-n", ns);
        await kubectl.OkAsync("wait", "--for=delete", "cm/a", "-n", ns, "--timeout=20s");
        Assert.Contains("NotFound", (await kubectl.RunAsync(["get", "cm", "a", "-n", ns])).Stderr, StringComparison.Ordinal);

        await kubectl.OkAsync("delete", "namespace", ns, "--wait=true", "--timeout=30s");
        Assert.Contains("NotFound", (await kubectl.RunAsync(["get", "namespace", ns])).Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(" b ", await kubectl.OkAsync("get", "cm", "-A"), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Kubectl.Versions), MemberType = typeof(Kubectl))]
    public async Task Each_cascade_mode_treats_dependents_as_kubernetes_does(string version)
    {
        var kubectl = await WithNamespaceAsync(version, "cascade");
        var ns = Namespace(version, "cascade");
        foreach (var mode in new[] { "background", "foreground", "orphan" })
        {
            await kubectl.OkWithInputAsync(ConfigMap($"owner-{mode}", "k: v"), "create", "-n", ns, "-f", "-");
            var uid = (await kubectl.OkAsync("get", "cm", $"owner-{mode}", "-n", ns, "-o", "jsonpath={.metadata.uid}")).Trim();
            var dependent = $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dep-{mode}\n  ownerReferences:\n  - apiVersion: v1\n    kind: ConfigMap\n    name: owner-{mode}\n    uid: {uid}\n    blockOwnerDeletion: true\ndata:\n  k: v\n";
            await kubectl.OkWithInputAsync(dependent, "create", "-n", ns, "-f", "-");

            await kubectl.OkAsync("delete", "cm", $"owner-{mode}", "-n", ns, $"--cascade={mode}", "--timeout=30s");
            Assert.Contains("NotFound", (await kubectl.RunAsync(["get", "cm", $"owner-{mode}", "-n", ns])).Stderr, StringComparison.Ordinal);
            if (mode == "orphan")
            {
                Assert.Equal("", (await kubectl.OkAsync("get", "cm", $"dep-{mode}", "-n", ns, "-o", "jsonpath={.metadata.ownerReferences}")).Trim());
            }
            else
            {
                // Foreground deletes the dependent before its owner; background right after.
                await kubectl.OkAsync("wait", "--for=delete", $"cm/dep-{mode}", "-n", ns, "--timeout=30s");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Kubectl.Versions), MemberType = typeof(Kubectl))]
    public async Task A_crd_serves_its_custom_resources_at_once_validated_against_its_schema(string version)
    {
        var kubectl = await WithNamespaceAsync(version, "crd");
        var ns = Namespace(version, "crd");
        var group = $"v{version.Replace(".", "", StringComparison.Ordinal)}.example.com";
        var crd = $$$"""
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: crontabs.{{{group}}}
            spec:
              group: {{{group}}}
              scope: Namespaced
              names: {plural: crontabs, singular: crontab, kind: CronTab, shortNames: [ct]}
              versions:
              - name: v1
                served: true
                storage: true
                subresources:
                  status: {}
                  scale: {specReplicasPath: .spec.replicas, statusReplicasPath: .status.replicas}
                additionalPrinterColumns:
                - {name: Spec, type: string, jsonPath: .spec.cronSpec}
                - {name: Replicas, type: integer, jsonPath: .spec.replicas}
                schema:
                  openAPIV3Schema:
                    type: object
                    properties:
                      spec:
                        type: object
                        properties:
                          cronSpec: {type: string}
                          replicas: {type: integer, minimum: 1, maximum: 10, default: 1}
                      status:
                        type: object
                        properties:
                          replicas: {type: integer}
            """;
        await kubectl.OkWithInputAsync(crd, "apply", "-f", "-");
        await kubectl.OkAsync("wait", "--for=condition=Established", $"crd/crontabs.{group}", "--timeout=20s");
        var cronTab = $"apiVersion: {group}/v1\nkind: CronTab\nmetadata:\n  name: nightly\nspec:\n  cronSpec: \"0 3 * * *\"\n";
        await kubectl.OkWithInputAsync(cronTab, "apply", "-n", ns, "-f", "-");

        var table = await kubectl.OkAsync("get", $"crontabs.{group}", "-n", ns);
        Assert.Matches(@"NAME\s+SPEC\s+REPLICAS\s*\n", table);
        Assert.Matches(@"nightly\s+0 3 \* \* \*\s+1\s+", table);
        Assert.Contains("replicas", await kubectl.OkAsync("explain", $"crontabs.{group}.spec"), StringComparison.Ordinal);

        var invalid = await kubectl.RunAsync(["apply", "-n", ns, "-f", "-"], cronTab.Replace("nightly", "too-many", StringComparison.Ordinal) + "  replicas: 50\n");
        Assert.NotEqual(0, invalid.ExitCode);
        Assert.Contains("spec.replicas", invalid.Stderr, StringComparison.Ordinal);
        var strategic = await kubectl.RunAsync(["patch", $"crontabs.{group}", "nightly", "-n", ns, "-p", """{"spec":{"replicas":2}}"""]);
        Assert.NotEqual(0, strategic.ExitCode);
        await kubectl.OkAsync("patch", $"crontabs.{group}", "nightly", "-n", ns, "--type", "merge", "-p", """{"spec":{"replicas":2}}""");
        Assert.Equal("2", (await kubectl.OkAsync("get", $"crontabs.{group}", "nightly", "-n", ns, "-o", "jsonpath={.spec.replicas}")).Trim());
        await kubectl.OkAsync("scale", $"crontabs.{group}", "nightly", "-n", ns, "--replicas=4");
        Assert.Equal("4", (await kubectl.OkAsync("get", $"crontabs.{group}", "nightly", "-n", ns, "-o", "jsonpath={.spec.replicas}")).Trim());

        await kubectl.OkAsync("delete", "crd", $"crontabs.{group}");
        Assert.NotEqual(0, (await kubectl.RunAsync(["get", $"crontabs.{group}", "-n", ns])).ExitCode);
    }

    [Theory]
    [MemberData(nameof(Kubectl.Versions), MemberType = typeof(Kubectl))]
    public async Task Api_resources_and_explain_describe_the_served_kinds(string version)
    {
        var kubectl = new Kubectl(version, server.KubeconfigPath);
        var resources = await kubectl.OkAsync("api-resources");
        Assert.Matches(@"deployments\s+deploy\s+apps/v1\s+true\s+Deployment", resources);
        Assert.Matches(@"namespaces\s+ns\s+v1\s+false\s+Namespace", resources);
        var explained = await kubectl.OkAsync("explain", "deployment.spec.replicas");
        Assert.Contains("replicas", explained, StringComparison.Ordinal);
        Assert.Contains("integer", explained, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Kubectl.Versions), MemberType = typeof(Kubectl))]
    public async Task Server_side_validation_refuses_unknown_fields(string version)
    {
        var kubectl = await WithNamespaceAsync(version, "strict");
        var ns = Namespace(version, "strict");
        var refused = await kubectl.RunAsync(["apply", "-n", ns, "-f", "-"], ConfigMap("bad", "k: v").Replace("\ndata:", "\ncolour: red\ndata:", StringComparison.Ordinal));
        Assert.NotEqual(0, refused.ExitCode);
        Assert.True(refused.Stderr.Contains("unknown field \"colour\"", StringComparison.Ordinal), refused.Stderr);
        Assert.Contains("NotFound", (await kubectl.RunAsync(["get", "cm", "bad", "-n", ns])).Stderr, StringComparison.Ordinal);
    }

    private async Task<Kubectl> WithNamespaceAsync(string version, string test)
    {
        var kubectl = new Kubectl(version, server.KubeconfigPath);
        await kubectl.OkWithInputAsync($"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {Namespace(version, test)}\n", "apply", "-f", "-");
        return kubectl;
    }

    private static string Namespace(string version, string test) => $"e2e-{test}-{version.Replace(".", "", StringComparison.Ordinal)}";

    private static string ConfigMap(string name, string data) => $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n  {data}\n";
}
