namespace EdgeCloud.Store;

/// <summary>Reads a backend's schema script, embedded in this assembly.</summary>
internal static class SchemaScript
{
    public static string Load(string backendFolder)
    {
        var name = $"EdgeCloud.Store.{backendFolder}.schema.sql";
        using var stream = typeof(SchemaScript).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"embedded resource {name} is missing from the build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
