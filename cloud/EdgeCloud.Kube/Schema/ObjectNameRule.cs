namespace EdgeCloud.Kube.Schema;

/// <summary>The name formats kube-apiserver applies to metadata.name, per kind.</summary>
public enum ObjectNameRule
{
    /// <summary>Lowercase DNS-1123 subdomain: at most 253 characters of [a-z0-9-.], alphanumeric at both ends (most kinds).</summary>
    DnsSubdomain,

    /// <summary>Lowercase DNS-1123 label: at most 63 characters of [a-z0-9-], alphanumeric at both ends (Namespace).</summary>
    DnsLabel,

    /// <summary>DNS-1035 label: a DNS-1123 label that starts with a letter (Service).</summary>
    Dns1035Label,

    /// <summary>Any name usable as one URL path segment: not "." or "..", no "/" or "%" (custom resources).</summary>
    PathSegment,
}
