using System.Diagnostics;
using System.Globalization;
using Generative.Data;
using Generative.Models;
using Generative.Optim;
using Generative.Tensors;
using Generative.Training;
using Generative.Weights;

namespace Generative.Benchmarks;

/// <summary>
/// <c>vae-results</c> mode: the VAE of lesson 08 (784-400-20) on the full binarized Fashion-MNIST, trained once on the
/// ELBO and once on the K = 5 importance-weighted bound (an IWAE), with each model's test ELBO and its test NLL
/// estimate (minus the IWAE bound with 5,000 draws per test image): the latent-variable rows of the results table (docs/results.md).
/// With <c>--peer</c>, PyTorch (peer/results_peer.py) trains the same architecture from our initial weights with the
/// same budget and measures the same two numbers.
/// </summary>
/// <remarks>Seeded like <see cref="ResultsRun"/>: initial weights from <see cref="WeightRecipes.InitialWeights"/>, batch
/// order from <see cref="WeightRecipes.Shuffles"/>, and the draws of ε from a third generator, so the same command gives
/// the same numbers on the same instruction set. A latent-variable model's NLL is only estimated: minus the IWAE bound
/// lies above the true NLL in expectation, by the bound's remaining gap, which the table cannot show.</remarks>
internal static class VaeResultsRun
{
    /// <summary>One row: the VAE trained on the bound with <paramref name="TrainingSamples"/> draws (1 = the ELBO with the
    /// KL in closed form, <see cref="Vae.Loss"/>; more = <see cref="Vae.IwaeLoss"/>).</summary>
    private sealed record Recipe(string Name, int TrainingSamples, string Description, double LearningRate, int Epochs)
    {
        public const int HiddenUnits = 400, LatentDimensions = 20;

        public Vae Create(Generator generator) => new(784, HiddenUnits, LatentDimensions, generator);

        public string PeerSpec => TrainingSamples == 1
            ? $"{HiddenUnits}x{LatentDimensions}"
            : $"{HiddenUnits}x{LatentDimensions}k{TrainingSamples}";
    }

    private static readonly Dictionary<string, Recipe> Recipes = new[]
    {
        new Recipe("vae", 1, "VAE 784-400-20, trained on the ELBO", 1e-3, 50),
        new Recipe("iwae", 5, "the same VAE trained on the K = 5 IWAE bound", 1e-3, 50),
    }.ToDictionary(r => r.Name);

    private sealed record Measured(double TestNll, double TestElbo, double TrainLoss, double Seconds);

