using System.Globalization;
using System.Text.Json.Nodes;
using EdgeCloud.Kube.Api;
using EdgeCloud.Kube.Apply;
using EdgeCloud.Kube.Schema;
using EdgeCloud.Kube.Storage;
using EdgeCloud.Kube.Validation;

namespace EdgeCloud.Server.Api;

internal sealed partial class ResourceHandler
{
    private const string ModifiedMessage = "the object has been modified; please apply your changes to the latest version and try again";

    private async Task CreateAsync(HttpContext context, Target target)
    {
        var kind = target.Kind;
        if (kind.Namespaced && target.Namespace is null)
        {
            throw KubeApiException.MethodNotSupported(kind.Plural, "create");
        }

        var body = await RequestBodies.ReadObjectAsync(context, kind);
        CheckTypeMeta(kind, body);
        var metadata = body.Metadata();
        if (target.Namespace is { } ns)
        {
            if (metadata.GetString("namespace") is { Length: > 0 } bodyNs && bodyNs != ns)
            {
                throw KubeApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            }

            metadata["namespace"] = ns;
            await activeNamespaces.RequireOpenAsync(target.Cluster, ns, context.RequestAborted);
        }

        var warnings = ObjectAdmission.Prepare(kind, body, FieldValidationOf(context.Request));
        if (CustomResourceDefinitions.IsDefinitionKind(kind))
        {
            definitions.Admit(body, await definitions.OthersAsync(target.Cluster, body.Metadata().GetString("name") ?? "", context.RequestAborted));
        }

        body = ManagedFields.Update(null, body, kind.Schema, FieldManagerOf(context.Request), kind.ApiVersion, time.GetUtcNow(), null, ManagedFields.IgnoredFieldsFor(kind, null));
        var dryRun = IsDryRun(context.Request);
        var created = await objects.CreateAsync(target.Cluster, kind, target.Namespace, body, dryRun, context.RequestAborted);
        if (CustomResourceDefinitions.IsDefinitionKind(kind))
        {
            kinds.Invalidate(target.Cluster);
        }

        AddWarnings(context, warnings);
        await WriteObjectAsync(context, dryRun ? 200 : 201, kind, created);
    }

    private async Task ReplaceAsync(HttpContext context, Target target)
    {
        var kind = target.Kind;
        var body = target.Subresource == "scale"
            ? await RequestBodies.ReadObjectAsync(context, ScaleSubresource.Kind)
            : await RequestBodies.ReadObjectAsync(context, kind);
        if (target.Subresource != "scale")
        {
            CheckTypeMeta(kind, body);
        }

        var name = target.RequiredName;
        if (body.Metadata().GetString("name") is { } bodyName && bodyName != name)
        {
            throw KubeApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }

        var expected = body.Metadata().GetString("resourceVersion");
        ObjectJson.ParseResourceVersion(expected, "metadata.resourceVersion");
        var updated = await UpdateAsync(context, target, trackManager: FieldManagerOf(context.Request), incoming: current =>
        {
            if (!string.IsNullOrEmpty(expected) && current.Metadata().GetString("resourceVersion") != expected)
            {
                throw KubeApiException.Conflict(kind.Group, kind.Plural, name, ModifiedMessage);
            }

            return body;
        });
        await WriteUpdatedAsync(context, target, updated);
    }

    private async Task PatchAsync(HttpContext context, Target target)
    {
        if (RequestBodies.IsApply(context.Request))
        {
            await ApplyAsync(context, target);
            return;
        }

        var kind = target.Kind;
        var patch = await RequestBodies.ReadPatchAsync(context);
        var name = target.RequiredName;
        var updated = await UpdateAsync(context, target, trackManager: FieldManagerOf(context.Request), incoming: current =>
        {
            var document = target.Subresource == "scale" ? ScaleSubresource.FromObject(kind, current, kinds.ScaleOf(kind)) : WithTypeMeta(kind, current);
            var patched = PatchDocuments.Apply(patch, document, target.Subresource == "scale" ? ScaleSubresource.Kind : kind, strategicMergeAllowed: !kinds.IsCustom(kind));
            // A resourceVersion in the patch is a precondition, as for update (kubectl edit and apply --force rely on it).
            if (patched.Metadata().GetString("resourceVersion") is { Length: > 0 } rv && rv != current.Metadata().GetString("resourceVersion"))
            {
                throw KubeApiException.Conflict(kind.Group, kind.Plural, name, ModifiedMessage);
            }

            if (patched.Metadata().GetString("name") is { } patchedName && patchedName != name)
            {
                throw KubeApiException.BadRequest($"the name of the object ({patchedName}) does not match the name on the URL ({name})");
            }

            return patched;
        });
        await WriteUpdatedAsync(context, target, updated);
    }

