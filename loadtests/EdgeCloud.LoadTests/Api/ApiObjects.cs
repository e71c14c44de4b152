using System.Text;

namespace EdgeCloud.LoadTests.Api;

/// <summary>The objects both halves of the benchmark write: ConfigMaps of about 300 bytes.</summary>
internal static class ApiObjects
{
    public const string Namespace = "bench";

    public static string Name(int index) => $"cm-{index:D6}";

    /// <summary>The ConfigMap JSON the API half posts.</summary>
    public static string ConfigMapJson(int index) =>
        $$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{Name(index)}}}","labels":{"app":"bench","shard":"{{{index % 16}}}"}},"data":{"color":"blue","payload":"{{{new string('x', 160)}}}","index":"{{{index}}}"}}""";

    /// <summary>The stored bytes the store half writes (the same JSON, as the API stores it).</summary>
    public static byte[] StoredValue(int index) => Encoding.UTF8.GetBytes(ConfigMapJson(index));
}
