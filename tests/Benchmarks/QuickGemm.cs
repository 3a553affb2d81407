using System.Diagnostics;
using System.Globalization;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Generative.Tensors.Kernels;

namespace Generative.Benchmarks;

/// <summary>
/// <c>gemm</c> mode: our GEMM and the peer's OpenBLAS sgemm at the course's shapes, 1 and 2 threads, in one table.
/// Each number is the best, over batches of about 3 ms, of the mean time per call (other processes on a shared
/// machine can only slow a batch down); the whole comparison is repeated and the best of the rounds kept.
/// </summary>
internal static class QuickGemm
{
    private const double BatchSeconds = 0.003;

    public static int Run(string[] args)
    {
        var seconds = 0.5;
        var rounds = 2;
        var threads = new[] { 1, 2 };
        var peer = true;
        var shapes = GemmShape.Course.ToList();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--seconds": seconds = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--rounds": rounds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--threads": threads = args[++i].Split(',').Select(int.Parse).ToArray(); break;
                case "--no-peer": peer = false; break;
                case "--shapes": shapes = args[++i].Split(';', StringSplitOptions.RemoveEmptyEntries).Select(GemmShape.Parse).ToList(); break;
                default:
                    Console.Error.WriteLine($"unknown option {args[i]}; options: --seconds S --rounds R --threads 1,2 --shapes \"NT 128x400x784;...\" --no-peer");
                    return 2;
            }
        }

        var ours = new Dictionary<(string, int), double>();
        var theirs = new Dictionary<(string, int), double>();
        string? peerDescription = null;
        string? peerProblem = null;
        for (var round = 1; round <= rounds; round++)
        {
            Console.Error.WriteLine($"round {round}/{rounds}: ours");
            foreach (var t in threads)
            {
                foreach (var shape in shapes)
                {
                    var gflops = MeasureOurs(shape, t, seconds);
                    Keep(ours, (shape.Name, t), gflops);
                }
            }
            if (peer && peerProblem is null)
            {
                Console.Error.WriteLine($"round {round}/{rounds}: peer (OpenBLAS through numpy)");
                (peerDescription, peerProblem) = RunPeer(shapes, threads, seconds, theirs);
            }
        }

        Console.WriteLine($"GEMM, GFLOP/s (2 m n k / time), best of {rounds} rounds; machine: {Environment.ProcessorCount} cores, {Machine.CpuName()}");
        Console.WriteLine($"ours: Generative.Tensors.Kernels.Gemm, {KernelDescription()}, .NET {Environment.Version}");
        Console.WriteLine($"peer: {(peerProblem is null ? peerDescription : "unavailable: " + peerProblem)}");
        Console.WriteLine();
        var header = "| shape (op(A) op(B) m x n x k) | role |";
        var rule = "|---|---|";
        foreach (var t in threads)
        {
            header += $" ours {t}t | OpenBLAS {t}t | ratio {t}t |";
            rule += "---:|---:|---:|";
        }
        Console.WriteLine(header);
        Console.WriteLine(rule);
        foreach (var shape in shapes)
        {
            var line = $"| {shape.Name} | {shape.Role} |";
            foreach (var t in threads)
            {
                var o = ours[(shape.Name, t)];
                var hasPeer = theirs.TryGetValue((shape.Name, t), out var p);
                line += $" {o:F1} | {(hasPeer ? p.ToString("F1", CultureInfo.InvariantCulture) : "-")} | {(hasPeer ? (o / p).ToString("F2", CultureInfo.InvariantCulture) : "-")} |";
            }
            Console.WriteLine(line);
        }
        return 0;
    }

    private static void Keep(Dictionary<(string, int), double> best, (string, int) key, double value)
        => best[key] = best.TryGetValue(key, out var old) ? Math.Max(old, value) : value;

    /// <summary>Best over ~3 ms batches of the mean time per call, for about <paramref name="seconds"/>, as GFLOP/s.</summary>
    private static double MeasureOurs(GemmShape shape, int threads, double seconds)
    {
        var (a, lda, b, ldb, c) = shape.Allocate();
        var previous = WorkerPool.MaxDegreeOfParallelism;
        WorkerPool.MaxDegreeOfParallelism = threads;
        try
        {
            void Call() => Gemm.Multiply(shape.TransA, shape.TransB, shape.M, shape.N, shape.K, 1f, a, lda, b, ldb, 0f, c, shape.N);
            for (var i = 0; i < 20; i++)
            {
                Call(); // let tiered compilation settle
            }
            var start = Stopwatch.GetTimestamp();
            Call();
            var once = Math.Max(Stopwatch.GetElapsedTime(start).TotalSeconds, 1e-7);
            var reps = Math.Max(1, (int)(BatchSeconds / once));
            var batches = Math.Max(10, (int)(seconds / (reps * once)));
            var best = double.MaxValue;
            for (var batch = 0; batch < batches; batch++)
            {
                start = Stopwatch.GetTimestamp();
                for (var r = 0; r < reps; r++)
                {
                    Call();
                }
                best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds / reps);
            }
            return shape.Flops / best / 1e9;
        }
        finally
        {
            WorkerPool.MaxDegreeOfParallelism = previous;
        }
    }

    /// <summary>Runs peer/gemm_peer.py with each OpenBLAS kernel this CPU can run and keeps the best GFLOP/s per (shape, threads).</summary>
    private static (string? Description, string? Problem) RunPeer(List<GemmShape> shapes, int[] threads, double seconds,
        Dictionary<(string, int), double> results) =>
        PeerScript.RunEachKernel("gemm_peer.py",
            ["--threads", string.Join(',', threads), "--seconds", seconds.ToString(CultureInfo.InvariantCulture), "--shapes", string.Join(';', shapes.Select(s => s.Name))],
            (_, fields) =>
            {
                // gemm NT 128x400x784 threads=1 gflops=187.3 ms=0.42
                if (fields.Length >= 5 && fields[0] == "gemm")
                {
                    var name = $"{fields[1]} {fields[2]}";
                    var t = int.Parse(fields[3]["threads=".Length..], CultureInfo.InvariantCulture);
                    var gflops = double.Parse(fields[4]["gflops=".Length..], CultureInfo.InvariantCulture);
                    Keep(results, (name, t), gflops);
                }
            },
            "apt-get install -y python3-numpy python3-threadpoolctl libopenblas0-pthread");

    private static string KernelDescription()
    {
        var kernel = Avx512F.IsSupported && Vector512.IsHardwareAccelerated ? "AVX-512 8x32 micro-kernel"
            : Avx2.IsSupported && Fma.IsSupported ? "AVX2+FMA 6x16 micro-kernel"
            : $"Vector<float> ({System.Numerics.Vector<float>.Count} lanes) 4x{2 * System.Numerics.Vector<float>.Count} micro-kernel";
        return $"managed C#, {kernel}";
    }
}
