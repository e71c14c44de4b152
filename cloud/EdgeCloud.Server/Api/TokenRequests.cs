using System.Globalization;
using System.Text.Json.Nodes;
using EdgeCloud.Kube.Api;
using EdgeCloud.Kube.Schema;
using EdgeCloud.Kube.Storage;
using EdgeCloud.Server.Security;

namespace EdgeCloud.Server.Api;

/// <summary>
/// serviceaccounts/{name}/token (authentication.k8s.io/v1 TokenRequest, what <c>kubectl create token</c> posts):
/// a bearer token for the service account, bound to its cluster and expiring after expirationSeconds.
/// </summary>
internal sealed class TokenRequests(BearerTokens tokens, TimeProvider time)
{
    /// <summary>Default lifetime when the request names none: one hour, as kube-apiserver.</summary>
    public const long DefaultSeconds = 3600;

    /// <summary>Shortest lifetime kube-apiserver accepts: ten minutes.</summary>
    public const long MinimumSeconds = 600;

    /// <summary>The TokenRequest kind, for reading request bodies (JSON or protobuf).</summary>
    public static KindDefinition Kind { get; } = new()
    {
        Group = "authentication.k8s.io",
        Version = "v1",
        Kind = "TokenRequest",
        Plural = "tokenrequests",
        Singular = "",
        Namespaced = true,
        Schema = Schemas.Object(
            "A request for a service account token.",
            ("apiVersion", Schemas.String("Versioned schema of this object.")),
            ("kind", Schemas.String("Kind of this object.")),
            ("metadata", Schemas.Any("Standard object metadata.")),
            ("spec", Schemas.Object(
                "What is asked for.",
                ("audiences", Schemas.ListOf(Schemas.String(), "Intended audiences of the token.")),
                ("expirationSeconds", Schemas.Int64("Requested lifetime in seconds.")),
                ("boundObjectRef", Schemas.Any("An object the token is bound to.")))),
            ("status", Schemas.Any("The issued token."))),
    };

    /// <summary>Issues the token for service account <paramref name="serviceAccount"/> (which exists) and returns the completed TokenRequest.</summary>
    public async Task<JsonObject> IssueAsync(string cluster, string ns, JsonObject serviceAccount, JsonObject request, CancellationToken cancellationToken)
    {
        var spec = request["spec"] as JsonObject ?? [];
        var seconds = spec["expirationSeconds"] is JsonValue value && long.TryParse(value.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var asked) ? asked : DefaultSeconds;
        if (seconds < MinimumSeconds || seconds > uint.MaxValue)
        {
            throw KubeApiException.Invalid(Kind.Group, Kind.Kind, "", [new StatusCause("FieldValueInvalid", $"Invalid value: {seconds}: may not specify a duration less than 10 minutes", "spec.expirationSeconds")]);
        }

        var name = serviceAccount.Metadata().GetString("name")!;
        var identity = new TokenIdentity(cluster, $"system:serviceaccount:{ns}:{name}", ["system:serviceaccounts", $"system:serviceaccounts:{ns}", "system:authenticated"]);
        var lifetime = TimeSpan.FromSeconds(seconds);
        var token = await tokens.IssueAsync(identity, cancellationToken, lifetime);
        var expires = time.GetUtcNow() + lifetime;
        spec["expirationSeconds"] = seconds;
        spec["audiences"] ??= new JsonArray();
        return new JsonObject
        {
            ["kind"] = Kind.Kind,
            ["apiVersion"] = Kind.ApiVersion,
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["creationTimestamp"] = ResourceStore.Timestamp(time.GetUtcNow()) },
            ["spec"] = spec.DeepClone(),
            ["status"] = new JsonObject { ["token"] = token, ["expirationTimestamp"] = ResourceStore.Timestamp(expires) },
        };
    }
}
