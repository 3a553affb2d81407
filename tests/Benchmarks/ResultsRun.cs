using System.Globalization;
using Generative.Data;
using Generative.Weights;

namespace Generative.Benchmarks;

/// <summary>
/// <c>results</c> mode: trains the autoregressive models of lessons 04 and 05 on the full binarized Fashion-MNIST
/// (60,000 training and 10,000 test images; pixels at or above half the maximum set to 1) and prints their exact test
/// NLL with the epochs and training time: the numbers behind the results table (docs/results.md). With <c>--peer</c>, PyTorch
/// (peer/results_peer.py) then trains the same architectures with the same budget (epochs, batch, Adam learning rate)
/// on the same files, and the table shows both. The models and their budgets are the weights tool's recipes
/// (<see cref="WeightRecipes"/>), trained by its loop: the table measures the shipped weights' recipes, and the tool
/// (tools/Weights), not this benchmark, writes the weights.
/// </summary>
/// <remarks>Our runs are seeded (model, shuffles), so the same command gives the same NLLs on the same instruction set.
/// The peer starts from our initial weights (written to a temporary folder and loaded by results_peer.py's
/// --initial-weights; the parameter names are the same on both sides), so the comparison measures the training and not
/// the luck of an initial draw, which alone moves the Row LSTM by 1.7 nats. Its shuffles are PyTorch's own, and its
/// float rounding differs: the two sides agree in distribution, not bit for bit, which is why the target is "within 1
/// nat". <c>--peer-own-init</c> lets the peer draw its own initial weights instead.</remarks>
internal static class ResultsRun
{
    /// <summary>The rows of the table, one per recipe.</summary>
    private static IReadOnlyDictionary<string, WeightRecipe> Models => WeightRecipes.All;

    private sealed record Measured(double TestNll, double TrainNll, double Seconds);

