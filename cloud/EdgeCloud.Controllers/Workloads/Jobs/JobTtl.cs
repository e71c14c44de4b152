using System.Text.Json.Nodes;
using EdgeCloud.Kube.Storage;

namespace EdgeCloud.Controllers.Workloads.Jobs;

/// <summary>
/// spec.ttlSecondsAfterFinished, as the TTL-after-finished controller applies it: a finished Job is deleted (with
/// foreground propagation, so its pods go first) that many seconds after its Complete or Failed condition turned True.
/// </summary>
public static class JobTtl
{
    /// <summary>When <paramref name="job"/> is to be deleted, or null when it has no TTL, has not finished, or is already being deleted.</summary>
    public static DateTimeOffset? ExpiresAt(JsonObject job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (Integer(job["spec"]?["ttlSecondsAfterFinished"]) is not { } seconds || seconds < 0
            || job.Metadata()["deletionTimestamp"] is not null)
        {
            return null;
        }

        return JobConditions.FinishedAt(job)?.AddSeconds(seconds);
    }

    /// <summary><paramref name="job"/> is to be deleted now.</summary>
    public static bool IsExpired(JsonObject job, DateTimeOffset now) => ExpiresAt(job) is { } at && at <= now;

    // A JSON integer whether the node was parsed (a JsonElement) or built in memory (an int or a long).
    internal static long? Integer(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number
        && long.TryParse(v.ToJsonString(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n)
            ? n
            : null;
}
