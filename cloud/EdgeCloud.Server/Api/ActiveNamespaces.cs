using System.Collections.Concurrent;
using EdgeCloud.Kube.Api;
using EdgeCloud.Kube.Kinds;
using EdgeCloud.Kube.Storage;

namespace EdgeCloud.Server.Api;

/// <summary>
/// The namespace check of every namespaced create (kube-apiserver's NamespaceLifecycle admission): the namespace
/// must exist and not be terminating. Like kube-apiserver, which answers it from an informer cache, an active
/// namespace is remembered briefly (<see cref="RememberFor"/>), so that a burst of creates does not read it
/// each time; this server forgets it as soon as it deletes it, and content that slips into a namespace another
/// replica just started deleting is removed by the namespace lifecycle like any other content.
/// </summary>
internal sealed class ActiveNamespaces(ResourceStore objects, TimeProvider time)
{
    /// <summary>How long an active namespace is trusted without reading it again.</summary>
    public static readonly TimeSpan RememberFor = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<(string Cluster, string Namespace), DateTimeOffset> _active = new();

    /// <summary>Throws 404 when <paramref name="ns"/> does not exist and 403 when it is terminating.</summary>
    public async Task RequireOpenAsync(string cluster, string ns, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_active.TryGetValue((cluster, ns), out var until) && until > now)
        {
            return;
        }

        var found = await objects.TryGetAsync(cluster, NamespaceKind.Definition, null, ns, cancellationToken) ?? throw KubeApiException.NotFound("", "namespaces", ns);
        if (found.Metadata()["deletionTimestamp"] is not null)
        {
            _active.TryRemove((cluster, ns), out _);
            throw new KubeApiException(403, "Forbidden", $"unable to create new content in namespace {ns} because it is being terminated",
                new StatusDetails { Name = ns, Kind = "namespaces", Causes = [new StatusCause("NamespaceTerminating", $"namespace {ns} is being terminated", "metadata.namespace")] });
        }

        _active[(cluster, ns)] = now + RememberFor;
    }

    /// <summary>Forgets <paramref name="ns"/> (it is being deleted, or gone).</summary>
    public void Forget(string cluster, string ns) => _active.TryRemove((cluster, ns), out _);
}
