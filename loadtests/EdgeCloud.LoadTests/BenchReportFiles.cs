using System.Text.Json;

namespace EdgeCloud.LoadTests;

/// <summary>Writes store-bench.json and store-bench.md.</summary>
internal static class BenchReportFiles
{
    public static async Task<(string Json, string Markdown)> WriteAsync(BenchReport report, string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var json = Path.Combine(directory, "store-bench.json");
        var markdown = Path.Combine(directory, "store-bench.md");
        await using (var stream = File.Create(json))
        {
            await JsonSerializer.SerializeAsync(stream, report, BenchJsonContext.Default.BenchReport, cancellationToken);
        }

        await File.WriteAllTextAsync(markdown, BenchMarkdown.Render(report), cancellationToken);
        return (json, markdown);
    }
}
