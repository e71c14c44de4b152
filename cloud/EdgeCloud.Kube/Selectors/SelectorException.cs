namespace EdgeCloud.Kube.Selectors;

/// <summary>
/// A label or field selector that cannot be parsed, converted or applied to a kind. The message follows
/// kube-apiserver's wording, because the API returns it unchanged as the message of a 400 BadRequest Status.
/// </summary>
public sealed class SelectorException : FormatException
{
    /// <summary>Creates the error with the message the API will show.</summary>
    public SelectorException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error with the message the API will show and the error that caused it.</summary>
    public SelectorException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the error with a generic message.</summary>
    public SelectorException()
    {
    }
}
