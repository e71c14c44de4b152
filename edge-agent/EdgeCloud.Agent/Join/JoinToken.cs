namespace EdgeCloud.Agent.Join;

/// <summary>
/// A join token as <c>edgecloud server</c> writes it: <c>K10&lt;sha256 of the cloud's CA bundle, hex&gt;::&lt;secret&gt;</c>
/// (K3s' format). The hash lets the agent trust the cloud's CA on first contact without a copy of it.
/// </summary>
internal sealed record JoinToken(string Text, string CaHash)
{
    /// <summary>Parses <paramref name="text"/>; null with <paramref name="error"/> when it is not a join token.</summary>
    public static JoinToken? Parse(string text, out string? error)
    {
        error = null;
        var separator = text.IndexOf("::", StringComparison.Ordinal);
        if (!text.StartsWith("K10", StringComparison.Ordinal) || separator != 3 + 64 || text.Length - separator - 2 < 16)
        {
            error = "the token is not an EdgeCloud join token (K10<ca-hash>::<secret>; edgecloud server writes it to DIR/agent-token)";
            return null;
        }

        var hash = text[3..separator];
        if (!hash.All(Uri.IsHexDigit))
        {
            error = "the token's CA hash is not hexadecimal";
            return null;
        }

        return new JoinToken(text, hash.ToLowerInvariant());
    }
}
