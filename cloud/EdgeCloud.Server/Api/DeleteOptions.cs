using System.Globalization;
using System.Text.Json.Nodes;
using EdgeCloud.Kube.Api;
using EdgeCloud.Kube.Schema;
using EdgeCloud.Kube.Storage;

namespace EdgeCloud.Server.Api;

/// <summary>
/// metav1.DeleteOptions, from the request body (kubectl sends one) or the query: grace period, propagation
/// policy, preconditions and dry run.
/// </summary>
internal sealed record DeleteOptions
{
    /// <summary>Seconds before the object is deleted; 0 means at once.</summary>
    public long? GracePeriodSeconds { get; init; }

    /// <summary>Orphan, Background or Foreground; null for the kind's default.</summary>
    public string? PropagationPolicy { get; init; }

    /// <summary>uid and resourceVersion the object must still have.</summary>
    public JsonObject? Preconditions { get; init; }

    /// <summary>dryRun=All: check and answer, store nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>Reads the options of a DELETE request.</summary>
    public static async Task<DeleteOptions> ReadAsync(HttpContext context)
    {
        var request = context.Request;
        var body = await RequestBodies.ReadOptionalObjectAsync(context, "DeleteOptions");
        var query = request.Query;
        var grace = body?["gracePeriodSeconds"] is JsonValue g && g.TryGetValue<long>(out var fromBody) ? fromBody
            : string.IsNullOrEmpty(query["gracePeriodSeconds"]) ? (long?)null
            : long.TryParse(query["gracePeriodSeconds"], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var fromQuery) ? fromQuery
            : throw KubeApiException.BadRequest($"invalid gracePeriodSeconds \"{query["gracePeriodSeconds"]}\"");
        var policy = body?.GetString("propagationPolicy") ?? (string.IsNullOrEmpty(query["propagationPolicy"]) ? null : query["propagationPolicy"].ToString());
        if (policy is not (null or "Orphan" or "Background" or "Foreground"))
        {
            throw KubeApiException.Invalid("", "DeleteOptions", "", [new StatusCause("FieldValueNotSupported", $"Unsupported value: \"{policy}\": supported values: \"Background\", \"Foreground\", \"Orphan\"", "propagationPolicy")]);
        }

        if (body?["orphanDependents"] is JsonValue orphan && orphan.TryGetValue<bool>(out var orphanDependents) && policy is null)
        {
            policy = orphanDependents ? "Orphan" : "Background";
        }

        var dryRunValues = body?["dryRun"] is JsonArray dry ? dry.Select(static d => d?.ToString()).ToList() : query["dryRun"].ToList();
        if (dryRunValues.Any(static d => d != "All"))
        {
            throw KubeApiException.BadRequest($"Invalid dry run value: \"{string.Join(",", dryRunValues)}\": supported values: \"All\"");
        }

        return new DeleteOptions
        {
            GracePeriodSeconds = grace,
            PropagationPolicy = policy,
            Preconditions = body?["preconditions"] as JsonObject,
            DryRun = dryRunValues.Count > 0,
        };
    }

    /// <summary>Throws 409 Conflict when a precondition does not hold for <paramref name="current"/>.</summary>
    public void Check(KindDefinition kind, string name, JsonObject current)
    {
        if (Preconditions is null)
        {
            return;
        }

        var metadata = current.Metadata();
        if (Preconditions.GetString("uid") is { Length: > 0 } uid && uid != metadata.GetString("uid"))
        {
            throw KubeApiException.Conflict(kind.Group, kind.Plural, name, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {metadata.GetString("uid")}");
        }

        if (Preconditions.GetString("resourceVersion") is { Length: > 0 } rv && rv != metadata.GetString("resourceVersion"))
        {
            throw KubeApiException.Conflict(kind.Group, kind.Plural, name, $"Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {metadata.GetString("resourceVersion")}");
        }
    }
}
