using Microsoft.Net.Http.Headers;

namespace EdgeCloud.Server.Install;

/// <summary>
/// The one-command agent install, as K3s offers it: <c>GET /install.sh</c> (the script, its default server the URL it
/// was fetched from) and <c>GET|HEAD /downloads/edge-agent/{platform}</c> (the binary it installs). Both are
/// unauthenticated: the script trusts the cloud only after checking /cacerts against the join token's CA hash, and
/// downloads the binary over TLS pinned to that CA.
/// </summary>
internal static partial class AgentInstallApi
{
    /// <summary>The script's path.</summary>
    public const string ScriptPath = "/install.sh";

    /// <summary>The binary's path, followed by one of <see cref="AgentBinaries.Platforms"/>.</summary>
    public const string DownloadPrefix = "/downloads/edge-agent/";

    /// <summary>Maps the script and the downloads of <paramref name="binaries"/>.</summary>
    public static void MapAgentInstall(this IEndpointRouteBuilder app, AgentBinaries binaries)
    {
        var logger = app.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AgentInstallApi).FullName!);
        app.MapGet(ScriptPath, static (HttpRequest request) => ServeScript(request));
        app.MapMethods(DownloadPrefix + "{platform}", [HttpMethods.Get, HttpMethods.Head], (string platform) => ServeBinary(platform, binaries, logger));
    }

    private static IResult ServeScript(HttpRequest request)
    {
        if (InstallScript.ServerUrlOf(request, out var problem) is not { } server)
        {
            return Results.Text("install.sh: " + problem + "\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
        }

        // The text depends on the Host it was asked for: no shared cache may hand it to another.
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return Results.Text(InstallScript.Render(server), "text/x-shellscript; charset=utf-8");
    }

    private static IResult ServeBinary(string platform, AgentBinaries binaries, ILogger logger)
    {
        if (!AgentBinaries.Platforms.Contains(platform))
        {
            return NotFound($"there is no edge-agent for \"{platform}\"; the platforms are {string.Join(", ", AgentBinaries.Platforms)}");
        }

        var path = binaries.PathOf(platform);
        var file = path is null ? null : new FileInfo(path);
        if (file is not { Exists: true })
        {
            LogNoBinary(logger, platform);
            var option = platform == AgentBinaries.OwnPlatform ? "--agent-binary PATH" : $"--agent-binary {platform}=PATH";
            return NotFound($"this edgecloud has no edge-agent binary for {platform}: start edgecloud with {option} (a file from `dotnet publish edge-agent/EdgeCloud.Agent -c Release -r {RuntimeIdentifierOf(platform)}`)");
        }

        // Length and modification time name the version, as static file servers' ETags do: a repeated install can
        // ask with If-None-Match (or HEAD) whether the file changed without downloading it.
        var lastModified = new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero);
        var etag = new EntityTagHeaderValue($"\"{file.Length:x}-{lastModified.UtcTicks:x}\"");
        return Results.File(file.FullName, "application/octet-stream", lastModified: lastModified, entityTag: etag, enableRangeProcessing: true);
    }

    private static IResult NotFound(string message) =>
        Results.Text(message + "\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound);

    private static string RuntimeIdentifierOf(string platform) => platform == "linux-arm64" ? "linux-arm64" : "linux-x64";

    [LoggerMessage(Level = LogLevel.Warning, Message = "an agent download for {Platform} was asked for, but no edge-agent binary is configured for it (--agent-binary)")]
    private static partial void LogNoBinary(ILogger logger, string platform);
}
