using System.Reflection;

namespace EdgeCloud.Server.Portal;

/// <summary>
/// The portal's web pages: sign up, sign in, and the clusters page (create, delete, kubeconfig downloads, the
/// agent install command). Static files embedded in the executable, plain HTML and JavaScript over the REST API;
/// served with a Content-Security-Policy that allows only this origin's scripts and styles, and no framing.
/// </summary>
internal static class PortalPages
{
    private static readonly Dictionary<string, (string Resource, string ContentType)> Files = new(StringComparer.Ordinal)
    {
        ["/signup"] = ("signup.html", "text/html; charset=utf-8"),
        ["/login"] = ("login.html", "text/html; charset=utf-8"),
        ["/clusters"] = ("clusters.html", "text/html; charset=utf-8"),
        ["/portal/portal.js"] = ("portal.js", "text/javascript; charset=utf-8"),
        ["/portal/layout.css"] = ("layout.css", "text/css; charset=utf-8"),
        // Named by every page: without an icon Chromium asks for /favicon.ico, and logs its 404 as a console error.
        ["/portal/favicon.svg"] = ("favicon.svg", "image/svg+xml"),
    };

    /// <summary>Maps the pages; "/" goes to the clusters page (which sends a visitor without a session to sign in).</summary>
    public static void MapPortalPages(this IEndpointRouteBuilder app)
    {
        var contents = Files.ToDictionary(f => f.Key, f => (Bytes: Load(f.Value.Resource), f.Value.ContentType), StringComparer.Ordinal);
        foreach (var (path, (bytes, contentType)) in contents)
        {
            app.MapGet(path, (HttpContext context) =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                headers.XFrameOptions = "DENY";
                headers.CacheControl = "no-cache";
                return Results.Bytes(bytes, contentType);
            });
        }

        app.MapGet("/", static () => Results.Redirect("/clusters"));
    }

    private static byte[] Load(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("EdgeCloud.Server.Portal.Pages." + name)
                           ?? throw new InvalidOperationException($"the portal page {name} is not embedded");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
