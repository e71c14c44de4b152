using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace EdgeCloud.Server.Install;

/// <summary>
/// The agent install script (Install/install.sh, embedded), served with its default --server set to the URL the
/// request came to. That value comes from the request's Host header, so it is held to host and port characters and
/// written inside single quotes: nothing a client sends can become shell code.
/// </summary>
internal static partial class InstallScript
{
    /// <summary>The placeholder, single-quoted in the script, that <see cref="Render"/> replaces.</summary>
    public const string Placeholder = "'@EDGECLOUD_SERVER@'";

    // A DNS name's 253 characters, ':' and a port.
    private const int MaxAuthorityLength = 253 + 6;

    private const string ResourceName = "EdgeCloud.Server.Install.install.sh";

    private static readonly Lazy<string> Template = new(LoadTemplate);

    /// <summary>The script text as shipped (its default server still the placeholder).</summary>
    public static string Text => Template.Value;

    /// <summary>The script with <paramref name="serverUrl"/> (already checked by <see cref="ServerUrlOf"/>) as its default server.</summary>
    public static string Render(string serverUrl) => Template.Value.Replace(Placeholder, "'" + serverUrl + "'", StringComparison.Ordinal);

    /// <summary>
    /// https://HOST[:PORT] of the request, or null with <paramref name="problem"/> when the request was not over https
    /// or its Host is not a DNS name, an IPv4 address or a bracketed IPv6 address with an optional port.
    /// </summary>
    /// <remarks>
    /// The server configures no forwarded-headers middleware, so X-Forwarded-Host/Proto are not trusted: behind a
    /// proxy that rewrites Host, pass --server to the script.
    /// </remarks>
    public static string? ServerUrlOf(HttpRequest request, out string? problem)
    {
        problem = null;
        if (!string.Equals(request.Scheme, "https", StringComparison.Ordinal))
        {
            problem = "install.sh is served over https only";
            return null;
        }

        var authority = request.Host.Value ?? "";
        if (authority.Length > MaxAuthorityLength || Authority().Match(authority) is not { Success: true } match)
        {
            problem = "the Host header is not HOST[:PORT] of a DNS name or IP address; request install.sh at the cloud's address, or pass --server to the script";
            return null;
        }

        var host = match.Groups["host"].Value;
        if (host.StartsWith('[') && !(IPAddress.TryParse(host[1..^1], out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6))
        {
            problem = "the Host header's bracketed address is not an IPv6 address";
            return null;
        }

        var port = match.Groups["port"];
        if (port.Success && int.Parse(port.Value, CultureInfo.InvariantCulture) is < 1 or > 65535)
        {
            problem = "the Host header's port is not from 1 to 65535";
            return null;
        }

        return "https://" + authority;
    }

    // A DNS name (labels of letters, digits and inner hyphens) or IPv4 address, or [IPv6], then an optional :port.
    [GeneratedRegex(@"^(?<host>[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]{2,45}\])(?::(?<port>[0-9]{1,5}))?$")]
    private static partial Regex Authority();

    private static string LoadTemplate()
    {
        using var stream = typeof(InstallScript).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"the embedded resource {ResourceName} is missing from the edgecloud assembly");
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        if (!text.Contains(Placeholder, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"install.sh has no {Placeholder} for the default server");
        }

        return text;
    }
}
