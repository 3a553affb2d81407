using System.Diagnostics;
using System.Globalization;
using Generative.Tensors;
using Generative.Tensors.Kernels;
using Generative.Weights;

namespace Generative.Benchmarks;

/// <summary>
/// <c>models</c> mode: training steps per second of the four benchmark models (VAE, MADE, NADE, DCGAN) with this
/// library, with TorchSharp (in this process, <see cref="TorchSharpSteps"/>) and with PyTorch (peer/models_peer.py, run
/// as a subprocess) on the same batches, in one table.
/// </summary>
/// <remarks>
/// Each side builds a model, trains <c>warmup</c> untimed steps, then <c>rounds</c> rounds of N steps over the batches
/// in order and keeps its best round (other processes on a shared machine only ever slow a round down). TorchSharp and
/// PyTorch run at 1 and 2 threads and the best of their four figures is the reference; for NADE both peers time two
/// formulations, the vectorised cumulative sum and the classic pixel-by-pixel loop, and the faster one counts.
/// The sides take turns, never overlapping: ours, then TorchSharp, then PyTorch, per repeat. TorchSharp shares this
/// process; its OpenMP workers spin only briefly once its turn ends (libgomp's default wait policy) and then sleep,
/// and every turn starts with at least <see cref="WarmupSeconds"/> s of untimed steps, so neither side's timed rounds
/// run beside the other's idle spinning.
/// </remarks>
internal static class ModelsBenchmark
{
    /// <summary>Timed steps per round, the same on both sides unless overridden.</summary>
    private static readonly Dictionary<string, int> DefaultSteps = new()
    {
        ["vae"] = 50, ["made"] = 50, ["nade"] = 20, ["dcgan"] = 10,
        // peer-only NADE formulations (the vectorised one takes seconds per step)
        ["nade-loop"] = 20, ["nade-cumsum"] = 3,
    };