    public static int Run(string[] args)
    {
        var peerOwnInit = false;
        var options = ResultsOptions.Parse(args, Models.Keys.ToList(),
            $"--models {string.Join(',', Models.Keys)} --epochs nade=20,made=20 --batch 100 --source auto|system|download|embedded --peer --peer-only --peer-own-init",
            (option, _) =>
            {
                switch (option)
                {
                    case "--save":
                        // The weights are written in one place, the weights tool; a second copy of the save would drift.
                        Console.Error.WriteLine("--save: the weights tool writes the shipped weights now: " +
                            "dotnet run -c Release --project tools/Weights -- pixelcnn rowlstm (see --list there)");
                        return null;
                    case "--peer-own-init":
                        peerOwnInit = true;
                        return true;
                    default:
                        return false;
                }
            });
        if (options is null)
        {
            return 2;
        }
        var (names, batchSize, source) = (options.Names, options.BatchSize, options.Source);
        int EpochsOf(string name) => options.Epochs.GetValueOrDefault(name, Models[name].Epochs);

        var (train, test) = options.LoadData();
        var ourResults = new Dictionary<string, Measured>();
        if (options.Ours)
        {
            var (trainTensor, testTensor) = (train.ToTensor(scale: 1), test.ToTensor(scale: 1));
            foreach (var name in names)
            {
                var trained = WeightRecipes.Train(Models[name], EpochsOf(name), batchSize, trainTensor, testTensor);
                ourResults[name] = new Measured(trained.TestNll, trained.TrainNll, trained.Seconds);
            }
        }
        var peerResults = new Dictionary<string, Measured>();
        string? peerDescription = null;
        if (options.Peer)
        {
            var problem = RunPeer(names, EpochsOf, batchSize, source, peerOwnInit, peerResults, out peerDescription);
            if (problem is not null)
            {
                Console.Error.WriteLine($"peer: {problem}");
                return 1;
            }
        }

        Console.WriteLine($"Test NLL on binarized Fashion-MNIST ({train.Count:N0} training / {test.Count:N0} test images), nats per image, batch {batchSize}, Adam; " +
            $"machine: {Environment.ProcessorCount} cores, {Machine.CpuName()}, .NET {Environment.Version}");
        if (peerDescription is not null)
        {
            Console.WriteLine($"peer: {peerDescription}");
        }
        Console.WriteLine();
        Console.WriteLine("| model | test NLL, ours | test NLL, PyTorch | ours − PyTorch | training NLL, last epoch (ours) | epochs | Adam lr | training time, ours | training time, PyTorch |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var name in names)
        {
            var mine = ourResults.GetValueOrDefault(name);
            var theirs = peerResults.GetValueOrDefault(name);
            string Nats(Measured? m) => m is null ? "–" : m.TestNll.ToString("F2", CultureInfo.InvariantCulture);
            string Minutes(Measured? m) => m is null ? "–" : (m.Seconds / 60).ToString("F1", CultureInfo.InvariantCulture) + " min";
            var difference = mine is not null && theirs is not null ? (mine.TestNll - theirs.TestNll).ToString("+0.00;−0.00", CultureInfo.InvariantCulture) : "–";
            Console.WriteLine(FormattableString.Invariant(
                $"| {Models[name].Description} | {Nats(mine)} | {Nats(theirs)} | {difference} | {(mine is null ? "–" : mine.TrainNll.ToString("F2", CultureInfo.InvariantCulture))} | {EpochsOf(name)} | {Models[name].LearningRates(EpochsOf(name))} | {Minutes(mine)} | {Minutes(theirs)} |"));
        }
        return 0;
    }

    /// <summary>Where the peer reads the IDX files <paramref name="source"/> stands for; null for the embedded subset,
    /// which the peer does not train on.</summary>
    internal static string? PeerDataDirectory(DatasetSource source) => source switch
    {
        DatasetSource.System => FashionMnist.SystemDirectory,
        DatasetSource.Download => FashionMnist.CacheDirectory,
        DatasetSource.Embedded => null,
        _ => Directory.Exists(FashionMnist.SystemDirectory) ? FashionMnist.SystemDirectory : FashionMnist.CacheDirectory,
    };

    /// <summary>Runs peer/results_peer.py on the same files with the same budgets; returns why it failed, or null.</summary>
    private static string? RunPeer(List<string> names, Func<string, int> epochsOf, int batchSize, DatasetSource source,
        bool ownInit, Dictionary<string, Measured> into, out string? description)
    {
        if (PeerDataDirectory(source) is not { } directory)
        {
            description = null;
            return "the peer trains on the full data set; --source embedded has only 10,000 training images";
        }
        string Named(Func<string, string> value) => string.Join(',', names.Select(n => $"{n}={value(n)}"));
        List<string> arguments =
        [
            "--data-dir", directory, "--models", string.Join(',', names),
            "--spec", Named(n => Models[n].PeerSpec.Length > 0 ? Models[n].PeerSpec : "-"),
            "--epochs", Named(n => epochsOf(n).ToString(CultureInfo.InvariantCulture)),
            "--lr", Named(n => Models[n].LearningRate.ToString("R", CultureInfo.InvariantCulture)),
            "--decay", Named(n => Models[n].DecayEpochs.ToString(CultureInfo.InvariantCulture)),
            "--batch", batchSize.ToString(CultureInfo.InvariantCulture), "--threads", "1",
        ];
        // Our initial weights, drawn exactly as WeightRecipes.Train draws them, for the peer to start from.
        var initialDirectory = ownInit ? null : Directory.CreateTempSubdirectory("results-initial-weights-").FullName;
        if (initialDirectory is not null)
        {
            foreach (var name in names)
            {
                Models[name].Create(WeightRecipes.InitialWeights).Save(Path.Combine(initialDirectory, $"{name}.safetensors"));
            }
            arguments.AddRange(["--initial-weights", initialDirectory]);
        }
        try
        {
            var (peerDescription, problem) = PeerScript.Run("results_peer.py", arguments,
                fields =>
                {
                    // result nade test_nll=102.1 train_nll=99.8 epochs=20 seconds=3600.0
                    if (fields.Length >= 6 && fields[0] == "result")
                    {
                        double Field(int i) => double.Parse(fields[i][(fields[i].IndexOf('=') + 1)..], CultureInfo.InvariantCulture);
                        into[fields[1]] = new Measured(Field(2), Field(3), Field(5));
                        Console.Error.WriteLine(FormattableString.Invariant($"peer: {fields[1]}: test NLL {Field(2):F2} nats, {Field(5) / 60:F1} min"));
                    }
                },
                "apt-get install -y python3-torch libopenblas0-pthread");
            description = peerDescription;
            return problem;
        }
        finally
        {
            if (initialDirectory is not null)
            {
                Directory.Delete(initialDirectory, recursive: true);
            }
        }
    }
}
