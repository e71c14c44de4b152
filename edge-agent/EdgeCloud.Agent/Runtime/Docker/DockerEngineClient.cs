using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using EdgeCloud.Agent.Runtime.Docker.Api;

namespace EdgeCloud.Agent.Runtime.Docker;

/// <summary>
/// HTTP/1.1 to the Docker Engine API on a unix socket, every path under /v{ApiVersion}/. Non-success answers become
/// <see cref="DockerEngineException"/>s carrying the engine's {"message": ...}; a socket that cannot be reached
/// becomes one that names the socket.
/// </summary>
internal sealed class DockerEngineClient : IDisposable
{
    // Response headers of an upgrade are small; anything larger is not the engine talking.
    private const int MaxHijackHeaderBytes = 64 * 1024;

    private readonly string _socketPath;
    private readonly string _prefix;
    private readonly HttpClient _http;

    /// <summary>Creates a client; nothing is connected until the first request.</summary>
    public DockerEngineClient(DockerRuntimeOptions options)
    {
        options.Validate();
        _socketPath = options.SocketPath;
        _prefix = "/v" + options.ApiVersion + "/";
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = (_, cancellationToken) => ConnectAsync(cancellationToken),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        };
        // Infinite: waits, follows and stops last as long as the container; callers bound them with their tokens.
        _http = new HttpClient(handler) { BaseAddress = new Uri("http://docker"), Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>The socket this client talks to.</summary>
    public string SocketPath => _socketPath;

    /// <summary>Sends a request and returns the answer whatever its status; the caller disposes it.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, _prefix + path) { Content = content };
        try
        {
            return await _http.SendAsync(request, completion, cancellationToken);
        }
        catch (HttpRequestException ex) when (ex.InnerException is SocketException or IOException || ex.HttpRequestError == HttpRequestError.ConnectionError)
        {
            throw Unreachable(ex);
        }
    }

    /// <summary>GETs JSON; null on 404 (no such container, image or exec).</summary>
    public async Task<T?> GetOrDefaultAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        using var response = await SendAsync(HttpMethod.Get, path, null, HttpCompletionOption.ResponseContentRead, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureSuccessAsync(response, HttpMethod.Get, path, cancellationToken);
        return await response.Content.ReadFromJsonAsync(type, cancellationToken)
            ?? throw new DockerEngineException($"The Docker Engine API answered GET {path} with an empty body");
    }

