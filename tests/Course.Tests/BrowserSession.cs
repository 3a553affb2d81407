using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Course.Tests;

/// <summary>
/// Headless Chromium driven over the Chrome DevTools Protocol (a WebSocket speaking JSON), with nothing but the
/// BCL: start the browser on a free debugging port, attach to its page, send commands, collect console errors.
/// Disposing kills the browser and deletes its profile.
/// </summary>
internal sealed class BrowserSession : IAsyncDisposable
{
    /// <summary>Where Debian's <c>chromium</c> package installs the browser.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonNode>> _pending = new();
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly CancellationTokenSource _stop = new();
    private TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _receiveLoop;
    private int _nextId;

    private BrowserSession(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>Why the browser tests cannot run here, or null.</summary>
    public static string? ChromiumMissing() => File.Exists(ChromiumPath)
        ? null
        : $"Chromium is missing: there is no {ChromiumPath}. Install Debian's package 'chromium' (apt-get install chromium).";

    /// <summary>Starts Chromium and attaches to its first page.</summary>
    public static async Task<BrowserSession> StartAsync()
    {
        var profile = TestFolders.NewScratch("chromium-profile");
        var start = new ProcessStartInfo(ChromiumPath) { RedirectStandardError = true, RedirectStandardOutput = true };
        // The flags keep Chromium from reaching out to Google's services, which a closed network refuses noisily.
        foreach (var flag in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--remote-debugging-port=0", $"--user-data-dir={profile}", "--window-size=1200,900", "about:blank" })
        {
            start.ArgumentList.Add(flag);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{ChromiumPath} did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var session = new BrowserSession(process, profile);
        try
        {
            await session.ConnectAsync();
            return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    private async Task ConnectAsync()
    {
        // Chromium writes the port it chose into DevToolsActivePort once it listens.
        var portFile = Path.Combine(_profile, "DevToolsActivePort");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!File.Exists(portFile) || File.ReadAllText(portFile).Split('\n').Length < 2)
        {
            if (_process.HasExited) throw new InvalidOperationException($"Chromium exited with code {_process.ExitCode} before opening its debugging port.");
            if (DateTime.UtcNow > deadline) throw new TimeoutException("Chromium did not open its debugging port within 30 s.");
            await Task.Delay(100);
        }
        var port = int.Parse(File.ReadAllText(portFile).Split('\n')[0].Trim());
        using var http = new HttpClient();
        var targets = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/json/list"))!.AsArray();
        var page = targets.First(target => (string?)target!["type"] == "page")!;
        await _socket.ConnectAsync(new Uri((string)page["webSocketDebuggerUrl"]!), CancellationToken.None);
        _receiveLoop = Task.Run(ReceiveLoopAsync);
        await SendAsync("Runtime.enable");
        await SendAsync("Log.enable");
        await SendAsync("Page.enable");
    }

    /// <summary>Errors the pages reported so far: uncaught exceptions, console.error calls, error log entries.</summary>
    public IReadOnlyList<string> Errors => _errors.ToArray();

    /// <summary>Opens <paramref name="url"/> and waits for its load event.</summary>
    public async Task NavigateAsync(string url)
    {
        _loaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var result = await SendAsync("Page.navigate", new JsonObject { ["url"] = url });
        if (result["errorText"] is { } error) throw new InvalidOperationException($"Navigating to {url} failed: {error}");
        await _loaded.Task.WaitAsync(CommandTimeout);
    }

    /// <summary>Evaluates a JavaScript expression (awaiting a promise) and returns its value as a string.</summary>
    public async Task<string> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject
        {
            ["expression"] = expression,
            ["awaitPromise"] = true,
            ["returnByValue"] = true,
        });
        if (result["exceptionDetails"] is { } exception) throw new InvalidOperationException($"Script failed: {exception.ToJsonString()}");
        return result["result"]?["value"]?.ToString() ?? "";
    }

    private async Task<JsonNode> SendAsync(string method, JsonObject? parameters = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<JsonNode>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
        return await reply.Task.WaitAsync(CommandTimeout);
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[1 << 16];
        var message = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open && !_stop.IsCancellationRequested)
            {
                var received = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (received.MessageType == WebSocketMessageType.Close) break;
                message.Write(buffer, 0, received.Count);
                if (!received.EndOfMessage) continue;
                Dispatch(JsonNode.Parse(message.ToArray())!);
                message.SetLength(0);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException)
        {
            // The browser went away or we are disposing.
        }
        foreach (var pending in _pending.Values) pending.TrySetException(new InvalidOperationException("The browser connection closed."));
    }

    private void Dispatch(JsonNode message)
    {
        if (message["id"] is { } id && _pending.TryRemove((int)id, out var reply))
        {
            if (message["error"] is { } error) reply.TrySetException(new InvalidOperationException($"DevTools error: {error.ToJsonString()}"));
            else reply.TrySetResult(message["result"] ?? new JsonObject());
            return;
        }
        var parameters = message["params"];
        var method = message["method"]?.GetValue<string>();
        if (method == "Page.loadEventFired")
        {
            _loaded.TrySetResult();
        }
        else if (method == "Runtime.exceptionThrown")
        {
            var details = parameters?["exceptionDetails"];
            var description = details?["exception"]?["description"] ?? details?["text"];
            _errors.Enqueue($"uncaught exception: {description} ({details?["url"]}:{details?["lineNumber"]})");
        }
        else if (method == "Runtime.consoleAPICalled" && parameters?["type"]?.GetValue<string>() == "error")
        {
            var args = parameters["args"]?.AsArray().Select(arg => (arg?["value"] ?? arg?["description"])?.ToString()) ?? [];
            _errors.Enqueue("console.error: " + string.Join(" ", args));
        }
        else if (method == "Log.entryAdded" && parameters?["entry"]?["level"]?.GetValue<string>() == "error")
        {
            var entry = parameters["entry"];
            _errors.Enqueue($"log error: {entry?["text"]} {entry?["url"]}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception exception) when (exception is InvalidOperationException or TimeoutException)
        {
            // Already gone.
        }
        if (_receiveLoop is not null) await _receiveLoop.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { });
        _socket.Dispose();
        _process.Dispose();
        try { Directory.Delete(_profile, recursive: true); } catch (IOException) { }
    }
}
