using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using EdgeCloud.Server.Hosting;
using EdgeCloud.Server.Security;

namespace EdgeCloud.Server.Tests.Api;

public sealed class InflightLimitTests
{
    [Fact]
    public async Task A_cluster_at_its_inflight_cap_gets_429_with_Retry_After_and_watches_do_not_count()
    {
        var directory = Directory.CreateTempSubdirectory("edgecloud-inflight-").FullName;
        try
        {
            await using var server = await EdgeCloudServer.StartAsync(
                new ServerOptions { DataDirectory = directory, ListenHost = "127.0.0.1", ListenPort = 0, MaxRequestsInflight = 1 }, CancellationToken.None);
            var token = (await KubeconfigReader.ReadAsync(Path.Combine(directory, "kubeconfig.yaml"), CancellationToken.None)).Token;
            using var client = Client(server, token);

            // A watch is open all along and does not take the one permit.
            using var watch = await client.GetAsync("api/v1/namespaces/default/configmaps?watch=true", HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, watch.StatusCode);

            // The first request holds the permit while its body is still being sent: with Expect: 100-continue the
            // body is only asked for once the server's handler reads it, i.e. once the permit is held.
            var body = new GatedContent("""{"metadata":{"name":"held"}}"""u8.ToArray());
            using var held = new HttpRequestMessage(HttpMethod.Post, "api/v1/namespaces/default/configmaps") { Content = body };
            held.Headers.ExpectContinue = true;
            var first = client.SendAsync(held);
            await body.Requested;

            using var refused = await client.GetAsync("api/v1/namespaces");
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Equal("1", refused.Headers.GetValues("Retry-After").Single());
            var status = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
            Assert.Equal("TooManyRequests", status["reason"]!.GetValue<string>());
            Assert.Equal(1, status["details"]!["retryAfterSeconds"]!.GetValue<int>());

            body.Release();
            Assert.Equal(HttpStatusCode.Created, (await first).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/v1/namespaces")).StatusCode);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static HttpClient Client(EdgeCloudServer server, string token)
    {
        var ca = X509Certificate2.CreateFromPem(server.CaPem);
        var handler = CaTrust.CreateHandler(ca);
        handler.Expect100ContinueTimeout = TimeSpan.FromMinutes(1);
        var client = new HttpClient(handler) { BaseAddress = new Uri(server.Address, "/clusters/default/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Request content that reports when the client starts sending it and sends only once released.</summary>
    private sealed class GatedContent : HttpContent
    {
        private readonly byte[] _bytes;

        public GatedContent(byte[] bytes)
        {
            _bytes = bytes;
            Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        private readonly TaskCompletionSource _requested = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Requested => _requested.Task;

        public void Release() => _released.TrySetResult();

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            _requested.TrySetResult();
            await _released.Task;
            await stream.WriteAsync(_bytes);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _bytes.Length;
            return true;
        }
    }
}
