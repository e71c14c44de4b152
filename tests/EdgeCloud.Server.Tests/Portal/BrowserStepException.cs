namespace EdgeCloud.Server.Tests.Portal;

/// <summary>A failed step of a browser test, with what the page showed at the time (see <see cref="PortalBrowser.RunAsync"/>).</summary>
public sealed class BrowserStepException(string message, Exception innerException) : Exception(message, innerException);