    /// <summary>Sends a JSON body and reads a JSON answer; any non-success status throws.</summary>
    public async Task<TResponse> SendJsonAsync<TRequest, TResponse>(HttpMethod method, string path, TRequest body, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
        where TResponse : class
    {
        using var content = JsonContent.Create(body, requestType);
        return await SendJsonAsync(method, path, content, responseType, cancellationToken);
    }

    /// <summary>Sends a request (with <paramref name="content"/>, or none) and reads a JSON answer; any non-success status throws.</summary>
    public async Task<TResponse> SendJsonAsync<TResponse>(HttpMethod method, string path, HttpContent? content, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
        where TResponse : class
    {
        using var response = await SendAsync(method, path, content, HttpCompletionOption.ResponseContentRead, cancellationToken);
        await EnsureSuccessAsync(response, method, path, cancellationToken);
        return await response.Content.ReadFromJsonAsync(responseType, cancellationToken)
            ?? throw new DockerEngineException($"The Docker Engine API answered {method} {path} with an empty body");
    }

    /// <summary>Sends a request without a body and returns its status: success, 304 and 404 are returned, anything else throws.</summary>
    public async Task<HttpStatusCode> SendNoContentAsync(HttpMethod method, string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(method, path, null, HttpCompletionOption.ResponseContentRead, cancellationToken);
        if (response.StatusCode is HttpStatusCode.NotModified or HttpStatusCode.NotFound)
        {
            return response.StatusCode;
        }

        await EnsureSuccessAsync(response, method, path, cancellationToken);
        return response.StatusCode;
    }

    /// <summary>Throws a <see cref="DockerEngineException"/> with the engine's message unless the status is a success.</summary>
    public static async Task EnsureSuccessAsync(HttpResponseMessage response, HttpMethod method, string path, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        throw Refused(method, path, response.StatusCode, body);
    }

    /// <summary>
    /// POSTs <paramref name="body"/> asking for an upgrade (Connection: Upgrade, Upgrade: tcp) and returns the
    /// connection as a raw stream once the engine answers 101 (Docker) or 200 (older engines). This is done by hand
    /// on a socket of its own rather than through HttpClient so that the caller can half-close it at the end of stdin.
    /// </summary>
    public async Task<HijackedStream> HijackAsync(string path, byte[] body, CancellationToken cancellationToken)
    {
        var socket = await ConnectSocketAsync(cancellationToken);
        try
        {
            var head = $"POST {_prefix}{path} HTTP/1.1\r\nHost: docker\r\nContent-Type: application/json\r\nContent-Length: {body.Length.ToString(CultureInfo.InvariantCulture)}\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n";
            await socket.SendAsync(Encoding.ASCII.GetBytes(head), SocketFlags.None, cancellationToken);
            await socket.SendAsync(body, SocketFlags.None, cancellationToken);

            var (status, headers, rest) = await ReadResponseHeadAsync(socket, path, cancellationToken);
            if (status is HttpStatusCode.SwitchingProtocols or HttpStatusCode.OK)
            {
                return new HijackedStream(socket, rest);
            }

            var errorBody = await ReadErrorBodyAsync(socket, headers, rest, cancellationToken);
            throw Refused(HttpMethod.Post, path, status, errorBody);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private async ValueTask<Stream> ConnectAsync(CancellationToken cancellationToken) =>
        new NetworkStream(await ConnectSocketAsync(cancellationToken), ownsSocket: true);

    private async Task<Socket> ConnectSocketAsync(CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(_socketPath), cancellationToken);
            return socket;
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw Unreachable(ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private DockerEngineException Unreachable(Exception ex)
    {
        if (ex is DockerEngineException engine)
        {
            return engine;
        }

        if (ex.InnerException is DockerEngineException inner)
        {
            return inner;
        }

        var reason = (ex as SocketException ?? ex.InnerException as SocketException)?.Message ?? ex.Message;
        return new DockerEngineException(
            $"Cannot reach the Docker Engine API at unix://{_socketPath}: {reason}. Is Docker or `podman system service` running there (--docker-socket)?",
            statusCode: null,
            ex);
    }

    private static DockerEngineException Refused(HttpMethod method, string path, HttpStatusCode status, string body)
    {
        var message = body.Trim();
        try
        {
            var error = JsonSerializer.Deserialize(body, DockerJsonContext.Default.ErrorResponse);
            if (!string.IsNullOrEmpty(error?.Message))
            {
                message = error.Message;
            }
        }
        catch (JsonException)
        {
            // Not the engine's JSON error: the body as it is says the most.
        }

        if (message.Length == 0)
        {
            message = status.ToString();
        }

        var shownPath = path.Split('?', 2)[0];
        return new DockerEngineException($"Docker Engine API {method} /{shownPath} failed ({(int)status}): {message}", status);
    }

    private static async Task<(HttpStatusCode Status, Dictionary<string, string> Headers, byte[] Remainder)> ReadResponseHeadAsync(Socket socket, string path, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        var length = 0;
        while (true)
        {
            var end = buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                var head = Encoding.ASCII.GetString(buffer, 0, end).Split("\r\n");
                var statusParts = head[0].Split(' ', 3);
                if (statusParts.Length < 2 || !int.TryParse(statusParts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var code))
                {
                    throw new DockerEngineException($"The Docker Engine API answered POST /{path} with \"{head[0]}\", not an HTTP status line");
                }

                var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                foreach (var line in head.Skip(1))
                {
                    var colon = line.IndexOf(':', StringComparison.Ordinal);
                    if (colon > 0)
                    {
                        headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
                    }
                }

                return ((HttpStatusCode)code, headers, buffer[(end + 4)..length]);
            }

            if (length == buffer.Length)
            {
                if (buffer.Length >= MaxHijackHeaderBytes)
                {
                    throw new DockerEngineException($"The Docker Engine API's answer to POST /{path} has more than {MaxHijackHeaderBytes} bytes of headers");
                }

                Array.Resize(ref buffer, buffer.Length * 2);
            }

            var read = await socket.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                throw new DockerEngineException($"The Docker Engine API closed the connection before answering POST /{path}");
            }

            length += read;
        }
    }

    private static async Task<string> ReadErrorBodyAsync(Socket socket, Dictionary<string, string> headers, byte[] rest, CancellationToken cancellationToken)
    {
        // An error answer is small JSON with a Content-Length; read at most that (or up to 64 KiB until the engine closes).
        var limit = headers.TryGetValue("Content-Length", out var value) && int.TryParse(value, CultureInfo.InvariantCulture, out var contentLength)
            ? Math.Min(contentLength, MaxHijackHeaderBytes)
            : MaxHijackHeaderBytes;
        var body = new ArrayBufferWriter<byte>();
        body.Write(rest.AsSpan(0, Math.Min(rest.Length, limit)));
        var chunk = new byte[4096];
        while (body.WrittenCount < limit)
        {
            var read = await socket.ReceiveAsync(chunk.AsMemory(0, Math.Min(chunk.Length, limit - body.WrittenCount)), SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                break;
            }

            body.Write(chunk.AsSpan(0, read));
        }

        return Encoding.UTF8.GetString(body.WrittenSpan);
    }
}
