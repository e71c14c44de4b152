using System.Text.Json.Nodes;
using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Kube.Discovery;

/// <summary>
/// The discovery documents kubectl reads before anything else, built from the served kinds: the legacy
/// per-group-version lists (/api, /apis, /api/v1, /apis/{group}/{version}) and the aggregated form
/// (apidiscovery.k8s.io v2 and v2beta1, identical in shape) that kubectl 1.27+ asks for first.
/// </summary>
public static class DiscoveryDocuments
{
    /// <summary>GET /api: the core group's versions.</summary>
    public static JsonObject CoreVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    /// <summary>GET /apis: every named group with its versions.</summary>
    public static JsonObject GroupList(IEnumerable<KindDefinition> kinds)
    {
        var groups = new JsonArray();
        foreach (var group in NamedGroups(kinds))
        {
            groups.Add(Group(group.Key, group.Value));
        }

        return new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = groups };
    }

    /// <summary>GET /apis/{group}: one group, or null when no kind is served in it.</summary>
    public static JsonObject? GroupDocument(IEnumerable<KindDefinition> kinds, string group) =>
        NamedGroups(kinds).TryGetValue(group, out var versions) ? Group(group, versions) : null;

    /// <summary>GET /api/v1 or /apis/{group}/{version}: the resources and subresources of one group-version.</summary>
    public static JsonObject ResourceList(IEnumerable<KindDefinition> kinds, string group, string version)
    {
        var resources = new JsonArray();
        foreach (var kind in kinds.Where(k => k.Group == group && k.Version == version).OrderBy(static k => k.Plural, StringComparer.Ordinal))
        {
            var resource = new JsonObject
            {
                ["name"] = kind.Plural,
                ["singularName"] = kind.Singular,
                ["namespaced"] = kind.Namespaced,
                ["kind"] = kind.Kind,
                ["verbs"] = Strings(kind.Verbs),
            };
            if (kind.ShortNames.Count > 0)
            {
                resource["shortNames"] = Strings(kind.ShortNames);
            }

            if (kind.Categories.Count > 0)
            {
                resource["categories"] = Strings(kind.Categories);
            }

            resources.Add(resource);
            foreach (var sub in kind.Subresources)
            {
                if (Subresources.Describe(sub) is not var (verbs, response))
                {
                    continue;
                }

                var entry = new JsonObject
                {
                    ["name"] = $"{kind.Plural}/{sub}",
                    ["singularName"] = "",
                    ["namespaced"] = kind.Namespaced,
                    ["kind"] = response?.Kind ?? kind.Kind,
                    ["verbs"] = Strings(verbs),
                };
                if (response is { } r && (r.Group != kind.Group || r.Version != kind.Version))
                {
                    entry["group"] = r.Group;
                    entry["version"] = r.Version;
                }

                resources.Add(entry);
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }

    /// <summary>
    /// The aggregated discovery list for /api (<paramref name="core"/> true: the core group only) or /apis (every
    /// named group), in apidiscovery.k8s.io <paramref name="discoveryVersion"/> ("v2" or "v2beta1").
    /// </summary>
    public static JsonObject Aggregated(IEnumerable<KindDefinition> kinds, bool core, string discoveryVersion)
    {
        var items = new JsonArray();
        var byGroup = kinds.Where(k => (k.Group.Length == 0) == core).GroupBy(static k => k.Group).OrderBy(static g => GroupOrder(g.Key)).ThenBy(static g => g.Key, StringComparer.Ordinal);
        foreach (var group in byGroup)
        {
            var versions = new JsonArray();
            foreach (var version in group.GroupBy(static k => k.Version).OrderByDescending(static v => VersionPriority(v.Key)))
            {
                var resources = new JsonArray();
                foreach (var kind in version.OrderBy(static k => k.Plural, StringComparer.Ordinal))
                {
                    resources.Add(AggregatedResource(kind));
                }

                versions.Add(new JsonObject { ["version"] = version.Key, ["resources"] = resources, ["freshness"] = "Current" });
            }

            items.Add(new JsonObject { ["metadata"] = new JsonObject { ["name"] = group.Key }, ["versions"] = versions });
        }

        return new JsonObject
        {
            ["kind"] = "APIGroupDiscoveryList",
            ["apiVersion"] = $"apidiscovery.k8s.io/{discoveryVersion}",
            ["metadata"] = new JsonObject(),
            ["items"] = items,
        };
    }

    private static JsonObject AggregatedResource(KindDefinition kind)
    {
        var resource = new JsonObject
        {
            ["resource"] = kind.Plural,
            ["responseKind"] = Gvk(kind.Group, kind.Version, kind.Kind),
            ["scope"] = kind.Namespaced ? "Namespaced" : "Cluster",
            ["singularResource"] = kind.Singular,
            ["verbs"] = Strings(kind.Verbs),
        };
        if (kind.ShortNames.Count > 0)
        {
            resource["shortNames"] = Strings(kind.ShortNames);
        }

        if (kind.Categories.Count > 0)
        {
            resource["categories"] = Strings(kind.Categories);
        }

        var subresources = new JsonArray();
        foreach (var sub in kind.Subresources)
        {
            if (Subresources.Describe(sub) is var (verbs, response))
            {
                var (group, version, responseKind) = response ?? (kind.Group, kind.Version, kind.Kind);
                subresources.Add(new JsonObject { ["subresource"] = sub, ["responseKind"] = Gvk(group, version, responseKind), ["verbs"] = Strings(verbs) });
            }
        }

        if (subresources.Count > 0)
        {
            resource["subresources"] = subresources;
        }

        return resource;
    }

    private static SortedDictionary<string, List<string>> NamedGroups(IEnumerable<KindDefinition> kinds)
    {
        var groups = new SortedDictionary<string, List<string>>(Comparer<string>.Create(static (a, b) =>
            GroupOrder(a) != GroupOrder(b) ? GroupOrder(a).CompareTo(GroupOrder(b)) : string.CompareOrdinal(a, b)));
        foreach (var kind in kinds.Where(static k => k.Group.Length > 0))
        {
            if (!groups.TryGetValue(kind.Group, out var versions))
            {
                groups[kind.Group] = versions = [];
            }

            if (!versions.Contains(kind.Version))
            {
                versions.Add(kind.Version);
            }
        }

        foreach (var versions in groups.Values)
        {
            versions.Sort(static (a, b) => VersionPriority(b).CompareTo(VersionPriority(a)));
        }

        return groups;
    }

    private static JsonObject Group(string name, List<string> versions)
    {
        var list = new JsonArray();
        foreach (var version in versions)
        {
            list.Add(new JsonObject { ["groupVersion"] = $"{name}/{version}", ["version"] = version });
        }

        return new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = name,
            ["versions"] = list,
            ["preferredVersion"] = new JsonObject { ["groupVersion"] = $"{name}/{versions[0]}", ["version"] = versions[0] },
        };
    }

    // Built-in groups first, as kube-apiserver orders them; custom resource groups after, alphabetically.
    private static int GroupOrder(string group) => group.EndsWith(".k8s.io", StringComparison.Ordinal) || !group.Contains('.', StringComparison.Ordinal) ? 0 : 1;

    // Kubernetes version priority: GA over beta over alpha, higher numbers first.
    private static int VersionPriority(string version)
    {
        var match = System.Text.RegularExpressions.Regex.Match(version, "^v([0-9]+)(?:(alpha|beta)([0-9]+))?$");
        if (!match.Success)
        {
            return 0;
        }

        var major = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var stage = match.Groups[2].Value switch { "" => 3, "beta" => 2, _ => 1 };
        var minor = match.Groups[3].Success ? int.Parse(match.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        return stage * 1_000_000 + major * 1_000 + minor;
    }

    private static JsonObject Gvk(string group, string version, string kind) =>
        new() { ["group"] = group, ["version"] = version, ["kind"] = kind };

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(static v => (JsonNode?)JsonValue.Create(v)).ToArray());
}