    public static int Run(string[] args)
    {
        var models = TrainingSteps.Models.Select(m => m.Name).ToList();
        var steps = new Dictionary<string, int>(DefaultSteps);
        var warmup = 3;
        var rounds = 3;
        var repeat = 1;
        var oursThreads = new[] { 1, 2 }.Where(t => t <= Environment.ProcessorCount).DefaultIfEmpty(1).ToArray();
        var peerThreads = new[] { 1, 2 };
        var torchSharpThreads = new[] { 1, 2 };
        var peer = true;
        var torchSharp = true;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--models": models = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries).ToList(); break;
                case "--steps":
                    if (NamedCounts.Parse("--steps", args[++i], steps) is { } stepsError)
                    {
                        Console.Error.WriteLine(stepsError);
                        return 2;
                    }
                    break;
                case "--warmup": warmup = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--rounds": rounds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--repeat": repeat = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--threads": oursThreads = args[++i].Split(',').Select(int.Parse).ToArray(); break;
                case "--peer-threads": peerThreads = args[++i].Split(',').Select(int.Parse).ToArray(); break;
                case "--torchsharp-threads": torchSharpThreads = args[++i].Split(',').Select(int.Parse).ToArray(); break;
                case "--no-peer": peer = false; break;
                case "--no-torchsharp": torchSharp = false; break;
                default:
                    Console.Error.WriteLine(
                        $"unknown option {args[i]}; options: --models vae,made,nade,dcgan --steps vae=50,nade=10,nade-loop=10,nade-cumsum=3 " +
                        "--warmup 3 --rounds 3 --repeat 1 --threads 1,2 (ours) --peer-threads 1,2 --torchsharp-threads 1,2 --no-peer --no-torchsharp");
                    return 2;
            }
        }
        var unknown = models.Where(m => TrainingSteps.Models.All(known => known.Name != m)).ToList();
        if (unknown.Count > 0)
        {
            Console.Error.WriteLine($"unknown model(s) {string.Join(", ", unknown)}; expected vae, made, nade, dcgan");
            return 2;
        }

        var loadBefore = LoadAverage();
        var batches = TrainingSteps.LoadBatches();
        var ours = new Dictionary<string, (double Rate, float Loss, int Steps)>();
        var oursByThreads = new Dictionary<(string Model, int Threads), double>();
        var theirs = new Dictionary<(string Model, int Threads), double>();
        var theirKernels = new Dictionary<(string Model, int Threads), string>(); // the OpenBLAS kernel of each best rate
        string? peerDescription = null;
        string? peerProblem = null;
        var torchRates = new Dictionary<(string Model, int Threads), double>();
        var torchIdleCpu = 0.0; // ms of CPU this process used in the IdleProbe after TorchSharp's turn, the most seen
        var torchProblem = torchSharp ? TorchSharpSteps.Problem : null;
        var torchDescription = torchSharp && torchProblem is null ? TorchSharpSteps.Description() : null;
        var torchBatches = torchSharp && torchProblem is null ? TorchSharpSteps.ToTorch(batches) : null;
        var previousThreads = WorkerPool.MaxDegreeOfParallelism;
        try
        {
            for (var r = 1; r <= repeat; r++)
            {
                foreach (var model in models)
                {
                    foreach (var threads in oursThreads)
                    {
                        WorkerPool.MaxDegreeOfParallelism = threads;
                        Console.Error.WriteLine($"[{r}/{repeat}] ours: {model} at {threads} thread(s) (at least {warmup} warm-up steps and {WarmupSeconds} s, best of {rounds} x {steps[model]} steps)");
                        var (rate, loss, trained) = Measure(TrainingSteps.Create(model), batches, warmup, steps[model], rounds);
                        Console.Error.WriteLine($"  ours: {model} at {threads} thread(s): {rate:F2} steps/s");
                        oursByThreads[(model, threads)] = Math.Max(rate, oursByThreads.GetValueOrDefault((model, threads)));
                        if (!ours.TryGetValue(model, out var old) || rate > old.Rate)
                        {
                            ours[model] = (rate, loss, trained);
                        }
                    }
                }
                if (torchBatches is not null)
                {
                    foreach (var threads in torchSharpThreads)
                    {
                        TorchSharpSteps.SetThreads(threads);
                        foreach (var variant in models.SelectMany(PeerVariants))
                        {
                            Console.Error.WriteLine($"[{r}/{repeat}] TorchSharp: {variant} at {threads} thread(s)");
                            var (rate, loss, trained) = Measure(TorchSharpSteps.Create(variant), torchBatches, warmup, steps[variant], rounds);
                            Console.Error.WriteLine($"  TorchSharp: {variant} at {threads} thread(s): {rate:F2} steps/s, loss {loss:F2} after {trained} steps");
                            torchRates[(variant, threads)] = Math.Max(rate, torchRates.GetValueOrDefault((variant, threads)));
                        }
                    }
                    torchIdleCpu = Math.Max(torchIdleCpu, CpuWhileSleeping(IdleProbe));
                }
                if (peer && peerProblem is null)
                {
                    var peerModels = models.SelectMany(PeerVariants).ToList();
                    Console.Error.WriteLine($"[{r}/{repeat}] peer: {string.Join(", ", peerModels)} at {string.Join(" and ", peerThreads)} thread(s)");
                    (peerDescription, peerProblem) = RunPeer(peerModels, peerThreads, steps, warmup, rounds, theirs, theirKernels);
                }
            }
        }
        finally
        {
            WorkerPool.MaxDegreeOfParallelism = previousThreads;
        }
        var loadAfter = LoadAverage();

        Console.WriteLine($"Training steps per second at batch {TrainingSteps.BatchSize}, binarized Fashion-MNIST (first 10,000 training images), float32, CPU");
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Machine.CpuName()}; load average before {loadBefore}, after {loadAfter}");
        Console.WriteLine($"ours: Generative, .NET {Environment.Version}, best of {string.Join(" and ", oursThreads)} thread(s), best of {rounds} rounds after at least {warmup} warm-up steps and {WarmupSeconds} s" +
            (repeat > 1 ? $", best of {repeat} repeats" : "") + $"; GC: {GcDescription()}");
        Console.WriteLine($"TorchSharp: {(torchSharp ? torchProblem is null ? $"{torchDescription}, threads {string.Join(" and ", torchSharpThreads)} (torch.set_num_threads), in this process; " +
            $"in the {IdleProbe.TotalMilliseconds:F0} ms after its turn the process used at most {torchIdleCpu:F0} ms of CPU" : "unavailable: " + torchProblem : "not run (--no-torchsharp)")}");
        Console.WriteLine($"PyTorch: {(peer ? peerProblem is null ? peerDescription : "unavailable: " + peerProblem : "not run (--no-peer)")}");
        Console.WriteLine();
        Console.WriteLine("| model | ours steps/s | PyTorch 1 thread | PyTorch 2 threads | TorchSharp 1 thread | TorchSharp 2 threads | best peer | ratio ours/best | target | met |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|:---:|");
        foreach (var (name, description, target) in TrainingSteps.Models.Where(m => models.Contains(m.Name)))
        {
            var rate = ours[name].Rate;
            var peerRates = peerThreads.Select(t => PeerRate(theirs, name, t))
                .Concat(torchSharpThreads.Select(t => PeerRate(torchRates, name, t)));
            var best = peerRates.Where(v => v is not null).Select(v => v!.Value).DefaultIfEmpty(double.NaN).Max();
            var ratio = rate / best;
            var met = double.IsNaN(ratio) ? "-" : ratio >= target ? "yes" : "no";
            Console.WriteLine($"| {description} | {F(rate)} | {F(PeerRate(theirs, name, 1))} | {F(PeerRate(theirs, name, 2))} | " +
                $"{F(PeerRate(torchRates, name, 1))} | {F(PeerRate(torchRates, name, 2))} | {F(best)} | " +
                $"{(double.IsNaN(ratio) ? "-" : ratio.ToString("F2", CultureInfo.InvariantCulture))} | >= {target:0.#}x | {met} |");
        }
        if (models.Contains("nade") && (theirs.Count > 0 || torchRates.Count > 0))
        {
            Console.WriteLine();
            Console.WriteLine("NADE formulations of the peers (the faster counts above), steps/s:");
            foreach (var (side, rates, threadCounts) in new[] { ("PyTorch", theirs, peerThreads), ("TorchSharp", torchRates, torchSharpThreads) }.Where(p => p.Item2.Count > 0))
            {
                foreach (var variant in new[] { ("nade-cumsum", "vectorised, exclusive cumsum of the (N, D, H) outer products"), ("nade-loop", "classic, a loop over the 784 pixels") })
                {
                    Console.WriteLine($"  {side}, {variant.Item2}: " + string.Join(" / ", threadCounts.Select(t =>
                        $"{F(rates.TryGetValue((variant.Item1, t), out var v) ? v : null)} ({t}t)")));
                }
            }
        }
        if (theirKernels.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine("PyTorch's OpenBLAS kernel in each best rate: " + string.Join("; ", theirKernels.OrderBy(k => k.Key.Model).ThenBy(k => k.Key.Threads)
                .Select(k => $"{k.Key.Model} {k.Key.Threads}t {k.Value}")));
        }
        Console.WriteLine();
        Console.WriteLine("ours by thread count, steps/s: " + string.Join("; ", models.Select(m =>
            $"{m} " + string.Join(" / ", oursThreads.Select(t => $"{F(oursByThreads.TryGetValue((m, t), out var v) ? v : null)} ({t}t)")))));
        Console.WriteLine("final training losses (ours, after the steps in brackets): " + string.Join(", ", models.Select(m =>
            $"{m} {ours[m].Loss.ToString("F2", CultureInfo.InvariantCulture)} ({ours[m].Steps})")));
        return 0;
    }

    /// <summary>How long the process sleeps after TorchSharp's turn while its CPU time is read (see <see cref="CpuWhileSleeping"/>).</summary>
    private static readonly TimeSpan IdleProbe = TimeSpan.FromMilliseconds(500);

    /// <summary>Milliseconds of CPU all of this process's threads use while the calling thread sleeps for
    /// <paramref name="sleep"/>: near 0 once TorchSharp's OpenMP workers have stopped spinning, so they cannot take
    /// cores from our side's timed rounds (a spinning worker would add up to <paramref name="sleep"/> per thread).</summary>
    private static double CpuWhileSleeping(TimeSpan sleep)
    {
        using var process = Process.GetCurrentProcess();
        var before = process.TotalProcessorTime;
        Thread.Sleep(sleep);
        process.Refresh();
        return (process.TotalProcessorTime - before).TotalMilliseconds;
    }

    /// <summary>What the peers time for a model: for NADE, both formulations.</summary>
    private static IEnumerable<string> PeerVariants(string model) => model == "nade" ? ["nade-cumsum", "nade-loop"] : [model];

    private static double? PeerRate(Dictionary<(string, int), double> theirs, string model, int threads)
    {
        if (model == "nade")
        {
            var rates = new[] { "nade-cumsum", "nade-loop" }.Where(v => theirs.ContainsKey((v, threads))).Select(v => theirs[(v, threads)]).ToList();
            return rates.Count > 0 ? rates.Max() : null;
        }
        return theirs.TryGetValue((model, threads), out var rate) ? rate : null;
    }

    private static string F(double? value) =>
        value is { } v && !double.IsNaN(v) ? v.ToString(v >= 100 ? "F0" : v >= 10 ? "F1" : "F2", CultureInfo.InvariantCulture) : "-";

    /// <summary>The shortest warm-up of our side, in seconds of training (see <see cref="Measure"/>).</summary>
    private const double WarmupSeconds = 3;

    /// <summary>Best over <paramref name="rounds"/> rounds of the steps per second of <paramref name="steps"/>
    /// consecutive training steps, after at least <paramref name="warmup"/> untimed ones and
    /// <see cref="WarmupSeconds"/>; the batches are used in order. Also returns the last loss and the number of steps
    /// trained in all.</summary>

    public static (double Rate, float Loss, int Steps) Measure<TBatch>(Func<TBatch, float> step, List<TBatch> batches, int warmup, int steps, int rounds)
    {
        var position = 0;
        var loss = float.NaN;
        // At least `warmup` steps and at least WarmupSeconds: .NET compiles a method first without optimisation and
        // recompiles it optimised (with profile data) only after it has run a while in the background, so the first
        // steps of a fresh process are slower than every later one. Training runs for thousands of steps; the
        // benchmark reports that steady state.
        var warmupStart = Stopwatch.GetTimestamp();
        for (var i = 0; i < warmup || Stopwatch.GetElapsedTime(warmupStart).TotalSeconds < WarmupSeconds; i++)
        {
            loss = step(batches[position++ % batches.Count]);
        }
        var best = 0.0;
        for (var r = 0; r < rounds; r++)
        {
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < steps; i++)
            {
                loss = step(batches[position++ % batches.Count]);
            }
            best = Math.Max(best, steps / Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
        return (best, loss, position);
    }

    /// <summary>Runs peer/models_peer.py and keeps the best steps/s per (model, threads).</summary>
    private static (string? Description, string? Problem) RunPeer(List<string> models, int[] threads, Dictionary<string, int> steps,
        int warmup, int rounds, Dictionary<(string, int), double> results, Dictionary<(string, int), string> kernels)
    {
        var data = FindDataFile(Path.Combine("fashion-mnist", "train-images-first10000-idx3-ubyte.gz"));
        var peerSteps = string.Join(',', models.Select(m => $"{(m == "nade-cumsum" ? "nade" : m)}={steps[m]}"));
        return PeerScript.RunEachKernel("models_peer.py",
            [
                "--data", data, "--models", string.Join(',', models.Select(m => m == "nade-cumsum" ? "nade" : m)),
                "--threads", string.Join(',', threads), "--steps", peerSteps,
                "--warmup", warmup.ToString(CultureInfo.InvariantCulture), "--rounds", rounds.ToString(CultureInfo.InvariantCulture),
            ],
            (kernel, fields) =>
            {
                // model vae threads=1 steps_per_s=129.401 steps=50 loss=401.7326
                if (fields.Length >= 4 && fields[0] == "model")
                {
                    var name = fields[1] == "nade" ? "nade-cumsum" : fields[1];
                    var t = int.Parse(fields[2]["threads=".Length..], CultureInfo.InvariantCulture);
                    var rate = double.Parse(fields[3]["steps_per_s=".Length..], CultureInfo.InvariantCulture);
                    Console.Error.WriteLine($"  peer: {name} at {t} thread(s), OpenBLAS kernel {kernel}: {rate:F2} steps/s");
                    if (!results.TryGetValue((name, t), out var old) || rate > old)
                    {
                        results[(name, t)] = rate;
                        kernels[(name, t)] = kernel;
                    }
                }
            },
            "apt-get install -y python3-torch libopenblas0-pthread");
    }

    /// <summary>The file under the datasets folder that <c>FashionMnist.LoadEmbedded</c> reads: GENERATIVE_DATASETS,
    /// else the first datasets/ folder above the working directory or this program.</summary>
    private static string FindDataFile(string relative)
    {
        if (Environment.GetEnvironmentVariable("GENERATIVE_DATASETS") is { Length: > 0 } root)
        {
            return Path.Combine(root, relative);
        }
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, "datasets", relative);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }
        return Path.Combine("datasets", relative);
    }

    /// <summary>The GC settings in force (tests/Benchmarks/runtimeconfig.template.json sets RetainVM and a 32 MiB
    /// large-object threshold, so that a training step's short-lived arrays are gen0 garbage on retained memory).</summary>
    private static string GcDescription()
    {
        var settings = new[] { "System.GC.Server", "System.GC.Concurrent", "System.GC.RetainVM", "System.GC.LOHThreshold" }
            .Select(name => (Name: name["System.GC.".Length..], Value: AppContext.GetData(name)))
            .Where(setting => setting.Value is not null)
            .Select(setting => $"{setting.Name}={setting.Value}");
        return $"{(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}, " + string.Join(", ", settings);
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
