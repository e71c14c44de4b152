using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace EdgeCloud.Server.Tests.Api;

/// <summary>Every error the API answers is a metav1.Status with the right code and reason; refused writes store nothing.</summary>
public sealed class ApiTests(ApiServer server) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task Missing_or_wrong_token_is_401_Status()
    {
        foreach (var token in new[] { "", "ec_" + new string('0', 64) })
        {
            using var client = server.Client(token);
            var response = await client.GetAsync("api/v1/namespaces");
            await AssertStatusAsync(response, HttpStatusCode.Unauthorized, "Unauthorized");
        }
    }

    [Fact]
    public async Task A_token_is_refused_on_another_clusters_path()
    {
        // 403 whether or not "other" exists: the token is valid, only not here, and the answer says nothing of "other".
        using var client = server.Client(cluster: "other");
        await AssertStatusAsync(await client.GetAsync("api/v1/namespaces"), HttpStatusCode.Forbidden, "Forbidden");
    }

    [Fact]
    public async Task Unknown_resources_and_groups_are_404_Status()
    {
        using var client = server.Client();
        await AssertStatusAsync(await client.GetAsync("api/v1/widgets"), HttpStatusCode.NotFound, "NotFound");
        await AssertStatusAsync(await client.GetAsync("apis/example.com/v1"), HttpStatusCode.NotFound, "NotFound");
        await AssertStatusAsync(await client.GetAsync("api/v1/namespaces/default/configmaps/absent"), HttpStatusCode.NotFound, "NotFound");
    }

    [Fact]
    public async Task Creating_an_existing_name_is_409_AlreadyExists()
    {
        using var client = server.Client();
        Assert.Equal(HttpStatusCode.Created, (await CreateConfigMapAsync(client, "twice")).StatusCode);
        await AssertStatusAsync(await CreateConfigMapAsync(client, "twice"), HttpStatusCode.Conflict, "AlreadyExists");
    }

    [Fact]
    public async Task Update_with_a_stale_resourceVersion_is_409_Conflict_and_keeps_the_stored_object()
    {
        using var client = server.Client();
        var created = await (await CreateConfigMapAsync(client, "stale")).Content.ReadFromJsonAsync<JsonObject>();
        var staleVersion = created!["metadata"]!["resourceVersion"]!.GetValue<string>();
        created["data"] = new JsonObject { ["k"] = "first" };
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync("api/v1/namespaces/default/configmaps/stale", created)).StatusCode);

        created["metadata"]!["resourceVersion"] = staleVersion;
        created["data"] = new JsonObject { ["k"] = "second" };
        await AssertStatusAsync(await client.PutAsJsonAsync("api/v1/namespaces/default/configmaps/stale", created), HttpStatusCode.Conflict, "Conflict");
        var stored = await client.GetFromJsonAsync<JsonObject>("api/v1/namespaces/default/configmaps/stale");
        Assert.Equal("first", stored!["data"]!["k"]!.GetValue<string>());
    }

    [Fact]
    public async Task Bodies_over_3_MiB_are_413()
    {
        using var client = server.Client();
        var big = new string('x', 3 * 1024 * 1024 + 10);
        // Expect: 100-continue, so that the client reads the refusal instead of racing it with the upload.
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/namespaces/default/configmaps")
        {
            Content = new StringContent($$$"""{"metadata":{"name":"big"},"data":{"k":"{{{big}}}"}}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.ExpectContinue = true;
        var response = await client.SendAsync(request);
        await AssertStatusAsync(response, HttpStatusCode.RequestEntityTooLarge, "RequestEntityTooLarge");
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("api/v1/namespaces/default/configmaps/big")).StatusCode);
    }

    [Fact]
    public async Task Unsupported_content_types_are_415_and_unacceptable_accepts_are_406()
    {
        using var client = server.Client();
        var response = await client.PostAsync("api/v1/namespaces/default/configmaps", new StringContent("name: x", Encoding.UTF8, "text/plain"));
        await AssertStatusAsync(response, HttpStatusCode.UnsupportedMediaType, "UnsupportedMediaType");
        var patch = new HttpRequestMessage(HttpMethod.Patch, "api/v1/namespaces/default/configmaps/x") { Content = new StringContent("{}", Encoding.UTF8, "application/xml") };
        await AssertStatusAsync(await client.SendAsync(patch), HttpStatusCode.UnsupportedMediaType, "UnsupportedMediaType");

        var xml = new HttpRequestMessage(HttpMethod.Get, "api/v1/namespaces/default/configmaps");
        xml.Headers.Accept.ParseAdd("application/xml");
        await AssertStatusAsync(await client.SendAsync(xml), HttpStatusCode.NotAcceptable, "NotAcceptable");
    }

    [Fact]
    public async Task Protobuf_bodies_without_the_envelope_are_400_and_for_kinds_without_protobuf_support_415()
    {
        using var client = server.Client();
        var garbage = new ByteArrayContent([1, 2, 3, 4, 5]);
        garbage.Headers.ContentType = new("application/vnd.kubernetes.protobuf");
        await AssertStatusAsync(await client.PostAsync("api/v1/namespaces/default/configmaps", garbage), HttpStatusCode.BadRequest, "BadRequest");

        var lease = new ByteArrayContent([0x6b, 0x38, 0x73, 0x00]);
        lease.Headers.ContentType = new("application/vnd.kubernetes.protobuf");
        await AssertStatusAsync(await client.PostAsync("apis/coordination.k8s.io/v1/namespaces/default/leases", lease), HttpStatusCode.UnsupportedMediaType, "UnsupportedMediaType");
    }

    [Fact]
    public async Task Invalid_objects_are_422_with_causes_and_nothing_is_stored()
    {
        using var client = server.Client();
        var response = await client.PostAsync("apis/apps/v1/namespaces/default/deployments", Json("""{"metadata":{"name":"Bad_Name"},"spec":{"replicas":"three","selector":{},"template":{"spec":{"containers":[{"image":"x"}]}}}}"""));
        var status = await AssertStatusAsync(response, HttpStatusCode.UnprocessableEntity, "Invalid");
        var fields = status["details"]!["causes"]!.AsArray().Select(static c => c!["field"]!.GetValue<string>()).ToList();
        Assert.Contains("metadata.name", fields);
        Assert.Contains("spec.replicas", fields);
        Assert.Contains("spec.template.spec.containers[0].name", fields);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("apis/apps/v1/namespaces/default/deployments/Bad_Name")).StatusCode);
    }

    [Fact]
    public async Task Strict_field_validation_is_400_and_Warn_answers_with_a_warning_header()
    {
        using var client = server.Client();
        const string body = """{"metadata":{"name":"extra"},"data":{"k":"v"},"colour":"red"}""";
        var strict = await client.PostAsync("api/v1/namespaces/default/configmaps?fieldValidation=Strict", Json(body));
        var status = await AssertStatusAsync(strict, HttpStatusCode.BadRequest, "BadRequest");
        Assert.Contains("unknown field \"colour\"", status["message"]!.GetValue<string>(), StringComparison.Ordinal);

        var warned = await client.PostAsync("api/v1/namespaces/default/configmaps?fieldValidation=Warn", Json(body));
        Assert.Equal(HttpStatusCode.Created, warned.StatusCode);
        Assert.Contains("299 - \"unknown field \\\"colour\\\"\"", warned.Headers.GetValues("Warning"));
        var stored = await client.GetFromJsonAsync<JsonObject>("api/v1/namespaces/default/configmaps/extra");
        Assert.Null(stored!["colour"]);
    }

    [Fact]
    public async Task Bad_selectors_are_400_naming_the_problem()
    {
        using var client = server.Client();
        var label = await AssertStatusAsync(await client.GetAsync("api/v1/namespaces/default/pods?labelSelector=a%20in%20b"), HttpStatusCode.BadRequest, "BadRequest");
        Assert.Contains("found 'b'", label["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var field = await AssertStatusAsync(await client.GetAsync("api/v1/namespaces/default/pods?fieldSelector=spec.color%3Dblue"), HttpStatusCode.BadRequest, "BadRequest");
        Assert.Equal("field label not supported: spec.color", field["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unsupported_verbs_are_405_and_content_in_a_missing_namespace_is_404()
    {
        using var client = server.Client();
        await AssertStatusAsync(await client.PutAsync("api/v1/namespaces/default/configmaps", Json("{}")), HttpStatusCode.MethodNotAllowed, "MethodNotAllowed");
        var missing = await AssertStatusAsync(await client.PostAsync("api/v1/namespaces/nowhere/configmaps", Json("""{"metadata":{"name":"x"}}""")), HttpStatusCode.NotFound, "NotFound");
        Assert.Equal("namespaces \"nowhere\" not found", missing["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_clusters_own_namespaces_may_not_be_deleted_403()
    {
        using var client = server.Client();
        foreach (var ns in new[] { "default", "kube-system", "kube-public" })
        {
            var refused = await AssertStatusAsync(await client.DeleteAsync($"api/v1/namespaces/{ns}"), HttpStatusCode.Forbidden, "Forbidden");
            Assert.Equal($"namespaces \"{ns}\" is forbidden: this namespace may not be deleted", refused["message"]!.GetValue<string>());
            var kept = await client.GetFromJsonAsync<JsonObject>($"api/v1/namespaces/{ns}");
            Assert.Null(kept!["metadata"]!["deletionTimestamp"]);
        }
    }

    [Fact]
    public async Task List_pages_stay_at_one_revision_while_writes_continue()
    {
        using var client = server.Client();
        await client.PostAsync("api/v1/namespaces", Json("""{"metadata":{"name":"paging"}}"""));
        var names = Enumerable.Range(0, 30).Select(static i => $"cm-{i:D2}").ToList();
        foreach (var name in names)
        {
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("api/v1/namespaces/paging/configmaps", Json($$$"""{"metadata":{"name":"{{{name}}}"},"data":{"v":"0"}}"""))).StatusCode);
        }

        var seen = new List<string>();
        string? revision = null;
        string? next = null;
        var writes = 0;
        do
        {
            var page = await client.GetFromJsonAsync<JsonObject>($"api/v1/namespaces/paging/configmaps?limit=7{(next is null ? "" : "&continue=" + Uri.EscapeDataString(next))}");
            revision ??= page!["metadata"]!["resourceVersion"]!.GetValue<string>();
            Assert.Equal(revision, page!["metadata"]!["resourceVersion"]!.GetValue<string>());
            foreach (var item in page["items"]!.AsArray())
            {
                seen.Add(item!["metadata"]!["name"]!.GetValue<string>());
                Assert.Equal("0", item["data"]!["v"]!.GetValue<string>());
            }

            next = page["metadata"]!["continue"]?.GetValue<string>();
            // Between pages: change listed objects, add a new one, delete one not yet listed.
            await client.PatchAsync($"api/v1/namespaces/paging/configmaps/{names[writes]}", new StringContent("""{"data":{"v":"1"}}""", Encoding.UTF8, "application/merge-patch+json"));
            await client.PostAsync("api/v1/namespaces/paging/configmaps", Json($$$"""{"metadata":{"name":"late-{{{writes}}}"}}"""));
            await client.DeleteAsync($"api/v1/namespaces/paging/configmaps/{names[29 - writes]}");
            writes++;
        }
        while (next is not null);

        Assert.Equal(names, seen);
    }

    [Fact]
    public async Task Watch_from_a_compacted_revision_ends_with_an_ERROR_event_carrying_410_Expired()
    {
        using var client = server.Client();
        var created = await (await CreateConfigMapAsync(client, "churned")).Content.ReadFromJsonAsync<JsonObject>();
        var oldVersion = created!["metadata"]!["resourceVersion"]!.GetValue<string>();
        for (var i = 0; i < 40; i++)
        {
            await client.PatchAsync("api/v1/namespaces/default/configmaps/churned", new StringContent($$$"""{"data":{"i":"{{{i}}}"}}""", Encoding.UTF8, "application/merge-patch+json"));
        }

        await server.Server.Store.CompactAsync();
        using var response = await client.GetAsync($"api/v1/namespaces/default/configmaps?watch=true&resourceVersion={oldVersion}", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var line = JsonNode.Parse((await reader.ReadLineAsync())!)!;
        Assert.Equal("ERROR", line["type"]!.GetValue<string>());
        Assert.Equal(410, line["object"]!["code"]!.GetValue<int>());
        Assert.Equal("Expired", line["object"]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Watch_reports_objects_entering_and_leaving_a_label_selector()
    {
        using var client = server.Client();
        await client.PostAsync("api/v1/namespaces", Json("""{"metadata":{"name":"watching"}}"""));
        using var response = await client.GetAsync("api/v1/namespaces/watching/configmaps?watch=true&labelSelector=tier%3Dfront", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        await client.PostAsync("api/v1/namespaces/watching/configmaps", Json("""{"metadata":{"name":"w","labels":{"tier":"back"}}}"""));
        await client.PatchAsync("api/v1/namespaces/watching/configmaps/w", new StringContent("""{"metadata":{"labels":{"tier":"front"}}}""", Encoding.UTF8, "application/merge-patch+json"));
        await client.PatchAsync("api/v1/namespaces/watching/configmaps/w", new StringContent("""{"data":{"k":"v"}}""", Encoding.UTF8, "application/merge-patch+json"));
        await client.PatchAsync("api/v1/namespaces/watching/configmaps/w", new StringContent("""{"metadata":{"labels":{"tier":"back"}}}""", Encoding.UTF8, "application/merge-patch+json"));

        var types = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            types.Add(JsonNode.Parse((await reader.ReadLineAsync())!)!["type"]!.GetValue<string>());
        }

        Assert.Equal(["ADDED", "MODIFIED", "DELETED"], types);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static Task<HttpResponseMessage> CreateConfigMapAsync(HttpClient client, string name) =>
        client.PostAsync("api/v1/namespaces/default/configmaps", Json($$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}"}}"""));

    private static async Task<JsonObject> AssertStatusAsync(HttpResponseMessage response, HttpStatusCode code, string reason)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == code, $"expected {(int)code}, got {(int)response.StatusCode}: {body}");
        var status = JsonNode.Parse(body)!.AsObject();
        Assert.Equal("Status", status["kind"]!.GetValue<string>());
        Assert.Equal("Failure", status["status"]!.GetValue<string>());
        Assert.Equal((int)code, status["code"]!.GetValue<int>());
        Assert.Equal(reason, status["reason"]!.GetValue<string>());
        return status;
    }
}
