using System.Text.Json.Serialization;

namespace EdgeCloud.Agent.Runtime.Docker.Api;

/// <summary>Source-generated JSON for the Docker Engine API boundary (the agent is trimmed: no reflection).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ContainerCreateRequest))]
[JsonSerializable(typeof(IdResponse))]
[JsonSerializable(typeof(ContainerInspectResponse))]
[JsonSerializable(typeof(List<ContainerSummaryResponse>))]
[JsonSerializable(typeof(WaitResponse))]
[JsonSerializable(typeof(ExecCreateRequest))]
[JsonSerializable(typeof(ExecStartRequest))]
[JsonSerializable(typeof(ExecInspectResponse))]
[JsonSerializable(typeof(ImageInspectResponse))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(PullProgressMessage))]
[JsonSerializable(typeof(Dictionary<string, string[]>))]
internal sealed partial class DockerJsonContext : JsonSerializerContext;
