using System.Text.Json.Nodes;

namespace EdgeCloud.Server.Tests.EndToEnd;

/// <summary>
/// Jobs against the real edgecloud executable, run by a <see cref="SimulatedNode"/>: `kubectl wait
/// --for=condition=complete` finishes and `kubectl get jobs` shows COMPLETIONS 1/1; a Job whose pods keep failing
/// stops at its backoffLimit with BackoffLimitExceeded.
/// </summary>
public sealed class JobKubectlTests(ServerWithNode server) : IClassFixture<ServerWithNode>
{
    [Theory]
    [MemberData(nameof(Kubectl.Versions), MemberType = typeof(Kubectl))]
    public async Task Kubectl_create_job_completes_once_the_node_runs_its_pod(string version)
    {
        var kubectl = new Kubectl(version, server.KubeconfigPath);
        var ns = $"e2e-job-{version.Replace(".", "", StringComparison.Ordinal)}";
        await kubectl.OkAsync("create", "namespace", ns);

        // kubectl 1.32+ sends this create as protobuf.
        await kubectl.OkAsync("create", "job", "hello", "-n", ns, "--image=busybox", "--", "echo", "hi");
        var waited = await kubectl.RunAsync(["wait", "--for=condition=complete", "job/hello", "-n", ns, "--timeout=30s"]);
        Assert.True(waited.ExitCode == 0, $"kubectl wait failed: {waited.Stderr}");
        Assert.Contains("job.batch/hello condition met", waited.Stdout, StringComparison.Ordinal);
        Assert.Equal("hello", (await kubectl.OkAsync("get", "pods", "-n", ns, "-o", "jsonpath={.items[0].metadata.labels.batch\\.kubernetes\\.io/job-name}")).Trim());

        var table = (await kubectl.OkAsync("get", "jobs", "-n", ns)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = table[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var row = Assert.Single(table.Skip(1)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("COMPLETIONS", header);
        Assert.Contains("DURATION", header);
        Assert.Equal("hello", row[0]);
        Assert.Equal("1/1", row[Array.IndexOf(header, "COMPLETIONS")]);
        Assert.Matches("^[0-9]+s$", row[Array.IndexOf(header, "DURATION")]);

        var job = JsonNode.Parse(await kubectl.OkAsync("get", "job", "hello", "-n", ns, "-o", "json"))!;
        Assert.Equal(1, job["status"]!["succeeded"]!.GetValue<int>());
        Assert.NotNull(job["status"]!["completionTime"]);
    }

    [Fact]
    public async Task Job_that_keeps_failing_stops_at_its_backoff_limit()
    {
        var kubectl = new Kubectl("1.33", server.KubeconfigPath);
        const string ns = "e2e-job-failing";
        await kubectl.OkAsync("create", "namespace", ns);
        // backoffLimit 1: the first failure is retried once (after the 10 s back-off), the second ends the Job.
        await kubectl.OkWithInputAsync("""
            apiVersion: batch/v1
            kind: Job
            metadata: {name: flaky}
            spec:
              backoffLimit: 1
              template:
                spec:
                  restartPolicy: Never
                  containers:
                  - {name: c, image: busybox, command: ["false"]}
            """, "apply", "-n", ns, "-f", "-");
        var waited = await kubectl.RunAsync(["wait", "--for=condition=failed", "job/flaky", "-n", ns, "--timeout=45s"]);
        Assert.True(waited.ExitCode == 0, $"kubectl wait failed: {waited.Stderr}{await kubectl.OkAsync("describe", "job", "flaky", "-n", ns)}");
        var job = JsonNode.Parse(await kubectl.OkAsync("get", "job", "flaky", "-n", ns, "-o", "json"))!;
        Assert.Equal(2, job["status"]!["failed"]!.GetValue<int>());
        Assert.Contains("BackoffLimitExceeded", await kubectl.OkAsync("describe", "job", "flaky", "-n", ns), StringComparison.Ordinal);
        Assert.Equal(2, (await kubectl.OkAsync("get", "pods", "-n", ns, "-l", "batch.kubernetes.io/job-name=flaky", "-o", "name")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }
}
