using System.Diagnostics;
using System.Globalization;
using Generative.Data;
using Generative.Evaluation;
using Generative.Models;
using Generative.NN;
using Generative.Tensors;
using Generative.Weights;

namespace Generative.Benchmarks;

/// <summary>
/// <c>gan-results</c> mode: lesson 11's GANs trained on the 60,000 grayscale Fashion-MNIST training images
/// (<see cref="GanRecipes"/>) and judged by the shipped classifier (<see cref="FashionClassifier"/>): the FID of 10,000
/// samples against the 10,000 test images for each; the share of the conditional DCGAN's samples the classifier puts in
/// the class they were asked for; the agreement of InfoGAN's categorical code with the classifier's classes under the
/// best one-to-one matching. With <c>--peer</c>, PyTorch (peer/gan_peer.py) trains the DCGAN from our initial weights
/// with the same budget and our side computes the FID of its samples with the same features.
/// </summary>
/// <remarks>References printed with the table: the FID of 10,000 training images against the test images (what a
/// perfect generator would reach with 10,000 samples) and the classifier's accuracy on the test images.</remarks>
internal static class GanResultsRun
{
    private const int SampleCount = 10000;

    public static int Run(string[] args)
    {
        var options = ResultsOptions.Parse(args, GanRecipes.Names,
            "--models dcgan,cgan,infogan --epochs dcgan=5,cgan=5,infogan=5 --source auto|system|download|embedded --peer --peer-only",
            (_, _) => false);
        if (options is null)
        {
            return 2;
        }
        int EpochsOf(string name) => options.Epochs.GetValueOrDefault(name, 5);
        var (train, test) = options.LoadData(binarize: false);
        var classifier = new FashionClassifier();
        Pretrained.Load(classifier, "classifier");
        var testLabels = test.Labels.Select(l => (int)l).ToArray();
        var testStats = Fid.Statistics(Features(classifier, test.ToTensor()));
        var trainImages = train.ToTensor();
        var realFid = Fid.Distance(Fid.Statistics(Features(classifier, trainImages.Slice(0, 0, Math.Min(SampleCount, train.Count)))), testStats);
        Console.WriteLine(FormattableString.Invariant(
            $"reference: FID of {Math.Min(SampleCount, train.Count)} training images against the {test.Count} test images {realFid:F2}; classifier accuracy on them {classifier.Accuracy(test.ToTensor(), testLabels):P2}"));
        var signed = trainImages * 2f - 1f;
        var trainLabels = train.Labels.Select(l => (int)l).ToArray();
        var rows = new List<string>();
        string? peerDescription = null;
        foreach (var name in options.Names)
        {
            var epochs = EpochsOf(name);
            var clock = Stopwatch.StartNew();
            var gan = GanRecipes.Create(name);
            string? initial = null;
            if (name == "dcgan")
            {
                initial = Path.Combine(Directory.CreateTempSubdirectory("gan-results-").FullName, "dcgan.safetensors");
                gan.Save(initial);
            }
            if (options.Ours)
            {
                GanRecipes.Train(gan, signed, trainLabels, epochs);
                var measured = GanRecipes.Measure(gan, classifier, testStats, SampleCount);
                var also = measured switch
                {
                    { RequestedClassAccuracy: { } accuracy } => FormattableString.Invariant($"; requested class recognised {accuracy:P2}"),
                    { CodeClassAgreement: { } agreement, CodeToClass: { } map } => FormattableString.Invariant(
                        $"; categorical code vs class {agreement:P2} (code → class {string.Join(" ", map.Select((c, k) => $"{k}→{c}"))})"),
                    _ => "",
                };
                rows.Add(FormattableString.Invariant($"| {GanRecipes.Description(name)} | {epochs} | FID {measured.Fid:F2}{also} | {clock.Elapsed.TotalMinutes:F1} min |"));
            }
            if (initial is not null)
            {
                if (options.Peer)
                {
                    var (description, peerRow) = RunPeer(options.Source, initial, ((Dcgan)gan).LatentDimensions, epochs, classifier, testStats);
                    peerDescription = description;
                    rows.Add(peerRow);
                }
                Directory.Delete(Path.GetDirectoryName(initial)!, recursive: true);
            }
        }
        if (peerDescription is not null)
        {
            Console.WriteLine($"peer: {peerDescription}");
        }
        Console.WriteLine();
        Console.WriteLine("| model | epochs | measured | training and evaluation time |");
        Console.WriteLine("|---|---:|---|---:|");
        rows.ForEach(Console.WriteLine);
        return 0;
    }

    private static Tensor Features(FashionClassifier classifier, Tensor images)
    {
        using (Tensor.NoGrad())
        {
            return classifier.Features(images);
        }
    }

    private static (string? Description, string Row) RunPeer(DatasetSource source, string initialWeights, int latentDimensions, int epochs,
        FashionClassifier classifier, FeatureStatistics testStats)
    {
        if (ResultsRun.PeerDataDirectory(source) is not { } directory)
        {
            return (null, "| DCGAN, PyTorch | – | not run: the peer trains on the full data set; --source embedded has only 10,000 training images | – |");
        }
        var samplesPath = Path.Combine(Path.GetDirectoryName(initialWeights)!, "peer-samples.f32");
        var clock = Stopwatch.StartNew();
        double? seconds = null;
        var (description, problem) = PeerScript.Run("gan_peer.py",
            ["--data-dir", directory, "--initial-weights", initialWeights, "--samples-out", samplesPath,
             "--epochs", epochs.ToString(CultureInfo.InvariantCulture), "--batch", GanRecipes.BatchSize.ToString(CultureInfo.InvariantCulture),
             "--lr", GanRecipes.LearningRate.ToString("R", CultureInfo.InvariantCulture), "--beta1", GanRecipes.Beta1.ToString("R", CultureInfo.InvariantCulture),
             "--latent", latentDimensions.ToString(CultureInfo.InvariantCulture), "--threads", "1", "--count", SampleCount.ToString(CultureInfo.InvariantCulture)],
            fields =>
            {
                if (fields is ["result", "dcgan", var time] && time.StartsWith("seconds=", StringComparison.Ordinal))
                {
                    seconds = double.Parse(time["seconds=".Length..], CultureInfo.InvariantCulture);
                }
            },
            "apt-get install -y python3-torch libopenblas0-pthread");
        if (problem is not null || seconds is null || !File.Exists(samplesPath))
        {
            return (description, $"| DCGAN, PyTorch | {epochs} | not run: {problem ?? "the peer printed no result"} | – |");
        }
        var bytes = File.ReadAllBytes(samplesPath);
        var values = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        var fid = Fid.Distance(Fid.Statistics(Features(classifier, Tensor.FromArray(values, values.Length / 784, 784))), testStats);
        return (description, FormattableString.Invariant($"| DCGAN, PyTorch from our initial weights | {epochs} | FID {fid:F2} | {clock.Elapsed.TotalMinutes:F1} min |"));
    }
}
