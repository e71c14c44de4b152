using System.Text;
using System.Text.Json.Nodes;
using EdgeCloud.Kube.Apply;

namespace EdgeCloud.Controllers.Workloads;

/// <summary>
/// The pod-template-hash label value of a pod template: the same template always hashes the same (property order
/// does not matter), a collision count changes it, and it is spelled in Kubernetes' alphabet for generated names.
/// </summary>
public static class PodTemplateHash
{
    /// <summary>The label that carries the hash on ReplicaSets and their pods.</summary>
    public const string Label = "pod-template-hash";

    // Upstream's alphabet for generated names: no vowels (no words) and no look-alike characters.
    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";

    /// <summary>The hash of <paramref name="template"/> (without its own pod-template-hash label), salted by <paramref name="collisionCount"/>.</summary>
    public static string Compute(JsonObject template, int? collisionCount)
    {
        var copy = template.DeepClone().AsObject();
        if ((copy["metadata"] as JsonObject)?["labels"] is JsonObject labels)
        {
            labels.Remove(Label);
        }

        var text = CanonicalJson.Write(copy) + (collisionCount is { } count ? "#" + count.ToString(System.Globalization.CultureInfo.InvariantCulture) : "");
        var hash = Fnv1a(Encoding.UTF8.GetBytes(text));
        var builder = new StringBuilder(8);
        do
        {
            builder.Append(Alphabet[(int)(hash % (uint)Alphabet.Length)]);
            hash /= (uint)Alphabet.Length;
        }
        while (hash > 0);
        return builder.ToString();
    }

    // FNV-1a, 32 bits: what upstream hashes templates with too; small, stable across processes and versions.
    private static uint Fnv1a(ReadOnlySpan<byte> data)
    {
        var hash = 2166136261u;
        foreach (var b in data)
        {
            hash = unchecked((hash ^ b) * 16777619u);
        }

        return hash;
    }
}
