using System.Globalization;
using Generative.Data;

namespace Generative.Weights;

/// <summary>What one run of the weights tool is asked to do: which recipes to train, on which data, with which
/// budget, and where to write the weights.</summary>
/// <param name="Models">Recipe names in the order given, each once.</param>
/// <param name="OutDirectory">The folder to write to; null for the repository's <c>weights/</c> folder.</param>
/// <param name="Epochs">Epoch counts given with <c>--epochs</c>, overriding the recipes' own.</param>
/// <param name="BatchSize">Images per mini-batch given with <c>--batch</c>; null for each recipe's own (see
/// <see cref="BatchSizeOf"/>).</param>
/// <param name="Source">Where the Fashion-MNIST images come from.</param>
public sealed record WeightsRequest(IReadOnlyList<string> Models, string? OutDirectory, IReadOnlyDictionary<string, int> Epochs,
    int? BatchSize, DatasetSource Source)
{
    /// <summary>The usage text that errors end with.</summary>
    public const string Usage =
        "usage: dotnet run -c Release --project tools/Weights -- <model> [<model> ...] [--out <folder>] [--epochs name=K,...] " +
        "[--batch 100] [--source auto|system|download|embedded]\n" +
        "       dotnet run -c Release --project tools/Weights -- --list";

    /// <summary>The batch size the shipped weights of the likelihood models and the classifier were trained with; the
    /// GANs use <see cref="GanRecipes.BatchSize"/>, DCGAN's.</summary>
    public const int DefaultBatchSize = 100;

    /// <summary>The batch size to train <paramref name="name"/> with: <c>--batch</c>'s, else the recipe's.</summary>
    public int BatchSizeOf(string name) => BatchSize ?? (GanRecipes.Names.Contains(name) ? GanRecipes.BatchSize
        : TranslationRecipes.Names.Contains(name) ? TranslationRecipes.BatchSize : DefaultBatchSize);

    /// <summary>The epochs to train <paramref name="name"/> for: <c>--epochs</c>'s count, else the recipe's.</summary>
    public int EpochsOf(string name) => Epochs.GetValueOrDefault(name, WeightRecipes.DefaultEpochs(name));

    /// <summary>The command that re-creates <paramref name="name"/>'s file as this request trains it, for the
    /// catalogue. It leaves out <c>--out</c>: the folder does not change the bytes, and the catalogue sits in it.</summary>
    public string CommandFor(string name)
    {
        var command = FormattableString.Invariant($"dotnet run -c Release --project tools/Weights -- {name} --epochs {name}={EpochsOf(name)} --batch {BatchSizeOf(name)}");
        return Source == DatasetSource.Auto ? command : $"{command} --source {Source.ToString().ToLowerInvariant()}";
    }

    /// <summary>Reads the command line (everything after <c>--</c>, <c>--list</c> excepted).</summary>
    /// <returns>The request, or an error that names the bad input.</returns>
    public static (WeightsRequest? Request, string? Error) Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var models = new List<string>();
        string? outDirectory = null;
        var epochs = new Dictionary<string, int>();
        int? batchSize = null;
        var source = DatasetSource.Auto;
        for (var i = 0; i < args.Count; i++)
        {
            var option = args[i];
            if (!option.StartsWith('-'))
            {
                if (!WeightRecipes.Names.Contains(option))
                {
                    return (null, $"unknown model '{option}'; the recipes are {string.Join(", ", WeightRecipes.Names)} (see --list)");
                }
                if (!models.Contains(option))
                {
                    models.Add(option);
                }
                continue;
            }
            if (option is not ("--out" or "--epochs" or "--batch" or "--source"))
            {
                return (null, $"unknown option '{option}'");
            }
            if (i + 1 == args.Count)
            {
                return (null, $"{option} needs a value");
            }
            var value = args[++i];
            switch (option)
            {
                case "--out":
                    if (value.Length == 0)
                    {
                        return (null, "--out: the folder name is empty");
                    }
                    outDirectory = value;
                    break;
                case "--epochs":
                    if (NamedCounts.Parse("--epochs", value, epochs) is { } epochsError)
                    {
                        return (null, epochsError);
                    }
                    break;
                case "--batch":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var batch) || batch < 1)
                    {
                        return (null, $"--batch: '{value}' is not a count of at least 1");
                    }
                    batchSize = batch;
                    break;
                case "--source":
                    // Enum.TryParse alone would also take "7"; only the four names are sources.
                    if (!Enum.GetNames<DatasetSource>().Contains(value, StringComparer.OrdinalIgnoreCase))
                    {
                        return (null, $"--source: '{value}' is not one of auto, system, download, embedded");
                    }
                    source = Enum.Parse<DatasetSource>(value, ignoreCase: true);
                    break;
            }
        }
        if (models.Count == 0)
        {
            return (null, $"name at least one model to train: {string.Join(", ", WeightRecipes.Names)}");
        }
        // An --epochs for a model that is not trained would be silently ignored: most likely a typo.
        if (epochs.Keys.FirstOrDefault(name => !models.Contains(name)) is { } stray)
        {
            return (null, WeightRecipes.Names.Contains(stray)
                ? $"--epochs: '{stray}' is not among the models to train ({string.Join(", ", models)})"
                : $"--epochs: unknown model '{stray}'; the recipes are {string.Join(", ", WeightRecipes.Names)}");
        }
        return (new WeightsRequest(models, outDirectory, epochs, batchSize, source), null);
    }
}
