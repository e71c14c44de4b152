using System.Text.Json.Serialization;

namespace EdgeCloud.Tenancy;

/// <summary>Source-generated JSON of the stored tenancy records.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(Account))]
[JsonSerializable(typeof(Tenant))]
[JsonSerializable(typeof(Membership))]
[JsonSerializable(typeof(TenantCluster))]
[JsonSerializable(typeof(SessionRecord))]
[JsonSerializable(typeof(AuditEntry))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(Plan[]))]
internal sealed partial class TenancyJsonContext : JsonSerializerContext;
