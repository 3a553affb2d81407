using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Generative.Tensors.Kernels;

namespace Generative.Benchmarks;

/// <summary>BenchmarkDotNet runs of <see cref="Gemm.Multiply"/> at the course's shapes, at 1 and 2 threads, with a GFLOP/s column.</summary>
[Config(typeof(EngineBenchmarkConfig))]
public class GemmBenchmarks
{
    private float[] _a = [], _b = [], _c = [];
    private int _lda, _ldb;

    public static IEnumerable<GemmShape> Shapes => GemmShape.Course;

    [ParamsSource(nameof(Shapes))]
    public GemmShape Shape { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (_a, _lda, _b, _ldb, _c) = Shape.Allocate();
        WorkerPool.MaxDegreeOfParallelism = Threads;
    }

    [GlobalCleanup]
    public void Cleanup() => WorkerPool.MaxDegreeOfParallelism = Environment.ProcessorCount;

    [Benchmark]
    public void Multiply()
        => Gemm.Multiply(Shape.TransA, Shape.TransB, Shape.M, Shape.N, Shape.K, 1f, _a, _lda, _b, _ldb, 0f, _c, Shape.N);
}

/// <summary>GFLOP/s = 2 m n k / mean time, for benchmarks with a <see cref="GemmShape"/> parameter named Shape.</summary>
public sealed class GflopsColumn : IColumn
{
    public string Id => nameof(GflopsColumn);
    public string ColumnName => "GFLOP/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "2 m n k floating-point operations per mean time, in 1e9 per second";

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var shape = benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == nameof(GemmBenchmarks.Shape))?.Value;
        var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        return shape is GemmShape s && mean is > 0 ? (s.Flops / mean.Value).ToString("F1") : "-";
    }
}
