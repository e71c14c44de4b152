using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EdgeCloud.Kube.Api;
using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Kube.Validation;

/// <summary>
/// Checks an object against its kind's schema, the way kube-apiserver's decoding and structural-schema
/// validation do: unknown fields are removed and reported (the caller applies fieldValidation), null values of
/// fields that are not nullable are dropped (Go decoding leaves such fields unset), and type, required, enum,
/// format, length, range and list-key rules produce Invalid causes with the field path.
/// </summary>
public static partial class SchemaValidator
{
    /// <summary>Checks <paramref name="obj"/> in place (removing unknown fields and dropped nulls) against <paramref name="schema"/>.</summary>
    public static SchemaCheck Check(JsonObject obj, SchemaNode schema)
    {
        var walk = new Walk();
        walk.Object(obj, schema, "");
        return new SchemaCheck(walk.Unknown, walk.Errors);
    }

    /// <summary>The message kube-apiserver gives for an unknown field under Strict, for all of them.</summary>
    public static string StrictMessage(IEnumerable<string> unknownFields) =>
        "strict decoding error: " + string.Join(", ", unknownFields.Select(static f => $"unknown field \"{f}\""));

    private sealed class Walk
    {
        public List<string> Unknown { get; } = [];

        public List<StatusCause> Errors { get; } = [];

        public void Value(JsonNode node, SchemaNode schema, string path)
        {
            switch (schema.Type)
            {
                case SchemaType.Any:
                    return;
                case SchemaType.Object when node is JsonObject obj:
                    Object(obj, schema, path);
                    return;
                case SchemaType.Array when node is JsonArray array:
                    Array(array, schema, path);
                    return;
                case SchemaType.String when node is JsonValue v && v.TryGetValue<string>(out var s):
                    String(s, schema, path);
                    return;
                case SchemaType.Integer when node is JsonValue v && IsInteger(v, out var i):
                    Range(i, schema, path);
                    if (schema.Format == "int32" && i is < int.MinValue or > int.MaxValue)
                    {
                        Invalid(path, node, "must be a 32-bit integer");
                    }

                    return;
                case SchemaType.Number when node is JsonValue v && TryNumber(v, out var n):
                    Range(n, schema, path);
                    return;
                case SchemaType.Boolean when node is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False:
                    return;
                case SchemaType.IntOrString when node is JsonValue v && (v.GetValueKind() == JsonValueKind.String || IsInteger(v, out _)):
                    return;
                case SchemaType.Quantity when node is JsonValue v && v.GetValueKind() == JsonValueKind.Number:
                    return;
                case SchemaType.Quantity when node is JsonValue v && v.TryGetValue<string>(out var q):
                    if (!QuantityPattern().IsMatch(q))
                    {
                        Invalid(path, node, "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
                    }

                    return;
                default:
                    Invalid(path, node, $"{Display(path)} in body must be of type {TypeName(schema.Type)}: \"{KindOf(node)}\"");
                    return;
            }
        }

        public void Object(JsonObject obj, SchemaNode schema, string path)
        {
            foreach (var (name, child) in obj.ToList())
            {
                var childPath = Join(path, name);
                var childSchema = schema.Property(name);
                if (childSchema is null)
                {
                    if (!schema.PreserveUnknownFields)
                    {
                        Unknown.Add(childPath);
                        obj.Remove(name);
                    }

                    continue;
                }

                if (child is null)
                {
                    if (!childSchema.Nullable)
                    {
                        obj.Remove(name);
                    }

                    continue;
                }

                Value(child, childSchema, childPath);
            }

            foreach (var required in schema.Required)
            {
                if (obj[required] is null)
                {
                    Errors.Add(new StatusCause("FieldValueRequired", "Required value", Join(path, required)));
                }
            }
        }

        private void Array(JsonArray array, SchemaNode schema, string path)
        {
            if (schema.MinItems is { } min && array.Count < min)
            {
                Invalid(path, array, $"{Display(path)} in body should have at least {min} items");
            }

            if (schema.MaxItems is { } max && array.Count > max)
            {
                Errors.Add(new StatusCause("FieldValueTooMany", $"Too many: {array.Count}: must have at most {max} items", path));
            }

            if (schema.Items is not { } items)
            {
                return;
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < array.Count; i++)
            {
                var itemPath = $"{path}[{i}]";
                if (array[i] is not { } item)
                {
                    Invalid(itemPath, null, $"{Display(itemPath)} in body must be of type {TypeName(items.Type)}: \"null\"");
                    continue;
                }

                Value(item, items, itemPath);
                var identity = ListIdentity(item, schema);
                if (identity is not null && !seen.Add(identity))
                {
                    Errors.Add(new StatusCause("FieldValueDuplicate", $"Duplicate value: {identity}", itemPath));
                }
            }
        }

        private void String(string value, SchemaNode schema, string path)
        {
            if (schema.Enum is { } allowed && !allowed.Contains(value))
            {
                Errors.Add(new StatusCause("FieldValueNotSupported",
                    $"Unsupported value: \"{value}\": supported values: {string.Join(", ", allowed.Select(static a => $"\"{a}\""))}", path));
            }

            if (schema.MinLength is { } min && value.Length < min)
            {
                Invalid(path, value, $"{Display(path)} in body should be at least {min} chars long");
            }

            if (schema.MaxLength is { } max && value.Length > max)
            {
                Errors.Add(new StatusCause("FieldValueTooLong", $"Too long: may not be more than {max} bytes", path));
            }

            if (schema.Pattern is { } pattern && !Regex.IsMatch(value, pattern, RegexOptions.None, TimeSpan.FromSeconds(1)))
            {
                Invalid(path, value, $"{Display(path)} in body should match '{pattern}'");
            }

            switch (schema.Format)
            {
                case "date-time" when !DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _):
                    Invalid(path, value, $"{Display(path)} in body must be of type date-time: \"{value}\"");
                    break;
                case "byte" when !IsBase64(value):
                    Invalid(path, value, $"{Display(path)} in body must be of type byte: \"{value}\"");
                    break;
            }
        }

