using System.Diagnostics;
using System.Globalization;
using Generative.Data;
using Generative.Distributions;
using Generative.Evaluation;
using Generative.Models;
using Generative.Optim;
using Generative.Tensors;
using Generative.Training;

namespace Generative.Benchmarks;

/// <summary>
/// <c>gan-toys</c> mode: the mode-collapse table of docs/results.md. Lesson 10's recipe (cell <c>collapse-train</c>) for the
/// 8-Gaussian ring (150 epochs) and the 25-Gaussian grid (300 epochs), with a plain discriminator and with the
/// minibatch standard deviation, once per seed; the modes covered, the share of high-quality samples and the KL of the
/// mode histogram to uniform on 2,500 samples of the final generator (<see cref="ModeCoverage"/>).
/// </summary>
/// <remarks>Seed s draws the training points from generator 100 + s, the initial weights from s and the noise from
/// 1000 + s, as the lesson does with s = 1, so the lesson's table is this one's first row.</remarks>
internal static class GanToysRun
{
    public static int Run(string[] args)
    {
        ulong[] seeds = [1, 2, 3];
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--seeds" && i + 1 == args.Length)
            {
                Console.Error.WriteLine("gan-toys: --seeds needs a value, e.g. --seeds 1,2,3.");
                return 2;
            }
            if (args[i] == "--seeds")
            {
                var parts = args[++i].Split(',');
                if (parts.Any(p => !ulong.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
                {
                    Console.Error.WriteLine($"gan-toys: --seeds takes non-negative integers separated by commas, got '{args[i]}'.");
                    return 2;
                }
                seeds = parts.Select(p => ulong.Parse(p, CultureInfo.InvariantCulture)).ToArray();
            }
            else
            {
                Console.Error.WriteLine($"gan-toys: unknown option '{args[i]}'. Usage: gan-toys [--seeds 1,2,3]");
                return 2;
            }
        }

        var toys = new (string Name, GaussianMixture2D Mixture, int Epochs)[] { ("ring", Toy2D.Ring8(), 150), ("grid", Toy2D.Grid25(), 300) };
        var rows = new List<(string Toy, bool WithStd, ulong Seed, ModeCoverageReport Report)>();
        Console.WriteLine($"{"toy",-5} {"discriminator",-14} {"seed",4} {"modes",7} {"high quality",13} {"KL",7} {"seconds",8}");
        foreach (var seed in seeds)
        {
            foreach (var (name, mixture, epochs) in toys)
            {
                foreach (var withStd in new[] { false, true })
                {
                    var clock = Stopwatch.StartNew();
                    var report = Train(mixture, withStd, epochs, seed);
                    rows.Add((name, withStd, seed, report));
                    Console.WriteLine(FormattableString.Invariant(
                        $"{name,-5} {(withStd ? "minibatch std" : "plain"),-14} {seed,4} {report.ModesCovered,3}/{report.ModeCount,-3} {report.HighQualityShare,13:P1} {report.KlToUniform,7:F3} {clock.Elapsed.TotalSeconds,8:F1}"));
                }
            }
        }

        Console.WriteLine();
        Console.WriteLine($"| toy | discriminator | modes covered, per seed ({string.Join(", ", seeds)}) | high quality, mean (lowest) | KL to uniform, mean |");
        Console.WriteLine("|---|---|---|---:|---:|");
        foreach (var group in rows.GroupBy(r => (r.Toy, r.WithStd)))
        {
            var reports = group.Select(r => r.Report).ToList();
            Console.WriteLine(FormattableString.Invariant(
                $"| {group.Key.Toy} | {(group.Key.WithStd ? "minibatch std" : "plain")} | {string.Join(", ", reports.Select(r => $"{r.ModesCovered}/{r.ModeCount}"))} | {reports.Average(r => r.HighQualityShare):P1} ({reports.Min(r => r.HighQualityShare):P1}) | {reports.Average(r => r.KlToUniform):F3} |"));
        }
        return 0;
    }

    // Lesson 10's TrainOnToy: batches of 100 from 10,000 points, Adam 2e-3 (β₁ = 0.5), a tenth of it for the last third.
    private static ModeCoverageReport Train(GaussianMixture2D toy, bool minibatchStdDev, int epochs, ulong seed)
    {
        var data = toy.Sample(10000, new Generator(100 + seed)).ToTensor();
        var gan = new MlpGan(hiddenUnits: 128, hiddenLayers: 3, minibatchStdDev: minibatchStdDev, generator: new Generator(seed));
        var dOpt = new Adam(gan.DiscriminatorNetwork.Parameters(), learningRate: 2e-3, beta1: 0.5);
        var gOpt = new Adam(gan.GeneratorNetwork.Parameters(), learningRate: 2e-3, beta1: 0.5);
        var noise = new Generator(1000 + seed);
        Tensor Fake(Tensor real) => gan.Generate(gan.SampleLatent(real.Size(0), noise));
        for (var done = 0; done < epochs; done += 10)
        {
            if (done == epochs * 2 / 3)
            {
                dOpt.LearningRate = gOpt.LearningRate = 2e-4;
            }
            AdversarialTrainer.Fit(real => gan.DiscriminatorLoss(real, Fake(real)), dOpt, real => gan.GeneratorLoss(Fake(real)), gOpt,
                data, epochs: 10, batchSize: 100, noise);
        }
        return ModeCoverage.Measure(toy, Points2D.FromTensor(gan.Sample(2500, new Generator(7))));
    }
}
