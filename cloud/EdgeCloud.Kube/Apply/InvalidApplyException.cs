namespace EdgeCloud.Kube.Apply;

/// <summary>An apply configuration the server refuses outright; the API answers 400 BadRequest with the message.</summary>
public sealed class InvalidApplyException : Exception
{
    /// <summary>An exception with upstream's message for the problem.</summary>
    public InvalidApplyException(string message)
        : base(message)
    {
    }
}
