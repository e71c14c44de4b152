using System.Text.Json.Nodes;
using EdgeCloud.Agent.Runtime;

namespace EdgeCloud.Agent.Pods;

/// <summary>
/// The pod's volumes on the host: emptyDir as a directory of the pod (removed with it), hostPath as the path
/// itself (created for DirectoryOrCreate), configMap and secret as a directory of files, one per key (or per
/// listed item), written again before each container start so a restart sees current values. Secrets are written
/// owner-only.
/// </summary>
internal sealed class PodVolumes(ReferencedObjects objects)
{
    /// <summary>Materializes the volumes <paramref name="container"/> mounts and returns its mounts.</summary>
    public async Task<List<ContainerMount>> PrepareAsync(PodPlan pod, ContainerPlan container, string podDirectory, CancellationToken cancellationToken)
    {
        var mounts = new List<ContainerMount>();
        foreach (var mount in container.Mounts)
        {
            var volume = pod.Volumes.FirstOrDefault(v => PodPlan.Text(v["name"]) == mount.Volume)
                ?? throw new ContainerConfigException($"volumeMount \"{mount.Volume}\" names no volume of the pod");
            var source = await MaterializeAsync(pod, volume, podDirectory, cancellationToken);
            if (mount.SubPath is { Length: > 0 } sub)
            {
                if (sub.Contains("..", StringComparison.Ordinal) || Path.IsPathRooted(sub))
                {
                    throw new ContainerConfigException($"subPath \"{sub}\" must be a relative path without '..'");
                }

                source = Path.Combine(source, sub);
                if (!File.Exists(source))
                {
                    Directory.CreateDirectory(source);
                }
            }

            mounts.Add(new ContainerMount(source, mount.MountPath, mount.ReadOnly || volume["configMap"] is not null || volume["secret"] is not null));
        }

        return mounts;
    }

    private async Task<string> MaterializeAsync(PodPlan pod, JsonObject volume, string podDirectory, CancellationToken cancellationToken)
    {
        var name = PodPlan.Text(volume["name"]) ?? "";
        var local = Path.Combine(podDirectory, "volumes", name);
        if (volume["emptyDir"] is not null)
        {
            Directory.CreateDirectory(local);
            return local;
        }

        if (volume["hostPath"] is JsonObject hostPath)
        {
            var path = PodPlan.Text(hostPath["path"]) ?? throw new ContainerConfigException($"hostPath volume \"{name}\" has no path");
            var type = PodPlan.Text(hostPath["type"]) ?? "";
            if (type == "DirectoryOrCreate")
            {
                Directory.CreateDirectory(path);
            }
            else if (type == "Directory" && !Directory.Exists(path))
            {
                throw new ContainerConfigException($"hostPath type check failed: {path} is not a directory");
            }
            else if (type == "File" && !File.Exists(path))
            {
                throw new ContainerConfigException($"hostPath type check failed: {path} is not a file");
            }

            return path;
        }

        var (plural, reference, nameField) = volume["configMap"] is JsonObject cm ? ("configmaps", cm, "name") : volume["secret"] is JsonObject s ? ("secrets", s, "secretName") : (null, null, null);
        if (plural is null || reference is null)
        {
            throw new ContainerConfigException($"volume \"{name}\": only emptyDir, hostPath, configMap and secret volumes are supported by edge-agent");
        }

        var objectName = PodPlan.Text(reference[nameField!]) ?? "";
        var obj = await objects.GetAsync(plural, pod.Namespace, objectName, cancellationToken);
        var optional = reference["optional"] is JsonValue o && o.TryGetValue<bool>(out var yes) && yes;
        if (obj is null && !optional)
        {
            throw new ContainerConfigException($"{(plural == "secrets" ? "secret" : "configmap")} \"{objectName}\" not found");
        }

        Directory.CreateDirectory(local);
        foreach (var stale in Directory.EnumerateFiles(local, "*", SearchOption.AllDirectories))
        {
            File.Delete(stale);
        }

        if (obj is null)
        {
            return local;
        }

        var files = new List<(string Path, byte[] Value)>();
        if (reference["items"] is JsonArray items)
        {
            foreach (var item in items.OfType<JsonObject>())
            {
                var key = PodPlan.Text(item["key"]) ?? "";
                var path = PodPlan.Text(item["path"]) ?? key;
                var value = ReferencedObjects.Value(obj, plural, key) ?? (optional ? null : throw new ContainerConfigException($"key {key} not found in {plural} {pod.Namespace}/{objectName}"));
                if (value is not null)
                {
                    files.Add((path, value));
                }
            }
        }
        else
        {
            files.AddRange(ReferencedObjects.Entries(obj, plural));
        }

        foreach (var (path, value) in files)
        {
            if (path.Contains("..", StringComparison.Ordinal) || Path.IsPathRooted(path))
            {
                throw new ContainerConfigException($"item path \"{path}\" must be a relative path without '..'");
            }

            var file = Path.Combine(local, path);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await File.WriteAllBytesAsync(file, value, cancellationToken);
            File.SetUnixFileMode(file, plural == "secrets" ? UnixFileMode.UserRead | UnixFileMode.UserWrite : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        return local;
    }
}
