using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EdgeCloud.Kube.Schema;
using EdgeCloud.Kube.Storage;

namespace EdgeCloud.Kube.Api;

/// <summary>
/// Validation of metadata.name, metadata.generateName and metadata.namespace with kube-apiserver's rules and
/// messages (apimachinery validation: IsDNS1123Subdomain, IsDNS1123Label, IsDNS1035Label, path segment names).
/// </summary>
public static partial class ObjectNames
{
    /// <summary>Longest DNS-1123 subdomain.</summary>
    public const int MaxSubdomainLength = 253;

    /// <summary>Longest DNS label.</summary>
    public const int MaxLabelLength = 63;

    /// <summary>
    /// Throws 422 Invalid when the object's name (or, before a name is generated, its generateName prefix) or
    /// namespace breaks the kind's rule.
    /// </summary>
    public static void Validate(KindDefinition kind, JsonObject obj)
    {
        var metadata = obj.Metadata();
        var name = metadata.GetString("name");
        var causes = new List<StatusCause>();
        if (!string.IsNullOrEmpty(name))
        {
            causes.AddRange(Check(kind.NameRule, name, "metadata.name", prefix: false));
        }
        else if (metadata.GetString("generateName") is { Length: > 0 } generateName)
        {
            causes.AddRange(Check(kind.NameRule, generateName, "metadata.generateName", prefix: true));
        }
        else
        {
            causes.Add(new StatusCause("FieldValueRequired", "Required value: name or generateName is required", "metadata.name"));
        }

        if (kind.Namespaced && metadata.GetString("namespace") is { Length: > 0 } ns)
        {
            causes.AddRange(Check(ObjectNameRule.DnsLabel, ns, "metadata.namespace", prefix: false));
        }

        if (causes.Count > 0)
        {
            throw KubeApiException.Invalid(kind.Group, kind.Kind, name ?? "", causes);
        }
    }

    /// <summary>The errors of <paramref name="value"/> under <paramref name="rule"/>; none when valid.</summary>
    public static IReadOnlyList<StatusCause> Check(ObjectNameRule rule, string value, string field, bool prefix)
    {
        // A generateName prefix is checked as if the random suffix were already appended, as upstream does
        // (it appends "a" so that a trailing "-" is fine).
        var candidate = prefix ? value + "a" : value;
        var problems = rule switch
        {
            ObjectNameRule.DnsLabel => LabelProblems(candidate, Dns1123Label(), "[a-z0-9]([-a-z0-9]*[a-z0-9])?", "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character", "my-name", "123-abc"),
            ObjectNameRule.Dns1035Label => LabelProblems(candidate, Dns1035Label(), "[a-z]([-a-z0-9]*[a-z0-9])?", "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character", "my-name", "abc-123"),
            ObjectNameRule.PathSegment => PathSegmentProblems(candidate),
            _ => SubdomainProblems(candidate),
        };
        return [.. problems.Select(p => new StatusCause("FieldValueInvalid", $"Invalid value: \"{value}\": {p}", field))];
    }

    private static IEnumerable<string> SubdomainProblems(string value)
    {
        if (value.Length > MaxSubdomainLength)
        {
            yield return $"must be no more than {MaxSubdomainLength} characters";
        }

        if (!Dns1123Subdomain().IsMatch(value))
        {
            yield return "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
        }
    }

    private static IEnumerable<string> LabelProblems(string value, Regex pattern, string patternText, string rule, string example1, string example2)
    {
        if (value.Length > MaxLabelLength)
        {
            yield return $"must be no more than {MaxLabelLength} characters";
        }

        if (!pattern.IsMatch(value))
        {
            yield return $"{rule} (e.g. '{example1}',  or '{example2}', regex used for validation is '{patternText}')";
        }
    }

    private static IEnumerable<string> PathSegmentProblems(string value)
    {
        if (value is "." or "..")
        {
            yield return $"may not be '{value}'";
        }

        foreach (var forbidden in new[] { "/", "%" })
        {
            if (value.Contains(forbidden, StringComparison.Ordinal))
            {
                yield return $"may not contain '{forbidden}'";
            }
        }
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Dns1123Subdomain();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1123Label();

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1035Label();
}
