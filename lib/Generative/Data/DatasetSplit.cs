namespace Generative.Data;

/// <summary>Which part of a dataset to load.</summary>
public enum DatasetSplit
{
    /// <summary>The training images (Fashion-MNIST: 60,000; embedded subset: the first 10,000).</summary>
    Train,

    /// <summary>The test images (Fashion-MNIST: 10,000; embedded subset: the first 2,000).</summary>
    Test,
}
