using System.Collections.Concurrent;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EdgeCloud.Server.Tests.Portal;

/// <summary>
/// Debian's headless Chromium driven by Playwright (never a browser Playwright downloads), with a fresh temporary
/// profile and one page. It records what a developer would see in the browser's console: errors (including
/// Content-Security-Policy violations) and uncaught exceptions. Disposing closes the browser, stops Playwright's
/// driver process and deletes the profile.
/// </summary>
public sealed class PortalBrowser : IAsyncDisposable
{
    /// <summary>
    /// The flags the machine's closed network needs: without them Chromium keeps dialling out (component updates,
    /// sync, QUIC probes) and runs its first-run setup. No sandbox: the tests run as root, and Chromium refuses to run as
    /// root with its sandbox on.
    /// </summary>
    private static readonly string[] Flags =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private readonly IPlaywright _playwright;
    private readonly IBrowserContext _context;
    private readonly string _profile;
    private readonly ConcurrentQueue<string> _consoleErrors = new();
    private readonly ConcurrentQueue<(int Status, string Path)> _expectedFailures = new();
    private readonly ConcurrentQueue<string> _history = new();

    private PortalBrowser(IPlaywright playwright, IBrowserContext context, string profile, IPage page)
    {
        _playwright = playwright;
        _context = context;
        _profile = profile;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                _consoleErrors.Enqueue($"{message.Text} (at {message.Location})");
            }
        };
        page.PageError += (_, error) => _consoleErrors.Enqueue("uncaught: " + error);
        // What a failure report shows: where the tab went, and which requests were refused.
        page.FrameNavigated += (_, frame) =>
        {
            if (frame == page.MainFrame)
            {
                _history.Enqueue("navigated to " + frame.Url);
            }
        };
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                _history.Enqueue($"{response.Request.Method} {response.Url} answered {response.Status}");
            }
        };
    }

    /// <summary>The one tab.</summary>
    public IPage Page { get; }

    /// <summary>Launches <paramref name="chromium"/> headless; self-signed server certificates are accepted.</summary>
    public static async Task<PortalBrowser> LaunchAsync(string chromium)
    {
        var profile = Directory.CreateTempSubdirectory("edgecloud-chromium-").FullName;
        IPlaywright? playwright = null;
        try
        {
            playwright = await Microsoft.Playwright.Playwright.CreateAsync();
            // A persistent context is the only way to give Chromium a profile directory of our own; it is new and
            // empty, so the browser starts as on a new user's machine (no cookies, no storage).
            var context = await playwright.Chromium.LaunchPersistentContextAsync(profile, new BrowserTypeLaunchPersistentContextOptions
            {
                ExecutablePath = chromium,
                Headless = true,
                Args = Flags,
                // The server's certificate is signed by its own CA; the session cookie is Secure, so it has to be https.
                IgnoreHTTPSErrors = true,
                AcceptDownloads = true,
                // As a person's browser lets a page they click in write the clipboard; reading it back is the test's.
                Permissions = ["clipboard-read", "clipboard-write"],
                ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
                Timeout = 30_000,
            });
            context.SetDefaultTimeout(15_000);
            // Expectations retry until this long: creating a cluster on a busy 2-core machine can take seconds.
            SetDefaultExpectTimeout(15_000);
            var page = context.Pages.Count > 0 ? context.Pages[0] : await context.NewPageAsync();
            return new PortalBrowser(playwright, context, profile, page);
        }
        catch
        {
            playwright?.Dispose();
            Directory.Delete(profile, recursive: true);
            throw;
        }
    }

    /// <summary>
    /// Runs a test's <paramref name="steps"/> on the page; should one fail, saves a screenshot of the page as it was
    /// (artifacts/test-results/portal-failure-NAME.png) and adds its address, history and console to the error.
    /// </summary>
    public async Task RunAsync(string name, Func<IPage, Task> steps)
    {
        try
        {
            await steps(Page);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            var screenshot = TestArtifacts.PathOf($"portal-failure-{name}.png");
            try
            {
                await Page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });
            }
            catch (PlaywrightException shotError)
            {
                screenshot = "not taken: " + shotError.Message;
            }

            throw new BrowserStepException(
                $"{error.Message}\n--- the page was at {Page.Url}; screenshot {screenshot}\n--- history:\n{string.Join('\n', _history)}\n--- console errors:\n{string.Join('\n', _consoleErrors)}",
                error);
        }
    }

    /// <summary>
    /// Waits until <paramref name="page"/> shows <paramref name="url"/> and its document has been parsed (its scripts
    /// have run). Not <c>WaitForURLAsync</c>: it waits for a navigation's load event, and CI once saw it time out on a
    /// script's redirect to /login although the page had arrived there and rendered.
    /// </summary>
    public static async Task ArriveAtAsync(IPage page, string url)
    {
        await Expect(page).ToHaveURLAsync(url);
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
    }

    /// <summary>
    /// Declares a failed request that the test causes on purpose (a 401 for a visitor without a session, a 400 for
    /// bad input): Chromium logs each failed fetch as a console error, and those are not a page's mistake.
    /// </summary>
    public void ExpectFailedRequest(int status, string path) => _expectedFailures.Enqueue((status, path));

    /// <summary>The console errors and uncaught exceptions so far, less the failed requests the test expected.</summary>
    public IReadOnlyList<string> UnexpectedConsoleErrors() =>
        [.. _consoleErrors.Where(error => !_expectedFailures.Any(expected => IsFailedRequest(error, expected)))];

    /// <summary>Fails the test, listing them, when <see cref="UnexpectedConsoleErrors"/> holds any.</summary>
    public void AssertNoConsoleErrors()
    {
        var errors = UnexpectedConsoleErrors();
        Assert.True(errors.Count == 0, "the browser's console shows errors:\n" + string.Join('\n', errors));
    }

    private static bool IsFailedRequest(string error, (int Status, string Path) expected) =>
        error.StartsWith($"Failed to load resource: the server responded with a status of {expected.Status} ", StringComparison.Ordinal)
        && error.Contains(expected.Path, StringComparison.Ordinal);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _context.CloseAsync();
        }
        finally
        {
            _playwright.Dispose();
            Directory.Delete(_profile, recursive: true);
        }
    }
}
