using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace EdgeCloud.Server.Security;

/// <summary>
/// The names a serving certificate must carry: DNS names (lower case, sorted) and IP addresses (sorted).
/// </summary>
public sealed record SubjectAlternativeNames
{
    /// <summary>DNS names, lower case, distinct, in ordinal order.</summary>
    public required IReadOnlyList<string> DnsNames { get; init; }

    /// <summary>IP addresses without scope, distinct, IPv4 first.</summary>
    public required IReadOnlyList<IPAddress> IpAddresses { get; init; }

    /// <summary>
    /// The names for a host listening on <paramref name="listenHost"/>: that host (an IP address or DNS name),
    /// 127.0.0.1, ::1, localhost, the machine's host name and <paramref name="extraNames"/>. A wildcard listen
    /// address (<c>0.0.0.0</c>, <c>::</c>, empty or <c>*</c>) serves every interface, so every address of every
    /// interface is added instead, as k3s adds its node addresses to the serving certificate.
    /// </summary>
    /// <param name="listenHost">Host part of <c>--listen</c>, with or without IPv6 brackets.</param>
    /// <param name="extraNames">More names or IP addresses to cover (k3s's <c>--tls-san</c>).</param>
    public static SubjectAlternativeNames ForListenHost(string listenHost, IEnumerable<string>? extraNames = null)
    {
        ArgumentNullException.ThrowIfNull(listenHost);
        var names = new List<string> { "127.0.0.1", "::1", "localhost" };
        var hostName = Dns.GetHostName();
        if (!string.IsNullOrWhiteSpace(hostName))
        {
            names.Add(hostName);
        }

        if (IsWildcard(listenHost))
        {
            names.AddRange(LocalInterfaceAddresses().Select(address => address.ToString()));
        }
        else
        {
            names.Add(listenHost);
        }

        if (extraNames is not null)
        {
            names.AddRange(extraNames);
        }

        return FromNames(names);
    }

    /// <summary>Sorts <paramref name="names"/> into IP addresses and DNS names, ignoring blanks.</summary>
    /// <exception cref="ArgumentException">A name is neither an IP address nor an ASCII DNS name.</exception>
    public static SubjectAlternativeNames FromNames(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var dnsNames = new SortedSet<string>(StringComparer.Ordinal);
        var addresses = new HashSet<IPAddress>();
        foreach (var raw in names)
        {
            var name = raw.Trim();
            if (name.Length == 0)
            {
                continue;
            }

            if (TryParseAddress(name, out var address))
            {
                addresses.Add(address);
            }
            else if (IsDnsName(name))
            {
                // DNS names compare case-insensitively (RFC 4343); one spelling keeps the set stable across starts.
                dnsNames.Add(name.TrimEnd('.').ToLowerInvariant());
            }
            else
            {
                throw new ArgumentException(
                    $"'{name}' is neither an IP address nor a DNS name (letters, digits, '-', '.', and a leading '*.').",
                    nameof(names));
            }
        }

        return new SubjectAlternativeNames { DnsNames = [.. dnsNames], IpAddresses = Sorted(addresses) };
    }

    /// <summary>The names <paramref name="certificate"/>'s subject alternative name extension carries.</summary>
    public static SubjectAlternativeNames FromCertificate(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var extension = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        if (extension is null)
        {
            return new SubjectAlternativeNames { DnsNames = [], IpAddresses = [] };
        }

        return new SubjectAlternativeNames
        {
            DnsNames = [.. extension.EnumerateDnsNames().Select(name => name.ToLowerInvariant()).Distinct().Order(StringComparer.Ordinal)],
            IpAddresses = Sorted(extension.EnumerateIPAddresses()),
        };
    }

    /// <summary>True when every name and address here is also in <paramref name="other"/>.</summary>
    public bool IsCoveredBy(SubjectAlternativeNames other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return DnsNames.All(name => other.DnsNames.Contains(name, StringComparer.Ordinal))
            && IpAddresses.All(other.IpAddresses.Contains);
    }

