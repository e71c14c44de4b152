namespace EdgeCloud.Kube.Storage;

/// <summary>The type of a Kubernetes watch event, as it appears on the wire.</summary>
public static class KubeWatchEventTypes
{
    /// <summary>An object appeared (or entered the selector).</summary>
    public const string Added = "ADDED";

    /// <summary>An object changed and still matches.</summary>
    public const string Modified = "MODIFIED";

    /// <summary>An object went away (or left the selector).</summary>
    public const string Deleted = "DELETED";

    /// <summary>A progress marker carrying only a resourceVersion.</summary>
    public const string Bookmark = "BOOKMARK";

    /// <summary>The watch failed; the object is a metav1.Status.</summary>
    public const string Error = "ERROR";
}
