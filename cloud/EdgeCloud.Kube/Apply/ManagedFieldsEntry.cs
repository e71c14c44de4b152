using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EdgeCloud.Kube.Apply;

/// <summary>One entry of metadata.managedFields (meta/v1 ManagedFieldsEntry) with its fields decoded.</summary>
public sealed record ManagedFieldsEntry
{
    /// <summary>The fieldManager that wrote these fields.</summary>
    public required string Manager { get; init; }

    /// <summary>Apply or Update.</summary>
    public required ManagedFieldsOperation Operation { get; init; }

    /// <summary>The API version the request used, e.g. "apps/v1".</summary>
    public required string ApiVersion { get; init; }

    /// <summary>When the entry last changed; written in RFC 3339 with whole seconds.</summary>
    public DateTimeOffset? Time { get; init; }

    /// <summary>The subresource written through ("status", "scale"), or null for the main resource.</summary>
    public string? Subresource { get; init; }

    /// <summary>The owned fields.</summary>
    public required FieldSet Fields { get; init; }

    /// <summary>
    /// True when <paramref name="other"/> is the same owner: upstream keys entries by manager, operation and
    /// subresource, and Update entries by apiVersion too (an applier keeps one entry whatever version it uses).
    /// </summary>
    public bool IsSameOwner(ManagedFieldsEntry other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Manager == other.Manager
            && Operation == other.Operation
            && (Subresource ?? string.Empty) == (other.Subresource ?? string.Empty)
            && (Operation == ManagedFieldsOperation.Apply || ApiVersion == other.ApiVersion);
    }

    /// <summary>
    /// The manager as conflict messages name it: <c>"kubectl" using apps/v1</c> for an Update entry,
    /// <c>"mgr"</c> for an Apply entry, with <c>with subresource "status"</c> after the name when set.
    /// </summary>
    public string Describe()
    {
        var text = CanonicalJson.GoQuote(Manager);
        if (!string.IsNullOrEmpty(Subresource))
        {
            text += " with subresource " + CanonicalJson.GoQuote(Subresource);
        }

        return Operation == ManagedFieldsOperation.Update ? $"{text} using {ApiVersion}" : text;
    }

    /// <summary>The entry as it is stored in metadata.managedFields.</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["manager"] = Manager,
            ["operation"] = Operation.ToString(),
            ["apiVersion"] = ApiVersion,
        };
        if (Time is { } time)
        {
            json["time"] = FormatTime(time);
        }

        json["fieldsType"] = "FieldsV1";
        json["fieldsV1"] = Fields.ToFieldsV1();
        if (!string.IsNullOrEmpty(Subresource))
        {
            json["subresource"] = Subresource;
        }

        return json;
    }

    /// <summary>Reads one stored entry.</summary>
    /// <exception cref="FormatException">The entry is not a valid FieldsV1 entry.</exception>
    public static ManagedFieldsEntry FromJson(JsonNode? json)
    {
        if (json is not JsonObject obj)
        {
            throw new FormatException("a managedFields entry must be an object");
        }

        var operation = Text(obj, "operation") switch
        {
            "Apply" => ManagedFieldsOperation.Apply,
            "Update" => ManagedFieldsOperation.Update,
            var other => throw new FormatException($"unknown managedFields operation \"{other}\""),
        };
        if (Text(obj, "fieldsType") is var fieldsType && fieldsType != "FieldsV1")
        {
            throw new FormatException($"unknown fieldsType \"{fieldsType}\"");
        }

        DateTimeOffset? time = null;
        if (Text(obj, "time") is { Length: > 0 } timeText)
        {
            time = DateTimeOffset.TryParse(timeText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
                ? parsed
                : throw new FormatException($"invalid managedFields time \"{timeText}\"");
        }

        return new ManagedFieldsEntry
        {
            Manager = Text(obj, "manager") ?? string.Empty,
            Operation = operation,
            ApiVersion = Text(obj, "apiVersion") ?? string.Empty,
            Time = time,
            Subresource = Text(obj, "subresource") is { Length: > 0 } subresource ? subresource : null,
            Fields = FieldSet.FromFieldsV1(obj["fieldsV1"] ?? new JsonObject()),
        };
    }

    /// <summary>RFC 3339 in UTC with whole seconds, as metav1.Time is serialized.</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string? Text(JsonObject obj, string name) => obj[name] switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => throw new FormatException($"managedFields {name} must be a string"),
    };
}
