using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Kube.Kinds;

/// <summary>core/v1 ServiceAccount: an identity for processes in pods.</summary>
public static class ServiceAccountKind
{
    /// <summary>The ServiceAccount kind.</summary>
    public static KindDefinition Definition { get; } = new()
    {
        Group = "",
        Version = "v1",
        Kind = "ServiceAccount",
        Plural = "serviceaccounts",
        Singular = "serviceaccount",
        Namespaced = true,
        ShortNames = ["sa"],
        // serviceaccounts/token (TokenRequest) issues short-lived tokens for the account.
        Subresources = ["token"],
        Schema = MetaSchemas.KindObject(
            "An identity that pods run as when they call the API.",
            ("secrets", Schemas.KeyedList(CoreSchemas.ObjectReference, "name", "Deprecated: secrets holding legacy long-lived tokens of this account.")),
            ("imagePullSecrets", Schemas.ListOf(CoreSchemas.LocalObjectReference, "Secrets used to pull images for pods that run as this account.")),
            ("automountServiceAccountToken", Schemas.Boolean("Whether pods of this account get an API token mounted unless they say otherwise."))),
        PrinterColumns =
        [
            new()
            {
                Name = "Secrets",
                Type = "integer",
                Description = "Number of secrets listed for the account.",
                Cell = (obj, _) => TableCells.Count(obj, "secrets"),
            },
            TableCells.AgeColumn,
        ],
    };
}
