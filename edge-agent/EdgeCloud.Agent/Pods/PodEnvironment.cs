using System.Text;
using System.Text.Json.Nodes;

namespace EdgeCloud.Agent.Pods;

/// <summary>
/// A container's environment as kubelet builds it: envFrom first (with prefixes), then env in order; values
/// from ConfigMaps, Secrets and the pod's own fields (fieldRef); $(VAR) references to earlier variables expanded
/// ($$ escapes). A missing, non-optional reference fails the container with CreateContainerConfigError.
/// </summary>
internal sealed class PodEnvironment(ReferencedObjects objects)
{
    /// <summary>The resolved variables, or throws <see cref="ContainerConfigException"/>.</summary>
    public async Task<List<KeyValuePair<string, string>>> ResolveAsync(PodPlan pod, ContainerPlan container, string nodeName, string hostIp, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var order = new List<string>();
        void Set(string name, string value)
        {
            if (!values.ContainsKey(name))
            {
                order.Add(name);
            }

            values[name] = value;
        }

        foreach (var from in container.EnvFrom.OfType<JsonObject>())
        {
            var prefix = PodPlan.Text(from["prefix"]) ?? "";
            var (plural, reference) = from["configMapRef"] is JsonObject cm ? ("configmaps", cm) : from["secretRef"] is JsonObject s ? ("secrets", s) : (null, null);
            if (plural is null || reference is null)
            {
                continue;
            }

            var name = PodPlan.Text(reference["name"]) ?? "";
            var obj = await objects.GetAsync(plural, pod.Namespace, name, cancellationToken);
            if (obj is null)
            {
                if (IsOptional(reference))
                {
                    continue;
                }

                throw new ContainerConfigException($"{Singular(plural)} \"{name}\" not found");
            }

            foreach (var (key, value) in ReferencedObjects.Entries(obj, plural))
            {
                Set(prefix + key, Encoding.UTF8.GetString(value));
            }
        }

        foreach (var env in container.Env.OfType<JsonObject>())
        {
            var name = PodPlan.Text(env["name"]) ?? "";
            if (env["valueFrom"] is JsonObject source)
            {
                if (await ValueFromAsync(pod, source, nodeName, hostIp, cancellationToken) is { } resolved)
                {
                    Set(name, resolved);
                }

                continue;
            }

            Set(name, Expand(PodPlan.Text(env["value"]) ?? "", values));
        }

        return [.. order.Select(n => new KeyValuePair<string, string>(n, values[n]))];
    }

    /// <summary>Expands $(NAME) with earlier variables; $$ is a literal $; unknown references stay as written.</summary>
    public static string Expand(string value, IReadOnlyDictionary<string, string> known)
    {
        if (!value.Contains('$', StringComparison.Ordinal))
        {
            return value;
        }

        var result = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '$' && i + 1 < value.Length)
            {
                if (value[i + 1] == '$')
                {
                    result.Append('$');
                    i++;
                    continue;
                }

                if (value[i + 1] == '(' && value.IndexOf(')', i + 2) is var end and > 0)
                {
                    var name = value[(i + 2)..end];
                    if (known.TryGetValue(name, out var replacement))
                    {
                        result.Append(replacement);
                        i = end;
                        continue;
                    }
                }
            }

            result.Append(value[i]);
        }

        return result.ToString();
    }

    private async Task<string?> ValueFromAsync(PodPlan pod, JsonObject source, string nodeName, string hostIp, CancellationToken cancellationToken)
    {
        if (source["fieldRef"] is JsonObject field)
        {
            var path = PodPlan.Text(field["fieldPath"]) ?? "";
            var metadata = pod.Object["metadata"] as JsonObject;
            return path switch
            {
                "metadata.name" => pod.Name,
                "metadata.namespace" => pod.Namespace,
                "metadata.uid" => pod.Uid,
                "spec.nodeName" => nodeName,
                "spec.serviceAccountName" => PodPlan.Text(pod.Object["spec"]?["serviceAccountName"]) ?? "default",
                "status.hostIP" or "status.podIP" => hostIp,
                _ when path.StartsWith("metadata.labels['", StringComparison.Ordinal) && path.EndsWith("']", StringComparison.Ordinal) =>
                    PodPlan.Text(metadata?["labels"]?[path["metadata.labels['".Length..^2]]) ?? "",
                _ when path.StartsWith("metadata.annotations['", StringComparison.Ordinal) && path.EndsWith("']", StringComparison.Ordinal) =>
                    PodPlan.Text(metadata?["annotations"]?[path["metadata.annotations['".Length..^2]]) ?? "",
                _ => throw new ContainerConfigException($"unsupported fieldRef fieldPath \"{path}\""),
            };
        }

        var (plural, reference) = source["configMapKeyRef"] is JsonObject cm ? ("configmaps", cm) : source["secretKeyRef"] is JsonObject s ? ("secrets", s) : (null, null);
        if (plural is null || reference is null)
        {
            // resourceFieldRef: the agent enforces no limits, so there is nothing true to report.
            return null;
        }

        var name = PodPlan.Text(reference["name"]) ?? "";
        var key = PodPlan.Text(reference["key"]) ?? "";
        var obj = await objects.GetAsync(plural, pod.Namespace, name, cancellationToken);
        var value = obj is null ? null : ReferencedObjects.Value(obj, plural, key);
        if (value is null)
        {
            if (IsOptional(reference))
            {
                return null;
            }

            throw new ContainerConfigException(obj is null ? $"{Singular(plural)} \"{name}\" not found" : $"couldn't find key {key} in {Singular(plural)} {pod.Namespace}/{name}");
        }

        return Encoding.UTF8.GetString(value);
    }

    private static bool IsOptional(JsonObject reference) => reference["optional"] is JsonValue optional && optional.TryGetValue<bool>(out var yes) && yes;

    private static string Singular(string plural) => plural == "secrets" ? "secret" : "configmap";
}
