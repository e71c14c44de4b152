using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EdgeCloud.Kube.Api;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace EdgeCloud.Server.Api;

/// <summary>
/// YAML request bodies (server-side apply sends application/apply-patch+yaml) as JSON, with YAML 1.2 core-schema
/// typing of plain scalars as Kubernetes' sigs.k8s.io/yaml does: unquoted true/false, null/~, integers and floats
/// become JSON values; quoted scalars stay strings. JSON is valid YAML, so JSON bodies read the same.
/// </summary>
internal static partial class YamlDocuments
{
    /// <summary>The single document of <paramref name="text"/> as JSON; 400 when it does not parse or holds several documents.</summary>
    public static JsonNode? Parse(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException error)
        {
            throw KubeApiException.BadRequest($"error converting YAML to JSON: yaml: line {error.Start.Line}: {error.Message}");
        }

        return stream.Documents.Count switch
        {
            0 => null,
            1 => Convert(stream.Documents[0].RootNode),
            _ => throw KubeApiException.BadRequest("error converting YAML to JSON: the body holds more than one YAML document"),
        };
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => Map(map),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(Convert)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw KubeApiException.BadRequest($"error converting YAML to JSON: unsupported node at line {node.Start.Line}"),
    };

    private static JsonObject Map(YamlMappingNode map)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in map.Children)
        {
            var name = key is YamlScalarNode { Value: { } text } ? text : throw KubeApiException.BadRequest($"error converting YAML to JSON: a map key at line {key.Start.Line} is not a string");
            if (obj.ContainsKey(name))
            {
                throw KubeApiException.BadRequest($"error converting YAML to JSON: yaml: key \"{name}\" already set in map");
            }

            obj[name] = Convert(value);
        }

        return obj;
    }

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any))
        {
            return text;
        }

        return text switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => true,
            "false" or "False" or "FALSE" => false,
            _ when IntegerPattern().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer) => integer,
            _ when FloatPattern().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => number,
            _ => text,
        };
    }

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
