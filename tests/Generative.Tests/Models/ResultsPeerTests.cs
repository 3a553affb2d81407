using Generative.Data;
using Generative.Evaluation;
using Generative.Models;
using Generative.NN;
using Generative.Tensors;
using Generative.Tests.Data;
using Generative.Tests.Tensors.Kernels;

namespace Generative.Tests.Models;

/// <summary>
/// The PyTorch architectures of tests/Benchmarks/peer/results_peer.py, the peer behind the results table (docs/results.md), against
/// our models: each of the five loads our initial weights (and masks) by the same names through the script's own
/// <c>load_initial_weights</c>, and PyTorch's log p(x) of the same images must equal ours. This is what lets the table
/// say that its two columns train the same model from the same start. Skipped with the reason when torch is missing.
/// </summary>
public class ResultsPeerTests
{
    private const int Images = 6;

    /// <summary>argv: peer folder, work folder, then name=spec pairs. Writes &lt;name&gt;.nll (float32, one per image).</summary>
    private const string Script = """
        import sys, numpy as np
        peer, work, pairs = sys.argv[1], sys.argv[2], sys.argv[3:]
        sys.path.insert(0, peer)
        sys.argv = ["results_peer.py"]
        import results_peer as rp
        import torch
        x = torch.from_numpy(np.fromfile(work + "/images", dtype="<f4").reshape(-1, 784).copy())
        for pair in pairs:
            name, spec = pair.split("=", 1)
            model = rp.build(name, spec)
            rp.load_initial_weights(model, f"{work}/{name}.safetensors")
            with torch.no_grad():
                rp.bernoulli_nll(model(x), x).numpy().astype("<f4").tofile(f"{work}/{name}.nll")
        """;

    [TorchFact]
    public void PeerModels_OurInitialWeights_GiveOurLogProb()
    {
        if (TorchFactAttribute.Missing.Value is { } missing) Assert.Fail(missing); // reached only when required
        using var folder = new TemporaryDirectory();
        var generator = new Generator(7);
        // Small widths keep the test fast; every class and every naming the results table uses is exercised.
        var models = new (string Name, string Spec, AutoregressiveModel Model)[]
        {
            ("fvsbn", "-", new Fvsbn(784, generator)),
            ("nade", "24", new Nade(784, 24, generator)),
            ("made", "48", new Made(784, [48], generator)),
            ("pixelcnn", "4x2k9", new PixelCnn(28, 28, channels: 4, layers: 2, inputKernel: 9, generator: generator)),
            ("rowlstm", "4", new RowLstm(28, 28, hiddenSize: 4, generator)),
        };
        var images = Tensor.Bernoulli(Tensor.Full([Images, 784], 0.3f), new Generator(8));
        WriteFloats(folder.File("images"), images.ToArray());
        foreach (var (name, _, model) in models)
        {
            model.Save(folder.File($"{name}.safetensors"));
        }
        var peer = Path.Combine(Path.GetDirectoryName(DatasetDirectory.Find())!, "tests", "Benchmarks", "peer");

        var (exitCode, error) = DebianPython.Run(Script, [peer, folder.Path, .. models.Select(m => $"{m.Name}={m.Spec}")]);

        Assert.True(exitCode == 0, $"results_peer.py models failed: {error}");
        foreach (var (name, _, model) in models)
        {
            var ours = model.LogProb(images).ToArray();
            var theirs = ReadFloats(folder.File($"{name}.nll"));
            Assert.Equal(Images, theirs.Length);
            for (var n = 0; n < Images; n++)
            {
                // NLLs of ~550 nats summed over 784 float32 terms in different orders: agree to ~1e-4 relative.
                Assert.True(Math.Abs(-ours[n] - theirs[n]) <= 1e-4 * Math.Abs(theirs[n]) + 1e-3,
                    $"{name}, image {n}: ours {-ours[n]} nats, PyTorch {theirs[n]} nats");
            }
        }
    }

    /// <summary>argv: peer folder, work folder. Loads vae.safetensors into results_peer.Vae and writes its encoder's
    /// means and log-variances and the decoder's logits at z = mean for the images (float32).</summary>
    private const string VaeScript = """
        import sys, numpy as np
        peer, work = sys.argv[1], sys.argv[2]
        sys.path.insert(0, peer)
        sys.argv = ["results_peer.py"]
        import results_peer as rp
        import torch
        x = torch.from_numpy(np.fromfile(work + "/images", dtype="<f4").reshape(-1, 784).copy())
        model = rp.build("vae", "24x3k5")
        rp.load_initial_weights(model, work + "/vae.safetensors")
        with torch.no_grad():
            mean, log_var = model.encode(x)
            for name, t in (("mean", mean), ("logvar", log_var), ("logits", model.decoder(mean))):
                t.numpy().astype("<f4").tofile(f"{work}/{name}")
        """;

    [TorchFact]
    public void PeerVae_OurInitialWeights_GiveOurEncoderAndDecoder()
    {
        if (TorchFactAttribute.Missing.Value is { } missing) Assert.Fail(missing); // reached only when required
        using var folder = new TemporaryDirectory();
        var vae = new Vae(784, 24, 3, new Generator(7));
        var images = Tensor.Bernoulli(Tensor.Full([Images, 784], 0.3f), new Generator(8));
        WriteFloats(folder.File("images"), images.ToArray());
        vae.Save(folder.File("vae.safetensors"));
        var peer = Path.Combine(Path.GetDirectoryName(DatasetDirectory.Find())!, "tests", "Benchmarks", "peer");

        var (exitCode, error) = DebianPython.Run(VaeScript, [peer, folder.Path]);

        Assert.True(exitCode == 0, $"results_peer.py vae failed: {error}");
        var (mean, logVar) = vae.Encode(images);
        AssertSameAsPeer(folder, ("mean", mean), ("logvar", logVar), ("logits", vae.Decode(mean)));
    }

