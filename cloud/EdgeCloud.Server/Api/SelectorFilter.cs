using System.Text.Json.Nodes;
using EdgeCloud.Kube.Api;
using EdgeCloud.Kube.Schema;
using EdgeCloud.Kube.Selectors;

namespace EdgeCloud.Server.Api;

/// <summary>The labelSelector and fieldSelector of a list, watch or deletecollection as one predicate; 400 when either does not parse.</summary>
internal static class SelectorFilter
{
    /// <summary>The predicate for <paramref name="kind"/>.</summary>
    public static Func<JsonObject, bool> Build(KindDefinition kind, string? labelSelector, string? fieldSelector)
    {
        try
        {
            var labels = LabelSelector.Parse(labelSelector);
            var fields = FieldSelector.Parse(fieldSelector, FieldSelectorSupport.For(kind.Group, kind.Kind));
            return obj => labels.Matches((obj["metadata"] as JsonObject)?["labels"] as JsonObject) && fields.Matches(obj);
        }
        catch (SelectorException error)
        {
            throw KubeApiException.BadRequest(error.Message);
        }
    }
}
