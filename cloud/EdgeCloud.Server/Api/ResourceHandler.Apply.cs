using System.Text.Json.Nodes;
using EdgeCloud.Kube.Api;
using EdgeCloud.Kube.Apply;
using EdgeCloud.Kube.Storage;
using EdgeCloud.Kube.Validation;

namespace EdgeCloud.Server.Api;

internal sealed partial class ResourceHandler
{
    /// <summary>The media type of server-side apply (Kubernetes "Server-Side Apply").</summary>
    public const string ApplyMediaType = "application/apply-patch+yaml";

    /// <summary>
    /// PATCH with application/apply-patch+yaml: the applier's fields become exactly those it sent, merged by the
    /// kind's list and map semantics; fields another manager owns are a 409 conflict unless force=true. Creates the
    /// object when it does not exist.
    /// </summary>
    private async Task ApplyAsync(HttpContext context, Target target)
    {
        var kind = target.Kind;
        var query = context.Request.Query;
        var manager = query["fieldManager"].ToString();
        if (manager.Length == 0)
        {
            throw KubeApiException.BadRequest("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");
        }

        if (FieldManagerName.Validate(manager) is { } invalidManager)
        {
            throw KubeApiException.BadRequest(invalidManager);
        }

        var force = query["force"] switch
        {
            var f when f.Count == 0 || f == "false" => false,
            var f when f == "true" => true,
            var f => throw KubeApiException.BadRequest($"invalid force \"{f}\": must be true or false"),
        };
        var applied = await RequestBodies.ReadApplyAsync(context);
        CheckTypeMeta(kind, applied);
        var name = target.RequiredName;
        var metadata = applied.Metadata();
        if (metadata.GetString("name") is { Length: > 0 } bodyName && bodyName != name)
        {
            throw KubeApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }

        metadata["name"] = name;
        if (target.Namespace is { } ns)
        {
            if (metadata.GetString("namespace") is { Length: > 0 } bodyNs && bodyNs != ns)
            {
                throw KubeApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            }

            metadata["namespace"] = ns;
        }

        var ignored = ManagedFields.IgnoredFieldsFor(kind, target.Subresource);
        var validation = FieldValidationOf(context.Request);
        var dryRun = IsDryRun(context.Request);
        if (target.Subresource is null && await objects.TryGetAsync(target.Cluster, kind, target.Namespace, name, context.RequestAborted) is null)
        {
            if (target.Namespace is { } createIn)
            {
                await activeNamespaces.RequireOpenAsync(target.Cluster, createIn, context.RequestAborted);
            }

            var fresh = Merge(() => ServerSideApply.Apply(null, applied, kind.Schema, manager, force, time.GetUtcNow(), null, ignored));
            var warnings = ObjectAdmission.Prepare(kind, fresh, validation);
            var created = await objects.CreateAsync(target.Cluster, kind, target.Namespace, fresh, dryRun, context.RequestAborted);
            AddWarnings(context, warnings);
            await WriteObjectAsync(context, dryRun ? 200 : 201, kind, created);
            return;
        }

        var updated = await UpdateAsync(
            context,
            target,
            current => Merge(() => ServerSideApply.Apply(WithTypeMeta(kind, current), applied, kind.Schema, manager, force, time.GetUtcNow(), target.Subresource, ignored)),
            trackManager: null);
        await WriteUpdatedAsync(context, target, updated);
    }

    /// <summary>Runs the structured merge, turning its refusals into Status errors.</summary>
    private static JsonObject Merge(Func<JsonObject> apply)
    {
        try
        {
            return apply();
        }
        catch (ApplyConflictException conflict)
        {
            throw new KubeApiException(409, "Conflict", conflict.Message, new StatusDetails
            {
                Causes = [.. conflict.Conflicts.Select(static c => new StatusCause(ApplyConflict.Reason, c.Message, c.Field))],
            });
        }
        catch (InvalidApplyException invalid)
        {
            throw KubeApiException.BadRequest(invalid.Message);
        }
    }

    /// <summary>
    /// The manager a non-apply write is recorded under: the fieldManager parameter (validated), or the client's
    /// User-Agent up to its first "/" (kubectl names itself, e.g. kubectl-edit, kubectl-client-side-apply).
    /// </summary>
    private static string FieldManagerOf(HttpRequest request)
    {
        var manager = request.Query["fieldManager"].ToString();
        if (manager.Length == 0)
        {
            return FieldManagerName.Default(request.Headers.UserAgent.ToString());
        }

        return FieldManagerName.Validate(manager) is { } invalid ? throw KubeApiException.BadRequest(invalid) : manager;
    }
}
