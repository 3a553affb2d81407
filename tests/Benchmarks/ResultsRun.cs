using System.Diagnostics;
using System.Globalization;
using Generative.Data;
using Generative.Models;
using Generative.NN;
using Generative.Optim;
using Generative.Tensors;
using Generative.Training;

namespace Generative.Benchmarks;

/// <summary>
/// <c>results</c> mode: trains the autoregressive models of lessons 04 and 05 on the full binarized Fashion-MNIST
/// (60,000 training and 10,000 test images; pixels at or above half the maximum set to 1) and prints their exact test
/// NLL with the epochs and training time: the numbers behind README's results table.
/// </summary>
/// <remarks>Every run is seeded (model, shuffles), so the same command gives the same NLLs on the same instruction set.
/// The PyTorch side of the comparison is not here yet (issue 4).</remarks>
internal static class ResultsRun
{
    /// <summary>Per model: how to build it, its learning rate and its default number of epochs.</summary>
    private static readonly Dictionary<string, (Func<Generator, IAutoregressiveModel> Create, string Description, double LearningRate, int Epochs)> Models = new()
    {
        ["fvsbn"] = (g => new Fvsbn(784, g), "FVSBN", 1e-2, 20),
        ["nade"] = (g => new Nade(784, 500, g), "NADE, H = 500", 3e-3, 20),
        ["made"] = (g => new Made(784, [500, 500], g), "MADE 784-500-500-784", 3e-3, 20),
        ["pixelcnn"] = (g => new PixelCnn(28, 28, channels: 32, layers: 5, generator: g), "PixelCNN, 32 channels, 5 B layers", 3e-3, 10),
        ["rowlstm"] = (g => new RowLstm(28, 28, hiddenSize: 32, g), "Row LSTM, 32 units", 3e-3, 5),
    };

    public static int Run(string[] args)
    {
        var names = Models.Keys.ToList();
        var epochs = new Dictionary<string, int>();
        var batchSize = 100;
        var source = DatasetSource.Auto;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--models": names = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries).ToList(); break;
                case "--epochs":
                    if (NamedCounts.Parse("--epochs", args[++i], epochs) is { } epochsError)
                    {
                        Console.Error.WriteLine(epochsError);
                        return 2;
                    }
                    break;
                case "--batch": batchSize = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--source": source = Enum.Parse<DatasetSource>(args[++i], ignoreCase: true); break;
                default:
                    Console.Error.WriteLine($"unknown option {args[i]}; options: --models {string.Join(',', Models.Keys)} " +
                        "--epochs nade=20,made=20 --batch 100 --source auto|system|download|embedded");
                    return 2;
            }
        }
        var unknown = names.Concat(epochs.Keys).Where(n => !Models.ContainsKey(n)).Distinct().ToList();
        if (unknown.Count > 0)
        {
            Console.Error.WriteLine($"unknown model(s) {string.Join(", ", unknown)}; expected {string.Join(", ", Models.Keys)}");
            return 2;
        }

        var train = FashionMnist.Load(DatasetSplit.Train, source).Binarize().ToTensor(scale: 1);
        var test = FashionMnist.Load(DatasetSplit.Test, source).Binarize().ToTensor(scale: 1);
        Console.Error.WriteLine($"data: {train.Size(0)} training and {test.Size(0)} test images, binarized at half the maximum");
        var rows = new List<string>();
        foreach (var name in names)
        {
            var (create, description, learningRate, defaultEpochs) = Models[name];
            var epochCount = epochs.GetValueOrDefault(name, defaultEpochs);
            var model = create(new Generator(1));
            var parameters = ((Module)model).Parameters();
            Console.Error.WriteLine($"{description}: {epochCount} epochs, batch {batchSize}, Adam {learningRate}");
            var clock = Stopwatch.StartNew();
            var history = Trainer.Fit(model.Loss, new Adam(parameters, learningRate), train, epochCount, batchSize, new Generator(2),
                progress: Trainer.ConsoleProgress, reportEvery: 50);
            var seconds = clock.Elapsed.TotalSeconds;
            var nll = TestNll(model, test);
            rows.Add(FormattableString.Invariant(
                $"| {description} | {nll:F2} | {history.EpochLosses[^1]:F2} | {epochCount} | {seconds / 60:F1} min |"));
        }
        Console.WriteLine($"Test NLL on binarized Fashion-MNIST ({train.Size(0):N0} training / {test.Size(0):N0} test images), nats per image; machine: {Environment.ProcessorCount} cores, {Machine.CpuName()}, .NET {Environment.Version}");
        Console.WriteLine();
        Console.WriteLine("| model | test NLL | training NLL, last epoch | epochs | training time |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        rows.ForEach(Console.WriteLine);
        return 0;
    }

    private static double TestNll(IAutoregressiveModel model, Tensor data)
    {
        using (Tensor.NoGrad())
        {
            double total = 0;
            for (var start = 0; start < data.Size(0); start += 500)
            {
                total -= model.LogProb(data.Narrow(0, start, Math.Min(500, data.Size(0) - start))).Sum().Item();
            }
            return total / data.Size(0);
        }
    }
}
