namespace EdgeCloud.Kube.Selectors;

/// <summary>One requirement of a label selector: key, operator (=, !=, in, notin, exists, !, gt, lt) and values.</summary>
/// <param name="Key">The label key.</param>
/// <param name="Operator">"=", "!=", "in", "notin", "exists", "!", "gt" or "lt".</param>
/// <param name="Values">The values compared with, sorted (empty for exists and !).</param>
public sealed record LabelRequirement(string Key, string Operator, IReadOnlyList<string> Values)
{
    /// <summary>Whether a label set with <paramref name="labels"/> satisfies this requirement.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        var has = labels.TryGetValue(Key, out var value);
        return Operator switch
        {
            "=" or "in" => has && Values.Contains(value!),
            // Upstream: != and notin also select objects without the label.
            "!=" or "notin" => !has || !Values.Contains(value!),
            "exists" => has,
            "!" => !has,
            "gt" => has && long.TryParse(value, out var g) && g > long.Parse(Values[0], System.Globalization.CultureInfo.InvariantCulture),
            "lt" => has && long.TryParse(value, out var l) && l < long.Parse(Values[0], System.Globalization.CultureInfo.InvariantCulture),
            _ => false,
        };
    }

    /// <summary>The requirement in selector syntax.</summary>
    public override string ToString() => Operator switch
    {
        "=" => $"{Key}={Values[0]}",
        "!=" => $"{Key}!={Values[0]}",
        "in" => $"{Key} in ({string.Join(",", Values)})",
        "notin" => $"{Key} notin ({string.Join(",", Values)})",
        "exists" => Key,
        "!" => "!" + Key,
        "gt" => $"{Key}>{Values[0]}",
        _ => $"{Key}<{Values[0]}",
    };
}