        private void Range(double value, SchemaNode schema, string path)
        {
            if (schema.Minimum is { } min && value < min)
            {
                Invalid(path, value, $"{Display(path)} in body should be greater than or equal to {min.ToString(CultureInfo.InvariantCulture)}");
            }

            if (schema.Maximum is { } max && value > max)
            {
                Invalid(path, value, $"{Display(path)} in body should be less than or equal to {max.ToString(CultureInfo.InvariantCulture)}");
            }
        }

        private void Invalid(string path, object? value, string detail)
        {
            var shown = value switch
            {
                null => "null",
                JsonNode node => node.ToJsonString(),
                string s => $"\"{s}\"",
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => value.ToString(),
            };
            Errors.Add(new StatusCause("FieldValueInvalid", $"Invalid value: {shown}: {detail}", path));
        }
    }

    /// <summary>The identity of a list item under the list's set or map rules, for duplicate detection; null when items may repeat.</summary>
    private static string? ListIdentity(JsonNode item, SchemaNode list) => list.ListType switch
    {
        ListType.Set => item.ToJsonString(),
        ListType.Map when item is JsonObject obj => string.Join(",", list.ListMapKeys.Select(k => $"{k}={obj[k]?.ToJsonString() ?? "null"}")),
        _ => null,
    };

    private static bool IsInteger(JsonValue value, out double number) =>
        TryNumber(value, out number) && Math.Floor(number) == number && !double.IsInfinity(number);

    /// <summary>Reads a JSON number whether it was parsed (JsonElement) or built in code (int, long, double, decimal).</summary>
    private static bool TryNumber(JsonValue value, out double number)
    {
        number = 0;
        if (value.GetValueKind() != JsonValueKind.Number)
        {
            return false;
        }

        if (value.TryGetValue(out double d))
        {
            number = d;
        }
        else if (value.TryGetValue(out long l))
        {
            number = l;
        }
        else if (value.TryGetValue(out int i))
        {
            number = i;
        }
        else if (value.TryGetValue(out decimal m))
        {
            number = (double)m;
        }
        else
        {
            number = double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture);
        }

        return true;
    }

    private static bool IsBase64(string value)
    {
        var buffer = new byte[value.Length];
        return Convert.TryFromBase64String(value, buffer, out _);
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static string Display(string path) => path.Length == 0 ? "body" : path;

    private static string TypeName(SchemaType type) => type switch
    {
        SchemaType.IntOrString => "integer or string",
        SchemaType.Quantity => "string",
        _ => type.ToString().ToLowerInvariant(),
    };

    private static string KindOf(JsonNode? node) => node?.GetValueKind() switch
    {
        null or JsonValueKind.Null => "null",
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        _ => "boolean",
    };

    // resource.Quantity's serialized form: a signed decimal, then a binary (Ki..Ei) or decimal (n, u, m, k, M..E) suffix or an exponent.
    [GeneratedRegex(@"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+|[KMGTPE]i|[numkMGTPE])?$")]
    private static partial Regex QuantityPattern();
}
