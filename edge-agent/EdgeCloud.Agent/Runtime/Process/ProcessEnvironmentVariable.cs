namespace EdgeCloud.Agent.Runtime.Process;

/// <summary>One environment variable of a process container, as stored in its state file.</summary>
internal sealed record ProcessEnvironmentVariable(string Name, string Value);
