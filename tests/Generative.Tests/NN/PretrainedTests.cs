using Generative.Data;
using Generative.Evaluation;
using Generative.Models;
using Generative.NN;
using Generative.Tensors;
using Generative.Tests.Data;

namespace Generative.Tests.NN;

/// <summary>The shipped pretrained weights load and reach the test NLL their catalogue states; the catalogue's checks
/// (checksum, names, sizes) refuse what does not match.</summary>
public class PretrainedTests
{
    /// <summary>How to build each shipped model; a new entry in weights/weights.json needs a line here.</summary>
    private static readonly Dictionary<string, Func<AutoregressiveModel>> Shipped = new()
    {
        ["pixelcnn"] = () => new PixelCnn(28, 28, channels: 32, layers: 5, inputKernel: 21),
        ["rowlstm"] = () => new RowLstm(28, 28, hiddenSize: 16),
    };

    public static TheoryData<string> ShippedNames => new(Shipped.Keys);

    /// <summary>The shipped GANs, each with how lesson 11 draws the 2,000 samples its catalogue's embedded FID is of.</summary>
    private static readonly Dictionary<string, (Func<GenerativeModel> Create, Func<GenerativeModel, Tensor> Draw)> ShippedGans = new()
    {
        ["dcgan"] = (() => new Dcgan(64), gan => gan.Sample(2000, new Generator(4))),
        ["cgan"] = (() => new ConditionalDcgan(64, 10),
            gan => ((ConditionalDcgan)gan).SampleClasses(Enumerable.Range(0, 2000).Select(n => n % 10).ToArray(), new Generator(4))),
        ["infogan"] = (() => new InfoGan(62, 10, 2),
            gan => ((InfoGan)gan).SampleWith(((InfoGan)gan).SampleCodes(2000, new Generator(4)), new Generator(5))),
        ["progan"] = (() => new ProgressiveGan(64, 32), gan =>
        {
            ((ProgressiveGan)gan).Grow(2, 1); // created at 7 x 7; the shipped weights are the grown network's
            return gan.Sample(2000, new Generator(4));
        }),
    };

    /// <summary>Lesson 12's translators, shipped without a single number a test could recompute cheaply (the lesson
    /// measures them): their files must still load into the model the recipe builds.</summary>
    private static readonly Dictionary<string, Func<Generator, Module>> ShippedTranslators = new()
    {
        ["cyclegan"] = generator => new CycleGan(16, generator),
        ["stargan"] = generator => new StarGan(3, 32, generator),
        ["puzzlegan"] = generator => new PuzzleGan(16, generator),
    };

    public static TheoryData<string> ShippedTranslatorNames => new(ShippedTranslators.Keys);

    [Theory]
    [MemberData(nameof(ShippedTranslatorNames))]
    public void Load_ShippedTranslator_ReplacesEveryParameter(string name)
    {
        // Two identical untrained models: whatever the load did not replace stays equal to the fresh one.
        var fresh = ShippedTranslators[name](new Generator(1));
        var model = ShippedTranslators[name](new Generator(1));
        var before = fresh.Parameters().Select(p => p.ToArray()).ToList();

        var entry = Pretrained.Load(model, name);

        Assert.Equal(name, entry.Name);
        Assert.All(model.Parameters().Zip(before), pair => Assert.False(pair.First.ToArray().SequenceEqual(pair.Second)));
    }

    public static TheoryData<string> ShippedGanNames => new(ShippedGans.Keys);

    /// <summary>The shipped latent-variable models, whose NLL is an importance-sampled estimate (lesson 13 loads the VAE).</summary>
    private static readonly Dictionary<string, Func<Vae>> ShippedVaes = new() { ["vae"] = () => new Vae(784, 400, 20) };

    [Fact]
    public void Load_ShippedVae_ReproducesTheStatedEmbeddedNllEstimate()
    {
        var vae = ShippedVaes["vae"]();
        var entry = Pretrained.Load(vae, "vae");
        var test = FashionMnist.LoadEmbedded(DatasetSplit.Test).Binarize().ToTensor(scale: 1);

        // The recipe's estimate: K = 100 draws per image from a generator seeded 3, batches of 500 (tools/Weights).
        Assert.Equal(entry.EmbeddedTestNll!.Value, Likelihood.MeanNllEstimate(vae, test, 100, new Generator(3)), 0.01);
        Assert.True(entry.TestNll < 125, $"the shipped VAE's test NLL estimate is {entry.TestNll}");
    }

    /// <summary>The shipped weights that are neither a density model nor a GAN.</summary>
    private static readonly string[] ShippedClassifiers = ["classifier"];

