using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Generative.Models;
using Generative.NN;
using Generative.Optim;
using Generative.Tensors;
using Generative.Tensors.Kernels;

namespace Generative.Tests.Reproducibility;

/// <summary>
/// The engine's bits, pinned: every kernel and a few training steps of every model, on seeded inputs of awkward sizes,
/// hashed and compared with <c>digests.json</c> (stored from a run on x64 with AVX-512). A learner's machine computes
/// the same bits only if every kernel is independent of the vector width, of fused multiply-add support and of the
/// thread count; CI runs this class under <c>DOTNET_EnableAVX512=0</c>, <c>DOTNET_EnableAVX2=0</c> (SSE only, no FMA) and
/// <c>DOTNET_PROCESSOR_COUNT</c> of 1 and 16, so a difference on any of them fails here with the case's name.
/// </summary>
/// <remarks>After an intended change to a kernel's arithmetic, regenerate with
/// <c>COURSE_WRITE_DIGESTS=1 dotnet test --filter FullyQualifiedName~ReproducibilityDigestTests</c> on any machine (the
/// point is that every machine writes the same file), then regenerate the notebooks' stored outputs.</remarks>
public class ReproducibilityDigestTests
{
    public static TheoryData<string> CaseNames => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Digest_OnThisProcessor_MatchesTheStoredDigest(string name)
    {
        var digest = Digest(Cases[name]());
        var path = DigestsPath();
        if (Environment.GetEnvironmentVariable("COURSE_WRITE_DIGESTS") == "1")
        {
            Store(path, name, digest);
            return;
        }
        var stored = JsonNode.Parse(File.ReadAllText(path))![name]?.GetValue<string>();
        Assert.True(stored is not null, $"{name}: no stored digest in {path}; run with COURSE_WRITE_DIGESTS=1 to add it.");
        Assert.True(stored == digest,
            $"{name}: this processor ({Machine}) computed digest {digest}, the stored one is {stored}. A kernel's result depends on the vector width, FMA or thread count.");
    }

    private static string Machine =>
        $"{RuntimeInformation.ProcessArchitecture}, Vector<float> of {System.Numerics.Vector<float>.Count}, " +
        $"AVX-512 {System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated}, AVX2 {System.Runtime.Intrinsics.X86.Avx2.IsSupported}, " +
        $"FMA {System.Runtime.Intrinsics.X86.Fma.IsSupported}, {Environment.ProcessorCount} processors";

    private static string Digest(IEnumerable<float[]> outputs)
    {
        using var sha = SHA256.Create();
        foreach (var output in outputs)
        {
            var bytes = MemoryMarshal.AsBytes(output.AsSpan()).ToArray();
            sha.TransformBlock(bytes, 0, bytes.Length, null, 0);
        }
        sha.TransformFinalBlock([], 0, 0);
        return Convert.ToHexString(sha.Hash!)[..32].ToLowerInvariant();
    }

    private static string DigestsPath([CallerFilePath] string source = "") =>
        Path.Combine(Path.GetDirectoryName(source)!, "digests.json");

    private static readonly object WriteLock = new();

