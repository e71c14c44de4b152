namespace EdgeCloud.Kube.Schema;

/// <summary>
/// One served resource: its names, scope and schema. Discovery, OpenAPI, validation, patching, table printing
/// and storage are all driven from it. Built-in kinds are declared in code; a CRD becomes one per served version.
/// </summary>
public sealed record KindDefinition
{
    /// <summary>API group; empty for the core group.</summary>
    public required string Group { get; init; }

    /// <summary>API version within the group, e.g. "v1".</summary>
    public required string Version { get; init; }

    /// <summary>Kind, e.g. "Deployment".</summary>
    public required string Kind { get; init; }

    /// <summary>Resource name in URLs, e.g. "deployments".</summary>
    public required string Plural { get; init; }

    /// <summary>Singular name, e.g. "deployment".</summary>
    public required string Singular { get; init; }

    /// <summary>True when objects live in a namespace.</summary>
    public required bool Namespaced { get; init; }

    /// <summary>Schema of the whole object (apiVersion, kind, metadata, spec, status, ...).</summary>
    public required SchemaNode Schema { get; init; }

    /// <summary>Short names for kubectl, e.g. "deploy".</summary>
    public IReadOnlyList<string> ShortNames { get; init; } = [];

    /// <summary>Categories, e.g. "all" for <c>kubectl get all</c>.</summary>
    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>Subresources served or declared: status, scale, binding, log, exec, ...</summary>
    public IReadOnlyList<string> Subresources { get; init; } = [];

    /// <summary>Verbs on the main resource.</summary>
    public IReadOnlyList<string> Verbs { get; init; } = DefaultVerbs;

    /// <summary>Columns of <c>kubectl get</c>, after NAME (which every table has).</summary>
    public IReadOnlyList<PrinterColumn> PrinterColumns { get; init; } = [];

    /// <summary>
    /// Defaulting that is logic rather than a constant (applied after the schema's defaults), e.g. a Job's
    /// completions and parallelism, or a container's imagePullPolicy from its image tag.
    /// </summary>
    public Action<System.Text.Json.Nodes.JsonObject>? Defaulting { get; init; }

    /// <summary>
    /// How long an object of this kind lives after its last write, or null for as long as it is not deleted:
    /// kube-apiserver keeps Events for its --event-ttl (1 h by default) after each write, whoever wrote them.
    /// </summary>
    public TimeSpan? TimeToLive { get; init; }

    /// <summary>
    /// Create-time defaulting and checks that need the system metadata the store fills in (metadata.uid,
    /// creationTimestamp), as kube-apiserver's strategies that run after the registry's FillObjectMetaSystemFields,
    /// e.g. a Job's generated selector. Run by <see cref="Storage.ResourceStore.CreateAsync"/> once uid is set and
    /// before anything is written (dry runs too); throws <see cref="Api.KubeApiException"/> (422 Invalid) to refuse
    /// the object.
    /// </summary>
    public Action<System.Text.Json.Nodes.JsonObject>? CreateAdmission { get; init; }

    /// <summary>
    /// Checks of an update of the main resource against the stored object (current, then requested), e.g. fields
    /// that are immutable once created. Run by <see cref="Api.UpdateRules.MainResource"/>; throws
    /// <see cref="Api.KubeApiException"/> (422 Invalid) to refuse the update.
    /// </summary>
    public Action<System.Text.Json.Nodes.JsonObject, System.Text.Json.Nodes.JsonObject>? UpdateAdmission { get; init; }

    /// <summary>What a valid metadata.name looks like. Defaults to a DNS-1123 subdomain, as for most kinds.</summary>
    public ObjectNameRule NameRule { get; init; } = ObjectNameRule.DnsSubdomain;

    /// <summary>
    /// Whether the table starts with a NAME column before <see cref="PrinterColumns"/>. True for every kind but
    /// core/v1 Event, whose kube-apiserver table starts with "Last Seen" and lists the name as a wide column.
    /// </summary>
    public bool NameColumn { get; init; } = true;

    /// <summary>"group/version", or "version" for the core group.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>Kind of the list type, e.g. "DeploymentList".</summary>
    public string ListKind => Kind + "List";

    /// <summary>True when spec and status are written through separate endpoints.</summary>
    public bool HasStatus => Subresources.Contains("status");

    /// <summary>The verbs Kubernetes reports for a fully served resource.</summary>
    public static readonly IReadOnlyList<string> DefaultVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
}
