using System.Net;

namespace EdgeCloud.Agent.Runtime.Docker;

/// <summary>
/// The Docker Engine API refused a request (<see cref="StatusCode"/> set, the message is the engine's own
/// "message"), or could not be reached at all (<see cref="StatusCode"/> null).
/// </summary>
internal sealed class DockerEngineException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DockerEngineException(string message, HttpStatusCode? statusCode = null, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
    }

    /// <summary>The HTTP status of the engine's answer; null when it could not be reached.</summary>
    public HttpStatusCode? StatusCode { get; }
}
