using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace EdgeCloud.Server.Tests.Api;

/// <summary>The Job strategy over HTTP: generated selectors, 422 for a selector that does not fit, immutable selector and template labels.</summary>
public sealed class JobApiTests(ApiServer server) : IClassFixture<ApiServer>
{
    private const string Jobs = "apis/batch/v1/namespaces/default/jobs";

    private static string Job(string name, string selector = "", string labels = "{}") =>
        "{\"apiVersion\":\"batch/v1\",\"kind\":\"Job\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{" + selector
        + "\"template\":{\"metadata\":{\"labels\":" + labels + "},\"spec\":{\"restartPolicy\":\"Never\",\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}}}";

    [Fact]
    public async Task A_created_job_selects_its_own_uid_and_its_template_carries_the_job_labels()
    {
        using var client = server.Client();
        var response = await client.PostAsync(Jobs, Json(Job("generated", labels: """{"app":"pi"}""")));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var uid = created["metadata"]!["uid"]!.GetValue<string>();
        Assert.Equal($$$"""{"matchLabels":{"batch.kubernetes.io/controller-uid":"{{{uid}}}"}}""", created["spec"]!["selector"]!.ToJsonString());
        var labels = created["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
        Assert.Equal(uid, labels["batch.kubernetes.io/controller-uid"]!.GetValue<string>());
        Assert.Equal(uid, labels["controller-uid"]!.GetValue<string>());
        Assert.Equal("generated", labels["batch.kubernetes.io/job-name"]!.GetValue<string>());
        Assert.Equal("generated", labels["job-name"]!.GetValue<string>());
        Assert.Equal("pi", labels["app"]!.GetValue<string>());

        var stored = (await client.GetFromJsonAsync<JsonObject>($"{Jobs}/generated"))!;
        Assert.Equal(created["spec"]!["selector"]!.ToJsonString(), stored["spec"]!["selector"]!.ToJsonString());
    }

    [Fact]
    public async Task A_selector_without_manualSelector_that_does_not_match_the_template_is_422_and_nothing_is_stored()
    {
        using var client = server.Client();
        var response = await client.PostAsync(Jobs, Json(Job("mismatch", selector: """ "selector":{"matchLabels":{"app":"other"}},""", labels: """{"app":"pi"}""")));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, body);
        var status = JsonNode.Parse(body)!;
        Assert.Equal("Invalid", status["reason"]!.GetValue<string>());
        Assert.Contains(status["details"]!["causes"]!.AsArray(), c => c!["field"]!.GetValue<string>() == "spec.template.metadata.labels"
            && c["message"]!.GetValue<string>().Contains("`selector` does not match template `labels`", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"{Jobs}/mismatch")).StatusCode);
    }

    [Fact]
    public async Task The_selector_and_template_labels_are_immutable_but_suspend_may_change()
    {
        using var client = server.Client();
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync(Jobs, Json(Job("fixed")))).StatusCode);

        var selector = await PatchAsync(client, "fixed", """{"spec":{"selector":{"matchLabels":{"extra":"1"}}}}""");
        Assert.True(selector.StatusCode == HttpStatusCode.UnprocessableEntity, await selector.Content.ReadAsStringAsync());
        Assert.Contains("spec.selector", await selector.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("field is immutable", await selector.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var labels = await PatchAsync(client, "fixed", """{"spec":{"template":{"metadata":{"labels":{"app":"new"}}}}}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, labels.StatusCode);
        Assert.Contains("spec.template.metadata.labels", await labels.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var suspend = await PatchAsync(client, "fixed", """{"spec":{"suspend":true}}""");
        Assert.Equal(HttpStatusCode.OK, suspend.StatusCode);
        Assert.True((await suspend.Content.ReadFromJsonAsync<JsonObject>())!["spec"]!["suspend"]!.GetValue<bool>());
    }

    private static Task<HttpResponseMessage> PatchAsync(HttpClient client, string name, string patch) =>
        client.PatchAsync($"{Jobs}/{name}", new StringContent(patch, Encoding.UTF8, "application/merge-patch+json"));

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
