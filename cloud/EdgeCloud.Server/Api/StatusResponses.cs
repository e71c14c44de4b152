using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeCloud.Kube.Api;

namespace EdgeCloud.Server.Api;

/// <summary>metav1.Status bodies: every error the API returns is one, with the HTTP code repeated inside.</summary>
internal static class StatusResponses
{
    /// <summary>The Status object for <paramref name="error"/>.</summary>
    public static JsonObject ToStatus(KubeApiException error)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = error.Message,
            ["reason"] = error.Reason,
            ["code"] = error.Code,
        };
        if (error.Details is { } d)
        {
            var details = new JsonObject();
            if (d.Name is not null)
            {
                details["name"] = d.Name;
            }

            if (d.Group is not null)
            {
                details["group"] = d.Group;
            }

            if (d.Kind is not null)
            {
                details["kind"] = d.Kind;
            }

            if (d.Uid is not null)
            {
                details["uid"] = d.Uid;
            }

            if (d.Causes.Count > 0)
            {
                details["causes"] = new JsonArray(d.Causes.Select(static c => (JsonNode)new JsonObject
                {
                    ["reason"] = c.Reason,
                    ["message"] = c.Message,
                    ["field"] = c.Field,
                }).ToArray());
            }

            if (error.RetryAfterSeconds is { } retry)
            {
                details["retryAfterSeconds"] = retry;
            }

            status["details"] = details;
        }

        else if (error.RetryAfterSeconds is { } retryAfter)
        {
            status["details"] = new JsonObject { ["retryAfterSeconds"] = retryAfter };
        }

        return status;
    }

    /// <summary>Writes <paramref name="error"/> as the response.</summary>
    public static async Task WriteAsync(HttpContext context, KubeApiException error)
    {
        context.Response.StatusCode = error.Code;
        if (error.RetryAfterSeconds is { } retry)
        {
            context.Response.Headers.RetryAfter = retry.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, ToStatus(error), ServerJsonContext.Default.JsonObject, context.RequestAborted);
    }

    /// <summary>A Status of success (delete of an object that is gone at once returns the object instead).</summary>
    public static JsonObject Success(string name, string group, string plural, string uid) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Success",
        ["details"] = new JsonObject { ["name"] = name, ["group"] = group, ["kind"] = plural, ["uid"] = uid },
    };
}
