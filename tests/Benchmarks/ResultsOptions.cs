using System.Globalization;
using Generative.Data;
using Generative.Weights;

namespace Generative.Benchmarks;

/// <summary>
/// The command line both results modes share (<c>results</c> and <c>vae-results</c>): which models, their epochs, the
/// batch size, the data source, and whether ours, the peer or both run. A mode adds its own options through
/// <c>extra</c>, and this class then loads the full binarized data set they train on.
/// </summary>
internal sealed class ResultsOptions
{
    private ResultsOptions(List<string> names) => Names = names;

    /// <summary>The models to run, in the order given.</summary>
    public List<string> Names { get; private set; }

    /// <summary>Epochs given on the command line, by model; the others keep their recipe's.</summary>
    public Dictionary<string, int> Epochs { get; } = [];

    /// <summary>Images per mini-batch.</summary>
    public int BatchSize { get; private set; } = 100;

    /// <summary>Where the images come from.</summary>
    public DatasetSource Source { get; private set; } = DatasetSource.Auto;

    /// <summary>Whether our side trains (false with --peer-only).</summary>
    public bool Ours { get; private set; } = true;

    /// <summary>Whether the PyTorch peer trains (--peer or --peer-only).</summary>
    public bool Peer { get; private set; }

    /// <summary>
    /// Parses <paramref name="args"/>; returns null after printing what is wrong. <paramref name="extra"/> is asked about
    /// every option this class does not know, with a function that takes the option's value: it returns true when it
    /// handled the option, false when the option is unknown, null when it already printed an error.
    /// </summary>
    public static ResultsOptions? Parse(string[] args, IReadOnlyCollection<string> models, string usage,
        Func<string, Func<string?>, bool?> extra)
    {
        var options = new ResultsOptions(models.ToList());
        for (var i = 0; i < args.Length; i++)
        {
            var option = args[i];
            string? Value() => i + 1 < args.Length ? args[++i] : null;
            bool? handled;
            switch (option)
            {
                case "--models":
                    var list = Required(option, Value());
                    options.Names = list?.Split(',', StringSplitOptions.RemoveEmptyEntries).ToList() ?? options.Names;
                    handled = list is null ? null : true;
                    break;
                case "--epochs":
                    handled = Required(option, Value()) is { } counts ? Report(NamedCounts.Parse(option, counts, options.Epochs)) : null;
                    break;
                case "--batch":
                    var batch = Count(option, Value());
                    options.BatchSize = batch ?? options.BatchSize;
                    handled = batch is null ? null : true;
                    break;
                case "--source":
                    handled = Required(option, Value()) is { } text ? ParseSource(text, options) : null;
                    break;
                case "--peer":
                    (options.Peer, handled) = (true, true);
                    break;
                case "--peer-only":
                    (options.Ours, options.Peer, handled) = (false, true, true);
                    break;
                default:
                    handled = extra(option, Value);
                    break;
            }
            if (handled is null)
            {
                return null;
            }
            if (handled == false)
            {
                Console.Error.WriteLine($"unknown option {option}; options: {usage}");
                return null;
            }
        }
        var unknown = options.Names.Concat(options.Epochs.Keys).Where(n => !models.Contains(n)).Distinct().ToList();
        if (unknown.Count > 0)
        {
            Console.Error.WriteLine($"unknown model(s) {string.Join(", ", unknown)}; expected {string.Join(", ", models)}");
            return null;
        }
        return options;
    }

    /// <summary>The value of <paramref name="option"/>, or null after saying it is missing.</summary>
    public static string? Required(string option, string? value)
    {
        if (value is null)
        {
            Console.Error.WriteLine($"{option} needs a value");
        }
        return value;
    }

    /// <summary>The count of at least 1 that <paramref name="value"/> holds, or null after saying what is wrong.</summary>
    public static int? Count(string option, string? value)
    {
        if (Required(option, value) is not { } text)
        {
            return null;
        }
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count >= 1)
        {
            return count;
        }
        Console.Error.WriteLine($"{option}: '{text}' is not a count of at least 1");
        return null;
    }

    /// <summary>The training and test images of <see cref="Source"/> (60,000 and 10,000 unless embedded), binarized at
    /// half the maximum unless <paramref name="binarize"/> is false.</summary>
    public (ImageDataset Train, ImageDataset Test) LoadData(bool binarize = true)
    {
        var (train, test) = (FashionMnist.Load(DatasetSplit.Train, Source), FashionMnist.Load(DatasetSplit.Test, Source));
        if (binarize)
        {
            (train, test) = (train.Binarize(), test.Binarize());
        }
        Console.Error.WriteLine($"data: {train.Count} training and {test.Count} test images{(binarize ? ", binarized at half the maximum" : ", grayscale")}");
        return (train, test);
    }

    private static bool? Report(string? error)
    {
        if (error is null)
        {
            return true;
        }
        Console.Error.WriteLine(error);
        return null;
    }

    private static bool? ParseSource(string text, ResultsOptions options)
    {
        if (!Enum.TryParse<DatasetSource>(text, ignoreCase: true, out var source))
        {
            Console.Error.WriteLine($"--source: '{text}' is not one of auto, system, download, embedded");
            return null;
        }
        options.Source = source;
        return true;
    }
}
