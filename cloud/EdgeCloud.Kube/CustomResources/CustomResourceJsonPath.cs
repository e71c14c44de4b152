using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EdgeCloud.Kube.CustomResources;

/// <summary>
/// The simple JSONPath forms CRDs use in additionalPrinterColumns and the scale subresource, evaluated as
/// kubectl's k8s.io/client-go/util/jsonpath does with missing keys allowed: fields (<c>.spec.replicas</c>,
/// <c>['a.b']</c>), indexes (<c>[0]</c>, <c>[-1]</c>), wildcards (<c>[*]</c>) and filters comparing a field of
/// each item with a literal (<c>[?(@.type=="Ready")]</c>, <c>[?(@.count&gt;2)]</c>, <c>[?(@.ready)]</c>).
/// Recursive descent, slices, unions and functions are not supported and fail to parse.
/// </summary>
public sealed class CustomResourceJsonPath
{
    private readonly Segment[] _segments;

    private CustomResourceJsonPath(string text, Segment[] segments)
    {
        Text = text;
        _segments = segments;
    }

    /// <summary>The path as written.</summary>
    public string Text { get; }

    /// <summary>True when the path is only field names, so it names one place that can be written (scale paths).</summary>
    public bool IsFieldPath => _segments.All(static s => s is FieldSegment);

    /// <summary>The field names of a path for which <see cref="IsFieldPath"/> holds.</summary>
    public IReadOnlyList<string> Fields => [.. _segments.OfType<FieldSegment>().Select(static s => s.Name)];