    private static void Store(string path, string name, string digest)
    {
        lock (WriteLock)
        {
            var all = File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path))!.AsObject() : new JsonObject();
            all[name] = digest;
            var sorted = new JsonObject(all.OrderBy(pair => pair.Key, StringComparer.Ordinal)
                .Select(pair => KeyValuePair.Create(pair.Key, pair.Value?.DeepClone())));
            File.WriteAllText(path, sorted.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        }
    }

    // ------------------------------------------------------------------------------------------ inputs

    /// <summary>Values that exercise every branch of the elementary functions: ordinary ones of both signs over a wide
    /// range, values near the clamps and thresholds, subnormals, zeros of both signs, infinities and NaN. 1003 of them,
    /// so spans end in a partial vector at every width.</summary>
    private static float[] AwkwardValues()
    {
        var generator = new Generator(20261201);
        var values = new float[1003];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (i % 4) switch
            {
                0 => (float)generator.Normal(0, 3),
                1 => (float)generator.Uniform(-110, 95),
                2 => (float)generator.Uniform(-0.6, 0.6),
                _ => (float)Math.Exp(generator.Uniform(-100, 5)),
            };
        }
        float[] special = [0f, -0f, float.Epsilon, -float.Epsilon, 1e-40f, 1.17549435e-38f, float.PositiveInfinity,
            float.NegativeInfinity, float.NaN, 88.72f, 88.73f, -87.34f, -103.9f, -104.1f, 0.5f, -0.5f, 0.4999999f, 1f, -1f];
        special.CopyTo(values, 7);
        return values;
    }

    private static float[] Normals(int count, ulong seed)
    {
        var generator = new Generator(seed);
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = (float)generator.Normal();
        }
        return values;
    }

    private static Tensor Randn(ulong seed, params int[] shape) => Tensor.FromArray(Normals(Tensor.ShapeCount(shape), seed), shape);

    private static Tensor Bits(ulong seed, int rows, int columns)
    {
        var generator = new Generator(seed);
        var values = new float[rows * columns];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = generator.Bernoulli(0.3 + 0.4 * ((i % columns) / (double)columns)) ? 1f : 0f;
        }
        return Tensor.FromArray(values, rows, columns);
    }

    private static float[] Map(Action<ReadOnlySpan<float>, Span<float>> function)
    {
        var x = AwkwardValues();
        var y = new float[x.Length];
        function(x, y);
        return y;
    }

    // ------------------------------------------------------------------------------------------ cases

    private static readonly Dictionary<string, Func<IEnumerable<float[]>>> Cases = new()
    {
        ["elementary/exp"] = () => [Map(Reproducible.Exp)],
        ["elementary/log"] = () => [Map(Reproducible.Log)],
        ["elementary/logp1"] = () => [Map(Reproducible.LogP1)],
        ["elementary/sigmoid"] = () => [Map(Reproducible.Sigmoid)],
        ["elementary/tanh"] = () => [Map(Reproducible.Tanh)],
        ["elementary/softplus"] = () => [Map(Reproducible.Softplus)],
        ["reduction/sum-dot"] = () =>
        {
            var x = Normals(10007, 1);
            var y = Normals(10007, 2);
            var sums = new List<float>();
            foreach (var length in new[] { 0, 1, 3, 15, 16, 17, 31, 33, 64, 100, 1000, 10007 })
            {
                sums.Add(Reproducible.Sum(x.AsSpan(0, length)));
                sums.Add(Reproducible.Dot(x.AsSpan(0, length), y.AsSpan(0, length)));
                sums.Add(Reproducible.SumOfSquares(x.AsSpan(1, Math.Max(0, length - 1))));
            }
            return [sums.ToArray()];
        },
        ["gemm/shapes"] = () =>
        {
            var results = new List<float[]>();
            // (m, n, k): tiny, skinny (matrix-vector), blocked with edge tiles, several kc blocks, big enough for threads.
            foreach (var (m, n, k) in new[] { (3, 5, 7), (1, 300, 200), (300, 1, 200), (2, 50, 33), (33, 47, 65), (70, 90, 300), (128, 200, 784) })
            {
                foreach (var (transA, transB) in new[] { (false, false), (true, false), (false, true) })
                {
                    var a = Normals(m * k, (ulong)(m + 10 * k));
                    var b = Normals(k * n, (ulong)(n + 7 * k));
                    var c = Normals(m * n, 5);
                    Gemm.Multiply(transA, transB, m, n, k, 0.75f, a, transA ? m : k, b, transB ? k : n, 0.5f, c, n);
                    results.Add(c);
                }
            }
            return results;
        },
        ["ops/reductions-softmax"] = () =>
        {
            var x = Randn(3, 7, 19, 5);
            x.RequiresGrad = true;
            var lse = x.LogSumExp(1);
            var softmax = x.Softmax(2);
            var variance = x.Var(0);
            (lse.Sum() + (softmax * softmax).Sum() + variance.Mean()).Backward();
            return [lse.ToArray(), softmax.ToArray(), variance.ToArray(), x.Grad!.ToArray()];
        },
        ["ops/unary-backward"] = () =>
        {
            var x = Randn(4, 37, 29);
            x.RequiresGrad = true;
            var y = x.Tanh() + x.Sigmoid() + x.Softplus() + x.Exp().Log() + x.Abs().Pow(1.5f) + x.Pow(3);
            y.Sum().Backward();
            return [y.ToArray(), x.Grad!.ToArray()];
        },
        ["ops/batchnorm-layernorm"] = () =>
        {
            var x = Randn(5, 6, 3, 7, 9);
            x.RequiresGrad = true;
            var weight = Randn(6, 3);
            var bias = Randn(7, 3);
            weight.RequiresGrad = bias.RequiresGrad = true;
            var batch = Tensor.BatchNorm(x, null, null, weight, bias, training: true);
            var layer = Tensor.LayerNorm(x, [7, 9]);
            ((batch * batch).Sum() + (layer * layer * layer).Sum()).Backward();
            return [batch.ToArray(), layer.ToArray(), x.Grad!.ToArray(), weight.Grad!.ToArray(), bias.Grad!.ToArray()];
        },
        ["ops/convolution"] = () =>
        {
            var x = Randn(8, 4, 3, 13, 11);
            var weight = Randn(9, 5, 3, 3, 3);
            var bias = Randn(10, 5);
            var upWeight = Randn(11, 5, 2, 4, 4);
            x.RequiresGrad = weight.RequiresGrad = bias.RequiresGrad = upWeight.RequiresGrad = true;
            var y = Tensor.Conv2d(x, weight, bias, stride: 1, padding: 1);
            var z = Tensor.ConvTranspose2d(y, upWeight, null, stride: 2, padding: 1);
            (z * z).Sum().Backward();
            return [y.ToArray(), z.ToArray(), x.Grad!.ToArray(), weight.Grad!.ToArray(), bias.Grad!.ToArray(), upWeight.Grad!.ToArray()];
        },
        ["ops/nade"] = () =>
        {
            var x = Bits(12, 70, 45);
            var model = new Nade(45, 37, new Generator(13));
            var nll = Tensor.NadeNegativeLogLikelihood(x, model.Weight, model.HiddenBias, model.OutputWeight, model.OutputBias);
            nll.Sum().Backward();
            var logits = Tensor.NadeLogits(x, model.Weight, model.HiddenBias, model.OutputWeight, model.OutputBias);
            return [nll.ToArray(), logits.ToArray(), .. model.Parameters().Select(p => p.Grad!.ToArray())];
        },
        ["ops/bce-lstm"] = () =>
        {
            var logits = Randn(14, 33, 17);
            logits.RequiresGrad = true;
            var loss = Losses.BinaryCrossEntropyWithLogits(logits * 4f, Bits(15, 33, 17));
            var probs = Losses.BinaryCrossEntropy(logits.Sigmoid(), Bits(16, 33, 17));
            var cell = new LstmCell(17, 10, generator: new Generator(17));
            var (h, c) = cell.Forward(logits, (Randn(18, 33, 10), Randn(19, 33, 10)));
            (loss + probs + (h * c).Sum()).Backward();
            return [[loss.Item(), probs.Item()], h.ToArray(), c.ToArray(), logits.Grad!.ToArray()];
        },
        ["train/fvsbn"] = () => TrainDensity(new Fvsbn(30, new Generator(21)), Bits(22, 64, 30)),
        ["train/made"] = () => TrainDensity(new Made(30, [40, 40], new Generator(23)), Bits(24, 64, 30)),
        ["train/nade"] = () => TrainDensity(new Nade(30, 25, new Generator(25)), Bits(26, 64, 30)),
        ["train/pixelcnn"] = () => TrainDensity(new PixelCnn(6, 7, channels: 8, layers: 2, inputKernel: 5, generator: new Generator(27)), Bits(28, 32, 42)),
        ["train/rowlstm"] = () => TrainDensity(new RowLstm(6, 7, hiddenSize: 8, new Generator(29)), Bits(30, 32, 42)),
        ["train/vae"] = () =>
        {
            var model = new Vae(dimensions: 40, hiddenUnits: 30, latentDimensions: 4, generator: new Generator(31));
            var data = Bits(32, 64, 40);
            var generator = new Generator(33);
            var optimizer = new Adam(model.Parameters(), learningRate: 3e-3);
            var losses = new List<float>();
            for (var step = 0; step < 5; step++)
            {
                optimizer.ZeroGrad();
                var loss = model.Loss(data, generator);
                loss.Backward();
                optimizer.Step();
                losses.Add(loss.Item());
            }
            float bound;
            using (Tensor.NoGrad())
            {
                bound = model.LogProbEstimate(data, 5, generator).Mean().Item();
            }
            return [[.. losses, bound], .. model.Parameters().Select(p => p.ToArray())];
        },
        ["train/dcgan"] = () =>
        {
            var model = new Dcgan(latentDimensions: 8, generator: new Generator(34));
            var real = (Randn(35, 8, 1, 28, 28) * 0.5f).Tanh();
            var generator = new Generator(36);
            var dOptimizer = new Adam(model.DiscriminatorNetwork.Parameters(), learningRate: 2e-4, beta1: 0.5);
            var gOptimizer = new Adam(model.GeneratorNetwork.Parameters(), learningRate: 2e-4, beta1: 0.5);
            var losses = new List<float>();
            for (var step = 0; step < 2; step++)
            {
                var fake = model.Generate(model.SampleLatent(8, generator));
                dOptimizer.ZeroGrad();
                var dLoss = model.DiscriminatorLoss(real, fake.Detach());
                dLoss.Backward();
                dOptimizer.Step();
                gOptimizer.ZeroGrad();
                var gLoss = model.GeneratorLoss(fake);
                gLoss.Backward();
                gOptimizer.Step();
                losses.Add(dLoss.Item());
                losses.Add(gLoss.Item());
            }
            return [losses.ToArray(), model.Sample(3, generator).ToArray(), .. model.Parameters().Select(p => p.ToArray())];
        },
    };

    /// <summary>Five Adam steps on the model's loss, then its log-probabilities and a few samples.</summary>
    private static IEnumerable<float[]> TrainDensity(DensityModel model, Tensor data)
    {
        var optimizer = new Adam(model.Parameters(), learningRate: 1e-2);
        var losses = new List<float>();
        for (var step = 0; step < 5; step++)
        {
            optimizer.ZeroGrad();
            var loss = model.Loss(data);
            loss.Backward();
            optimizer.Step();
            losses.Add(loss.Item());
        }
        using (Tensor.NoGrad())
        {
            return [losses.ToArray(), model.LogProb(data).ToArray(), model.Sample(4, new Generator(40)).ToArray(),
                .. model.Parameters().Select(p => p.ToArray())];
        }
    }
}
