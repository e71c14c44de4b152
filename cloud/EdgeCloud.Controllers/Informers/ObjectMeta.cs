using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeCloud.Kube.Storage;

namespace EdgeCloud.Controllers.Informers;

/// <summary>
/// What the garbage collector and the namespace controller need of any object, of any kind (custom resources too):
/// where it is stored, its identity, its owners and finalizers, whether it is being deleted. Kept for every key of
/// a cluster, as upstream's garbage collector keeps a metadata-only graph.
/// </summary>
public sealed record ObjectMeta
{
    /// <summary>The store key, /{group}/{plural}/[{namespace}/]{name}.</summary>
    public required string Key { get; init; }

    /// <summary>The key prefix of the kind, /{group}/{plural}/.</summary>
    public required string KindPrefix { get; init; }

    /// <summary>metadata.namespace, or null for cluster-scoped objects.</summary>
    public string? Namespace { get; init; }

    /// <summary>metadata.name.</summary>
    public required string Name { get; init; }

    /// <summary>metadata.uid.</summary>
    public string? Uid { get; init; }

    /// <summary>The object's mod revision (its resourceVersion).</summary>
    public required long Revision { get; init; }

    /// <summary>metadata.ownerReferences.</summary>
    public IReadOnlyList<OwnerLink> Owners { get; init; } = [];

    /// <summary>metadata.finalizers.</summary>
    public IReadOnlyList<string> Finalizers { get; init; } = [];

    /// <summary>metadata.deletionTimestamp is set.</summary>
    public bool Deleting { get; init; }

    /// <summary>
    /// The metadata of a stored value, read without building the object (most keys of a cluster are of kinds no
    /// loop reads in full); null when it is not an object with a name.
    /// </summary>
    public static ObjectMeta? Parse(string key, long revision, ReadOnlySpan<byte> value)
    {
        try
        {
            var reader = new Utf8JsonReader(value);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!reader.ValueTextEquals("metadata"u8))
                {
                    reader.Read();
                    reader.Skip();
                    continue;
                }

                reader.Read();
                var metadata = JsonNode.Parse(ref reader) as JsonObject;
                return From(key, revision, new JsonObject { ["metadata"] = metadata });
            }

            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The metadata of an object.</summary>
    public static ObjectMeta? From(string key, long revision, JsonObject? obj)
    {
        if (obj?["metadata"] is not JsonObject metadata || metadata.GetString("name") is not { } name)
        {
            return null;
        }

        var owners = (metadata["ownerReferences"] as JsonArray)?.OfType<JsonObject>()
            .Where(static r => r.GetString("uid") is not null)
            .Select(static r => new OwnerLink(r.GetString("uid")!, r.GetString("kind") ?? "", r.GetString("name") ?? "", r["blockOwnerDeletion"] is JsonValue b && b.TryGetValue<bool>(out var block) && block))
            .ToArray() ?? [];
        var finalizers = (metadata["finalizers"] as JsonArray)?.Select(static f => f?.ToString()).OfType<string>().ToArray() ?? [];
        return new ObjectMeta
        {
            Key = key,
            KindPrefix = KindPrefixOf(key),
            Namespace = metadata.GetString("namespace"),
            Name = name,
            Uid = metadata.GetString("uid"),
            Revision = revision,
            Owners = owners,
            Finalizers = finalizers,
            Deleting = metadata["deletionTimestamp"] is not null,
        };
    }

    /// <summary>/{group}/{plural}/ of a key.</summary>
    public static string KindPrefixOf(string key)
    {
        var second = key.IndexOf('/', 1);
        var third = second < 0 ? -1 : key.IndexOf('/', second + 1);
        return third < 0 ? key : key[..(third + 1)];
    }
}

/// <summary>One ownerReference: the owner's uid, kind and name, and whether it blocks the owner's foreground deletion.</summary>
public sealed record OwnerLink(string Uid, string Kind, string Name, bool BlockOwnerDeletion);