    /// <summary>Parses <paramref name="text"/>, or returns false with what is wrong in <paramref name="error"/>.</summary>
    public static bool TryParse(string text, out CustomResourceJsonPath? path, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            path = new CustomResourceJsonPath(text, new Parser(text).Parse());
            error = null;
            return true;
        }
        catch (FormatException e)
        {
            path = null;
            error = e.Message;
            return false;
        }
    }

    /// <summary>Parses <paramref name="text"/>; throws <see cref="FormatException"/> when it is not a supported path.</summary>
    public static CustomResourceJsonPath Parse(string text) =>
        TryParse(text, out var path, out var error) ? path! : throw new FormatException(error);

    /// <summary>
    /// Every value the path selects in <paramref name="root"/>, in document order. A field present with JSON null
    /// selects a null entry; a missing field or index selects nothing.
    /// </summary>
    public IReadOnlyList<JsonNode?> Select(JsonNode? root)
    {
        List<JsonNode?> current = [root];
        foreach (var segment in _segments)
        {
            var next = new List<JsonNode?>();
            foreach (var node in current)
            {
                segment.Apply(node, next);
            }

            current = next;
        }

        return current;
    }

    /// <summary>The first selected value, or null when nothing (or JSON null) is selected.</summary>
    public JsonNode? First(JsonNode? root) => Select(root) is [var first, ..] ? first : null;

    /// <summary>
    /// Writes <paramref name="value"/> at a field path in <paramref name="root"/>, creating missing objects on the
    /// way, as the scale subresource writes specReplicasPath. False when the path is not a field path or an object
    /// on the way is some other value.
    /// </summary>
    public bool TrySet(JsonObject root, JsonNode? value)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (!IsFieldPath || _segments.Length == 0)
        {
            return false;
        }

        var obj = root;
        for (var i = 0; i < _segments.Length - 1; i++)
        {
            var name = ((FieldSegment)_segments[i]).Name;
            if (!obj.TryGetPropertyValue(name, out var child) || child is null)
            {
                child = new JsonObject();
                obj[name] = child;
            }

            if (child is not JsonObject childObject)
            {
                return false;
            }

            obj = childObject;
        }

        obj[((FieldSegment)_segments[^1]).Name] = value;
        return true;
    }

    /// <inheritdoc/>
    public override string ToString() => Text;

    private abstract record Segment
    {
        public abstract void Apply(JsonNode? node, List<JsonNode?> results);
    }

    private sealed record FieldSegment(string Name) : Segment
    {
        public override void Apply(JsonNode? node, List<JsonNode?> results)
        {
            if (node is JsonObject obj && obj.TryGetPropertyValue(Name, out var value))
            {
                results.Add(value);
            }
        }
    }

    private sealed record IndexSegment(int Index) : Segment
    {
        public override void Apply(JsonNode? node, List<JsonNode?> results)
        {
            if (node is not JsonArray array)
            {
                return;
            }

            // Negative indexes count from the end, as in jsonpath's [-1].
            var index = Index < 0 ? array.Count + Index : Index;
            if (index >= 0 && index < array.Count)
            {
                results.Add(array[index]);
            }
        }
    }

    private sealed record WildcardSegment : Segment
    {
        public override void Apply(JsonNode? node, List<JsonNode?> results)
        {
            switch (node)
            {
                case JsonArray array:
                    results.AddRange(array);
                    break;
                case JsonObject obj:
                    results.AddRange(obj.Select(static p => p.Value));
                    break;
            }
        }
    }

    private sealed record FilterSegment(string[] Field, string? Operator, JsonNode? Literal) : Segment
    {
        public override void Apply(JsonNode? node, List<JsonNode?> results)
        {
            if (node is not JsonArray array)
            {
                return;
            }

            foreach (var item in array)
            {
                if (Matches(item))
                {
                    results.Add(item);
                }
            }
        }

        private bool Matches(JsonNode? item)
        {
            JsonNode? value = item;
            foreach (var name in Field)
            {
                if (value is not JsonObject obj || !obj.TryGetPropertyValue(name, out value))
                {
                    return false;
                }
            }

            if (Operator is null)
            {
                // [?(@.x)] keeps items where x exists and is not false or null, as jsonpath's truthiness does.
                return value is not null && value.GetValueKind() != JsonValueKind.False;
            }

            var order = Compare(value, Literal);
            return Operator switch
            {
                "==" => order == 0,
                "!=" => order != 0,
                "<" => order < 0,
                "<=" => order <= 0,
                ">" => order > 0,
                ">=" => order >= 0,
                _ => false,
            };
        }

        /// <summary>Orders two scalars of the same JSON kind; values of different kinds are unequal and unordered.</summary>
        private static int? Compare(JsonNode? left, JsonNode? right)
        {
            if (left is JsonValue l && right is JsonValue r)
            {
                if (l.TryGetValue<string>(out var ls) && r.TryGetValue<string>(out var rs))
                {
                    return string.CompareOrdinal(ls, rs);
                }

                if (CrdJson.TryNumber(l, out var ln) && CrdJson.TryNumber(r, out var rn))
                {
                    return ln.CompareTo(rn);
                }

                var lk = l.GetValueKind();
                var rk = r.GetValueKind();
                if (lk is JsonValueKind.True or JsonValueKind.False && rk is JsonValueKind.True or JsonValueKind.False)
                {
                    return lk == rk ? 0 : null;
                }
            }

            return null;
        }
    }

    private sealed class Parser(string text)
    {
        private readonly string _text = text;
        private int _pos;

        public Segment[] Parse()
        {
            var segments = new List<Segment>();
            var s = _text.Trim();

            // Accept the template braces kubectl's -o jsonpath uses and a leading "$", both of which jsonpath allows.
            if (s.StartsWith('{') && s.EndsWith('}'))
            {
                s = s[1..^1];
            }

            if (s.StartsWith('$'))
            {
                s = s[1..];
            }

            _pos = 0;
            var input = s;
            if (input.Length == 0)
            {
                throw new FormatException("must not be empty");
            }

            while (_pos < input.Length)
            {
                var c = input[_pos];
                if (c == '.')
                {
                    _pos++;
                    if (_pos < input.Length && input[_pos] == '.')
                    {
                        throw new FormatException("recursive descent (..) is not supported");
                    }

                    if (_pos == input.Length)
                    {
                        // A lone "." selects the whole object, as jsonpath's "{.}" does.
                        break;
                    }

                    if (input[_pos] == '*')
                    {
                        _pos++;
                        segments.Add(new WildcardSegment());
                        continue;
                    }

                    segments.Add(new FieldSegment(ReadName(input)));
                }
                else if (c == '[')
                {
                    segments.Add(ReadBracket(input));
                }
                else if (segments.Count == 0)
                {
                    // jsonpath accepts a first field without its dot ("spec.replicas").
                    segments.Add(new FieldSegment(ReadName(input)));
                }
                else
                {
                    throw new FormatException($"unexpected '{c}' at position {_pos}");
                }
            }

            return [.. segments];
        }

        private string ReadName(string input)
        {
            var name = new StringBuilder();
            while (_pos < input.Length && input[_pos] is not ('.' or '['))
            {
                // A backslash escapes a dot in a key, e.g. .metadata.labels.app\.kubernetes\.io/name.
                if (input[_pos] == '\\' && _pos + 1 < input.Length)
                {
                    _pos++;
                }

                name.Append(input[_pos]);
                _pos++;
            }

            if (name.Length == 0)
            {
                throw new FormatException($"missing field name at position {_pos}");
            }

            return name.ToString();
        }

        private Segment ReadBracket(string input)
        {
            var end = FindClosingBracket(input, _pos);
            var content = input[(_pos + 1)..end].Trim();
            _pos = end + 1;
            if (content == "*")
            {
                return new WildcardSegment();
            }

            if (content.Length >= 2 && content[0] is '\'' or '"' && content[^1] == content[0])
            {
                return new FieldSegment(content[1..^1]);
            }

            if (content.StartsWith("?(", StringComparison.Ordinal) && content.EndsWith(')'))
            {
                return ReadFilter(content[2..^1].Trim());
            }

            if (int.TryParse(content, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var index))
            {
                return new IndexSegment(index);
            }

            throw new FormatException($"unsupported subscript [{content}]");
        }

        private static int FindClosingBracket(string input, int open)
        {
            char? quote = null;
            for (var i = open + 1; i < input.Length; i++)
            {
                var c = input[i];
                if (quote is { } q)
                {
                    if (c == q)
                    {
                        quote = null;
                    }
                }
                else if (c is '\'' or '"')
                {
                    quote = c;
                }
                else if (c == ']')
                {
                    return i;
                }
            }

            throw new FormatException("unclosed [");
        }

        private static FilterSegment ReadFilter(string filter)
        {
            if (!filter.StartsWith("@.", StringComparison.Ordinal))
            {
                throw new FormatException($"unsupported filter {filter}: it must compare a field of @");
            }

            string[] operators = ["==", "!=", "<=", ">=", "<", ">"];
            foreach (var op in operators)
            {
                var at = IndexOutsideQuotes(filter, op);
                if (at < 0)
                {
                    continue;
                }

                var field = filter[2..at].Trim();
                var literal = filter[(at + op.Length)..].Trim();
                return new FilterSegment(SplitFields(field), op, ParseLiteral(literal));
            }

            return new FilterSegment(SplitFields(filter[2..].Trim()), null, null);
        }

        private static int IndexOutsideQuotes(string text, string token)
        {
            char? quote = null;
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (quote is { } q)
                {
                    if (c == q)
                    {
                        quote = null;
                    }
                }
                else if (c is '\'' or '"')
                {
                    quote = c;
                }
                else if (string.CompareOrdinal(text, i, token, 0, token.Length) == 0)
                {
                    return i;
                }
            }

            return -1;
        }

        private static string[] SplitFields(string field)
        {
            var names = field.Split('.');
            if (names.Any(static n => n.Length == 0 || n.IndexOfAny(['[', ']', '(', ')', '@', ' ']) >= 0))
            {
                throw new FormatException($"unsupported filter field {field}");
            }

            return names;
        }

        private static JsonNode? ParseLiteral(string literal)
        {
            if (literal.Length >= 2 && literal[0] is '\'' or '"' && literal[^1] == literal[0])
            {
                return JsonValue.Create(literal[1..^1]);
            }

            if (literal is "true" or "false")
            {
                return JsonValue.Create(literal == "true");
            }

            if (double.TryParse(literal, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                return JsonValue.Create(number);
            }

            throw new FormatException($"unsupported filter literal {literal}");
        }
    }
}
