using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Course.Notebooks;

namespace Course.Execution.Interactive;

/// <summary>
/// A notebook executed by .NET Interactive's own CSharpKernel instead of the course's engine (<c>--kernel
/// dotnet-interactive</c>). The kernel runs in a host process of its own (lib/InteractiveHost, which explains why a
/// process), started with the notebook's folder as working directory at the first cell and ended with the session;
/// cells go to it one per request line and their outputs come back as one response line (protocol in the host's
/// HostProtocol.cs). Outputs are the kernel's, shaped as the course stores any output.
/// <para>Unlike the course's own session, a cell over the time limit or interrupted is really stopped: the host
/// process is ended. What the cell printed before that is lost with it (the host answers when a cell ends), so its
/// error output is all the cell shows.</para>
/// </summary>
public sealed class InteractiveKernelSession : ICellSession
{
    /// <summary>How much of the host's stderr is kept for the message when it fails.</summary>
    private const int StderrTailLength = 4000;

    private readonly string _notebookFolder;
    private readonly string _notebookName;
    private readonly Dictionary<int, IReadOnlyList<NotebookOutput>> _outputsByCell = [];
    private readonly Dictionary<int, int> _executionCountByCell = [];
    private readonly StringBuilder _stderrTail = new();
    private Process? _host;
    private string? _hostFailure;
    private int? _abandonedCell;

    /// <summary>A session for the notebook at <paramref name="notebookPath"/>; the host starts with the first cell.</summary>
    public InteractiveKernelSession(string notebookPath)
    {
        var fullPath = Path.GetFullPath(notebookPath);
        _notebookFolder = Path.GetDirectoryName(fullPath)!;
        _notebookName = Path.GetFileName(fullPath);
    }

    /// <inheritdoc />
    public IReadOnlyList<NotebookOutput> OutputsOf(int cellNumber) =>
        _outputsByCell.TryGetValue(cellNumber, out var outputs) ? outputs : [];

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The host is not built, or an earlier cell of this session was abandoned.</exception>
    public async Task<CellExecution> ExecuteAsync(string source, int cellNumber, int executionCount, RunOptions options)
    {
        if (_abandonedCell is { } abandoned)
            throw new InvalidOperationException($"{_notebookName}: cell {abandoned} was stopped with its kernel, so this session cannot run cell {cellNumber}.");
        var stopwatch = Stopwatch.StartNew();
        var cell = new CellLocation(_notebookName, cellNumber);
        _executionCountByCell[cellNumber] = executionCount;
        if (_hostFailure is { } failure)
            return Finish(cellNumber, [new ErrorOutput("InteractiveHostFailed", $"{cell}: not run, {failure}", [])], false, stopwatch);

        var host = _host ??= Start();
        var request = new JsonObject { ["cell"] = cellNumber, ["code"] = source }.ToJsonString();
        string? line;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(options.Interrupt);
        try
        {
            await host.StandardInput.WriteLineAsync(request);
            await host.StandardInput.FlushAsync();
            var reading = host.StandardOutput.ReadLineAsync(stop.Token).AsTask();
            var finished = await Task.WhenAny(reading, Task.Delay(options.CellTimeout, stop.Token));
            if (finished != reading)
            {
                var abandonedAs = options.Interrupt.IsCancellationRequested ? CellStatus.Interrupted : CellStatus.TimedOut;
                _abandonedCell = cellNumber;
                EndHost();
                var stopped = Finish(cellNumber, [NotebookSession.AbandonedError(abandonedAs, cell, options.CellTimeout, stopwatch.Elapsed)], false, stopwatch);
                return stopped with { Abandoned = abandonedAs };
            }
            stop.Cancel();
            line = await reading;
        }
        catch (IOException exception)
        {
            line = null;
            _hostFailure = $"the .NET Interactive host could not be reached ({exception.Message})";
        }

        if (line is null)
        {
            _hostFailure ??= HostExitMessage(host);
            return Finish(cellNumber, [new ErrorOutput("InteractiveHostFailed", $"{cell}: {_hostFailure}", [])], false, stopwatch);
        }
        var response = ParseResponse(line, cell);
        foreach (var updated in response.Updated)
            _outputsByCell[updated.Cell] = updated.Outputs(_executionCountByCell.GetValueOrDefault(updated.Cell));
        return Finish(cellNumber, response.Outputs(executionCount), response.Succeeded, stopwatch);
    }

