using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace EdgeCloud.Server.Security;

/// <summary>
/// What a kubeconfig for one EdgeCloud cluster says: where the API is, which CA to trust and which bearer token
/// to send. <see cref="KubeconfigWriter"/> writes it; <see cref="KubeconfigReader"/> reads it back.
/// </summary>
public sealed record ClusterKubeconfig
{
    /// <summary>Prefix of the cluster, user and context names, so EdgeCloud entries merge cleanly into a shared kubeconfig.</summary>
    public const string EntryNamePrefix = "edgecloud-";

    /// <summary>The cluster's name in EdgeCloud, e.g. <c>default</c>.</summary>
    public required string ClusterName { get; init; }

    /// <summary>The API server URL, e.g. <c>https://127.0.0.1:6443/clusters/default</c>.</summary>
    public required string Server { get; init; }

    /// <summary>PEM of the CA that signs the serving certificate.</summary>
    public required string CertificateAuthorityPem { get; init; }

    /// <summary>The bearer token the user authenticates with.</summary>
    public required string Token { get; init; }

    /// <summary>Name of the kubeconfig cluster, user and context entries: <c>edgecloud-&lt;cluster name&gt;</c>.</summary>
    public string EntryName => EntryNamePrefix + ClusterName;

    /// <summary>
    /// The URL clients use for cluster <paramref name="clusterName"/> of a host listening on
    /// <paramref name="listenHost"/>:<paramref name="port"/>. A wildcard listen address is not an address a client
    /// can dial, so it becomes 127.0.0.1, as k3s's own kubeconfig points at 127.0.0.1.
    /// </summary>
    public static string ServerUrl(string listenHost, int port, string clusterName)
    {
        ArgumentNullException.ThrowIfNull(listenHost);
        ArgumentException.ThrowIfNullOrEmpty(clusterName);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);

        var host = listenHost.Trim().TrimStart('[').TrimEnd(']');
        if (SubjectAlternativeNames.IsWildcard(host))
        {
            host = "127.0.0.1";
        }
        else if (IPAddress.TryParse(host, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            // RFC 3986 section 3.2.2: an IPv6 literal in a URL is bracketed.
            host = $"[{host}]";
        }

        return string.Create(CultureInfo.InvariantCulture, $"https://{host}:{port}/clusters/{Uri.EscapeDataString(clusterName)}");
    }
}
