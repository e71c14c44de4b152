using System.Text.Json.Nodes;
using EdgeCloud.Kube.Api;
using EdgeCloud.Kube.Schema;
using EdgeCloud.Kube.Selectors;

namespace EdgeCloud.Server.Api;

/// <summary>The labelSelector and fieldSelector of a list, watch or deletecollection as one predicate; 400 when either does not parse.</summary>
internal static class SelectorFilter
{
    private static readonly FieldSelectorSupport Fields = FieldSelectorSupport.CreateDefault();

    /// <summary>The predicate for <paramref name="kind"/>.</summary>
    public static Func<JsonObject, bool> Build(KindDefinition kind, string? labelSelector, string? fieldSelector)
    {
        try
        {
            var labels = LabelSelector.Parse(labelSelector ?? "");
            var fields = Fields.Bind(kind.Group, kind.Kind, fieldSelector ?? "");
            if (labels.IsEverything && fields.IsEverything)
            {
                return static _ => true;
            }

            return obj => labels.MatchesObject(obj) && fields.Matches(obj);
        }
        catch (SelectorException error)
        {
            throw KubeApiException.BadRequest(error.Message);
        }
    }
}
