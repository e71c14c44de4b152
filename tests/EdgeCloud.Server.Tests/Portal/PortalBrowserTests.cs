using System.Text.RegularExpressions;
using EdgeCloud.Server.Security;
using EdgeCloud.Server.Tests.Agents;
using EdgeCloud.Server.Tests.EndToEnd;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EdgeCloud.Server.Tests.Portal;

/// <summary>
/// The portal's pages as a new user meets them, in Debian's Chromium against a real edgecloud process: sign up from
/// the front page, create a cluster, download its admin kubeconfig and use it with the real kubectl, get the agent
/// install command; the server's messages on bad input; sign out and in. No console errors on the way (a
/// Content-Security-Policy violation is one). Screenshots go to artifacts/test-results.
/// </summary>
public sealed class PortalBrowserTests(EdgeCloudProcess server) : IClassFixture<EdgeCloudProcess>, IDisposable
{
    private const string Password = "correct horse battery staple";
    private readonly string _work = Directory.CreateTempSubdirectory("portal-browser-").FullName;

    private string BaseUrl => AgentProcess.ServerOf(server.ApiAddress);

    private static string NewEmail(string who) => $"{who}-{Guid.NewGuid():N}"[..20] + "@example.com";

    [Fact]
    public async Task A_new_user_signs_up_creates_a_cluster_downloads_a_kubeconfig_kubectl_can_use_and_gets_the_install_command()
    {
        await using var browser = await PortalBrowser.LaunchAsync(SystemChromium.Require());
        var email = NewEmail("browser");
        await browser.RunAsync("signup-cluster", async page =>
        {
            // The front page sends a visitor without a session to sign in (the clusters page asks /me, gets 401).
            browser.ExpectFailedRequest(401, "/api/v1/me");
            await page.GotoAsync(BaseUrl + "/");
            await PortalBrowser.ArriveAtAsync(page, BaseUrl + "/login");
            await page.GetByRole(AriaRole.Link, new() { Name = "Create an account" }).ClickAsync();
            await PortalBrowser.ArriveAtAsync(page, BaseUrl + "/signup");

            await page.GetByLabel("Work email").FillAsync(email);
            await page.GetByLabel("Password").FillAsync(Password);
            await page.GetByLabel("Organisation name").FillAsync("Plant Operations");
            await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
            await PortalBrowser.ArriveAtAsync(page, BaseUrl + "/clusters");
            await Expect(page.Locator("#who")).ToHaveTextAsync(email);
            await Expect(page.GetByText("No clusters yet")).ToBeVisibleAsync();

            await page.GetByLabel("Name").FillAsync("plant-7");
            await page.GetByRole(AriaRole.Button, new() { Name = "Create cluster" }).ClickAsync();
            var row = page.Locator("#clusters tbody tr", new() { HasText = "plant-7" });
            await Expect(row).ToBeVisibleAsync();
            await Expect(page.GetByText("No clusters yet")).ToBeHiddenAsync();
            // The row shows the cluster's id under its name, and its API server URL.
            var clusterId = (await row.Locator("td").First.Locator(".muted").TextContentAsync())?.Trim() ?? "";
            Assert.Matches("^c-[a-z0-9]+$", clusterId);
            var apiUrl = $"{BaseUrl}/clusters/{clusterId}";
            await Expect(row.Locator("code")).ToHaveTextAsync(apiUrl);
            // Every action stays inside the clusters card (its buttons once ran past the card's right edge).
            var card = await page.Locator(".card", new() { Has = page.Locator("#clusters") }).BoundingBoxAsync();
            var delete = await row.GetByRole(AriaRole.Button, new() { Name = "Delete" }).BoundingBoxAsync();
            Assert.True(card is not null && delete is not null && delete.X + delete.Width <= card.X + card.Width,
                $"the Delete button (x {delete?.X} + {delete?.Width}) runs past the card (x {card?.X} + {card?.Width})");

            // The admin kubeconfig arrives as a download, and the real kubectl works with it as it is.
            var download = await page.RunAndWaitForDownloadAsync(() => row.GetByRole(AriaRole.Link, new() { Name = "Admin kubeconfig" }).ClickAsync());
            Assert.Equal("plant-7-admin.kubeconfig.yaml", download.SuggestedFilename);
            var kubeconfigPath = Path.Combine(_work, download.SuggestedFilename);
            await download.SaveAsAsync(kubeconfigPath);
            Assert.Null(await download.FailureAsync());
            var kubeconfig = await KubeconfigReader.ReadAsync(kubeconfigPath, CancellationToken.None);
            Assert.Equal(apiUrl, kubeconfig.Server);
            Assert.Contains("kube-system", await new Kubectl("1.33", kubeconfigPath).OkAsync("get", "namespaces"), StringComparison.Ordinal);

            // Adding a node shows the one-line install with a new join token.
            await row.GetByRole(AriaRole.Button, new() { Name = "Add node" }).ClickAsync();
            var command = page.Locator("#install-command");
            await Expect(command).ToBeVisibleAsync();
            await Expect(command).ToHaveTextAsync(new Regex("^" + Regex.Escape($"curl -sfL {BaseUrl}/install.sh | sh -s - --token K10")));
            await Expect(page.Locator("#install-cluster")).ToHaveTextAsync("plant-7");
            await page.GetByRole(AriaRole.Button, new() { Name = "Copy command" }).ClickAsync();
            await Expect(page.Locator("#copied")).ToHaveTextAsync("Copied");
            Assert.Equal(await command.TextContentAsync(), await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));

            await page.ScreenshotAsync(new() { Path = TestArtifacts.PathOf("portal-signup-cluster.png"), FullPage = true });
            browser.AssertNoConsoleErrors();
        });
    }

    [Fact]
    public async Task Bad_input_shows_the_servers_message_on_the_page()
    {
        await using var browser = await PortalBrowser.LaunchAsync(SystemChromium.Require());
        var email = NewEmail("bad-input");
        await browser.RunAsync("bad-input", async page =>
        {
            // The form does no checks of its own (novalidate): the server's rule is what the user reads.
            browser.ExpectFailedRequest(400, "/api/v1/signup");
            await page.GotoAsync(BaseUrl + "/signup");
            await page.GetByLabel("Work email").FillAsync(email);
            await page.GetByLabel("Password").FillAsync("short");
            await page.GetByLabel("Organisation name").FillAsync("Plant Operations");
            await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("at least 10 characters");
            await Expect(page).ToHaveURLAsync(BaseUrl + "/signup");
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Create account" })).ToBeEnabledAsync();
            await page.ScreenshotAsync(new() { Path = TestArtifacts.PathOf("portal-signup-error.png"), FullPage = true });

            // Corrected, the same form goes through.
            await page.GetByLabel("Password").FillAsync(Password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
            await PortalBrowser.ArriveAtAsync(page, BaseUrl + "/clusters");

            browser.ExpectFailedRequest(400, "/clusters");
            await page.GetByLabel("Name").FillAsync("Bad_Name");
            await page.GetByRole(AriaRole.Button, new() { Name = "Create cluster" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("lower-case letters, digits and '-'");
            await Expect(page.GetByText("No clusters yet")).ToBeVisibleAsync();
            await page.ScreenshotAsync(new() { Path = TestArtifacts.PathOf("portal-cluster-name-error.png"), FullPage = true });
            browser.AssertNoConsoleErrors();
        });
    }

    [Fact]
    public async Task Signed_out_the_clusters_page_goes_to_sign_in_which_shows_a_wrong_password_and_brings_the_user_back()
    {
        await using var browser = await PortalBrowser.LaunchAsync(SystemChromium.Require());
        var email = NewEmail("sign-out");
        await browser.RunAsync("sign-out", async page =>
        {
            await page.GotoAsync(BaseUrl + "/signup");
            await page.GetByLabel("Work email").FillAsync(email);
            await page.GetByLabel("Password").FillAsync(Password);
            await page.GetByLabel("Organisation name").FillAsync("Plant Operations");
            await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
            await PortalBrowser.ArriveAtAsync(page, BaseUrl + "/clusters");

            await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
            await PortalBrowser.ArriveAtAsync(page, BaseUrl + "/login");

            // The session is gone on the server too: the clusters page sends the visitor to sign in again.
            browser.ExpectFailedRequest(401, "/api/v1/me");
            await page.GotoAsync(BaseUrl + "/clusters");
            await PortalBrowser.ArriveAtAsync(page, BaseUrl + "/login");

            browser.ExpectFailedRequest(401, "/api/v1/login");
            await page.GetByLabel("Email").FillAsync(email);
            await page.GetByLabel("Password").FillAsync("not the password at all");
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("wrong email or password");

            await page.GetByLabel("Password").FillAsync(Password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await PortalBrowser.ArriveAtAsync(page, BaseUrl + "/clusters");
            await Expect(page.Locator("#who")).ToHaveTextAsync(email);
            browser.AssertNoConsoleErrors();
        });
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
