using System.Text.Json.Nodes;
using EdgeCloud.Kube.Api;
using EdgeCloud.Kube.Selectors;
using EdgeCloud.Kube.Storage;

namespace EdgeCloud.Kube.Kinds;

// kube-apiserver's Job strategy (pkg/registry/batch/job): unless spec.manualSelector is true, the selector is
// generated from the job's uid and the template is labelled to match, once the registry has filled in the uid; the
// selector and the template's labels never change afterwards.
public static partial class JobKind
{
    /// <summary>The label with the Job's uid, selected on by the generated selector.</summary>
    public const string ControllerUidLabel = "batch.kubernetes.io/controller-uid";

    /// <summary>The label with the Job's name.</summary>
    public const string JobNameLabel = "batch.kubernetes.io/job-name";

    /// <summary>The older spelling of <see cref="ControllerUidLabel"/>, still set by the API server.</summary>
    public const string LegacyControllerUidLabel = "controller-uid";

    /// <summary>The older spelling of <see cref="JobNameLabel"/>, still set by the API server.</summary>
    public const string LegacyJobNameLabel = "job-name";

    private const string ImmutableMessage = "field is immutable";

    /// <summary>
    /// Generates the selector of a new <paramref name="job"/> whose metadata.uid and name are set (unless
    /// spec.manualSelector is true), then checks the selector against the template, as the strategy's Validate does.
    /// </summary>
    /// <exception cref="KubeApiException">422 Invalid: the selector is missing, malformed, does not match the template's labels, or contradicts the generated labels.</exception>
    public static void AdmitCreate(JsonObject job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job["spec"] is not JsonObject spec)
        {
            return;
        }

        var metadata = job.Metadata();
        var uid = metadata.GetString("uid") ?? "";
        var name = metadata.GetString("name") ?? "";
        var manual = spec["manualSelector"] is JsonValue m && m.TryGetValue<bool>(out var isManual) && isManual;
        var causes = new List<StatusCause>();
        if (!manual)
        {
            GenerateSelector(spec, uid, name);
            CheckGenerated(spec, uid, name, causes);
        }

        CheckSelectorMatchesTemplate(spec, causes);
        if (causes.Count > 0)
        {
            throw KubeApiException.Invalid(Definition.Group, Definition.Kind, name, causes);
        }
    }

    /// <summary>Refuses an update that changes spec.selector or the template's labels (ValidateJobUpdate).</summary>
    /// <exception cref="KubeApiException">422 Invalid, one cause per changed field.</exception>
    public static void AdmitUpdate(JsonObject current, JsonObject requested)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(requested);
        var causes = new List<StatusCause>();
        var selector = requested["spec"]?["selector"];
        if (!JsonNode.DeepEquals(current["spec"]?["selector"], selector))
        {
            causes.Add(Invalid("spec.selector", Render(selector), ImmutableMessage));
        }

        var labels = requested["spec"]?["template"]?["metadata"]?["labels"];
        if (!JsonNode.DeepEquals(current["spec"]?["template"]?["metadata"]?["labels"], labels))
        {
            causes.Add(Invalid("spec.template.metadata.labels", Render(labels), ImmutableMessage));
        }

        if (causes.Count > 0)
        {
            throw KubeApiException.Invalid(Definition.Group, Definition.Kind, requested.Metadata().GetString("name") ?? "", causes);
        }
    }

    // generateSelector: labels the user set are left for validation to judge; the selector gains the uid label.
    private static void GenerateSelector(JsonObject spec, string uid, string name)
    {
        var template = spec["template"] as JsonObject ?? [];
        spec["template"] = template;
        var templateMetadata = template["metadata"] as JsonObject ?? [];
        template["metadata"] = templateMetadata;
        var labels = templateMetadata["labels"] as JsonObject ?? [];
        templateMetadata["labels"] = labels;
        labels[LegacyJobNameLabel] ??= name;
        labels[JobNameLabel] ??= name;
        labels[LegacyControllerUidLabel] ??= uid;
        labels[ControllerUidLabel] ??= uid;

        var selector = spec["selector"] as JsonObject ?? [];
        spec["selector"] = selector;
        var matchLabels = selector["matchLabels"] as JsonObject ?? [];
        selector["matchLabels"] = matchLabels;
        matchLabels[ControllerUidLabel] ??= uid;
    }

    // validateGeneratedSelector: a user-set label or selector value that contradicts the generated one is refused.
    private static void CheckGenerated(JsonObject spec, string uid, string name, List<StatusCause> causes)
    {
        var labels = spec["template"]?["metadata"]?["labels"] as JsonObject;
        foreach (var (label, expected) in new[] { (LegacyControllerUidLabel, uid), (LegacyJobNameLabel, name), (ControllerUidLabel, uid), (JobNameLabel, name) })
        {
            var value = (labels?[label] as JsonValue)?.ToString();
            if (value != expected)
            {
                causes.Add(Invalid($"spec.template.metadata.labels[{label}]", Quote(value ?? ""), $"must be '{expected}'"));
            }
        }

        var selected = (spec["selector"]?["matchLabels"]?[ControllerUidLabel] as JsonValue)?.ToString();
        if (selected != uid)
        {
            causes.Add(Invalid($"spec.selector.matchLabels[{ControllerUidLabel}]", Quote(selected ?? ""), $"must be '{uid}'"));
        }
    }

    // ValidateJobSpec: a selector is required, and it must select the template's labels.
    private static void CheckSelectorMatchesTemplate(JsonObject spec, List<StatusCause> causes)
    {
        if (spec["selector"] is not JsonObject selectorObject)
        {
            causes.Add(new StatusCause("FieldValueRequired", "Required value", "spec.selector"));
            return;
        }

        LabelSelector selector;
        try
        {
            selector = LabelSelector.FromObject(selectorObject);
        }
        catch (SelectorException malformed)
        {
            causes.Add(Invalid("spec.selector", Render(selectorObject), malformed.Message));
            return;
        }

        var labels = spec["template"]?["metadata"]?["labels"] as JsonObject;
        if (selector.IsEverything || !selector.Matches(labels))
        {
            causes.Add(Invalid("spec.template.metadata.labels", GoMap(labels), "`selector` does not match template `labels`"));
        }
    }

    private static StatusCause Invalid(string field, string value, string detail) =>
        new("FieldValueInvalid", $"Invalid value: {value}: {detail}", field);

    private static string Quote(string value) => JsonValue.Create(value).ToJsonString();

    private static string Render(JsonNode? node) => node?.ToJsonString() ?? "null";

    // How Go prints the labels map in the message (%#v sorts the keys).
    private static string GoMap(JsonObject? labels) =>
        "map[string]string{" + string.Join(", ", (labels ?? []).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{Quote(p.Key)}:{Quote((p.Value as JsonValue)?.ToString() ?? "")}")) + "}";
}
