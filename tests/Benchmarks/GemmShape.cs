namespace Generative.Benchmarks;

/// <summary>One GEMM of the course, C[m, n] = op(A)[m, k] * op(B)[k, n], written as "NT 128x400x784" (flags for A and B, then m x n x k).</summary>
public readonly record struct GemmShape(bool TransA, bool TransB, int M, int N, int K, string Role)
{
    /// <summary>Multiply-adds count twice: 2 m n k floating-point operations.</summary>
    public double Flops => 2.0 * M * N * K;

    public string Name => $"{(TransA ? 'T' : 'N')}{(TransB ? 'T' : 'N')} {M}x{N}x{K}";

    public override string ToString() => Name;

    /// <summary>
    /// The course's layer shapes at batch 128: the VAE's 784-400 layers, MADE's 500-unit layers, each forward (X W as
    /// NN, or X W^T with PyTorch's (out, in) weight layout as NT), input gradient (dY W) and weight gradient (X^T dY, TN).
    /// The peer script (peer/gemm_peer.py) times the same list.
    /// </summary>
    public static IReadOnlyList<GemmShape> Course { get; } =
    [
        new(false, false, 128, 400, 784, "VAE enc fwd  X W"),
        new(false, true, 128, 400, 784, "VAE enc fwd  X W^T"),
        new(false, false, 128, 784, 400, "VAE dec fwd / enc dX"),
        new(false, true, 128, 784, 400, "VAE dec fwd  X W^T"),
        new(false, false, 128, 500, 500, "MADE hidden fwd"),
        new(false, true, 128, 500, 500, "MADE hidden X W^T"),
        new(true, false, 784, 400, 128, "VAE enc dW   X^T dY"),
        new(true, false, 400, 784, 128, "VAE dec dW   X^T dY"),
        new(true, false, 500, 500, 128, "MADE dW      X^T dY"),
    ];

    public static GemmShape Parse(string text)
    {
        var parts = text.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var dims = parts[1].Split('x').Select(int.Parse).ToArray();
        return new GemmShape(parts[0][0] == 'T', parts[0][1] == 'T', dims[0], dims[1], dims[2], "");
    }

    /// <summary>Operands as stored (A is k x m when transposed, B is n x k when transposed), uniform in [-1, 1), fixed seed.</summary>
    public (float[] A, int Lda, float[] B, int Ldb, float[] C) Allocate(int seed = 42)
    {
        var random = new Random(seed);
        var a = new float[M * K];
        var b = new float[K * N];
        for (var i = 0; i < a.Length; i++)
        {
            a[i] = 2 * random.NextSingle() - 1;
        }
        for (var i = 0; i < b.Length; i++)
        {
            b[i] = 2 * random.NextSingle() - 1;
        }
        return (a, TransA ? M : K, b, TransB ? K : N, new float[M * N]);
    }
}