    /// <summary>Ends the host: its stdin closes, so it stops after its cell; one that does not is killed.</summary>
    public void Dispose()
    {
        if (_host is null) return;
        try
        {
            if (!_host.HasExited)
            {
                _host.StandardInput.Close();
                if (!_host.WaitForExit(TimeSpan.FromSeconds(10))) _host.Kill(entireProcessTree: true);
            }
        }
        catch (Exception exception) when (exception is IOException or InvalidOperationException)
        {
            // Already gone.
        }
        _host.Dispose();
        _host = null;
    }

    private CellExecution Finish(int cellNumber, IReadOnlyList<NotebookOutput> outputs, bool succeeded, Stopwatch stopwatch)
    {
        _outputsByCell[cellNumber] = outputs;
        return new CellExecution(outputs, succeeded, stopwatch.Elapsed);
    }

    private Process Start()
    {
        var hostPath = InteractiveHostLocation.Find();
        var start = new ProcessStartInfo(DotnetMuxer())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
            WorkingDirectory = _notebookFolder,
        };
        start.ArgumentList.Add(hostPath);
        start.ArgumentList.Add(_notebookFolder);
        var process = new Process { StartInfo = start };
        process.ErrorDataReceived += (_, written) =>
        {
            if (written.Data is null) return;
            lock (_stderrTail)
            {
                _stderrTail.Append(written.Data).Append('\n');
                if (_stderrTail.Length > StderrTailLength) _stderrTail.Remove(0, _stderrTail.Length - StderrTailLength);
            }
        };
        if (!process.Start())
            throw new InvalidOperationException($"Could not start the .NET Interactive host ({start.FileName} {hostPath}).");
        process.BeginErrorReadLine();
        return process;
    }

    private void EndHost()
    {
        try
        {
            if (_host is { HasExited: false }) _host.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Exited meanwhile.
        }
    }

    private string HostExitMessage(Process host)
    {
        host.WaitForExit(TimeSpan.FromSeconds(5));
        string tail;
        lock (_stderrTail) tail = _stderrTail.ToString().Trim();
        var exit = host.HasExited ? $"exit code {host.ExitCode}" : "no answer";
        return $"the .NET Interactive host ended without answering ({exit})" + (tail.Length > 0 ? $"; its last error output:\n{tail}" : ".");
    }

    /// <summary>The dotnet executable that runs the host: the one running this process when it is dotnet (dotnet run,
    /// dotnet test), else the one on PATH.</summary>
    private static string DotnetMuxer()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath)) return hostPath;
        return Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }

    private static HostResponse ParseResponse(string line, CellLocation cell)
    {
        try
        {
            var json = JsonNode.Parse(line)?.AsObject() ?? throw new JsonException("empty line");
            if (json["protocolError"] is { } problem) throw new JsonException(problem.GetValue<string>());
            var updated = (json["updated"] as JsonArray ?? [])
                .Select(entry => new HostCellOutputs(entry!["cell"]!.GetValue<int>(), entry["outputs"]!.AsArray()))
                .ToList();
            return new HostResponse(json["succeeded"]!.GetValue<bool>(), json["outputs"]!.AsArray(), updated);
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or NullReferenceException or FormatException)
        {
            throw new InvalidDataException($"{cell}: the .NET Interactive host answered something unreadable ({exception.Message}).", exception);
        }
    }

    private sealed record HostResponse(bool Succeeded, JsonArray OutputsJson, IReadOnlyList<HostCellOutputs> Updated)
    {
        public IReadOnlyList<NotebookOutput> Outputs(int executionCount) => HostOutputs.Read(OutputsJson, executionCount);
    }

    private sealed record HostCellOutputs(int Cell, JsonArray OutputsJson)
    {
        public IReadOnlyList<NotebookOutput> Outputs(int executionCount) => HostOutputs.Read(OutputsJson, executionCount);
    }
}
