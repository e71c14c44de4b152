using System.Text.Json;
using System.Text.Json.Nodes;

namespace EdgeCloud.Kube.Selectors;

public sealed partial class LabelSelector
{
    /// <summary>
    /// Converts a metav1.LabelSelector (<c>{"matchLabels":{..},"matchExpressions":[{"key","operator","values"}]}</c>)
    /// as metav1.LabelSelectorAsSelector does: null selects nothing (<see cref="Nothing"/>), an object with no
    /// requirements selects everything (<see cref="Everything"/>). Operators are In, NotIn, Exists and DoesNotExist;
    /// In and NotIn need values, Exists and DoesNotExist take none.
    /// </summary>
    /// <exception cref="SelectorException">The selector is malformed or invalid; the message is kube-apiserver's where it has one.</exception>
    public static LabelSelector FromObject(JsonObject? selector)
    {
        if (selector is null)
        {
            return Nothing;
        }

        var requirements = new List<LabelRequirement>();
        switch (selector["matchLabels"])
        {
            case null:
                break;
            case JsonObject matchLabels:
                foreach (var (key, node) in matchLabels)
                {
                    requirements.Add(LabelRequirement.Create(key, SelectorOperator.Equals, [RequireString(node, "matchLabels." + key)]));
                }

                break;
            default:
                throw new SelectorException("matchLabels: must be an object of string values");
        }

        switch (selector["matchExpressions"])
        {
            case null:
                break;
            case JsonArray matchExpressions:
                for (var i = 0; i < matchExpressions.Count; i++)
                {
                    requirements.Add(ExpressionRequirement(matchExpressions[i], $"matchExpressions[{i}]"));
                }

                break;
            default:
                throw new SelectorException("matchExpressions: must be a list");
        }

        return FromRequirements(requirements);
    }

    /// <summary>
    /// A selector requiring each key to equal its value (labels.SelectorFromValidatedSet), as for a Service's or
    /// ReplicationController's <c>spec.selector</c>; an empty map selects everything.
    /// </summary>
    /// <exception cref="SelectorException">A key or value is not a valid label key or value.</exception>
    public static LabelSelector FromSet(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return FromRequirements(labels.Select(pair => LabelRequirement.Create(pair.Key, SelectorOperator.Equals, [pair.Value])));
    }

    /// <summary>Like <see cref="FromSet(IReadOnlyDictionary{string, string})"/> for a JSON map; null or <c>{}</c> selects everything.</summary>
    /// <exception cref="SelectorException">A key or value is not a valid label key or value, or a value is not a string.</exception>
    public static LabelSelector FromSet(JsonObject? labels) =>
        labels is null
            ? Everything
            : FromRequirements(labels.Select(pair => LabelRequirement.Create(pair.Key, SelectorOperator.Equals, [RequireString(pair.Value, pair.Key)])));

    private static LabelRequirement ExpressionRequirement(JsonNode? node, string path)
    {
        if (node is not JsonObject expression)
        {
            throw new SelectorException($"{path}: must be an object");
        }

        var key = RequireString(expression["key"], path + ".key");
        var operatorText = RequireString(expression["operator"], path + ".operator");

        // metav1.LabelSelectorAsSelector refuses anything but these four (no gt/lt in the object form).
        var op = operatorText switch
        {
            "In" => SelectorOperator.In,
            "NotIn" => SelectorOperator.NotIn,
            "Exists" => SelectorOperator.Exists,
            "DoesNotExist" => SelectorOperator.DoesNotExist,
            _ => throw new SelectorException($"\"{operatorText}\" is not a valid label selector operator"),
        };

        var values = new List<string>();
        switch (expression["values"])
        {
            case null:
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    values.Add(RequireString(array[i], $"{path}.values[{i}]"));
                }

                break;
            default:
                throw new SelectorException($"{path}.values: must be a list of strings");
        }

        return LabelRequirement.Create(key, op, values);
    }

    private static string RequireString(JsonNode? node, string path) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String
            ? value.GetValue<string>()
            : throw new SelectorException($"{path}: must be a string");
}