    [Fact]
    public void Catalog_ShippedFolder_ListsExactlyTheModelsThisTestBuilds()
    {
        Assert.Equal(Shipped.Keys.Concat(ShippedVaes.Keys).Concat(ShippedClassifiers).Concat(ShippedGans.Keys).Concat(ShippedTranslators.Keys).Order(), Pretrained.Catalog().Select(e => e.Name).Order());
    }

    [Fact]
    public void Load_ShippedClassifier_ReproducesTheStatedEmbeddedAccuracy()
    {
        var classifier = new FashionClassifier();
        var entry = Pretrained.Load(classifier, "classifier");
        var test = FashionMnist.LoadEmbedded(DatasetSplit.Test);
        var labels = test.Labels.Select(l => (int)l).ToArray();

        // One image in 2,000 is 0.0005: the same bits on the machine that wrote the catalogue, at most a borderline
        // image or two elsewhere.
        Assert.NotNull(entry.EmbeddedTestAccuracy);
        Assert.Equal(entry.EmbeddedTestAccuracy!.Value, classifier.Accuracy(test.ToTensor(), labels), 0.0011);
        Assert.True(entry.TestAccuracy > 0.88, $"the shipped classifier's test accuracy is {entry.TestAccuracy}");
    }

    [Theory]
    [MemberData(nameof(ShippedNames))]
    public void Load_ShippedWeights_ReproduceTheStatedEmbeddedTestNll(string name)
    {
        var model = Shipped[name]();
        var entry = Pretrained.Load(model, name);
        var test = FashionMnist.LoadEmbedded(DatasetSplit.Test).Binarize().ToTensor(scale: 1);

        // Same bits on the machine that wrote the catalogue; another instruction set may round sums differently.
        Assert.Equal(entry.EmbeddedTestNll!.Value, Likelihood.MeanNll(model, test), 0.01);
    }

    [Theory]
    [MemberData(nameof(ShippedGanNames))]
    public void Load_ShippedGan_ReproducesTheStatedEmbeddedFid(string name)
    {
        var (create, draw) = ShippedGans[name];
        var gan = create();
        var entry = Pretrained.Load(gan, name);
        var classifier = new FashionClassifier();
        Pretrained.Load(classifier, "classifier");
        var test = FashionMnist.LoadEmbedded(DatasetSplit.Test).ToTensor();

        double fid;
        using (Tensor.NoGrad())
        {
            fid = Fid.Compute(classifier.Features(draw(gan)), classifier.Features(test));
        }

        Assert.Null(entry.TestNll);
        Assert.NotNull(entry.EmbeddedSampleFid);
        Assert.Equal(entry.EmbeddedSampleFid!.Value, fid, 0.05);
    }

    private static PretrainedWeights Entry(string name) =>
        new(name, $"{name}.safetensors", "", "FVSBN (5)", 1, 10, 1e-3, 3.5, 3.6, "re-create it");

    [Fact]
    public void SaveThenLoad_SmallModel_RestoresEveryParameter()
    {
        using var folder = new TemporaryDirectory();
        var source = new Fvsbn(5, new Generator(1));
        var written = Pretrained.Save(source, folder.Path, Entry("tiny"));
        var target = new Fvsbn(5, new Generator(2));

        var loaded = Pretrained.Load(target, "tiny", folder.Path);

        Assert.Equal(written, loaded);
        Assert.Equal(64, loaded.Sha256.Length);
        Assert.Equal(source.Conditionals.Weight.ToArray(), target.Conditionals.Weight.ToArray());
        Assert.Equal(source.Conditionals.Bias!.ToArray(), target.Conditionals.Bias!.ToArray());
    }

    [Fact]
    public void Save_ManyWritersAtOnce_KeepsEveryEntry()
    {
        // Without the catalogue's lock, two writers that read the catalogue before either rewrites it lose an entry.
        using var folder = new TemporaryDirectory();
        string[] names = [.. Enumerable.Range(0, 16).Select(i => $"model{i:D2}")];

        Parallel.ForEach(names, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            name => Pretrained.Save(new Fvsbn(5, new Generator(1)), folder.Path, Entry(name)));

        Assert.Equal(names, Pretrained.Catalog(folder.Path).Select(e => e.Name));
    }

    [Fact]
    public void Save_SecondEntry_KeepsTheFirstAndReplacesASameNamedOne()
    {
        using var folder = new TemporaryDirectory();
        Pretrained.Save(new Fvsbn(5, new Generator(1)), folder.Path, Entry("a"));
        Pretrained.Save(new Fvsbn(5, new Generator(2)), folder.Path, Entry("b"));
        var replaced = Pretrained.Save(new Fvsbn(5, new Generator(3)), folder.Path, Entry("a") with { Epochs = 7 });

        var catalog = Pretrained.Catalog(folder.Path);

        Assert.Equal(["a", "b"], catalog.Select(e => e.Name));
        Assert.Equal(replaced, catalog[0]);
    }

