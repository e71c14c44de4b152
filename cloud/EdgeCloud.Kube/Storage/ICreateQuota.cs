using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Kube.Storage;

/// <summary>
/// Checked before every create that <see cref="ResourceStore"/> does, whoever asks (an API request or a controller
/// creating pods): the host enforces its per-cluster limits here, as kube-apiserver's quota admission sees every
/// create.
/// </summary>
public interface ICreateQuota
{
    /// <summary>Throws a 403 Forbidden <see cref="Api.KubeApiException"/> when <paramref name="cluster"/> may not store another <paramref name="kind"/> object in <paramref name="ns"/>.</summary>
    Task CheckAsync(string cluster, KindDefinition kind, string? ns, CancellationToken cancellationToken);
}
