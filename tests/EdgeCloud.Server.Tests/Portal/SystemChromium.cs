namespace EdgeCloud.Server.Tests.Portal;

/// <summary>
/// Debian's Chromium, which scripts/test.sh installs (scripts/lib/chromium.sh) and names in EDGECLOUD_TEST_CHROMIUM.
/// Without it a browser test is skipped on a developer machine, and fails under CI=true: CI must never pass by skipping.
/// </summary>
public static class SystemChromium
{
    public const string Variable = "EDGECLOUD_TEST_CHROMIUM";

    /// <summary>Where Debian's package puts its launcher; used when the variable is not set (a plain `dotnet test`).</summary>
    public const string DebianPath = "/usr/bin/chromium";

    /// <summary>The Chromium executable; skips the test (fails it under CI=true) when there is none.</summary>
    public static string Require()
    {
        var configured = Environment.GetEnvironmentVariable(Variable);
        var path = string.IsNullOrWhiteSpace(configured) ? DebianPath : configured;
        if (File.Exists(path))
        {
            return path;
        }

        var reason = string.IsNullOrWhiteSpace(configured)
            ? $"Chromium is not installed at {DebianPath} and {Variable} is not set: run scripts/test.sh (it installs Debian's chromium) or `apt-get install chromium`"
            : $"{Variable}={configured} does not exist: run scripts/test.sh (it installs Debian's chromium) or point {Variable} at a Chromium executable";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(reason + " (CI=true: not skipped)");
        }

        Assert.Skip(reason);
        return null!;
    }
}
