namespace EdgeCloud.Store;

/// <summary>Base class of the errors the store reports to its callers.</summary>
public abstract class StoreException : Exception
{
    /// <summary>Creates the exception with a message that says what went wrong and how to fix it.</summary>
    protected StoreException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
