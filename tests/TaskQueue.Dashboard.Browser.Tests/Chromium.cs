using Microsoft.Playwright;

namespace TaskQueue.Dashboard.Browser.Tests;

/// <summary>One headless Chromium for the run: Debian's <c>/usr/bin/chromium</c> (or <c>DASHBOARD_CHROMIUM</c>), driven by
/// Playwright for .NET, which cannot download its own browser here.</summary>
/// <remarks>A missing browser fails every test with the command that installs it: a skipped browser test would read
/// as a passed one.</remarks>
public sealed class Chromium : IAsyncLifetime
{
    public const string PathVariable = "DASHBOARD_CHROMIUM";

    private IPlaywright? playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var path = Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } chosen ? chosen : "/usr/bin/chromium";
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"No Chromium at {path}: install it with 'apt-get install -y chromium' (or set {PathVariable}).");
        }
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = path,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>A fresh browser context (its own cookies) with a page that records script errors and CSP violations.</summary>
    public async Task<BrowserPage> NewPageAsync(string baseUrl)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl, ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        return new BrowserPage(context, page);
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        playwright?.Dispose();
    }
}

/// <summary>A page in its own context, with every console error and dialog it raised.</summary>
public sealed class BrowserPage : IAsyncDisposable
{
    private readonly IBrowserContext context;

    public BrowserPage(IBrowserContext context, IPage page)
    {
        this.context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error") lock (Errors) Errors.Add(message.Text);
        };
        page.PageError += (_, error) =>
        {
            lock (Errors) Errors.Add(error);
        };
        page.Dialog += async (_, dialog) =>
        {
            lock (Dialogs) Dialogs.Add(dialog.Message);
            await dialog.AcceptAsync();
        };
    }

    public IPage Page { get; }

    /// <summary>Console errors and uncaught exceptions (a CSP violation is one).</summary>
    public List<string> Errors { get; } = [];

    /// <summary>The texts of alert/confirm dialogs, accepted as they came.</summary>
    public List<string> Dialogs { get; } = [];

    public async ValueTask DisposeAsync() => await context.DisposeAsync();
}
