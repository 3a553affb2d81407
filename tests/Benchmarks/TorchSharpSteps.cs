using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using TorchTensor = TorchSharp.torch.Tensor;

namespace Generative.Benchmarks;

/// <summary>
/// The training steps of <see cref="TrainingSteps"/> written in TorchSharp (libtorch) as a .NET user of TorchSharp would
/// write them, layer for layer as peer/models_peer.py: same sizes, losses, optimisers and hyperparameters, PyTorch's
/// default initialisation, the same batches. Each step runs in a dispose scope, TorchSharp's idiom for freeing the
/// step's native tensors at once rather than at the next garbage collection.
/// </summary>
internal static class TorchSharpSteps
{
    private static readonly Lazy<string?> Failure = new(Probe);

    /// <summary>Null when TorchSharp's native libraries load here; otherwise why not.</summary>
    public static string? Problem => Failure.Value;

    /// <summary>What runs: TorchSharp's version (0.107 brings libtorch 2.10) and OpenMP's wait policy.</summary>
    public static string Description() =>
        $"TorchSharp {typeof(torch).Assembly.GetName().Version?.ToString(3)} (libtorch-cpu), float32 CPU, " +
        $"OMP_WAIT_POLICY={Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") ?? "unset (libgomp spins briefly, then sleeps)"}";

    /// <summary>Intra-op threads of libtorch (torch.set_num_threads).</summary>
    public static void SetThreads(int threads) => torch.set_num_threads(threads);

    /// <summary>The engine's batches as TorchSharp tensors (same values, shape (128, 784)).</summary>
    public static List<TorchTensor> ToTorch(IEnumerable<Generative.Tensors.Tensor> batches) =>
        batches.Select(b => torch.tensor(b.ToArray(), [b.Size(0), b.Size(1)])).ToList();

    /// <summary>A fresh model and optimiser(s) for <paramref name="name"/> (vae, made, nade-loop, nade-cumsum, dcgan), as a
    /// function that trains one step on a batch and returns the loss.</summary>
    public static Func<TorchTensor, float> Create(string name, long seed = 0)
    {
        torch.manual_seed(seed);
        switch (name)
        {
            case "vae":
            {
                var encoder = nn.Sequential(nn.Linear(784, 400), nn.ReLU());
                var mean = nn.Linear(400, 20);
                var logVar = nn.Linear(400, 20);
                var decoder = nn.Sequential(nn.Linear(20, 400), nn.ReLU(), nn.Linear(400, 784));
                var optimizer = optim.Adam(Parameters(encoder, mean, logVar, decoder), lr: 1e-3);
                return AdamStep(optimizer, x =>
                {
                    var h = encoder.forward(x);
                    var mu = mean.forward(h);
                    var lv = logVar.forward(h);
                    var z = mu + torch.exp(0.5 * lv) * torch.randn_like(mu);
                    var kl = 0.5 * (mu.pow(2) + lv.exp() - 1 - lv).sum(1);
                    return (BernoulliNll(decoder.forward(z), x) + kl).mean();
                });
            }
            case "made":
            {
                var layers = MadeLayers(784, [500, 500]);
                var optimizer = optim.Adam(Parameters(layers.Select(l => (nn.Module)l.Layer).ToArray()), lr: 1e-3);
                return AdamStep(optimizer, x =>
                {
                    var h = x;
                    for (var i = 0; i < layers.Length; i++)
                    {
                        var (layer, mask) = layers[i];
                        h = nn.functional.linear(h, layer.weight! * mask, layer.bias);
                        h = i < layers.Length - 1 ? nn.functional.relu(h) : h;
                    }
                    return BernoulliNll(h, x).mean();
                });
            }
            case "nade-loop":
            case "nade-cumsum":
            {
                // Larochelle & Murray 2011, tied weights: h_d = sigmoid(c + W[:, :d] x_<d), p(x_d = 1) = sigmoid(b_d + V_d . h_d).
                const int d = 784, hidden = 500;
                var w = nn.Parameter(torch.randn(hidden, d) * 0.01);
                var c = nn.Parameter(torch.zeros(hidden));
                var v = nn.Parameter(torch.randn(d, hidden) * 0.01);
                var b = nn.Parameter(torch.zeros(d));
                var optimizer = optim.Adam([w, c, v, b], lr: 1e-3);
                if (name == "nade-cumsum")
                {
                    // (B, D, H) outer products x_j W[:, j], exclusive cumulative sum over j, one sigmoid, one reduction.
                    return AdamStep(optimizer, x =>
                    {
                        var contributions = x.unsqueeze(2) * w.t().unsqueeze(0);
                        var a = torch.cumsum(contributions, 1) - contributions + c;
                        var logits = (torch.sigmoid(a) * v.unsqueeze(0)).sum(2) + b;
                        return BernoulliNll(logits, x).mean();
                    });
                }
                // The classic pixel-by-pixel computation: a loop of 784 small steps.
                return AdamStep(optimizer, x =>
                {
                    var a = c.expand(x.shape[0], -1);
                    var columns = new TorchTensor[d];
                    for (var j = 0; j < d; j++)
                    {
                        var h = torch.sigmoid(a);
                        columns[j] = h.matmul(v[j]) + b[j];
                        a = a + x.narrow(1, j, 1) * w.select(1, j);
                    }
                    return BernoulliNll(torch.stack(columns, 1), x).mean();
                });
            }
            case "dcgan":
            {
                var generator = nn.Sequential(
                    nn.Linear(64, 128 * 7 * 7, hasBias: false), nn.Unflatten(1, [128, 7, 7]), nn.BatchNorm2d(128), nn.ReLU(),
                    nn.ConvTranspose2d(128, 64, 4, stride: 2, padding: 1, bias: false), nn.BatchNorm2d(64), nn.ReLU(),
                    nn.ConvTranspose2d(64, 1, 4, stride: 2, padding: 1), nn.Tanh());
                var discriminator = nn.Sequential(
                    nn.Conv2d(1, 64, 4, stride: 2, padding: 1), nn.LeakyReLU(0.2),
                    nn.Conv2d(64, 128, 4, stride: 2, padding: 1, bias: false), nn.BatchNorm2d(128), nn.LeakyReLU(0.2),
                    nn.Flatten(), nn.Linear(128 * 7 * 7, 1));
                var optimizerG = optim.Adam(generator.parameters(), lr: 2e-4, beta1: 0.5, beta2: 0.999);
                var optimizerD = optim.Adam(discriminator.parameters(), lr: 2e-4, beta1: 0.5, beta2: 0.999);
                var noise = new torch.Generator((ulong)seed + 1);
                var ones = torch.ones(TrainingSteps.BatchSize, 1);
                var zeros = torch.zeros(TrainingSteps.BatchSize, 1);
                return x =>
                {
                    using var scope = torch.NewDisposeScope();
                    var real = (x * 2 - 1).view(-1, 1, 28, 28);
                    var fake = generator.forward(torch.randn([real.shape[0], 64], generator: noise));
                    optimizerD.zero_grad();
                    var lossD = nn.functional.binary_cross_entropy_with_logits(discriminator.forward(real), ones) +
                        nn.functional.binary_cross_entropy_with_logits(discriminator.forward(fake.detach()), zeros);
                    lossD.backward();
                    optimizerD.step();
                    optimizerG.zero_grad();
                    var lossG = nn.functional.binary_cross_entropy_with_logits(discriminator.forward(fake), ones);
                    lossG.backward();
                    optimizerG.step();
                    return lossD.item<float>() + lossG.item<float>();
                };
            }
            default:
                throw new ArgumentException($"unknown TorchSharp model '{name}'; expected vae, made, nade-loop, nade-cumsum or dcgan.", nameof(name));
        }
    }

    /// <summary>-log p(x) per example: the Bernoulli cross-entropy with logits summed over pixels.</summary>
    private static TorchTensor BernoulliNll(TorchTensor logits, TorchTensor x) =>
        nn.functional.binary_cross_entropy_with_logits(logits, x, reduction: nn.Reduction.None).sum(1);

    private static Func<TorchTensor, float> AdamStep(optim.Optimizer optimizer, Func<TorchTensor, TorchTensor> loss) => x =>
    {
        using var scope = torch.NewDisposeScope();
        optimizer.zero_grad();
        var value = loss(x);
        value.backward();
        optimizer.step();
        return value.item<float>();
    };

    private static IEnumerable<Parameter> Parameters(params nn.Module[] modules) => modules.SelectMany(m => m.parameters()).ToList();

    /// <summary>MADE's masked layers as shared_models.Made builds them: natural input ordering (degrees 1..D), each hidden
    /// unit's degree uniform in [min degree below, D - 1], a unit sees the units below of lower or equal degree, an output
    /// those of strictly lower degree.</summary>
    private static (Linear Layer, TorchTensor Mask)[] MadeLayers(int d, int[] hidden)
    {
        var degrees = new List<TorchTensor> { torch.arange(1, d + 1) };
        foreach (var h in hidden)
        {
            var low = Math.Min(degrees[^1].min().item<long>(), Math.Max(d - 1, 1));
            degrees.Add(torch.randint(low, Math.Max(d - 1, low) + 1, [h]));
        }
        var layers = new List<(Linear, TorchTensor)>();
        for (var i = 0; i < hidden.Length; i++)
        {
            layers.Add((nn.Linear(degrees[i].numel(), hidden[i]), (degrees[i + 1].unsqueeze(1) >= degrees[i].unsqueeze(0)).to(float32)));
        }
        layers.Add((nn.Linear(hidden[^1], d), (degrees[0].unsqueeze(1) > degrees[^1].unsqueeze(0)).to(float32)));
        return layers.ToArray();
    }

    private static string? Probe()
    {
        try
        {
            using var probe = torch.ones(2, 2).matmul(torch.ones(2, 2));
            return probe.sum().item<float>() == 8f ? null : "TorchSharp loaded but computed a wrong 2x2 product";
        }
        catch (Exception e) when (e is TypeInitializationException or DllNotFoundException or NotSupportedException or InvalidOperationException)
        {
            var inner = e;
            while (inner.InnerException is not null)
            {
                inner = inner.InnerException;
            }
            return $"TorchSharp's native libraries do not load here ({inner.Message.Trim()}); on Debian 12 run " +
                "tools/torchsharp/debian12-compat.sh on the build output (docs/packages.md)";
        }
    }
}
