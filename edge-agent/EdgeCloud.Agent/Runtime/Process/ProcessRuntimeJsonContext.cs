using System.Text.Json.Serialization;

namespace EdgeCloud.Agent.Runtime.Process;

/// <summary>Source-generated JSON for the process runtime's state files (the agent is trimmed: no reflection).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ProcessContainerRecord))]
internal sealed partial class ProcessRuntimeJsonContext : JsonSerializerContext;
