using System.Text.Json.Nodes;
using EdgeCloud.Kube.Kinds;

namespace EdgeCloud.Kube.Tests.Kinds;

public class PodPrinterColumnTests
{
    private static readonly DateTimeOffset Now = new(2025, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private static Dictionary<string, string?> Row(string json)
    {
        var pod = JsonNode.Parse(json)!.AsObject();
        return PodSchemas.Pod.PrinterColumns.ToDictionary(c => c.Name, c => c.Cell(pod, Now)?.GetValue<string>());
    }

    private static string Pod(string spec, string status, string metadata = "") => $$"""
        {
          "metadata": { "name": "p", "creationTimestamp": "2025-05-01T11:54:30Z" {{metadata}} },
          "spec": {{spec}},
          "status": {{status}}
        }
        """;

    private const string TwoContainers = """{ "containers": [ { "name": "a" }, { "name": "b" } ] }""";
    private const string OneContainer = """{ "containers": [ { "name": "a" } ] }""";

    [Fact]
    public void Running_pod_shows_ready_count_age_and_wide_columns()
    {
        var row = Row(Pod(
            """{ "nodeName": "edge-1", "containers": [ { "name": "a" }, { "name": "b" } ] }""",
            """
            { "phase": "Running", "podIPs": [ { "ip": "10.0.0.7" } ], "conditions": [ { "type": "Ready", "status": "True" } ],
              "containerStatuses": [
                { "name": "a", "ready": true, "restartCount": 0, "state": { "running": {} } },
                { "name": "b", "ready": true, "restartCount": 0, "state": { "running": {} } } ] }
            """));
        Assert.Equal("2/2", row["Ready"]);
        Assert.Equal("Running", row["Status"]);
        Assert.Equal("0", row["Restarts"]);
        Assert.Equal("5m30s", row["Age"]);
        Assert.Equal("10.0.0.7", row["IP"]);
        Assert.Equal("edge-1", row["Node"]);
        Assert.Null(row["Nominated Node"]);
        Assert.Equal("<none>", row["Readiness Gates"]);
    }

    [Fact]
    public void New_pod_is_pending_without_ip_or_node()
    {
        var row = Row(Pod(OneContainer, """{ "phase": "Pending" }"""));
        Assert.Equal(("0/1", "Pending", "0"), (row["Ready"], row["Status"], row["Restarts"]));
        Assert.Null(row["IP"]);
        Assert.Null(row["Node"]);
    }

    [Fact]
    public void Waiting_container_reason_replaces_the_phase()
    {
        var row = Row(Pod(OneContainer, """
            { "phase": "Pending", "containerStatuses": [ { "name": "a", "ready": false, "restartCount": 0, "state": { "waiting": { "reason": "ContainerCreating" } } } ] }
            """));
        Assert.Equal(("0/1", "ContainerCreating"), (row["Ready"], row["Status"]));
    }

    [Fact]
    public void Crash_looping_container_shows_restarts_with_time_since_the_last_one()
    {
        var row = Row(Pod(TwoContainers, """
            { "phase": "Running", "containerStatuses": [
                { "name": "a", "ready": false, "restartCount": 3, "state": { "waiting": { "reason": "CrashLoopBackOff" } },
                  "lastState": { "terminated": { "exitCode": 1, "reason": "Error", "finishedAt": "2025-05-01T11:55:00Z" } } },
                { "name": "b", "ready": true, "restartCount": 1, "state": { "running": {} },
                  "lastState": { "terminated": { "exitCode": 137, "finishedAt": "2025-05-01T10:00:00Z" } } } ] }
            """));
        Assert.Equal(("1/2", "CrashLoopBackOff", "4 (5m ago)"), (row["Ready"], row["Status"], row["Restarts"]));
    }

    [Theory]
    [InlineData("Succeeded", """{ "exitCode": 0, "reason": "Completed" }""", "Completed")]
    [InlineData("Failed", """{ "exitCode": 2, "reason": "Error" }""", "Error")]
    [InlineData("Failed", """{ "exitCode": 3 }""", "ExitCode:3")]
    [InlineData("Failed", """{ "exitCode": 0, "signal": 9 }""", "Signal:9")]
    public void Terminated_container_shows_its_reason_or_exit(string phase, string terminated, string expected)
    {
        var row = Row(Pod(OneContainer, $$"""
            { "phase": "{{phase}}", "containerStatuses": [ { "name": "a", "ready": false, "restartCount": 0, "state": { "terminated": {{terminated}} } } ] }
            """));
        Assert.Equal(("0/1", expected), (row["Ready"], row["Status"]));
    }

    [Theory]
    [InlineData("""{ "type": "Ready", "status": "True" }""", "Running")]
    [InlineData("""{ "type": "Ready", "status": "False" }""", "NotReady")]
    public void Completed_container_beside_a_running_one_is_not_completed(string readyCondition, string expected)
    {
        var row = Row(Pod(TwoContainers, $$"""
            { "phase": "Running", "conditions": [ {{readyCondition}} ], "containerStatuses": [
                { "name": "a", "ready": true, "restartCount": 0, "state": { "running": {} } },
                { "name": "b", "ready": false, "restartCount": 0, "state": { "terminated": { "exitCode": 0, "reason": "Completed" } } } ] }
            """));
        Assert.Equal(("1/2", expected), (row["Ready"], row["Status"]));
    }

    [Fact]
    public void Deleting_pod_is_terminating_unless_it_already_finished_or_its_node_was_lost()
    {
        const string deleting = """, "deletionTimestamp": "2025-05-01T11:59:00Z" """;
        const string running = """{ "phase": "Running", "containerStatuses": [ { "name": "a", "ready": true, "restartCount": 0, "state": { "running": {} } } ] }""";
        Assert.Equal("Terminating", Row(Pod(OneContainer, running, deleting))["Status"]);
        Assert.Equal("Completed", Row(Pod(OneContainer, """
            { "phase": "Succeeded", "containerStatuses": [ { "name": "a", "ready": false, "restartCount": 0, "state": { "terminated": { "exitCode": 0, "reason": "Completed" } } } ] }
            """, deleting))["Status"]);
        Assert.Equal("Unknown", Row(Pod(OneContainer, """{ "phase": "Running", "reason": "NodeLost" }""", deleting))["Status"]);
        Assert.Equal("Running", Row(Pod(OneContainer, running))["Status"]);
    }

    [Fact]
    public void Init_containers_show_progress_then_failures()
    {
        const string spec = """{ "initContainers": [ { "name": "i1" }, { "name": "i2" } ], "containers": [ { "name": "a" } ] }""";
        Assert.Equal("Init:0/2", Row(Pod(spec, """
            { "phase": "Pending", "initContainerStatuses": [
                { "name": "i1", "ready": false, "restartCount": 0, "state": { "running": {} } },
                { "name": "i2", "ready": false, "restartCount": 0, "state": { "waiting": { "reason": "PodInitializing" } } } ] }
            """))["Status"]);
        Assert.Equal("Init:1/2", Row(Pod(spec, """
            { "phase": "Pending", "initContainerStatuses": [
                { "name": "i1", "ready": false, "restartCount": 0, "state": { "terminated": { "exitCode": 0, "reason": "Completed" } } },
                { "name": "i2", "ready": false, "restartCount": 0, "state": { "running": {} } } ] }
            """))["Status"]);
        var crashing = Row(Pod(spec, """
            { "phase": "Pending", "initContainerStatuses": [
                { "name": "i1", "ready": false, "restartCount": 2, "state": { "waiting": { "reason": "CrashLoopBackOff" } },
                  "lastState": { "terminated": { "exitCode": 1, "finishedAt": "2025-05-01T11:58:00Z" } } } ],
              "containerStatuses": [ { "name": "a", "ready": false, "restartCount": 0, "state": { "waiting": { "reason": "PodInitializing" } } } ] }
            """));
        Assert.Equal(("0/1", "Init:CrashLoopBackOff", "2 (2m ago)"), (crashing["Ready"], crashing["Status"], crashing["Restarts"]));
        Assert.Equal("Init:Error", Row(Pod(spec, """
            { "phase": "Failed", "initContainerStatuses": [ { "name": "i1", "ready": false, "restartCount": 0, "state": { "terminated": { "exitCode": 1, "reason": "Error" } } } ] }
            """))["Status"]);
        Assert.Equal("Init:ExitCode:4", Row(Pod(spec, """
            { "phase": "Pending", "initContainerStatuses": [ { "name": "i1", "ready": false, "restartCount": 0, "state": { "terminated": { "exitCode": 4 } } } ] }
            """))["Status"]);
    }

    [Fact]
    public void Started_sidecar_counts_as_a_container_and_only_its_restarts_count_after_initialization()
    {
        const string spec = """
            { "initContainers": [ { "name": "setup" }, { "name": "proxy", "restartPolicy": "Always" } ], "containers": [ { "name": "a" } ] }
            """;
        var row = Row(Pod(spec, """
            { "phase": "Running", "conditions": [ { "type": "Initialized", "status": "True" }, { "type": "Ready", "status": "True" } ],
              "initContainerStatuses": [
                { "name": "setup", "ready": true, "restartCount": 5, "state": { "terminated": { "exitCode": 0, "reason": "Completed" } },
                  "lastState": { "terminated": { "exitCode": 1, "finishedAt": "2025-05-01T11:00:00Z" } } },
                { "name": "proxy", "ready": true, "started": true, "restartCount": 1, "state": { "running": {} },
                  "lastState": { "terminated": { "exitCode": 1, "finishedAt": "2025-05-01T11:50:00Z" } } } ],
              "containerStatuses": [ { "name": "a", "ready": true, "restartCount": 0, "state": { "running": {} } } ] }
            """));
        Assert.Equal(("2/2", "Running", "1 (10m ago)"), (row["Ready"], row["Status"], row["Restarts"]));
    }

    [Fact]
    public void Scheduling_gated_pod_says_so()
    {
        var row = Row(Pod(OneContainer, """
            { "phase": "Pending", "conditions": [ { "type": "PodScheduled", "status": "False", "reason": "SchedulingGated" } ] }
            """));
        Assert.Equal("SchedulingGated", row["Status"]);
    }

    [Fact]
    public void Readiness_gates_count_true_conditions_and_nominated_node_shows()
    {
        var row = Row(Pod(
            """{ "containers": [ { "name": "a" } ], "readinessGates": [ { "conditionType": "x/one" }, { "conditionType": "x/two" } ] }""",
            """
            { "phase": "Pending", "nominatedNodeName": "edge-2",
              "conditions": [ { "type": "x/one", "status": "True" }, { "type": "x/two", "status": "False" } ] }
            """));
        Assert.Equal("1/2", row["Readiness Gates"]);
        Assert.Equal("edge-2", row["Nominated Node"]);
    }

    [Fact]
    public void Pod_without_creation_time_has_unknown_age()
    {
        var pod = JsonNode.Parse("""{ "metadata": { "name": "p" }, "spec": { "containers": [] } }""")!.AsObject();
        var age = PodSchemas.Pod.PrinterColumns.Single(c => c.Name == "Age");
        Assert.Equal("<unknown>", age.Cell(pod, Now)!.GetValue<string>());
    }
}
