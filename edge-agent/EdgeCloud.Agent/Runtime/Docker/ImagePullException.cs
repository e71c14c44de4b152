namespace EdgeCloud.Agent.Runtime.Docker;

/// <summary>
/// The container's image is not there and could not be pulled (or may not be, under pull policy Never). The pod
/// lifecycle reports <see cref="Reason"/> as the container's waiting reason, as the kubelet does.
/// </summary>
internal sealed class ImagePullException : Exception
{
    /// <summary>"ErrImagePull": the pull failed.</summary>
    public const string PullFailed = "ErrImagePull";

    /// <summary>"ErrImageNeverPull": the image is missing and the pull policy is Never.</summary>
    public const string NeverPull = "ErrImageNeverPull";

    /// <summary>Creates the exception.</summary>
    public ImagePullException(string image, string reason, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Image = image;
        Reason = reason;
    }

    /// <summary>The image reference of the pod spec.</summary>
    public string Image { get; }

    /// <summary><see cref="PullFailed"/> or <see cref="NeverPull"/>.</summary>
    public string Reason { get; }
}
