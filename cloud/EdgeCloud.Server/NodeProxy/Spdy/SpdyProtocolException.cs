namespace EdgeCloud.Server.NodeProxy.Spdy;

/// <summary>The SPDY peer sent bytes that break the protocol; the connection ends with a GOAWAY.</summary>
internal sealed class SpdyProtocolException(string message) : IOException(message);
