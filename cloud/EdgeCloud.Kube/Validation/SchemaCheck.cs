using EdgeCloud.Kube.Api;

namespace EdgeCloud.Kube.Validation;

/// <summary>What checking an object against its schema found.</summary>
/// <param name="UnknownFields">Paths of fields the schema does not declare (already removed from the object), e.g. "spec.foo".</param>
/// <param name="Errors">Values that break the schema: wrong type, missing required field, value not allowed.</param>
public sealed record SchemaCheck(IReadOnlyList<string> UnknownFields, IReadOnlyList<StatusCause> Errors);
