using System.Text.Json.Nodes;
using EdgeCloud.Kube.Kinds;
using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Kube.Tests.Kinds;

public class PodSchemaTests
{
    public static TheoryData<string> Roots() => ["Pod", "PodTemplateSpec", "ObjectMeta", "ListMeta", "Condition", "LabelSelector"];

    private static SchemaNode Root(string name) => name switch
    {
        "Pod" => PodSchemas.Pod.Schema,
        "PodTemplateSpec" => PodSchemas.PodTemplateSpec,
        "ObjectMeta" => MetaSchemas.ObjectMeta,
        "ListMeta" => MetaSchemas.ListMeta,
        "Condition" => MetaSchemas.Condition,
        "LabelSelector" => MetaSchemas.LabelSelector,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Roots))]
    public void Merge_keys_and_required_names_refer_to_declared_properties(string root)
    {
        var problems = new List<string>();
        foreach (var (path, node) in SchemaConformance.Walk(Root(root)))
        {
            problems.AddRange(node.Required.Where(r => !node.Properties.ContainsKey(r)).Select(r => $"{path}: required {r} undeclared"));
            if (node.Type == SchemaType.Array)
            {
                var item = node.Items;
                if (item is null)
                {
                    problems.Add($"{path}: array without items");
                    continue;
                }

                if (node.PatchMergeKey is { } key && !item.Properties.ContainsKey(key))
                {
                    problems.Add($"{path}: patch merge key {key} undeclared");
                }

                if (node.PatchMergeKey is not null && node.PatchStrategy?.Split(',').Contains("merge") != true)
                {
                    problems.Add($"{path}: merge key without merge strategy");
                }

                if (node.ListType == ListType.Map && node.ListMapKeys.Count == 0)
                {
                    problems.Add($"{path}: map list without keys");
                }

                problems.AddRange(node.ListMapKeys.Where(k => !item.Properties.ContainsKey(k)).Select(k => $"{path}: list map key {k} undeclared"));
                if (node.ListType == ListType.Set && item.Type == SchemaType.Object)
                {
                    problems.Add($"{path}: set of objects");
                }
            }
        }

        Assert.Empty(problems);
    }

    [Fact]
    public void Every_field_has_a_description_and_defaults_match_their_type()
    {
        var problems = new List<string>();
        foreach (var (path, node) in SchemaConformance.Walk(PodSchemas.Pod.Schema))
        {
            foreach (var (name, child) in node.Properties)
            {
                if (string.IsNullOrWhiteSpace(child.Description))
                {
                    problems.Add($"{path}.{name}: no description");
                }
            }

            if (node.Default is { } value)
            {
                var kind = value.GetValueKind();
                bool fits = node.Type switch
                {
                    SchemaType.String => kind == System.Text.Json.JsonValueKind.String && (node.Enum is null || node.Enum.Contains(value.GetValue<string>())),
                    SchemaType.Integer => kind == System.Text.Json.JsonValueKind.Number,
                    SchemaType.Boolean => kind is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False,
                    SchemaType.Object => kind == System.Text.Json.JsonValueKind.Object,
                    _ => false,
                };
                if (!fits)
                {
                    problems.Add($"{path}: default {value.ToJsonString()} does not fit {node.Type}");
                }
            }
        }

        Assert.Empty(problems);
    }

    [Fact]
    public void Merge_metadata_matches_upstream_for_the_lists_patches_rely_on()
    {
        var spec = PodSchemas.PodSpec;
        var container = PodSchemas.Container;
        AssertKeyed(spec.Properties["containers"], "merge", "name", "name");
        AssertKeyed(spec.Properties["initContainers"], "merge", "name", "name");
        AssertKeyed(spec.Properties["ephemeralContainers"], "merge", "name", "name");
        AssertKeyed(spec.Properties["volumes"], "merge,retainKeys", "name", "name");
        AssertKeyed(spec.Properties["imagePullSecrets"], "merge", "name", "name");
        AssertKeyed(spec.Properties["hostAliases"], "merge", "ip", "ip");
        AssertKeyed(spec.Properties["topologySpreadConstraints"], "merge", "topologyKey", "topologyKey", "whenUnsatisfiable");
        AssertKeyed(container.Properties["ports"], "merge", "containerPort", "containerPort", "protocol");
        AssertKeyed(container.Properties["env"], "merge", "name", "name");
        AssertKeyed(container.Properties["volumeMounts"], "merge", "mountPath", "mountPath");
        AssertKeyed(container.Properties["volumeDevices"], "merge", "devicePath", "devicePath");
        AssertKeyed(MetaSchemas.ObjectMeta.Properties["ownerReferences"], "merge", "uid", "uid");
        AssertKeyed(PodSchemas.PodStatus.Properties["conditions"], "merge", "type", "type");

        var tolerations = spec.Properties["tolerations"];
        Assert.Equal(ListType.Atomic, tolerations.ListType);
        Assert.Null(tolerations.PatchStrategy);
        var finalizers = MetaSchemas.ObjectMeta.Properties["finalizers"];
        Assert.Equal(ListType.Set, finalizers.ListType);
        Assert.Equal("merge", finalizers.PatchStrategy);
        Assert.True(spec.Properties["nodeSelector"].AtomicMap);
        Assert.Equal(ListType.Atomic, PodSchemas.PodStatus.Properties["containerStatuses"].ListType);
        var hostIps = PodSchemas.PodStatus.Properties["hostIPs"];
        Assert.Equal((ListType.Atomic, "ip"), (hostIps.ListType, hostIps.PatchMergeKey));
        Assert.Equal(SchemaType.Any, MetaSchemas.ObjectMeta.Properties["managedFields"].Items!.Properties["fieldsV1"].Type);
    }

    [Fact]
    public void Required_fields_and_create_defaults_are_those_of_kube_apiserver()
    {
        Assert.Equal(["containers"], PodSchemas.PodSpec.Required);
        Assert.Equal(["name"], PodSchemas.Container.Required);
        Assert.Equal(["containerPort"], PodSchemas.ContainerPort.Required);
        Assert.Equal(["name"], PodSchemas.Volume.Required);

        var spec = PodSchemas.PodSpec.Properties;
        Assert.Equal("Always", spec["restartPolicy"].Default!.GetValue<string>());
        Assert.Equal(30L, spec["terminationGracePeriodSeconds"].Default!.GetValue<long>());
        Assert.Equal("ClusterFirst", spec["dnsPolicy"].Default!.GetValue<string>());
        Assert.Equal("default-scheduler", spec["schedulerName"].Default!.GetValue<string>());
        Assert.True(spec["enableServiceLinks"].Default!.GetValue<bool>());
        Assert.Equal("{}", spec["securityContext"].Default!.ToJsonString());

        var container = PodSchemas.Container.Properties;
        Assert.Equal("/dev/termination-log", container["terminationMessagePath"].Default!.GetValue<string>());
        Assert.Equal("File", container["terminationMessagePolicy"].Default!.GetValue<string>());
        Assert.Null(container["imagePullPolicy"].Default);
        Assert.Equal("TCP", PodSchemas.ContainerPort.Properties["protocol"].Default!.GetValue<string>());
        Assert.Equal(10, PodSchemas.Probe.Properties["periodSeconds"].Default!.GetValue<int>());
        Assert.Equal(420, PodSchemas.Volume.Properties["secret"].Properties["defaultMode"].Default!.GetValue<int>());
    }

    [Fact]
    public void Pod_kind_is_served_as_kube_apiserver_serves_it()
    {
        var pod = PodSchemas.Pod;
        Assert.Equal(("", "v1", "v1", "Pod", "PodList"), (pod.Group, pod.Version, pod.ApiVersion, pod.Kind, pod.ListKind));
        Assert.Equal(("pods", "pod", true), (pod.Plural, pod.Singular, pod.Namespaced));
        Assert.Equal(["po"], pod.ShortNames);
        Assert.Equal(["all"], pod.Categories);
        Assert.True(pod.HasStatus);
        foreach (var sub in new[] { "binding", "eviction", "log", "exec", "attach", "portforward", "proxy", "ephemeralcontainers", "resize" })
        {
            Assert.Contains(sub, pod.Subresources);
        }

        Assert.Equal(["apiVersion", "kind", "metadata", "spec", "status"], pod.Schema.Properties.Keys);
        Assert.Equal(
            [("Ready", 0), ("Status", 0), ("Restarts", 0), ("Age", 0), ("IP", 1), ("Node", 1), ("Nominated Node", 1), ("Readiness Gates", 1)],
            pod.PrinterColumns.Select(c => (c.Name, c.Priority)));
    }

    [Fact]
    public void Deployment_style_pod_template_has_no_unknown_fields()
    {
        var template = JsonNode.Parse(Manifests.DeploymentTemplate)!;
        Assert.Empty(SchemaConformance.Problems(PodSchemas.PodTemplateSpec, template));
    }

    [Fact]
    public void Pod_with_probes_volumes_affinity_and_security_contexts_has_no_unknown_fields()
    {
        var pod = JsonNode.Parse(Manifests.FullPod)!;
        Assert.Empty(SchemaConformance.Problems(PodSchemas.Pod.Schema, pod));
    }

    [Fact]
    public void The_walker_reports_misspelled_and_misplaced_fields()
    {
        var pod = JsonNode.Parse("""
            {
              "apiVersion": "v1", "kind": "Pod", "metadata": { "name": "p", "lables": { "a": "b" } },
              "spec": {
                "containers": [ { "name": "c", "image": "nginx", "imagePullPolicyy": "Always",
                                  "livenessProbe": { "httpGet": { "path": "/" } },
                                  "ports": [ { "containerPort": "http" } ] } ],
                "volumes": [ { "name": "v", "secret": { "secretName": "s", "claimName": "x" } } ],
                "nodeSelector": { "disk": "ssd" }
              }
            }
            """)!;
        Assert.Equal(
            [
                "unknown field .metadata.lables",
                "unknown field .spec.containers[0].imagePullPolicyy",
                "missing required .spec.containers[0].livenessProbe.httpGet.port",
                ".spec.containers[0].ports[0].containerPort is String, schema wants Integer",
                "unknown field .spec.volumes[0].secret.claimName",
            ],
            SchemaConformance.Problems(PodSchemas.Pod.Schema, pod));
    }

    private static void AssertKeyed(SchemaNode list, string strategy, string mergeKey, params string[] keys)
    {
        Assert.Equal(ListType.Map, list.ListType);
        Assert.Equal(strategy, list.PatchStrategy);
        Assert.Equal(mergeKey, list.PatchMergeKey);
        Assert.Equal(keys, list.ListMapKeys);
    }
}