    private const string ClassifierScript = """
        import sys, numpy as np
        peer, work = sys.argv[1], sys.argv[2]
        sys.path.insert(0, peer)
        sys.argv = ["results_peer.py"]
        import results_peer as rp
        import torch
        x = torch.from_numpy(np.fromfile(work + "/images", dtype="<f4").reshape(-1, 784).copy())
        model = rp.FashionClassifier()
        rp.load_initial_weights(model, work + "/classifier.safetensors")
        with torch.no_grad():
            model.features(x).numpy().astype("<f4").tofile(work + "/features")
            model(x).numpy().astype("<f4").tofile(work + "/logits")
        """;

    [TorchFact]
    public void PeerClassifier_OurWeights_GiveOurFeaturesAndLogits()
    {
        // The FID's features are the same numbers in PyTorch: FIDs of either side's samples are comparable.
        if (TorchFactAttribute.Missing.Value is { } missing) Assert.Fail(missing); // reached only when required
        using var folder = new TemporaryDirectory();
        var classifier = new FashionClassifier(new Generator(9));
        var images = Tensor.Rand([Images, 784], new Generator(10));
        WriteFloats(folder.File("images"), images.ToArray());
        classifier.Save(folder.File("classifier.safetensors"));
        var peer = Path.Combine(Path.GetDirectoryName(DatasetDirectory.Find())!, "tests", "Benchmarks", "peer");

        var (exitCode, error) = DebianPython.Run(ClassifierScript, [peer, folder.Path]);

        Assert.True(exitCode == 0, $"the peer's classifier failed: {error}");
        AssertSameAsPeer(folder, ("features", classifier.Features(images)), ("logits", classifier.Forward(images)));
    }

    private const string DcganScript = """
        import sys, numpy as np
        peer, work = sys.argv[1], sys.argv[2]
        sys.path.insert(0, peer)
        sys.argv = ["results_peer.py"]
        import results_peer as rp
        import shared_models
        import torch
        model = shared_models.Dcgan(8)
        missing, unexpected = model.load_state_dict(rp.read_safetensors(work + "/dcgan.safetensors"), strict=False)
        assert not unexpected and all(k.endswith("num_batches_tracked") for k in missing), (missing, unexpected)
        model.eval()
        z = torch.from_numpy(np.fromfile(work + "/z", dtype="<f4").reshape(-1, 8).copy())
        x = torch.from_numpy(np.fromfile(work + "/images", dtype="<f4").reshape(-1, 784).copy())
        with torch.no_grad():
            model.generator_network(z).numpy().astype("<f4").tofile(work + "/generated")
            model.discriminator_network(x).numpy().astype("<f4").tofile(work + "/logits")
        """;

    [TorchFact]
    public void PeerDcgan_OurWeights_GiveOurGeneratorAndDiscriminator()
    {
        // gan_peer.py trains from our initial weights: the names and layouts must mean the same networks there.
        if (TorchFactAttribute.Missing.Value is { } missing) Assert.Fail(missing); // reached only when required
        using var folder = new TemporaryDirectory();
        var gan = new Dcgan(8, new Generator(11));
        gan.Eval(); // batch norm on its running statistics on both sides
        var z = gan.SampleLatent(Images, new Generator(12));
        var images = Tensor.Rand([Images, 784], new Generator(13)) * 2f - 1f;
        WriteFloats(folder.File("z"), z.ToArray());
        WriteFloats(folder.File("images"), images.ToArray());
        gan.Save(folder.File("dcgan.safetensors"));
        var peer = Path.Combine(Path.GetDirectoryName(DatasetDirectory.Find())!, "tests", "Benchmarks", "peer");

        var (exitCode, error) = DebianPython.Run(DcganScript, [peer, folder.Path]);

        Assert.True(exitCode == 0, $"the peer's DCGAN failed: {error}");
        AssertSameAsPeer(folder, ("generated", gan.Generate(z)), ("logits", gan.Discriminate(images)));
    }

    /// <summary>Each of our outputs against the file of the same name the peer wrote: sums of up to 6,272 float32
    /// products in different orders agree within 1e-4, relative and absolute.</summary>
    private static void AssertSameAsPeer(TemporaryDirectory folder, params (string Name, Tensor Ours)[] outputs)
    {
        foreach (var (name, ours) in outputs)
        {
            var (expected, theirs) = (ours.ToArray(), ReadFloats(folder.File(name)));
            Assert.Equal(expected.Length, theirs.Length);
            for (var i = 0; i < expected.Length; i++)
            {
                Assert.True(Math.Abs(expected[i] - theirs[i]) <= 1e-4 * Math.Abs(expected[i]) + 1e-4,
                    $"{name}[{i}]: ours {expected[i]}, PyTorch {theirs[i]}");
            }
        }
    }

    private static void WriteFloats(string path, float[] values)
    {
        var bytes = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        File.WriteAllBytes(path, bytes);
    }

    private static float[] ReadFloats(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var values = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return values;
    }
}
