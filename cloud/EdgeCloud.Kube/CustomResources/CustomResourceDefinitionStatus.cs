using System.Text.Json.Nodes;
using EdgeCloud.Kube.Storage;

namespace EdgeCloud.Kube.CustomResources;

/// <summary>
/// The status kube-apiserver gives a CustomResourceDefinition once its naming and establishing controllers have
/// seen it (apiextensions-apiserver pkg/controller/status and establish): the accepted names, the NamesAccepted
/// and Established conditions, and the stored versions. The names are checked against the resources and kinds
/// other CRDs of the same group already serve; a conflicting name keeps its previously accepted value.
/// </summary>
public static class CustomResourceDefinitionStatus
{
    private static readonly IReadOnlySet<string> None = new HashSet<string>();

    /// <summary>The status of <paramref name="crd"/> when no other CRD of its group serves any of its names.</summary>
    public static JsonObject Accept(JsonObject crd, DateTimeOffset now) => Accept(crd, now, None, None);

    /// <summary>
    /// The status of <paramref name="crd"/> given the resource names (plurals, singulars, short names) and kinds
    /// (kinds and list kinds) other CRDs of its group already accepted, e.g. from <see cref="NamesInUse"/>.
    /// The CRD is not modified; conditions keep their lastTransitionTime while their status is unchanged.
    /// </summary>
    public static JsonObject Accept(JsonObject crd, DateTimeOffset now, IReadOnlySet<string> resourcesInUse, IReadOnlySet<string> kindsInUse)
    {
        ArgumentNullException.ThrowIfNull(crd);
        ArgumentNullException.ThrowIfNull(resourcesInUse);
        ArgumentNullException.ThrowIfNull(kindsInUse);
        var existing = CrdJson.Object(crd, "status");
        var requested = CustomResourceNames.FromDefinition(crd);
        var acceptedJson = CrdJson.Object(existing, "acceptedNames");
        var accepted = acceptedJson is null
            ? new CustomResourceNames { Plural = "", Singular = "", Kind = "", ListKind = "" }
            : CustomResourceNames.From(acceptedJson);

        // Like the naming controller, every name is checked and the last conflict found names the reason.
        string? reason = null;
        string? message = null;
        void Conflict(string why, string name)
        {
            reason = why;
            message = $"\"{name}\" is already in use";
        }

        var plural = Pick(requested.Plural, accepted.Plural, resourcesInUse, "PluralConflict", Conflict);
        var singular = Pick(requested.Singular, accepted.Singular, resourcesInUse, "SingularConflict", Conflict);
        var shortNames = requested.ShortNames;
        foreach (var shortName in requested.ShortNames)
        {
            // A short name this CRD already holds is never a conflict with itself.
            if (!accepted.ShortNames.Contains(shortName) && resourcesInUse.Contains(shortName))
            {
                Conflict("ShortNamesConflict", shortName);
                shortNames = accepted.ShortNames;
                break;
            }
        }

        var kind = Pick(requested.Kind, accepted.Kind, kindsInUse, "KindConflict", Conflict);
        var listKind = Pick(requested.ListKind, accepted.ListKind, kindsInUse, "ListKindConflict", Conflict);
        var names = new CustomResourceNames
        {
            Plural = plural,
            Singular = singular,
            ShortNames = shortNames,
            Kind = kind,
            ListKind = listKind,
            Categories = requested.Categories,
        };

        var namesAccepted = reason is null
            ? Condition("NamesAccepted", "True", "NoConflicts", "no conflicts found")
            : Condition("NamesAccepted", "False", reason, message!);
        var previousEstablished = FindCondition(existing, "Established");
        JsonObject established;
        if (previousEstablished is not null && CrdJson.String(previousEstablished, "status") == "True")
        {
            // Once established a CRD stays established: a later conflict only stops new names from being served.
            established = (JsonObject)previousEstablished.DeepClone();
        }
        else if (reason is null)
        {
            // The establishing controller flips Established once the names are accepted; this server serves the
            // kinds as soon as the status is written, so both happen together.
            established = Condition("Established", "True", "InitialNamesAccepted", "the initial names have been accepted");
        }
        else
        {
            established = Condition("Established", "False", "NotAccepted", "not all names are accepted");
        }

        var conditions = new JsonArray();
        var replaced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var condition in (CrdJson.Array(existing, "conditions") ?? []).OfType<JsonObject>())
        {
            var type = CrdJson.String(condition, "type");
            var update = type switch
            {
                "NamesAccepted" => namesAccepted,
                "Established" => established,
                _ => null,
            };
            if (update is null)
            {
                conditions.Add(condition.DeepClone());
                continue;
            }

            replaced.Add(type!);
            conditions.Add(Stamp(update, condition, now));
        }

