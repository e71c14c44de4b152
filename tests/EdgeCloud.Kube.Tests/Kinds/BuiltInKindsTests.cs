using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EdgeCloud.Kube.Kinds;
using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Kube.Tests.Kinds;

public sealed partial class BuiltInKindsTests
{
    public static TheoryData<string> KindNames() => new(BuiltInKinds.All.Select(k => k.Kind));

    private static KindDefinition Kind(string kind) => BuiltInKinds.All.Single(k => k.Kind == kind);

    [Theory]
    [MemberData(nameof(KindNames))]
    public void Schema_is_well_formed(string kind)
    {
        var problems = new List<string>();
        foreach (var (path, node) in SchemaWalker.Nodes(Kind(kind).Schema))
        {
            foreach (var required in node.Required.Where(r => !node.Properties.ContainsKey(r)))
            {
                problems.Add($"{path}: required {required} is not declared");
            }

            if (node.Type == SchemaType.Array && node.Items is null)
            {
                problems.Add($"{path}: array without items");
            }

            if (node.Type != SchemaType.Array && (node.PatchMergeKey is not null || node.ListMapKeys.Count > 0))
            {
                problems.Add($"{path}: merge keys on a non-array");
            }

            if (node.PatchMergeKey is { } mergeKey && node.Items?.Properties.ContainsKey(mergeKey) != true)
            {
                problems.Add($"{path}: patch merge key {mergeKey} is not an item property");
            }

            if (node.ListType == ListType.Map)
            {
                if (node.ListMapKeys.Count == 0)
                {
                    problems.Add($"{path}: list-type map without keys");
                }

                foreach (var key in node.ListMapKeys.Where(k => node.Items?.Properties.ContainsKey(k) != true))
                {
                    problems.Add($"{path}: list map key {key} is not an item property");
                }
            }

            if (node.Default is { } value && SchemaWalker.Problems(node, value) is { Count: > 0 } bad)
            {
                problems.Add($"{path}: default does not fit its own schema: {string.Join("; ", bad)}");
            }
        }

        Assert.Empty(problems);
    }

    [Theory]
    [MemberData(nameof(KindNames))]
    public void Top_level_schema_starts_with_apiVersion_kind_metadata(string kind)
    {
        Assert.Equal(["apiVersion", "kind", "metadata"], Kind(kind).Schema.Properties.Keys.Take(3));
    }

    [Fact]
    public void Resources_and_kinds_are_unique_per_group()
    {
        var all = BuiltInKinds.All;
        Assert.Equal(all.Count, all.Select(k => (k.Group, k.Plural)).Distinct().Count());
        Assert.Equal(all.Count, all.Select(k => (k.Group, k.Kind)).Distinct().Count());
        Assert.Equal(all.Count, all.Select(k => (k.Group, k.Singular)).Distinct().Count());
    }

    [Fact]
    public void Short_names_are_lowercase_and_unique_and_do_not_shadow_resources()
    {
        var shortNames = BuiltInKinds.All.SelectMany(k => k.ShortNames).ToList();
        Assert.All(shortNames, s => Assert.Matches(Dns1123Label(), s));
        Assert.Equal(shortNames.Count, shortNames.Distinct().Count());
        var resourceNames = BuiltInKinds.All.SelectMany(k => new[] { k.Plural, k.Singular }).ToHashSet();
        Assert.DoesNotContain(shortNames, resourceNames.Contains);
    }

    [Fact]
    public void Names_and_short_names_match_kubectl()
    {
        Assert.Equal(["ns"], NamespaceKind.Definition.ShortNames);
        Assert.Equal(["no"], NodeKind.Definition.ShortNames);
        Assert.Equal(["cm"], ConfigMapKind.Definition.ShortNames);
        Assert.Equal(["svc"], ServiceKind.Definition.ShortNames);
        Assert.Equal(["sa"], ServiceAccountKind.Definition.ShortNames);
        Assert.Equal(["ev"], EventKind.Definition.ShortNames);
        Assert.Equal(["deploy"], DeploymentKind.Definition.ShortNames);
        Assert.Equal(["rs"], ReplicaSetKind.Definition.ShortNames);
        Assert.Equal(["ds"], DaemonSetKind.Definition.ShortNames);
        Assert.Equal(["crd", "crds"], CustomResourceDefinitionKind.Definition.ShortNames);
        Assert.Equal("apps/v1", DeploymentKind.Definition.ApiVersion);
        Assert.Equal("v1", SecretKind.Definition.ApiVersion);
        Assert.False(NamespaceKind.Definition.Namespaced);
        Assert.False(NodeKind.Definition.Namespaced);
        Assert.False(CustomResourceDefinitionKind.Definition.Namespaced);
        Assert.True(LeaseKind.Definition.Namespaced);
    }

    [Fact]
    public void Category_all_holds_exactly_what_kubectl_get_all_shows()
    {
        var inAll = BuiltInKinds.All.Where(k => k.Categories.Contains("all")).Select(k => k.Plural).Order();
        Assert.Equal(["daemonsets", "deployments", "jobs", "pods", "replicasets", "services"], inAll);
    }

