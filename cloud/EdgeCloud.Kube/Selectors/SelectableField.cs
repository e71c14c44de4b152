using System.Text.Json.Nodes;

namespace EdgeCloud.Kube.Selectors;

/// <summary>
/// A field a kind can be selected by, and how to read its value from an object as the string kube-apiserver
/// compares (for example "true"/"false" for booleans, decimal digits for integers, "" for a missing field).
/// </summary>
/// <param name="Name">The field label used in selectors, e.g. <c>spec.nodeName</c>.</param>
/// <param name="Value">Reads the field's value from a whole object.</param>
public sealed record SelectableField(string Name, Func<JsonObject, string> Value);
