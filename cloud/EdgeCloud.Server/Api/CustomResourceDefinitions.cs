using System.Text.Json.Nodes;
using EdgeCloud.Kube.Api;
using EdgeCloud.Kube.CustomResources;
using EdgeCloud.Kube.Kinds;
using EdgeCloud.Kube.Schema;
using EdgeCloud.Kube.Storage;

namespace EdgeCloud.Server.Api;

/// <summary>
/// What writing a CustomResourceDefinition does beyond storing it, as apiextensions-apiserver does: the CRD is
/// validated (names, versions, structural schema), accepted at once (NamesAccepted and Established conditions,
/// acceptedNames, storedVersions; a name clash is reported instead), and deleting it deletes its custom objects.
/// </summary>
internal sealed class CustomResourceDefinitions(ResourceStore objects, ClusterKinds kinds, TimeProvider time)
{
    /// <summary>True for the CRD kind itself.</summary>
    public static bool IsDefinitionKind(KindDefinition kind) => kind.Group == "apiextensions.k8s.io" && kind.Plural == "customresourcedefinitions";

    /// <summary>The other CRDs of <paramref name="cluster"/>, for name-conflict checks.</summary>
    public async Task<IReadOnlyList<JsonObject>> OthersAsync(string cluster, string name, CancellationToken cancellationToken)
    {
        var all = await objects.ListAsync(cluster, CustomResourceDefinitionKind.Definition, null, 0, null, 0, o => o.Metadata().GetString("name") != name, cancellationToken);
        return all.Items;
    }

    /// <summary>Validates <paramref name="crd"/> (422 with causes) and sets its status as accepted, or names the conflict.</summary>
    public void Admit(JsonObject crd, IReadOnlyList<JsonObject> others)
    {
        var causes = CustomResourceDefinitionValidation.Validate(crd);
        if (causes.Count > 0)
        {
            throw KubeApiException.Invalid(CustomResourceDefinitionKind.Definition.Group, "CustomResourceDefinition", crd.Metadata().GetString("name") ?? "", causes);
        }

        var (resources, kindNames) = CustomResourceDefinitionStatus.NamesInUse(crd, others);
        var builtIn = crd["spec"]?["group"]?.GetValue<string>() is { } group
            ? BuiltInKinds.All.Where(k => k.Group == group).ToList()
            : [];
        var takenResources = new HashSet<string>(resources, StringComparer.Ordinal);
        var takenKinds = new HashSet<string>(kindNames, StringComparer.Ordinal);
        foreach (var kind in builtIn)
        {
            takenResources.Add(kind.Plural);
            takenKinds.Add(kind.Kind);
        }

        crd["status"] = CustomResourceDefinitionStatus.Accept(crd, time.GetUtcNow(), takenResources, takenKinds);
    }

    /// <summary>Deletes every custom object of <paramref name="crd"/> (its cleanup finalizer, done before the CRD goes).</summary>
    public async Task DeleteInstancesAsync(string cluster, JsonObject crd, CancellationToken cancellationToken)
    {
        IReadOnlyList<KindDefinition> served;
        try
        {
            served = CustomResourceKinds.FromDefinition(crd);
        }
        catch (Exception error) when (error is FormatException or InvalidOperationException or ArgumentException)
        {
            return;
        }

        // Every version shares one storage location (/{group}/{plural}/...), so one version lists them all.
        if (served.FirstOrDefault() is not { } kind)
        {
            return;
        }

        var instances = await objects.ListAsync(cluster, kind, null, 0, null, 0, static _ => true, cancellationToken);
        foreach (var instance in instances.Items)
        {
            var metadata = instance.Metadata();
            var rv = ObjectJson.ParseResourceVersion(metadata.GetString("resourceVersion"))!.Value;
            await objects.DeleteAtAsync(cluster, kind, metadata.GetString("namespace"), metadata.GetString("name")!, rv, cancellationToken);
        }

        kinds.Invalidate(cluster);
    }
}