    /// <summary>
    /// The read-modify-write shared by update and patch: <paramref name="incoming"/> turns the current object into
    /// the requested one, the subresource's rules decide what of it counts, then admission runs; all of it again
    /// when another writer got in between.
    /// </summary>
    private async Task<JsonObject> UpdateAsync(HttpContext context, Target target, Func<JsonObject, JsonObject> incoming, string? trackManager)
    {
        var kind = target.Kind;
        var validation = FieldValidationOf(context.Request);
        IReadOnlyList<string> warnings = [];
        var otherDefinitions = CustomResourceDefinitions.IsDefinitionKind(kind) && target.Subresource is null
            ? await definitions.OthersAsync(target.Cluster, target.RequiredName, context.RequestAborted)
            : null;
        var (updated, _) = await objects.UpdateAsync(target.Cluster, kind, target.Namespace, target.RequiredName, current =>
        {
            var requested = incoming(current.DeepClone().AsObject());
            var result = target.Subresource switch
            {
                "status" => UpdateRules.StatusResource(current, requested),
                "scale" => ScaleSubresource.Apply(kind, current, requested, kinds.ScaleOf(kind)),
                _ => UpdateRules.MainResource(kind, current, requested),
            };
            warnings = ObjectAdmission.Prepare(kind, result, validation);
            if (otherDefinitions is not null)
            {
                definitions.Admit(result, otherDefinitions);
            }

            // Non-apply writes move ownership of the fields they changed to their manager; apply did its own bookkeeping.
            return trackManager is null
                ? result
                : ManagedFields.Update(current, result, kind.Schema, trackManager, kind.ApiVersion, time.GetUtcNow(), target.Subresource, ManagedFields.IgnoredFieldsFor(kind, target.Subresource));
        }, IsDryRun(context.Request), context.RequestAborted);
        AddWarnings(context, warnings);
        if (CustomResourceDefinitions.IsDefinitionKind(kind))
        {
            kinds.Invalidate(target.Cluster);
        }

        return await CompleteDeletionAsync(target, updated, context.RequestAborted);
    }

    /// <summary>
    /// An object being deleted goes once its last finalizer is removed (Kubernetes "Finalizers"); the response
    /// then shows it as last stored.
    /// </summary>
    private async Task<JsonObject> CompleteDeletionAsync(Target target, JsonObject updated, CancellationToken cancellationToken)
    {
        var metadata = updated.Metadata();
        if (metadata["deletionTimestamp"] is null || (metadata["finalizers"] as JsonArray)?.Count is > 0
            || target.Kind is { Group: "", Plural: "namespaces" } || metadata.GetString("resourceVersion") is not { } rv)
        {
            return updated;
        }

        await objects.DeleteAtAsync(target.Cluster, target.Kind, target.Namespace, target.RequiredName, long.Parse(rv, CultureInfo.InvariantCulture), cancellationToken);
        return updated;
    }

    private async Task WriteUpdatedAsync(HttpContext context, Target target, JsonObject updated)
    {
        if (target.Subresource == "scale")
        {
            await WriteJsonAsync(context, 200, ScaleSubresource.FromObject(target.Kind, updated, kinds.ScaleOf(target.Kind)));
            return;
        }

        await WriteObjectAsync(context, 200, target.Kind, updated);
    }

    /// <summary>POST pods/{name}/binding: the scheduler's way to set spec.nodeName once; 409 when already bound.</summary>
    private async Task BindAsync(HttpContext context, Target target)
    {
        var binding = await RequestBodies.ReadObjectAsync(context, target.Kind);
        var node = (binding["target"] as JsonObject)?.GetString("name");
        if (string.IsNullOrEmpty(node))
        {
            throw KubeApiException.Invalid("", "Binding", target.RequiredName, [new StatusCause("FieldValueRequired", "Required value", "target.name")]);
        }

        await objects.UpdateAsync(target.Cluster, target.Kind, target.Namespace, target.RequiredName, current =>
        {
            var spec = current["spec"] as JsonObject ?? [];
            if (spec.GetString("nodeName") is { Length: > 0 } bound)
            {
                throw KubeApiException.Conflict("", "pods/binding", target.RequiredName, $"pod {target.RequiredName} is already assigned to node \"{bound}\"");
            }

            if (current.Metadata()["deletionTimestamp"] is not null)
            {
                throw KubeApiException.Conflict("", "pods/binding", target.RequiredName, "pod is being deleted, cannot be assigned to a host");
            }

            spec["nodeName"] = node;
            current["spec"] = spec;
            return current;
        }, IsDryRun(context.Request), context.RequestAborted);
        await WriteJsonAsync(context, 201, StatusResponses.Success(target.RequiredName, "", "pods", ""));
    }

    /// <summary>POST serviceaccounts/{name}/token: a token for the service account (kubectl create token).</summary>
    private async Task IssueTokenAsync(HttpContext context, Target target)
    {
        var request = await RequestBodies.ReadObjectAsync(context, TokenRequests.Kind);
        var serviceAccount = await objects.GetAsync(target.Cluster, target.Kind, target.Namespace, target.RequiredName, context.RequestAborted);
        if (IsDryRun(context.Request))
        {
            throw KubeApiException.BadRequest("dryRun is not supported when issuing tokens");
        }

        var issued = await tokenRequests.IssueAsync(target.Cluster, target.Namespace!, serviceAccount, request, context.RequestAborted);
        await WriteJsonAsync(context, 201, issued);
    }

    private static void CheckTypeMeta(KindDefinition kind, JsonObject body)
    {
        var apiVersion = body.GetString("apiVersion");
        var bodyKind = body.GetString("kind");
        if ((apiVersion is { Length: > 0 } && apiVersion != kind.ApiVersion) || (bodyKind is { Length: > 0 } && bodyKind != kind.Kind))
        {
            throw KubeApiException.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({kind.ApiVersion})");
        }

        WithTypeMeta(kind, body);
    }

    private static FieldValidation FieldValidationOf(HttpRequest request) => ObjectAdmission.ParseFieldValidation(request.Query["fieldValidation"]);

    private static long? ParseLong(string? value, string name) =>
        string.IsNullOrEmpty(value) ? null
        : long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) ? parsed
        : throw KubeApiException.BadRequest($"invalid {name}: \"{value}\" is not an integer");
}
