using Generative.Data;

namespace Generative.Tests.Data;

public class ImageDatasetTests
{
    private static ImageDataset Small() => new(
        pixels: [0, 127, 128, 255, /* image 1 */ 10, 20, 30, 40, /* image 2 */ 200, 0, 0, 200],
        labels: [3, 1, 3],
        height: 2,
        width: 2,
        classNames: FashionMnist.ClassNames);

    [Fact]
    public void Binarize_DefaultThreshold_SetsPixelsFrom128Upward()
    {
        var binary = Small().Binarize();

        // 127 < 127.5 <= 128: the rule is pixel >= 0.5 * 255.
        Assert.Equal([0, 0, 1, 1], binary.Image(0));
        Assert.Equal([0, 0, 0, 0], binary.Image(1));
        Assert.Equal([1, 0, 0, 1], binary.Image(2));
    }

    [Fact]
    public void Binarize_ThresholdOne_OnlyFullIntensity()
    {
        Assert.Equal([0, 0, 0, 1], Small().Binarize(1.0).Image(0));
    }

    [Fact]
    public void Binarize_ThresholdOutsideUnitInterval_ThrowsNamingThreshold()
    {
        Assert.Equal("threshold", Assert.Throws<ArgumentOutOfRangeException>(() => Small().Binarize(2)).ParamName);
    }

    [Fact]
    public void Image_Index_ReturnsCopyInRowMajorOrder()
    {
        var dataset = Small();
        var image = dataset.Image(1);
        image[0] = 99;

        Assert.Equal([99, 20, 30, 40], image);
        Assert.Equal(10, dataset.Pixels[4]);
    }

    [Fact]
    public void Where_Label_KeepsThatClassInOrder()
    {
        var shirts = Small().Where(3);

        Assert.Equal(2, shirts.Count);
        Assert.Equal([0, 127, 128, 255], shirts.Image(0));
        Assert.Equal([200, 0, 0, 200], shirts.Image(1));
    }

    [Fact]
    public void Take_MoreThanCount_ReturnsAll()
    {
        Assert.Equal(2, Small().Take(2).Count);
        Assert.Equal(3, Small().Take(10).Count);
    }

    [Fact]
    public void ToImageArrays_Always_OneArrayPerImage()
    {
        var arrays = Small().ToImageArrays();

        Assert.Equal(3, arrays.Length);
        Assert.All(arrays, a => Assert.Equal(4, a.Length));
    }

    [Fact]
    public void Constructor_PixelCountDisagreesWithLabels_Throws()
    {
        Assert.Throws<ArgumentException>(() => new ImageDataset(new byte[7], [0, 1], 2, 2, FashionMnist.ClassNames));
    }

    [Fact]
    public void ToTensor_RawAndBinarized_FlattenedRowsScaledAsAsked()
    {
        var dataset = new ImageDataset([0, 51, 255, 128, 127, 10], [0, 1], 1, 3, ["a", "b"]);

        var raw = dataset.ToTensor();
        var binary = dataset.Binarize().ToTensor(scale: 1);

        Assert.Equal([2, 3], raw.Shape);
        Assert.Equal([0f, 0.2f, 1f, 128 / 255f, 127 / 255f, 10 / 255f], raw.ToArray());
        Assert.Equal([0f, 0f, 1f, 1f, 0f, 0f], binary.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => dataset.ToTensor(0));
    }
}
