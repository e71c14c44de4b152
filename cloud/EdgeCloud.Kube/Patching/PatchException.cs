using EdgeCloud.Kube.Api;

namespace EdgeCloud.Kube.Patching;

/// <summary>
/// A patch that cannot be applied. <see cref="StatusCode"/> is what kube-apiserver answers for the same mistake:
/// 400 BadRequest when the patch document itself is malformed (not an array of operations, a directive of the wrong
/// shape), 422 Invalid when a well-formed patch does not apply to the object (a missing path, a failed
/// <c>test</c>, a list item without its merge key), 413 when a JSON patch has too many operations, 415 when no
/// engine serves the request's Content-Type.
/// </summary>
public sealed class PatchException : Exception
{
    /// <summary>Creates the error.</summary>
    /// <param name="statusCode">400, 413, 415 or 422; see the type's summary.</param>
    /// <param name="message">What is wrong, as the client will read it.</param>
    public PatchException(int statusCode, string message)
        : base(message)
    {
        StatusCode = statusCode;
    }

    /// <summary>HTTP status code the API answers with.</summary>
    public int StatusCode { get; }

    /// <summary>The metav1.StatusReason matching <see cref="StatusCode"/>.</summary>
    public string Reason => StatusCode switch
    {
        400 => "BadRequest",
        413 => "RequestEntityTooLarge",
        415 => "UnsupportedMediaType",
        _ => "Invalid",
    };

    /// <summary>The error as the API renders it.</summary>
    public KubeApiException ToApiException() => new(StatusCode, Reason, Message);

    internal static PatchException BadRequest(string message) => new(400, message);

    internal static PatchException Unprocessable(string message) => new(422, message);
}
