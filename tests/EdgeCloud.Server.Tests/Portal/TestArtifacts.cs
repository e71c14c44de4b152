namespace EdgeCloud.Server.Tests.Portal;

/// <summary>Files a test leaves for a person to look at (screenshots), in artifacts/test-results at the repository root.</summary>
public static class TestArtifacts
{
    /// <summary>artifacts/test-results, created if missing: the folder scripts/test.sh keeps its results in.</summary>
    public static string Directory()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "EdgeCloud.sln")))
        {
            root = root.Parent;
        }

        if (root is null)
        {
            throw new InvalidOperationException($"no EdgeCloud.sln above {AppContext.BaseDirectory}: the tests must run from a build inside the repository");
        }

        return System.IO.Directory.CreateDirectory(Path.Combine(root.FullName, "artifacts", "test-results")).FullName;
    }

    /// <summary>The path of artifact <paramref name="name"/> (the folder exists).</summary>
    public static string PathOf(string name) => Path.Combine(Directory(), name);
}