        foreach (var condition in new[] { namesAccepted, established })
        {
            if (!replaced.Contains(CrdJson.String(condition, "type")!))
            {
                conditions.Add(Stamp(condition, null, now));
            }
        }

        var storedVersions = new JsonArray([.. CrdJson.Strings(existing, "storedVersions").Select(static v => (JsonNode?)JsonValue.Create(v))]);
        if (CustomResourceKinds.StorageVersion(crd) is { } storage && !storedVersions.Any(v => v?.GetValue<string>() == storage))
        {
            // storedVersions only grows: objects may still be stored in every version that ever was the storage one.
            storedVersions.Add(storage);
        }

        return new JsonObject
        {
            ["conditions"] = conditions,
            ["acceptedNames"] = names.ToJson(),
            ["storedVersions"] = storedVersions,
        };
    }

    /// <summary>
    /// The resource names and kinds that the other CRDs of <paramref name="crd"/>'s group accepted, as the naming
    /// controller collects them (other groups never conflict).
    /// </summary>
    public static (IReadOnlySet<string> Resources, IReadOnlySet<string> Kinds) NamesInUse(JsonObject crd, IEnumerable<JsonObject> definitions)
    {
        ArgumentNullException.ThrowIfNull(crd);
        ArgumentNullException.ThrowIfNull(definitions);
        var group = CrdJson.String(CrdJson.Object(crd, "spec"), "group");
        var name = CrdJson.String(CrdJson.Object(crd, "metadata"), "name");
        var resources = new HashSet<string>(StringComparer.Ordinal);
        var kinds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var other in definitions)
        {
            if (CrdJson.String(CrdJson.Object(other, "spec"), "group") != group || CrdJson.String(CrdJson.Object(other, "metadata"), "name") == name)
            {
                continue;
            }

            var accepted = CrdJson.Object(CrdJson.Object(other, "status"), "acceptedNames");
            foreach (var resource in new[] { CrdJson.String(accepted, "plural"), CrdJson.String(accepted, "singular") }.Concat(CrdJson.Strings(accepted, "shortNames")))
            {
                if (!string.IsNullOrEmpty(resource))
                {
                    resources.Add(resource);
                }
            }

            foreach (var kind in new[] { CrdJson.String(accepted, "kind"), CrdJson.String(accepted, "listKind") })
            {
                if (!string.IsNullOrEmpty(kind))
                {
                    kinds.Add(kind);
                }
            }
        }

        return (resources, kinds);
    }

    /// <summary>equalToAcceptedOrFresh: the requested name unless another CRD holds it and it is not already ours.</summary>
    private static string Pick(string requested, string accepted, IReadOnlySet<string> inUse, string reason, Action<string, string> conflict)
    {
        if (requested == accepted || !inUse.Contains(requested))
        {
            return requested;
        }

        conflict(reason, requested);
        return accepted;
    }

    private static JsonObject? FindCondition(JsonObject? status, string type) =>
        (CrdJson.Array(status, "conditions") ?? []).OfType<JsonObject>().FirstOrDefault(c => CrdJson.String(c, "type") == type);

    private static JsonObject Condition(string type, string status, string reason, string message) => new()
    {
        ["type"] = type,
        ["status"] = status,
        ["reason"] = reason,
        ["message"] = message,
    };

    private static JsonObject Stamp(JsonObject condition, JsonObject? previous, DateTimeOffset now)
    {
        var keep = previous is not null && CrdJson.String(previous, "status") == CrdJson.String(condition, "status")
            && CrdJson.String(previous, "lastTransitionTime") is not null;
        return new JsonObject
        {
            ["type"] = condition["type"]?.DeepClone(),
            ["status"] = condition["status"]?.DeepClone(),
            ["lastTransitionTime"] = keep ? CrdJson.String(previous, "lastTransitionTime") : ResourceStore.Timestamp(now),
            ["reason"] = condition["reason"]?.DeepClone(),
            ["message"] = condition["message"]?.DeepClone(),
        };
    }
}
