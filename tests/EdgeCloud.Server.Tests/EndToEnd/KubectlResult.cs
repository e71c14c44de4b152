namespace EdgeCloud.Server.Tests.EndToEnd;

/// <summary>Exit code and output of one kubectl run.</summary>
public sealed record KubectlResult(int ExitCode, string Stdout, string Stderr);
