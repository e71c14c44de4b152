namespace EdgeCloud.Agent.Pods;

/// <summary>One probe run: whether it passed, and for a failure what the kubelet would say (the command's output, the HTTP status, the connect error).</summary>
internal readonly record struct ProbeResult(bool Success, string Output)
{
    public static ProbeResult Passed { get; } = new(true, "");

    public static ProbeResult Failed(string output) => new(false, output);
}
