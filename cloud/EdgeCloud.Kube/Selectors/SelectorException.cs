namespace EdgeCloud.Kube.Selectors;

/// <summary>A label or field selector that does not parse or names what cannot be selected; the API answers 400 with the message.</summary>
public sealed class SelectorException(string message) : FormatException(message);
