using System.Text.Json.Nodes;

namespace EdgeCloud.Kube.Kinds;

/// <summary>
/// Per-kind defaulting that is logic rather than a constant, as kube-apiserver's SetDefaults_* functions do it;
/// runs after the schema's constant defaults.
/// </summary>
public static class KindDefaults
{
    /// <summary>Deployment: the pod template's defaults; a RollingUpdate strategy without parameters gets 25%/25%.</summary>
    public static void Deployment(JsonObject deployment)
    {
        PodDefaults.ApplyToTemplate(deployment);
        RollingUpdate(deployment["spec"]?["strategy"] as JsonObject, "25%", "25%");
    }

    /// <summary>DaemonSet: the pod template's defaults; a RollingUpdate strategy without parameters gets maxUnavailable 1, maxSurge 0.</summary>
    public static void DaemonSet(JsonObject daemonSet)
    {
        PodDefaults.ApplyToTemplate(daemonSet);
        RollingUpdate(daemonSet["spec"]?["updateStrategy"] as JsonObject, 1, 0);
    }

    /// <summary>Secret: stringData is write-only; its keys are merged into data (stringData wins) and it is never stored.</summary>
    public static void Secret(JsonObject secret)
    {
        if (secret["stringData"] is not JsonObject plain)
        {
            return;
        }

        var data = secret["data"] as JsonObject ?? [];
        foreach (var (key, value) in plain)
        {
            data[key] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(value?.GetValue<string>() ?? ""));
        }

        secret["data"] = data;
        secret.Remove("stringData");
    }

    /// <summary>Namespace: the "kubernetes" finalizer that the namespace lifecycle removes once the namespace is empty.</summary>
    public static void Namespace(JsonObject ns)
    {
        var spec = ns["spec"] as JsonObject ?? [];
        spec["finalizers"] ??= new JsonArray("kubernetes");
        ns["spec"] = spec;
    }

    /// <summary>Service: a port's targetPort defaults to its port.</summary>
    public static void Service(JsonObject service)
    {
        foreach (var port in (service["spec"]?["ports"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            if (port["targetPort"] is null && port["port"] is { } number)
            {
                port["targetPort"] = number.DeepClone();
            }
        }
    }

    private static void RollingUpdate(JsonObject? strategy, JsonNode maxUnavailable, JsonNode maxSurge)
    {
        if (strategy is not null && strategy["type"]?.GetValue<string>() == "RollingUpdate" && strategy["rollingUpdate"] is null)
        {
            strategy["rollingUpdate"] = new JsonObject { ["maxUnavailable"] = maxUnavailable, ["maxSurge"] = maxSurge };
        }
    }
}
