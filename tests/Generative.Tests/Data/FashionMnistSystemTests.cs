using Generative.Data;

namespace Generative.Tests.Data;

/// <summary>
/// The full data set from Debian's dataset-fashion-mnist package: the loader's system source, checked
/// against the embedded subset, which was cut from the official files independently of this code path.
/// </summary>
public class FashionMnistSystemTests
{
    [SystemDatasetFact]
    public void Load_SystemPackage_HasFullSplitsWhoseHeadEqualsTheEmbeddedSubset()
    {
        foreach (var (split, count, embeddedCount) in new[]
                 {
                     (DatasetSplit.Train, 60_000, FashionMnist.EmbeddedTrainCount),
                     (DatasetSplit.Test, 10_000, FashionMnist.EmbeddedTestCount),
                 })
        {
            var full = FashionMnist.Load(split, DatasetSource.System);
            var embedded = FashionMnist.LoadEmbedded(split);

            Assert.Equal((count, 28, 28), (full.Count, full.Height, full.Width));
            Assert.Equal(embeddedCount, embedded.Count);
            var head = full.Take(embeddedCount);
            Assert.Equal(embedded.Pixels, head.Pixels);
            Assert.Equal(embedded.Labels, head.Labels);
            // Fashion-MNIST is balanced: every class has exactly a tenth of each split.
            Assert.All(full.Labels.CountBy(label => label), pair => Assert.Equal(count / 10, pair.Value));
        }
    }
}

/// <summary>
/// Runs when /usr/share/datasets/fashion-mnist exists; otherwise skipped with the reason, unless
/// COURSE_REQUIRE_PREREQUISITES=1 (as in CI, which installs the package), when the test runs and fails plainly.
/// </summary>
public sealed class SystemDatasetFactAttribute : FactAttribute
{
    public const string Folder = "/usr/share/datasets/fashion-mnist";

    public SystemDatasetFactAttribute()
    {
        if (!Prerequisites.Required && !Directory.Exists(Folder))
            Skip = $"Debian's dataset-fashion-mnist is not installed ({Folder} is missing): apt-get install dataset-fashion-mnist";
    }
}
