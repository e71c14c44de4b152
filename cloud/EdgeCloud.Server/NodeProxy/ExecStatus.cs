using System.Globalization;
using System.Text.Json.Nodes;

namespace EdgeCloud.Server.NodeProxy;

/// <summary>
/// The metav1.Status an exec ends with on its error channel, as the kubelet writes it: Success for exit code 0;
/// for another code Failure, reason NonZeroExitCode, the code as the ExitCode cause (kubectl exits with it).
/// </summary>
internal static class ExecStatus
{
    public static JsonObject ForExitCode(int exitCode, IReadOnlyList<string> command) => exitCode == 0
        ? new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Success" }
        : new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = $"command terminated with non-zero exit code: error executing command [{string.Join(' ', command)}], exit code {exitCode}",
            ["reason"] = "NonZeroExitCode",
            ["details"] = new JsonObject
            {
                ["causes"] = new JsonArray(new JsonObject { ["reason"] = "ExitCode", ["message"] = exitCode.ToString(CultureInfo.InvariantCulture) }),
            },
        };

    public static JsonObject ForError(string message) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = message,
        ["reason"] = "InternalError",
        ["code"] = 500,
    };
}
