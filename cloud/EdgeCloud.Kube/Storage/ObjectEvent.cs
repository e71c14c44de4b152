using System.Text.Json.Nodes;

namespace EdgeCloud.Kube.Storage;

/// <summary>One watch event as a Kubernetes client sees it: type (see <see cref="KubeWatchEventTypes"/>) and object.</summary>
public sealed record ObjectEvent(string Type, JsonObject Object, long Revision);