    [Fact]
    public void Load_FileChangedAfterSaving_ThrowsNamingTheChecksumAndTheCommand()
    {
        using var folder = new TemporaryDirectory();
        Pretrained.Save(new Fvsbn(5, new Generator(1)), folder.Path, Entry("tiny"));
        var path = Path.Combine(folder.Path, "tiny.safetensors");
        var bytes = File.ReadAllBytes(path);
        bytes[^1] ^= 1;
        File.WriteAllBytes(path, bytes);
        var target = new Fvsbn(5, new Generator(2));
        var before = target.Conditionals.Weight.ToArray();

        var error = Assert.Throws<InvalidDataException>(() => Pretrained.Load(target, "tiny", folder.Path));

        Assert.Contains("SHA-256", error.Message);
        Assert.Contains("re-create it", error.Message);
        Assert.Equal(before, target.Conditionals.Weight.ToArray());
    }

    [Fact]
    public void Load_UnknownName_ThrowsListingTheNames()
    {
        using var folder = new TemporaryDirectory();
        Pretrained.Save(new Fvsbn(5, new Generator(1)), folder.Path, Entry("tiny"));

        var error = Assert.Throws<ArgumentException>(() => Pretrained.Load(new Fvsbn(5), "huge", folder.Path));

        Assert.Contains("'huge'", error.Message);
        Assert.Contains("tiny", error.Message);
    }

    [Fact]
    public void Load_ModelOfAnotherSize_ThrowsNamingTheShapes()
    {
        using var folder = new TemporaryDirectory();
        Pretrained.Save(new Fvsbn(5, new Generator(1)), folder.Path, Entry("tiny"));

        var error = Assert.Throws<InvalidDataException>(() => Pretrained.Load(new Fvsbn(6), "tiny", folder.Path));

        Assert.Contains("(5, 5) in the file but (6, 6) in the module", error.Message);
    }

    [Fact]
    public void SaveThenCatalog_EntryWithDecayEpochs_KeepsDecayEpochs()
    {
        using var folder = new TemporaryDirectory();
        var written = Pretrained.Save(new Fvsbn(5, new Generator(1)), folder.Path, Entry("tiny") with { Epochs = 10, DecayEpochs = 2 });

        var read = Assert.Single(Pretrained.Catalog(folder.Path));

        Assert.Equal(2, read.DecayEpochs);
        Assert.Equal(written, read);
        Assert.Contains("\"decayEpochs\": 2", File.ReadAllText(Path.Combine(folder.Path, Pretrained.CatalogFileName)));
    }

    [Fact]
    public void Catalog_EntryWrittenBeforeDecayEpochs_ReadsDecayEpochsAsZero()
    {
        using var folder = new TemporaryDirectory();
        // An entry as catalogues were written before the field existed.
        File.WriteAllText(Path.Combine(folder.Path, Pretrained.CatalogFileName), """
            [
              {
                "name": "old",
                "file": "old.safetensors",
                "sha256": "",
                "model": "FVSBN (5)",
                "epochs": 3,
                "batchSize": 100,
                "learningRate": 0.003,
                "testNll": 3.5,
                "embeddedTestNll": 3.6,
                "command": "re-create it"
              }
            ]
            """);

        var entry = Assert.Single(Pretrained.Catalog(folder.Path));

        Assert.Equal(0, entry.DecayEpochs);
        Assert.Equal(3, entry.Epochs);
    }

    [Fact]
    public void Catalog_ShippedPixelCnn_StatesTheLastTwoEpochsDecayed()
    {
        var pixelCnn = Pretrained.Catalog().Single(e => e.Name == "pixelcnn");

        Assert.Equal(2, pixelCnn.DecayEpochs);
        Assert.Equal(10, pixelCnn.Epochs);
    }

    [Fact]
    public void Catalog_ShippedFolder_EveryCommandIsTheWeightsTool()
    {
        Assert.All(Pretrained.Catalog(), e => Assert.StartsWith($"dotnet run -c Release --project tools/Weights -- {e.Name} ", e.Command));
    }

    [Fact]
    public void Catalog_NotJson_ThrowsNamingTheFile()
    {
        using var folder = new TemporaryDirectory();
        File.WriteAllText(Path.Combine(folder.Path, Pretrained.CatalogFileName), "{ not json");

        var error = Assert.Throws<InvalidDataException>(() => Pretrained.Catalog(folder.Path));

        Assert.Contains(Pretrained.CatalogFileName, error.Message);
    }
}