    /// <summary>The certificate extension carrying these names.</summary>
    public X509Extension ToExtension()
    {
        var builder = new SubjectAlternativeNameBuilder();
        foreach (var name in DnsNames)
        {
            builder.AddDnsName(name);
        }

        foreach (var address in IpAddresses)
        {
            builder.AddIpAddress(address);
        }

        return builder.Build(critical: false);
    }

    /// <inheritdoc/>
    public bool Equals(SubjectAlternativeNames? other) =>
        other is not null && DnsNames.SequenceEqual(other.DnsNames, StringComparer.Ordinal) && IpAddresses.SequenceEqual(other.IpAddresses);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var name in DnsNames)
        {
            hash.Add(name, StringComparer.Ordinal);
        }

        foreach (var address in IpAddresses)
        {
            hash.Add(address);
        }

        return hash.ToHashCode();
    }

    /// <summary>True for listen hosts that mean "every local address".</summary>
    internal static bool IsWildcard(string listenHost)
    {
        var host = listenHost.Trim();
        return host.Length == 0 || host == "*" || host == "+"
            || (TryParseAddress(host, out var address) && (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)));
    }

    private static bool TryParseAddress(string name, out IPAddress address)
    {
        var unbracketed = name.StartsWith('[') && name.EndsWith(']') ? name[1..^1] : name;
        if (IPAddress.TryParse(unbracketed, out var parsed) && (parsed.AddressFamily == AddressFamily.InterNetworkV6 || unbracketed.Count(c => c == '.') == 3))
        {
            // A SAN holds bare address bytes; a zone such as %eth0 has no place in it.
            address = parsed.AddressFamily == AddressFamily.InterNetworkV6 ? new IPAddress(parsed.GetAddressBytes()) : parsed;
            if (address.IsIPv4MappedToIPv6)
            {
                address = address.MapToIPv4();
            }

            return true;
        }

        address = IPAddress.None;
        return false;
    }

    private static bool IsDnsName(string name)
    {
        var trimmed = name.TrimEnd('.');
        if (trimmed.Length is 0 or > 253)
        {
            return false;
        }

        var labels = trimmed.Split('.');
        for (var i = 0; i < labels.Length; i++)
        {
            var label = labels[i];
            if (i == 0 && label == "*" && labels.Length > 1)
            {
                continue;
            }

            // Letters, digits and hyphens (RFC 1123); Go's crypto/x509 rejects non-ASCII SANs outright.
            if (label.Length is 0 or > 63 || label.StartsWith('-') || label.EndsWith('-')
                || !label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                return false;
            }
        }

        return true;
    }

    private static IEnumerable<IPAddress> LocalInterfaceAddresses()
    {
        NetworkInterface[] interfaces;
        try
        {
            interfaces = NetworkInterface.GetAllNetworkInterfaces();
        }
        catch (NetworkInformationException)
        {
            // Without a list of interfaces the loopback names still make the certificate usable locally.
            return [];
        }

        return interfaces
            .Where(networkInterface => networkInterface.OperationalStatus is OperationalStatus.Up or OperationalStatus.Unknown)
            .SelectMany(networkInterface => networkInterface.GetIPProperties().UnicastAddresses)
            .Select(unicast => unicast.Address)
            // A link-local address is only reachable with a zone, which a certificate cannot name.
            .Where(address => !address.IsIPv6LinkLocal)
            .ToList();
    }

    private static IPAddress[] Sorted(IEnumerable<IPAddress> addresses) =>
        [.. addresses
            .Distinct()
            .OrderBy(address => address.AddressFamily == AddressFamily.InterNetwork ? 0 : 1)
            .ThenBy(address => Convert.ToHexString(address.GetAddressBytes()), StringComparer.Ordinal)];
}
