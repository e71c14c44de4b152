using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeCloud.Kube.Api;
using EdgeCloud.Kube.Patching;
using EdgeCloud.Kube.Protobuf;
using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Server.Api;

/// <summary>
/// Reading request bodies: at most 3 MiB (413 beyond, as kube-apiserver), JSON only for objects (415 otherwise),
/// and the patch media types kube-apiserver accepts for PATCH.
/// </summary>
internal static class RequestBodies
{
    /// <summary>An object body of <paramref name="kind"/>.</summary>
    public static async Task<JsonObject> ReadObjectAsync(HttpContext context, KindDefinition kind)
    {
        var mediaType = MediaType(context.Request);
        if (mediaType == KubeProtobufDecoder.MediaType)
        {
            // kubectl 1.32+ sends its generator commands' objects as protobuf and does not retry as JSON.
            try
            {
                return KubeProtobufDecoder.Decode(await ReadBytesAsync(context), kind);
            }
            catch (InvalidProtobufException error)
            {
                throw error.Unsupported ? new KubeApiException(415, "UnsupportedMediaType", error.Message) : KubeApiException.BadRequest(error.Message);
            }
        }

        if (mediaType is not ("application/json" or ""))
        {
            throw Unsupported(mediaType, "application/json, application/vnd.kubernetes.protobuf");
        }

        return await ParseAsync(context) as JsonObject ?? throw KubeApiException.BadRequest($"the body of the request must be a {kind.Kind} object");
    }

    /// <summary>True when the request is a server-side apply.</summary>
    public static bool IsApply(HttpRequest request) => MediaType(request) == ResourceHandler.ApplyMediaType;

    /// <summary>A server-side apply body: YAML (or JSON) holding one object.</summary>
    public static async Task<JsonObject> ReadApplyAsync(HttpContext context)
    {
        var text = System.Text.Encoding.UTF8.GetString(await ReadBytesAsync(context));
        return YamlDocuments.Parse(text) as JsonObject ?? throw KubeApiException.BadRequest("the apply body must be an object");
    }

    /// <summary>A PATCH body with its media type; 415 for a type no patch engine serves.</summary>
    public static async Task<PatchRequest> ReadPatchAsync(HttpContext context)
    {
        var mediaType = MediaType(context.Request);
        if (!ObjectPatch.Accepted().Contains(mediaType))
        {
            throw Unsupported(mediaType, string.Join(", ", [.. ObjectPatch.Accepted(), ResourceHandler.ApplyMediaType]));
        }

        var body = await ParseAsync(context) ?? throw KubeApiException.BadRequest("the patch body is null");
        return new PatchRequest(mediaType, body);
    }

    /// <summary>
    /// An optional object body (DELETE carries DeleteOptions or nothing): null when the body is empty, else the
    /// same size limit and JSON rules as any body.
    /// </summary>
    public static async Task<JsonObject?> ReadOptionalObjectAsync(HttpContext context, string what)
    {
        var bytes = await ReadBytesAsync(context, allowEmpty: true);
        return bytes.Length == 0 ? null : Parse(bytes) as JsonObject ?? throw KubeApiException.BadRequest($"the body of the request must be a {what} object");
    }

    private static async Task<byte[]> ReadBytesAsync(HttpContext context, bool allowEmpty = false)
    {
        var request = context.Request;
        if (request.ContentLength > ResourceHandler.MaxBodyBytes)
        {
            throw TooLarge();
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, context.RequestAborted);
        if (buffer.Length > ResourceHandler.MaxBodyBytes)
        {
            throw TooLarge();
        }

        if (buffer.Length == 0 && !allowEmpty)
        {
            throw KubeApiException.BadRequest("the request body is empty");
        }

        return buffer.ToArray();
    }

    private static async Task<JsonNode?> ParseAsync(HttpContext context) => Parse(await ReadBytesAsync(context));

    private static JsonNode? Parse(byte[] bytes)
    {
        try
        {
            return JsonNode.Parse(bytes, documentOptions: new JsonDocumentOptions { MaxDepth = 1000 });
        }
        catch (JsonException ex)
        {
            throw KubeApiException.BadRequest($"the request body is not valid JSON: {ex.Message}");
        }
    }

    private static string MediaType(HttpRequest request) => (request.ContentType ?? "").Split(';')[0].Trim().ToLowerInvariant();

    private static KubeApiException TooLarge() => new(413, "RequestEntityTooLarge", "Request entity too large: limit is 3145728");

    private static KubeApiException Unsupported(string mediaType, string accepted) =>
        new(415, "UnsupportedMediaType", $"the body of the request was in an unknown format \"{mediaType}\" - accepted media types include: {accepted}");
}