    [Fact]
    public void Subresources_are_those_kube_apiserver_serves()
    {
        Assert.Equal(["status", "finalize"], NamespaceKind.Definition.Subresources);
        Assert.Equal(["status", "scale"], DeploymentKind.Definition.Subresources);
        Assert.Equal(["status", "scale"], ReplicaSetKind.Definition.Subresources);
        Assert.Equal(["token"], ServiceAccountKind.Definition.Subresources);
        Assert.Empty(ConfigMapKind.Definition.Subresources);
        Assert.Empty(LeaseKind.Definition.Subresources);
        Assert.All(new[] { NodeKind.Definition, ServiceKind.Definition, DaemonSetKind.Definition, JobKind.Definition, CustomResourceDefinitionKind.Definition }, k => Assert.True(k.HasStatus));
    }

    [Fact]
    public void Merge_metadata_matches_the_go_types()
    {
        var servicePorts = ServiceKind.Spec.Properties["ports"];
        Assert.Equal(ListType.Map, servicePorts.ListType);
        Assert.Equal(["port", "protocol"], servicePorts.ListMapKeys);
        Assert.Equal("port", servicePorts.PatchMergeKey);
        Assert.Equal("retainKeys", DeploymentKind.Spec.Properties["strategy"].PatchStrategy);
        Assert.Equal(["type"], NodeKind.Status.Properties["addresses"].ListMapKeys);
        Assert.Equal(ListType.Atomic, NodeKind.Spec.Properties["taints"].ListType);
        Assert.Equal("type", DeploymentKind.Status.Properties["conditions"].PatchMergeKey);
        Assert.Equal(ListType.Atomic, JobKind.Status.Properties["conditions"].ListType);
        Assert.Equal("type", JobKind.Status.Properties["conditions"].PatchMergeKey);
        Assert.Equal("byte", SecretKind.Definition.Schema.Properties["data"].AdditionalProperties!.Format);
        Assert.Equal("byte", ConfigMapKind.Definition.Schema.Properties["binaryData"].AdditionalProperties!.Format);
        Assert.True(ServiceKind.Spec.Properties["selector"].AtomicMap);
    }

    [Fact]
    public void Constant_defaults_are_those_kube_apiserver_applies()
    {
        static string? Default(SchemaNode node, params string[] path) =>
            path.Aggregate(node, (n, p) => n.Properties[p]).Default?.ToJsonString();

        Assert.Equal("1", Default(DeploymentKind.Spec, "replicas"));
        Assert.Equal("10", Default(DeploymentKind.Spec, "revisionHistoryLimit"));
        Assert.Equal("600", Default(DeploymentKind.Spec, "progressDeadlineSeconds"));
        Assert.Equal("""{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":"25%","maxSurge":"25%"}}""", Default(DeploymentKind.Spec, "strategy"));
        Assert.Equal("\"25%\"", Default(DeploymentKind.Spec, "strategy", "rollingUpdate", "maxSurge"));
        Assert.Equal("""{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":1,"maxSurge":0}}""", Default(DaemonSetKind.Spec, "updateStrategy"));
        Assert.Equal("6", Default(JobKind.Spec, "backoffLimit"));
        Assert.Equal("\"NonIndexed\"", Default(JobKind.Spec, "completionMode"));
        Assert.Equal("false", Default(JobKind.Spec, "suspend"));
        Assert.Equal("\"ClusterIP\"", Default(ServiceKind.Spec, "type"));
        Assert.Equal("\"None\"", Default(ServiceKind.Spec, "sessionAffinity"));
        Assert.Equal("\"TCP\"", Default(ServiceKind.ServicePort, "protocol"));
        Assert.Equal("\"Opaque\"", Default(SecretKind.Definition.Schema, "type"));
        Assert.Equal("""{"strategy":"None"}""", Default(CustomResourceDefinitionKind.Spec, "conversion"));
        Assert.Null(Default(JobKind.Spec, "completions"));
    }

    [Fact]
    public void Only_events_omit_the_name_column()
    {
        Assert.Equal(["Event"], BuiltInKinds.All.Where(k => !k.NameColumn).Select(k => k.Kind));
        Assert.All(BuiltInKinds.All, k => Assert.Equal(k.PrinterColumns.Count, k.PrinterColumns.Select(c => c.Name).Distinct().Count()));
    }

    [Fact]
    public void Walker_reports_unknown_fields_wrong_types_and_bad_enums()
    {
        var manifest = JsonNode.Parse("""
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"x"},
             "spec":{"type":"Bogus","ports":[{"port":"80","prot":"TCP"}],"clusterIP":"10.0.0.1"}}
            """);
        var problems = SchemaWalker.Problems(ServiceKind.Definition.Schema, manifest);
        Assert.Contains(problems, p => p.StartsWith(".spec.type:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith(".spec.ports[0].port:", StringComparison.Ordinal));
        Assert.Contains(".spec.ports[0].prot: unknown field", problems);
        Assert.Equal(3, problems.Count);
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1123Label();
}