    public static int Run(string[] args)
    {
        var evaluationSamples = 5000;
        var options = ResultsOptions.Parse(args, Recipes.Keys.ToList(),
            $"--models {string.Join(',', Recipes.Keys)} --epochs vae=50,iwae=50 --batch 100 --eval-samples 5000 --source auto|system|download|embedded --peer --peer-only",
            (option, value) =>
            {
                if (option != "--eval-samples")
                {
                    return false;
                }
                var samples = ResultsOptions.Count(option, value());
                evaluationSamples = samples ?? evaluationSamples;
                return samples is null ? null : true;
            });
        if (options is null)
        {
            return 2;
        }
        var (names, batchSize, source) = (options.Names, options.BatchSize, options.Source);
        int EpochsOf(string name) => options.Epochs.GetValueOrDefault(name, Recipes[name].Epochs);

        var (train, test) = options.LoadData();
        var ourResults = new Dictionary<string, Measured>();
        if (options.Ours)
        {
            var (trainTensor, testTensor) = (train.ToTensor(scale: 1), test.ToTensor(scale: 1));
            foreach (var name in names)
            {
                ourResults[name] = TrainOurs(Recipes[name], EpochsOf(name), batchSize, evaluationSamples, trainTensor, testTensor);
            }
        }
        var peerResults = new Dictionary<string, Measured>();
        string? peerDescription = null;
        if (options.Peer)
        {
            var problem = RunPeer(names, EpochsOf, batchSize, evaluationSamples, source, peerResults, out peerDescription);
            if (problem is not null)
            {
                Console.Error.WriteLine($"peer: {problem}");
                return 1;
            }
        }

        Console.WriteLine($"VAE on binarized Fashion-MNIST ({train.Count:N0} training / {test.Count:N0} test images), nats per image, batch {batchSize}, " +
            $"Adam; NLL estimated with K = {evaluationSamples:N0}; machine: {Environment.ProcessorCount} cores, {Machine.CpuName()}, .NET {Environment.Version}");
        if (peerDescription is not null)
        {
            Console.WriteLine($"peer: {peerDescription}");
        }
        Console.WriteLine();
        Console.WriteLine($"| model | test NLL estimate (K = {evaluationSamples:N0}), ours | PyTorch | ours − PyTorch | test ELBO, ours | PyTorch | training loss, last epoch (ours) | epochs | Adam lr | training time, ours | training time, PyTorch |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var name in names)
        {
            var mine = ourResults.GetValueOrDefault(name);
            var theirs = peerResults.GetValueOrDefault(name);
            static string F2(double value) => value.ToString("F2", CultureInfo.InvariantCulture);
            string Of(Measured? m, Func<Measured, double> value) => m is null ? "–" : F2(value(m));
            string Minutes(Measured? m) => m is null ? "–" : (m.Seconds / 60).ToString("F1", CultureInfo.InvariantCulture) + " min";
            var difference = mine is not null && theirs is not null
                ? (mine.TestNll - theirs.TestNll).ToString("+0.00;−0.00", CultureInfo.InvariantCulture) : "–";
            Console.WriteLine(FormattableString.Invariant(
                $"| {Recipes[name].Description} | {Of(mine, m => m.TestNll)} | {Of(theirs, m => m.TestNll)} | {difference} | {Of(mine, m => m.TestElbo)} | {Of(theirs, m => m.TestElbo)} | {Of(mine, m => m.TrainLoss)} | {EpochsOf(name)} | {Recipes[name].LearningRate:0.###e0} | {Minutes(mine)} | {Minutes(theirs)} |"));
        }
        return 0;
    }

    private static Measured TrainOurs(Recipe recipe, int epochCount, int batchSize, int evaluationSamples, Tensor train, Tensor test)
    {
        var model = recipe.Create(WeightRecipes.InitialWeights);
        var optimizer = new Adam(model.Parameters(), recipe.LearningRate);
        var noise = new Generator(3);
        Func<Tensor, Tensor> loss = recipe.TrainingSamples == 1
            ? x => model.Loss(x, noise)
            : x => model.IwaeLoss(x, recipe.TrainingSamples, noise);
        Console.Error.WriteLine($"{recipe.Description}: {epochCount} epochs, batch {batchSize}, Adam {recipe.LearningRate:0.###e0}");
        var clock = Stopwatch.StartNew();
        var history = Trainer.Fit(loss, optimizer, train, epochCount, batchSize, WeightRecipes.Shuffles,
            progress: Trainer.ConsoleProgress, reportEvery: 100);
        var seconds = clock.Elapsed.TotalSeconds;
        // Test bounds in chunks of 500 images: K draws of a (500, 784) decoder pass each, summed in double.
        var evaluation = new Generator(4);
        var (elboSum, boundSum) = (0.0, 0.0);
        for (var start = 0; start < test.Size(0); start += 500)
        {
            var x = test.Narrow(0, start, Math.Min(500, test.Size(0) - start));
            using (Tensor.NoGrad())
            {
                elboSum += model.Elbo(x, evaluation).ToArray().Sum(v => (double)v);
            }
            boundSum += model.LogProbEstimate(x, evaluationSamples, evaluation).ToArray().Sum(v => (double)v);
        }
        var (testElbo, testNll) = (elboSum / test.Size(0), -boundSum / test.Size(0));
        Console.Error.WriteLine(FormattableString.Invariant(
            $"{recipe.Description}: test ELBO {testElbo:F2}, NLL estimate {testNll:F2} nats, {seconds / 60:F1} min training, {clock.Elapsed.TotalMinutes:F1} min in all"));
        return new Measured(testNll, testElbo, history.EpochLosses[^1], seconds);
    }

    /// <summary>Runs peer/results_peer.py with our initial weights and the same budgets; returns why it failed, or null.</summary>
    private static string? RunPeer(List<string> names, Func<string, int> epochsOf, int batchSize, int evaluationSamples,
        DatasetSource source, Dictionary<string, Measured> into, out string? description)
    {
        if (ResultsRun.PeerDataDirectory(source) is not { } directory)
        {
            description = null;
            return "the peer trains on the full data set; --source embedded has only 10,000 training images";
        }
        string Named(Func<string, string> value) => string.Join(',', names.Select(n => $"{n}={value(n)}"));
        var initialDirectory = Directory.CreateTempSubdirectory("vae-results-initial-weights-").FullName;
        try
        {
            foreach (var name in names)
            {
                Recipes[name].Create(WeightRecipes.InitialWeights).Save(Path.Combine(initialDirectory, $"{name}.safetensors"));
            }
            List<string> arguments =
            [
                "--data-dir", directory, "--models", string.Join(',', names),
                "--spec", Named(n => Recipes[n].PeerSpec),
                "--epochs", Named(n => epochsOf(n).ToString(CultureInfo.InvariantCulture)),
                "--lr", Named(n => Recipes[n].LearningRate.ToString("R", CultureInfo.InvariantCulture)),
                "--batch", batchSize.ToString(CultureInfo.InvariantCulture), "--threads", "1",
                "--eval-samples", evaluationSamples.ToString(CultureInfo.InvariantCulture),
                "--initial-weights", initialDirectory,
            ];
            var (peerDescription, problem) = PeerScript.Run("results_peer.py", arguments,
                fields =>
                {
                    // result vae test_nll=88.1 train_nll=95.2 epochs=50 seconds=600.0 test_elbo=95.9
                    if (fields.Length >= 7 && fields[0] == "result")
                    {
                        double Field(int i) => double.Parse(fields[i][(fields[i].IndexOf('=') + 1)..], CultureInfo.InvariantCulture);
                        into[fields[1]] = new Measured(Field(2), Field(6), Field(3), Field(5));
                        Console.Error.WriteLine(FormattableString.Invariant(
                            $"peer: {fields[1]}: test NLL estimate {Field(2):F2}, ELBO {Field(6):F2} nats, {Field(5) / 60:F1} min"));
                    }
                },
                "apt-get install -y python3-torch libopenblas0-pthread");
            description = peerDescription;
            return problem;
        }
        finally
        {
            Directory.Delete(initialDirectory, recursive: true);
        }
    }
}
