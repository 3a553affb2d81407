using Generative.Tensors.Kernels;
using Xunit.Abstractions;

namespace Generative.Tests.Tensors.Kernels;

/// <summary>
/// Conv2dKernels against a direct loop implementation in double precision (<see cref="ConvReference"/>), the
/// adjoint identities that tie each backward kernel to its forward, and central finite differences of the reference.
/// </summary>
public class Conv2dKernelsTests
{
    /// <summary>Float32 sums of K products, compared with exact double sums: the rounding error of a sum grows like
    /// sqrt(K) * 2^-24 * (sum of |terms|) for terms of random sign (K * 2^-24 in the worst case). 1e-5 of the sum of
    /// |terms| leaves a margin of 10x over sqrt(K) * 2^-24 for every K in these tables (K &lt;= 3136).</summary>
    private const double ProductSum = 1e-5;

    /// <summary>Central differences of a function that is linear in the perturbed variable are exact up to double
    /// rounding; the float kernel they are compared with dominates the error, hence <see cref="ProductSum"/> again.</summary>
    private const double FiniteDifferenceStep = 1e-3;

    // ---- the tables ----

    /// <summary>Kernel sizes 1, 3, 4, 5, 7 (and a non-square one), strides 1 and 2, paddings 0 to 3, odd and
    /// non-square images, batch and channels above one, the course's shapes, and batches that the kernels split
    /// into chunks (rows * pixels above a quarter and a half of the column limit).</summary>
    public static TheoryData<ConvCase> Cases => new()
    {
        new(1, 1, 5, 5, 1, 1, 1, 1, 0),
        new(2, 3, 4, 5, 2, 1, 1, 2, 1),
        new(2, 3, 7, 7, 4, 3, 3, 1, 1),
        new(2, 2, 9, 7, 3, 3, 3, 2, 0),
        new(1, 2, 6, 5, 2, 3, 3, 1, 3),
        new(3, 2, 8, 8, 2, 4, 4, 2, 1),
        new(2, 3, 11, 9, 2, 5, 5, 2, 2),
        new(1, 2, 3, 3, 2, 5, 5, 2, 1),
        new(2, 2, 7, 7, 3, 7, 7, 1, 3),
        new(1, 3, 9, 8, 2, 7, 7, 2, 2),
        new(2, 2, 5, 6, 3, 3, 5, 1, 0),
        new(2, 1, 28, 28, 64, 4, 4, 2, 1),   // DCGAN discriminator, first conv: 28 -> 14
        new(1, 64, 14, 14, 128, 4, 4, 2, 1), // DCGAN discriminator, second conv: 14 -> 7
        new(2, 1, 28, 28, 8, 7, 7, 1, 3),    // PixelCNN 7x7 (type A) input layer
        new(2, 8, 28, 28, 8, 3, 3, 1, 1),    // PixelCNN 3x3 layer
        new(3, 30, 32, 32, 2, 7, 7, 1, 3),   // 1470 x 1024 columns per image: chunks of 2 images, then 1
        new(2, 64, 28, 28, 2, 7, 7, 1, 3),   // 3136 x 784 columns per image: one image per chunk
    };

    /// <summary>Small cases for finite differences (every input and weight element is perturbed).</summary>
    public static TheoryData<ConvCase> SmallCases => new()
    {
        new(2, 2, 5, 4, 3, 3, 3, 1, 1),
        new(1, 2, 6, 7, 2, 4, 4, 2, 1),
        new(2, 1, 5, 5, 2, 5, 5, 2, 3),
        new(1, 3, 4, 4, 2, 1, 1, 2, 0),
    };

    public static TheoryData<TransposeCase> TransposeCases => new()
    {
        new(1, 1, 1, 1, 1, 1, 1, 1, 0, 0),
        new(2, 3, 4, 4, 2, 3, 3, 2, 1, 0),   // 4 -> 7
        new(2, 3, 4, 4, 2, 3, 3, 2, 1, 1),   // 4 -> 8: output padding picks the even size
        new(1, 2, 5, 3, 3, 5, 5, 1, 2, 0),
        new(2, 2, 3, 5, 2, 3, 2, 3, 0, 2),   // non-square kernel, stride 3, output padding 2
        new(2, 2, 6, 5, 3, 4, 4, 2, 3, 1),
        new(1, 128, 7, 7, 64, 4, 4, 2, 1, 0), // DCGAN generator: 7 -> 14
        new(2, 64, 14, 14, 1, 4, 4, 2, 1, 0), // DCGAN generator: 14 -> 28
    };

    /// <summary>Shapes for the bit-for-bit comparisons of the kernels' own paths: several chunks of the weight gradient
    /// (rows * pixels * batch above the column limit), kernel rows that end in a short GEMM sliver, no padding (the
    /// images read in place), DCGAN's batch, and a kernel width (3) that keeps the stored column matrix.</summary>
    public static TheoryData<ConvCase> BitCases => new()
    {
        new(90, 64, 14, 14, 128, 4, 4, 2, 1), // weight gradient in chunks of 83 and 7 images
        new(40, 3, 9, 9, 5, 3, 4, 2, 1),      // 36 kernel rows: a full sliver of 32 and a short one
        new(6, 4, 10, 10, 8, 4, 4, 2, 0),
        new(128, 1, 28, 28, 64, 4, 4, 2, 1),
        new(5, 3, 10, 10, 4, 3, 3, 1, 1),
        new(3, 5, 9, 11, 7, 3, 3, 2, 1),
    };

    public static TheoryData<TransposeCase> TransposeBitCases => new()
    {
        new(90, 128, 7, 7, 64, 4, 4, 2, 1, 0), // DCGAN's 7 -> 14, weight gradient in chunks of 83 and 7 images
        new(40, 64, 14, 14, 1, 4, 4, 2, 1, 0),
        new(7, 2, 3, 5, 2, 3, 2, 3, 0, 2),
    };

    public static TheoryData<TransposeCase> SmallTransposeCases => new()
    {
        new(2, 2, 3, 3, 2, 3, 3, 2, 1, 1),
        new(1, 3, 2, 4, 2, 4, 4, 2, 1, 0),
        new(1, 1, 3, 2, 2, 3, 2, 3, 0, 2),
    };

    // ---- output sizes ----

    /// <summary>PyTorch's Conv2d: out = floor((in + 2p - k) / s) + 1, evaluated by hand for each row.</summary>
    public static TheoryData<int, int, int, int, int> ConvSizes => new()
    {
        { 28, 4, 2, 1, 14 }, // DCGAN discriminator
        { 14, 4, 2, 1, 7 },
        { 28, 7, 1, 3, 28 }, // PixelCNN 7x7 "same"
        { 28, 3, 1, 1, 28 }, // PixelCNN 3x3 "same"
        { 7, 3, 2, 1, 4 },   // (7 + 2 - 3) / 2 + 1
        { 8, 3, 2, 1, 4 },   // (8 + 2 - 3) / 2 + 1 = 3 + 1: floor
        { 5, 5, 1, 0, 1 },
        { 3, 5, 2, 1, 1 },   // kernel equal to the padded input
        { 1, 1, 1, 3, 7 },   // padding wider than the kernel
    };

    [Theory]
    [MemberData(nameof(ConvSizes))]
    public void OutputSize_PyTorchFormula_Matches(int size, int kernel, int stride, int padding, int expected)
    {
        Assert.Equal((expected, expected), Conv2dKernels.OutputSize(size, size, kernel, kernel, stride, padding));
        Assert.Equal(expected, new Conv2dShape(1, 1, size, size + 1, 1, kernel, 1, stride, padding).OutHeight);
    }

    /// <summary>PyTorch's ConvTranspose2d: out = (in - 1) s - 2p + k + output_padding, evaluated by hand.</summary>
    public static TheoryData<int, int, int, int, int, int> TransposeSizes => new()
    {
        { 7, 4, 2, 1, 0, 14 },  // DCGAN generator
        { 14, 4, 2, 1, 0, 28 },
        { 4, 3, 2, 1, 0, 7 },
        { 4, 3, 2, 1, 1, 8 },
        { 3, 2, 3, 0, 2, 10 },  // 2 * 3 + 2 + 2
        { 1, 1, 1, 0, 0, 1 },
        { 5, 5, 1, 2, 0, 5 },
    };

    [Theory]
    [MemberData(nameof(TransposeSizes))]
    public void TransposeOutputSize_PyTorchFormula_Matches(int size, int kernel, int stride, int padding, int outputPadding, int expected)
    {
        Assert.Equal((expected, expected), Conv2dKernels.TransposeOutputSize(size, size, kernel, kernel, stride, padding, outputPadding));
        // The adjoint convolution maps the transposed output size back to the input size.
        Assert.Equal((size, size), Conv2dKernels.OutputSize(expected, expected, kernel, kernel, stride, padding));
    }

    /// <summary>(h, w, kH, kW, stride, padding) that are impossible, the argument the error must name, and a value it must quote.</summary>
    public static TheoryData<int, int, int, int, int, int, string, string> ImpossibleConvSizes => new()
    {
        { 3, 3, 7, 7, 1, 1, "kH", "kH = 7 is larger than the padded input height h + 2 * padding = 3 + 2 * 1 = 5" },
        { 8, 2, 3, 5, 1, 1, "kW", "kW = 5 is larger than the padded input width w + 2 * padding = 2 + 2 * 1 = 4" },
        { 8, 8, 3, 3, 0, 1, "stride", "stride must be >= 1, got 0" },
        { 8, 8, 3, 3, 1, -1, "padding", "padding must be >= 0, got -1" },
        { 0, 8, 3, 3, 1, 1, "h", "h must be >= 1, got 0" },
        { 8, -2, 3, 3, 1, 1, "w", "w must be >= 1, got -2" },
        { 8, 8, 0, 3, 1, 1, "kH", "kH must be >= 1, got 0" },
    };

    [Theory]
    [MemberData(nameof(ImpossibleConvSizes))]
    public void OutputSize_ImpossibleSizes_ThrowsNamingArgumentAndValues(int h, int w, int kH, int kW, int stride, int padding, string argument, string message)
    {
        var exception = Assert.Throws<ArgumentException>(() => Conv2dKernels.OutputSize(h, w, kH, kW, stride, padding));
        Assert.Equal(argument, exception.ParamName);
        Assert.Contains(message, exception.Message);
    }

    public static TheoryData<int, int, int, int, int, string, string> ImpossibleTransposeSizes => new()
    {
        { 4, 3, 2, 1, 2, "outputPadding", "outputPadding must be in [0, stride) = [0, 2), got 2" },
        { 4, 3, 2, 1, -1, "outputPadding", "got -1" },
        { 1, 1, 1, 1, 0, "padding", "(1 - 1) * 1 - 2 * 1 + 1 + 0 = -1 is not positive" },
        { 2, 3, 1, 3, 0, "padding", "(2 - 1) * 1 - 2 * 3 + 3 + 0 = -2 is not positive" },
        { 4, 3, 0, 1, 0, "stride", "stride must be >= 1, got 0" },
        { 4, 3, 2, -1, 0, "padding", "padding must be >= 0, got -1" },
    };

    [Theory]
    [MemberData(nameof(ImpossibleTransposeSizes))]
    public void TransposeOutputSize_ImpossibleSizes_ThrowsNamingArgumentAndValues(int size, int kernel, int stride, int padding, int outputPadding, string argument, string message)
    {
        var exception = Assert.Throws<ArgumentException>(() => Conv2dKernels.TransposeOutputSize(size, size, kernel, kernel, stride, padding, outputPadding));
        Assert.Equal(argument, exception.ParamName);
        Assert.Contains(message, exception.Message);
    }

    // ---- convolution ----

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_RandomInputs_MatchesDirectLoopReference(ConvCase testCase)
    {
        var shape = testCase.Shape;
        var random = new Generator(1);
        var input = Normal(random, shape.InputCount);
        var weight = Normal(random, shape.WeightCount);
        var bias = Normal(random, shape.OutChannels);
        var output = Garbage(shape.OutputCount);

        Conv2dKernels.Forward(input, weight, bias, output, shape);

        var expected = ConvReference.Forward(ToDouble(input), ToDouble(weight), ToDouble(bias), shape);
        var scale = ConvReference.Forward(Abs(input), Abs(weight), Abs(bias), shape);
        AssertClose(expected, output, scale, ProductSum, "output");

        Conv2dKernels.Forward(input, weight, ReadOnlySpan<float>.Empty, output, shape);
        expected = ConvReference.Forward(ToDouble(input), ToDouble(weight), null, shape);
        AssertClose(expected, output, scale, ProductSum, "output without bias");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void BackwardInput_RandomGradient_MatchesReferenceAndAdjointIdentity(ConvCase testCase)
    {
        var shape = testCase.Shape;
        var random = new Generator(2);
        var input = Normal(random, shape.InputCount);
        var weight = Normal(random, shape.WeightCount);
        var gradOutput = Normal(random, shape.OutputCount);
        var output = new float[shape.OutputCount];
        var gradInput = Garbage(shape.InputCount);

        Conv2dKernels.Forward(input, weight, ReadOnlySpan<float>.Empty, output, shape);
        Conv2dKernels.BackwardInput(gradOutput, weight, gradInput, shape);

        var expected = ConvReference.BackwardInput(ToDouble(gradOutput), ToDouble(weight), shape);
        var scale = ConvReference.BackwardInput(Abs(gradOutput), Abs(weight), shape);
        AssertClose(expected, gradInput, scale, ProductSum, "gradInput");
        // <conv(x), g> = <x, conv^T(g)>, both within the float error of their sums.
        var bound = Dot(ConvReference.Forward(Abs(input), Abs(weight), null, shape), Abs(gradOutput));
        AssertAdjoint(Dot(output, gradOutput), Dot(input, gradInput), bound);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void BackwardWeight_RandomGradient_MatchesReferenceAndAdjointIdentity(ConvCase testCase)
    {
        var shape = testCase.Shape;
        var random = new Generator(3);
        var input = Normal(random, shape.InputCount);
        var weight = Normal(random, shape.WeightCount);
        var bias = Normal(random, shape.OutChannels);
        var gradOutput = Normal(random, shape.OutputCount);
        var output = new float[shape.OutputCount];
        var gradWeight = Garbage(shape.WeightCount);
        var gradBias = Garbage(shape.OutChannels);

        Conv2dKernels.Forward(input, weight, bias, output, shape);
        Conv2dKernels.BackwardWeight(gradOutput, input, gradWeight, gradBias, shape);

        var expected = ConvReference.BackwardWeight(ToDouble(gradOutput), ToDouble(input), shape);
        var scale = ConvReference.BackwardWeight(Abs(gradOutput), Abs(input), shape);
        AssertClose(expected, gradWeight, scale, ProductSum, "gradWeight");
        var pixels = shape.OutHeight * shape.OutWidth;
        var expectedBias = ConvReference.SumPerChannel(ToDouble(gradOutput), shape.Batch, shape.OutChannels, pixels);
        AssertClose(expectedBias, gradBias, ConvReference.SumPerChannel(Abs(gradOutput), shape.Batch, shape.OutChannels, pixels), ProductSum, "gradBias");
        // <conv_w(x) + b, g> = <w, gradWeight> + <b, gradBias>: the output is linear in (w, b).
        var bound = Dot(ConvReference.Forward(Abs(input), Abs(weight), Abs(bias), shape), Abs(gradOutput));
        AssertAdjoint(Dot(output, gradOutput), Dot(weight, gradWeight) + Dot(bias, gradBias), bound);
    }

    [Theory]
    [MemberData(nameof(SmallCases))]
    public void Backward_SmallCase_MatchesFiniteDifferencesOfReference(ConvCase testCase)
    {
        var shape = testCase.Shape;
        var random = new Generator(4);
        var input = Normal(random, shape.InputCount);
        var weight = Normal(random, shape.WeightCount);
        var bias = Normal(random, shape.OutChannels);
        var gradOutput = Normal(random, shape.OutputCount);
        var gradInput = new float[shape.InputCount];
        var gradWeight = new float[shape.WeightCount];
        var gradBias = new float[shape.OutChannels];
        Conv2dKernels.BackwardInput(gradOutput, weight, gradInput, shape);
        Conv2dKernels.BackwardWeight(gradOutput, input, gradWeight, gradBias, shape);

        // loss(x, w, b) = <reference conv(x, w, b), g>, in double.
        double[] x = ToDouble(input), w = ToDouble(weight), b = ToDouble(bias), g = ToDouble(gradOutput);
        double Loss() => Dot(ConvReference.Forward(x, w, b, shape), g);
        var pixels = shape.OutHeight * shape.OutWidth;

        AssertClose(CentralDifferences(x, Loss), gradInput, ConvReference.BackwardInput(Abs(gradOutput), Abs(weight), shape), ProductSum, "gradInput");
        AssertClose(CentralDifferences(w, Loss), gradWeight, ConvReference.BackwardWeight(Abs(gradOutput), Abs(input), shape), ProductSum, "gradWeight");
        AssertClose(CentralDifferences(b, Loss), gradBias, ConvReference.SumPerChannel(Abs(gradOutput), shape.Batch, shape.OutChannels, pixels), ProductSum, "gradBias");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Im2ColAccumulate_RandomColumns_IsAdjointOfPack(ConvCase testCase)
    {
        var shape = testCase.Shape;
        var random = new Generator(5);
        var image = Normal(random, (long)shape.InChannels * shape.Height * shape.Width);
        int rows = shape.InChannels * shape.KernelH * shape.KernelW, pixels = shape.OutHeight * shape.OutWidth;
        int ld = pixels + 3; // a leading dimension wider than the matrix
        var columns = Normal(random, (long)rows * ld);
        var packed = Garbage((long)rows * ld);
        var accumulated = new float[image.Length];

        Im2Col.Pack(image, packed, ld, shape);
        Im2Col.Accumulate(columns, ld, accumulated, shape);

        double left = 0, bound = 0;
        for (int r = 0; r < rows; r++)
            for (int q = 0; q < pixels; q++)
            {
                left += (double)packed[r * ld + q] * columns[r * ld + q];
                bound += Math.Abs((double)packed[r * ld + q] * columns[r * ld + q]);
            }
        // Pack copies exactly, so the only rounding is Accumulate's float sums of kH * kW terms at most.
        AssertAdjoint(left, Dot(image, accumulated), bound);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Im2ColPack_RandomImage_CopiesEveryEntryExactly(ConvCase testCase)
    {
        var shape = testCase.Shape;
        var image = Normal(new Generator(9), (long)shape.InChannels * shape.Height * shape.Width);
        int rows = shape.InChannels * shape.KernelH * shape.KernelW, pixels = shape.OutHeight * shape.OutWidth, ld = pixels + 5;
        var columns = Garbage((long)rows * ld);

        Im2Col.Pack(image, columns, ld, shape);

        for (int c = 0, r = 0; c < shape.InChannels; c++)
            for (int i = 0; i < shape.KernelH; i++)
                for (int j = 0; j < shape.KernelW; j++, r++)
                    for (int oy = 0, q = 0; oy < shape.OutHeight; oy++)
                        for (int ox = 0; ox < shape.OutWidth; ox++, q++)
                        {
                            int y = oy * shape.Stride - shape.Padding + i, x = ox * shape.Stride - shape.Padding + j;
                            bool inside = (uint)y < (uint)shape.Height && (uint)x < (uint)shape.Width;
                            float expected = inside ? image[(c * shape.Height + y) * shape.Width + x] : 0f;
                            if (columns[r * ld + q].Equals(expected)) continue;
                            Assert.Fail($"{shape}: columns[{r}, {q}] (c {c}, i {i}, j {j}, oy {oy}, ox {ox}) = {columns[r * ld + q]}, expected {expected}.");
                        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Im2ColAccumulate_RandomColumns_EqualsFloatSumsInRowOrder(ConvCase testCase)
    {
        var shape = testCase.Shape;
        var random = new Generator(10);
        int rows = shape.InChannels * shape.KernelH * shape.KernelW, pixels = shape.OutHeight * shape.OutWidth, ld = pixels + 2;
        var columns = Normal(random, (long)rows * ld);
        var image = new float[(long)shape.InChannels * shape.Height * shape.Width];
        // col2im adds a pixel's entries in the order of the rows r: the same float sums from zero, so the same bits.
        var expected = new float[image.Length];
        for (int c = 0, r = 0; c < shape.InChannels; c++)
            for (int i = 0; i < shape.KernelH; i++)
                for (int j = 0; j < shape.KernelW; j++, r++)
                    for (int oy = 0, q = 0; oy < shape.OutHeight; oy++)
                        for (int ox = 0; ox < shape.OutWidth; ox++, q++)
                        {
                            int y = oy * shape.Stride - shape.Padding + i, x = ox * shape.Stride - shape.Padding + j;
                            if ((uint)y < (uint)shape.Height && (uint)x < (uint)shape.Width)
                                expected[(c * shape.Height + y) * shape.Width + x] += columns[r * ld + q];
                        }

        Im2Col.Accumulate(columns, ld, image, shape);

        AssertSameBits(expected, image, $"{shape}: image");
    }

    [Theory]
    [MemberData(nameof(BitCases))]
    public void ForwardAndBackwardInput_LargeBatch_SameBitsAsImageByImage(ConvCase testCase)
    {
        var shape = testCase.Shape;
        var random = new Generator(11);
        var input = Normal(random, shape.InputCount);
        var weight = Normal(random, shape.WeightCount);
        var gradOutput = Normal(random, shape.OutputCount);
        var output = Garbage(shape.OutputCount);
        var gradInput = Garbage(shape.InputCount);
        Conv2dKernels.Forward(input, weight, ReadOnlySpan<float>.Empty, output, shape);
        Conv2dKernels.BackwardInput(gradOutput, weight, gradInput, shape);

        // One image at a time, the products go straight into place: no chunks, no wide matrix. The blocked GEMM sums
        // each entry over k in the same order whatever n, so the bits agree when one image's products take it too.
        var one = shape with { Batch = 1 };
        int rows = shape.InChannels * shape.KernelH * shape.KernelW, pixels = shape.OutHeight * shape.OutWidth;
        Assert.True(Gemm.TakesBlockedPath(shape.OutChannels, pixels, rows) && Gemm.TakesBlockedPath(rows, pixels, shape.OutChannels),
            $"{shape}: one image's products are too small for the blocked GEMM; pick a larger case.");
        int imageSize = (int)one.InputCount, outputSize = (int)one.OutputCount;
        var expectedOutput = new float[shape.OutputCount];
        var expectedGradInput = new float[shape.InputCount];
        for (int n = 0; n < shape.Batch; n++)
        {
            Conv2dKernels.Forward(input.AsSpan(n * imageSize, imageSize), weight, ReadOnlySpan<float>.Empty, expectedOutput.AsSpan(n * outputSize, outputSize), one);
            Conv2dKernels.BackwardInput(gradOutput.AsSpan(n * outputSize, outputSize), weight, expectedGradInput.AsSpan(n * imageSize, imageSize), one);
        }

        AssertSameBits(expectedOutput, output, $"{shape}: output");
        AssertSameBits(expectedGradInput, gradInput, $"{shape}: gradInput");
    }

    [Theory]
    [MemberData(nameof(BitCases))]
    public void BackwardWeight_AnyKernelWidth_SameBitsAsStoredColumnsProduct(ConvCase testCase)
    {
        var shape = testCase.Shape;
        var random = new Generator(12);
        var input = Normal(random, shape.InputCount);
        var gradOutput = Normal(random, shape.OutputCount);
        var gradWeight = Garbage(shape.WeightCount);
        Conv2dKernels.BackwardWeight(gradOutput, input, gradWeight, Span<float>.Empty, shape);

        // The product the kernel stands for: per chunk of the column limit, gradOutput (O, count * pixels) times the
        // stored im2col matrix transposed, summed into gradWeight chunk after chunk.
        int rows = shape.InChannels * shape.KernelH * shape.KernelW, pixels = shape.OutHeight * shape.OutWidth;
        int imageSize = (int)(shape with { Batch = 1 }).InputCount, outputSize = shape.OutChannels * pixels;
        int chunk = (int)Math.Max(1, Math.Min(shape.Batch, Conv2dKernels.MaxColumnFloats / ((long)rows * pixels)));
        var expected = new float[shape.WeightCount];
        for (int start = 0; start < shape.Batch; start += chunk)
        {
            int count = Math.Min(chunk, shape.Batch - start), width = count * pixels;
            var columns = new float[rows * width];
            var wide = new float[shape.OutChannels * width];
            for (int b = 0; b < count; b++)
            {
                Im2Col.Pack(input.AsSpan((start + b) * imageSize, imageSize), columns.AsSpan(b * pixels), width, shape);
                for (int o = 0; o < shape.OutChannels; o++)
                    gradOutput.AsSpan((start + b) * outputSize + o * pixels, pixels).CopyTo(wide.AsSpan(o * width + b * pixels));
            }
            Gemm.Multiply(false, true, shape.OutChannels, rows, width, 1f, wide, width, columns, width, start == 0 ? 0f : 1f, expected, rows);
        }

        AssertSameBits(expected, gradWeight, $"{shape}: gradWeight");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    [MemberData(nameof(BitCases))]
    public void Backward_BothGradients_SameBitsAsSeparateKernels(ConvCase testCase)
    {
        var shape = testCase.Shape;
        AssertOnePassSameBits(shape.ToString(), shape.InputCount, shape.WeightCount, shape.OutputCount, shape.OutChannels,
            (gy, x, w, gx, gw, gb) =>
            {
                Conv2dKernels.BackwardInput(gy, w, gx, shape);
                Conv2dKernels.BackwardWeight(gy, x, gw, gb, shape);
            },
            (gy, x, w, gx, gw, gb) => Conv2dKernels.Backward(gy, x, w, gx, gw, gb, shape));
    }

    [Theory]
    [MemberData(nameof(TransposeCases))]
    [MemberData(nameof(TransposeBitCases))]
    public void TransposeBackward_BothGradients_SameBitsAsSeparateKernels(TransposeCase testCase)
    {
        var shape = testCase.Shape;
        AssertOnePassSameBits(shape.ToString(), shape.InputCount, shape.WeightCount, shape.OutputCount, shape.OutChannels,
            (gy, x, w, gx, gw, gb) =>
            {
                Conv2dKernels.TransposeBackwardInput(gy, w, gx, shape);
                Conv2dKernels.TransposeBackwardWeight(gy, x, gw, gb, shape);
            },
            (gy, x, w, gx, gw, gb) => Conv2dKernels.TransposeBackward(gy, x, w, gx, gw, gb, shape));
    }

    /// <summary>Runs the separate gradient kernels and the one-pass kernel, (gradOutput, input, weight, gradInput,
    /// gradWeight, gradBias), on the same random operands and compares the three gradients bit for bit.</summary>
    private static void AssertOnePassSameBits(string what, long inputCount, long weightCount, long outputCount, int biasCount,
        Action<float[], float[], float[], float[], float[], float[]> separate, Action<float[], float[], float[], float[], float[], float[]> onePass)
    {
        var random = new Generator(13);
        var input = Normal(random, inputCount);
        var weight = Normal(random, weightCount);
        var gradOutput = Normal(random, outputCount);
        float[] expectedInput = Garbage(inputCount), expectedWeight = Garbage(weightCount), expectedBias = Garbage(biasCount);
        float[] gradInput = Garbage(inputCount), gradWeight = Garbage(weightCount), gradBias = Garbage(biasCount);

        separate(gradOutput, input, weight, expectedInput, expectedWeight, expectedBias);
        onePass(gradOutput, input, weight, gradInput, gradWeight, gradBias);

        AssertSameBits(expectedInput, gradInput, $"{what}: gradInput");
        AssertSameBits(expectedWeight, gradWeight, $"{what}: gradWeight");
        AssertSameBits(expectedBias, gradBias, $"{what}: gradBias");
    }

    [Fact]
    public void Backward_GradInputTooShort_ThrowsNamingArgumentAndShape()
    {
        var shape = new Conv2dShape(2, 3, 8, 8, 4, 3, 3, 1, 1);
        var exception = Assert.Throws<ArgumentException>(() => Conv2dKernels.Backward(
            new float[shape.OutputCount], new float[shape.InputCount], new float[shape.WeightCount],
            new float[shape.InputCount - 1], new float[shape.WeightCount], Span<float>.Empty, shape));
        Assert.Equal("gradInput", exception.ParamName);
        Assert.Contains($"has {shape.InputCount - 1} elements but {shape} needs {shape.InputCount}", exception.Message);
    }

    [Fact]
    public void Forward_WrongSpanLength_ThrowsNamingArgumentAndShape()
    {
        var shape = new Conv2dShape(2, 3, 5, 5, 4, 3, 3, 1, 1);
        var exception = Assert.Throws<ArgumentException>(() =>
            Conv2dKernels.Forward(new float[10], new float[shape.WeightCount], ReadOnlySpan<float>.Empty, new float[shape.OutputCount], shape));
        Assert.Equal("input", exception.ParamName);
        Assert.Contains("input has 10 elements but", exception.Message);
        Assert.Contains("needs 150", exception.Message);

        exception = Assert.Throws<ArgumentException>(() =>
            Conv2dKernels.Forward(new float[shape.InputCount], new float[shape.WeightCount], new float[3], new float[shape.OutputCount], shape));
        Assert.Equal("bias", exception.ParamName);

        exception = Assert.Throws<ArgumentException>(() =>
            Conv2dKernels.BackwardWeight(new float[shape.OutputCount], new float[shape.InputCount], new float[shape.WeightCount + 1], Span<float>.Empty, shape));
        Assert.Equal("gradWeight", exception.ParamName);
    }

    [Fact]
    public void Forward_KernelLargerThanPaddedInput_ThrowsNamingKernel()
    {
        var shape = new Conv2dShape(1, 1, 3, 3, 1, 7, 7, 1, 1);
        var exception = Assert.Throws<ArgumentException>(() =>
            Conv2dKernels.Forward(new float[9], new float[49], ReadOnlySpan<float>.Empty, new float[1], shape));
        Assert.Equal("kH", exception.ParamName);
        Assert.Contains("kH = 7", exception.Message);
    }

    [Fact]
    public void BackwardWeight_EmptyBatch_WritesZeros()
    {
        var shape = new Conv2dShape(0, 2, 4, 4, 3, 3, 3, 1, 1);
        var gradWeight = Garbage(shape.WeightCount);
        var gradBias = Garbage(3);
        Conv2dKernels.BackwardWeight(ReadOnlySpan<float>.Empty, ReadOnlySpan<float>.Empty, gradWeight, gradBias, shape);
        Assert.All(gradWeight, value => Assert.Equal(0f, value));
        Assert.All(gradBias, value => Assert.Equal(0f, value));
    }

    // ---- transposed convolution ----

    [Theory]
    [MemberData(nameof(TransposeCases))]
    public void TransposeForward_RandomInputs_MatchesScatterReference(TransposeCase testCase)
    {
        var shape = testCase.Shape;
        var random = new Generator(6);
        var input = Normal(random, shape.InputCount);
        var weight = Normal(random, shape.WeightCount);
        var bias = Normal(random, shape.OutChannels);
        var output = Garbage(shape.OutputCount);

        Conv2dKernels.TransposeForward(input, weight, bias, output, shape);

        var expected = ConvReference.TransposeForward(ToDouble(input), ToDouble(weight), ToDouble(bias), shape);
        var scale = ConvReference.TransposeForward(Abs(input), Abs(weight), Abs(bias), shape);
        AssertClose(expected, output, scale, ProductSum, "output");
    }

    [Theory]
    [MemberData(nameof(TransposeCases))]
    public void TransposeForward_NoBias_EqualsConvBackwardInputOfAdjoint(TransposeCase testCase)
    {
        var shape = testCase.Shape;
        var random = new Generator(7);
        var input = Normal(random, shape.InputCount);
        var weight = Normal(random, shape.WeightCount);
        var transposed = new float[shape.OutputCount];
        var backward = new float[shape.OutputCount];

        Conv2dKernels.TransposeForward(input, weight, ReadOnlySpan<float>.Empty, transposed, shape);
        Conv2dKernels.BackwardInput(input, weight, backward, shape.Adjoint);

        Assert.Equal(backward, transposed);
    }

    [Theory]
    [MemberData(nameof(TransposeCases))]
    public void TransposeBackward_RandomGradient_MatchesReferenceAndAdjointIdentity(TransposeCase testCase)
    {
        var shape = testCase.Shape;
        var random = new Generator(8);
        var input = Normal(random, shape.InputCount);
        var weight = Normal(random, shape.WeightCount);
        var bias = Normal(random, shape.OutChannels);
        var gradOutput = Normal(random, shape.OutputCount);
        var output = new float[shape.OutputCount];
        var gradInput = Garbage(shape.InputCount);
        var gradWeight = Garbage(shape.WeightCount);
        var gradBias = Garbage(shape.OutChannels);

        Conv2dKernels.TransposeForward(input, weight, bias, output, shape);
        Conv2dKernels.TransposeBackwardInput(gradOutput, weight, gradInput, shape);
        Conv2dKernels.TransposeBackwardWeight(gradOutput, input, gradWeight, gradBias, shape);

        // The input gradient of the scatter is the gather: the convolution of gradOutput with the same weight.
        var expectedInput = ConvReference.Forward(ToDouble(gradOutput), ToDouble(weight), null, shape.Adjoint);
        AssertClose(expectedInput, gradInput, ConvReference.Forward(Abs(gradOutput), Abs(weight), null, shape.Adjoint), ProductSum, "gradInput");
        var bound = Dot(ConvReference.TransposeForward(Abs(input), Abs(weight), Abs(bias), shape), Abs(gradOutput));
        // Linear in x: <convT(x) + b, g> = <x, gradInput> + <b, gradBias>; linear in (w, b): = <w, gradWeight> + <b, gradBias>.
        AssertAdjoint(Dot(output, gradOutput), Dot(input, gradInput) + Dot(bias, gradBias), bound);
        AssertAdjoint(Dot(output, gradOutput), Dot(weight, gradWeight) + Dot(bias, gradBias), bound);
    }

    [Theory]
    [MemberData(nameof(SmallTransposeCases))]
    public void TransposeBackward_SmallCase_MatchesFiniteDifferencesOfReference(TransposeCase testCase)
    {
        var shape = testCase.Shape;
        var random = new Generator(9);
        var input = Normal(random, shape.InputCount);
        var weight = Normal(random, shape.WeightCount);
        var bias = Normal(random, shape.OutChannels);
        var gradOutput = Normal(random, shape.OutputCount);
        var gradInput = new float[shape.InputCount];
        var gradWeight = new float[shape.WeightCount];
        var gradBias = new float[shape.OutChannels];
        Conv2dKernels.TransposeBackwardInput(gradOutput, weight, gradInput, shape);
        Conv2dKernels.TransposeBackwardWeight(gradOutput, input, gradWeight, gradBias, shape);

        double[] x = ToDouble(input), w = ToDouble(weight), b = ToDouble(bias), g = ToDouble(gradOutput);
        double Loss() => Dot(ConvReference.TransposeForward(x, w, b, shape), g);
        // Error scales: the same sums taken over absolute values (the adjoint convolution's loops visit the same products).
        var pixels = shape.OutHeight * shape.OutWidth;
        var inputScale = ConvReference.Forward(Abs(gradOutput), Abs(weight), null, shape.Adjoint);
        var weightScale = ConvReference.BackwardWeight(Abs(input), Abs(gradOutput), shape.Adjoint);
        var biasScale = ConvReference.SumPerChannel(Abs(gradOutput), shape.Batch, shape.OutChannels, pixels);

        AssertClose(CentralDifferences(x, Loss), gradInput, inputScale, ProductSum, "gradInput");
        AssertClose(CentralDifferences(w, Loss), gradWeight, weightScale, ProductSum, "gradWeight");
        AssertClose(CentralDifferences(b, Loss), gradBias, biasScale, ProductSum, "gradBias");
    }

    [Fact]
    public void TransposeForward_WrongOutputLength_ThrowsNamingArgumentAndShape()
    {
        var shape = new ConvTranspose2dShape(1, 2, 4, 4, 3, 3, 3, 2, 1, 1); // output 8 x 8
        var exception = Assert.Throws<ArgumentException>(() =>
            Conv2dKernels.TransposeForward(new float[shape.InputCount], new float[shape.WeightCount], ReadOnlySpan<float>.Empty, new float[3 * 7 * 7], shape));
        Assert.Equal("output", exception.ParamName);
        Assert.Contains("needs 192", exception.Message);
        Assert.Contains("output padding 1", exception.Message);
    }

    // ---- helpers ----

    internal static float[] Normal(Generator random, long count)
    {
        var values = new float[count];
        for (int i = 0; i < values.Length; i++) values[i] = (float)random.Normal();
        return values;
    }

    /// <summary>A destination pre-filled with NaN, so that a kernel that accumulates instead of overwriting fails.</summary>
    private static float[] Garbage(long count) => Enumerable.Repeat(float.NaN, (int)count).ToArray();

    internal static double[] ToDouble(float[] values) => values.Select(v => (double)v).ToArray();

    private static double[] Abs(float[] values) => values.Select(v => Math.Abs((double)v)).ToArray();

    private static double Dot(float[] a, float[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += (double)a[i] * b[i];
        return sum;
    }

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    private static double[] CentralDifferences(double[] values, Func<double> loss) =>
        GradientCheck.CentralDifferences(values, loss, FiniteDifferenceStep);

    /// <summary>|actual[i] - expected[i]| &lt;= tolerance * scale[i] (+ a denormal floor) for every i.</summary>
    internal static void AssertClose(double[] expected, float[] actual, double[] scale, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            var allowed = tolerance * scale[i] + 1e-30;
            if (!(Math.Abs(actual[i] - expected[i]) <= allowed))
                Assert.Fail($"{what}[{i}] = {actual[i]} but the reference gives {expected[i]} (allowed error {allowed:g3}).");
        }
    }

    /// <summary>Equal bit for bit (NaN garbage left in <paramref name="actual"/> fails too); names the first difference.</summary>
    private static void AssertSameBits(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
                Assert.Fail($"{what}[{i}] = {actual[i]:R}, expected {expected[i]:R} bit for bit.");
    }

    private static void AssertAdjoint(double left, double right, double bound) =>
        Assert.True(Math.Abs(left - right) <= ProductSum * bound,
            $"adjoint identity: {left} vs {right} differ by {Math.Abs(left - right):g3}, more than {ProductSum} x {bound:g3}");
}

/// <summary>Direct loop implementations in double precision, straight from the definitions.</summary>
internal static class ConvReference
{
    /// <summary>output[n, o, y, x] = bias[o] + sum over c, i, j of input[n, c, y s - p + i, x s - p + j] weight[o, c, i, j].</summary>
    public static double[] Forward(double[] input, double[] weight, double[]? bias, Conv2dShape s)
    {
        var output = new double[s.OutputCount];
        int pixels = s.OutHeight * s.OutWidth;
        if (bias is not null)
            for (int q = 0; q < output.Length; q++) output[q] = bias[q / pixels % s.OutChannels];
        ForEachProduct(s, (inputIndex, weightIndex, outputIndex) => output[outputIndex] += input[inputIndex] * weight[weightIndex]);
        return output;
    }

    /// <summary>gradInput[n, c, y s - p + i, x s - p + j] += gradOutput[n, o, y, x] weight[o, c, i, j].</summary>
    public static double[] BackwardInput(double[] gradOutput, double[] weight, Conv2dShape s)
    {
        var gradInput = new double[s.InputCount];
        ForEachProduct(s, (inputIndex, weightIndex, outputIndex) => gradInput[inputIndex] += gradOutput[outputIndex] * weight[weightIndex]);
        return gradInput;
    }

    /// <summary>gradWeight[o, c, i, j] = sum over n, y, x of gradOutput[n, o, y, x] input[n, c, y s - p + i, x s - p + j].</summary>
    public static double[] BackwardWeight(double[] gradOutput, double[] input, Conv2dShape s)
    {
        var gradWeight = new double[s.WeightCount];
        ForEachProduct(s, (inputIndex, weightIndex, outputIndex) => gradWeight[weightIndex] += gradOutput[outputIndex] * input[inputIndex]);
        return gradWeight;
    }

    /// <summary>Every product of the definition, straight from it in seven loops: calls
    /// <paramref name="visit"/>(index of input[n, c, y s - p + i, x s - p + j], index of weight[o, c, i, j], index of
    /// output[n, o, y, x]) for each n, o, y, x, c, i, j (in that order) whose input pixel lies inside the image.</summary>
    private static void ForEachProduct(Conv2dShape s, Action<int, int, int> visit)
    {
        int outH = s.OutHeight, outW = s.OutWidth;
        for (int n = 0; n < s.Batch; n++)
            for (int o = 0; o < s.OutChannels; o++)
                for (int y = 0; y < outH; y++)
                    for (int x = 0; x < outW; x++)
                        for (int c = 0; c < s.InChannels; c++)
                            for (int i = 0; i < s.KernelH; i++)
                                for (int j = 0; j < s.KernelW; j++)
                                {
                                    int iy = y * s.Stride - s.Padding + i, ix = x * s.Stride - s.Padding + j;
                                    if (iy < 0 || iy >= s.Height || ix < 0 || ix >= s.Width) continue;
                                    visit(((n * s.InChannels + c) * s.Height + iy) * s.Width + ix,
                                        ((o * s.InChannels + c) * s.KernelH + i) * s.KernelW + j,
                                        ((n * s.OutChannels + o) * outH + y) * outW + x);
                                }
    }

    /// <summary>PyTorch's conv_transpose2d by its definition as a scatter:
    /// output[n, o, y s - p + i, x s - p + j] += input[n, c, y, x] weight[c, o, i, j], plus bias[o].</summary>
    public static double[] TransposeForward(double[] input, double[] weight, double[]? bias, ConvTranspose2dShape s)
    {
        int outH = s.OutHeight, outW = s.OutWidth;
        var output = new double[s.OutputCount];
        for (int n = 0; n < s.Batch; n++)
        {
            if (bias is not null)
                for (int o = 0; o < s.OutChannels; o++)
                    for (int q = 0; q < outH * outW; q++) output[(n * s.OutChannels + o) * outH * outW + q] = bias[o];
            for (int c = 0; c < s.InChannels; c++)
                for (int y = 0; y < s.Height; y++)
                    for (int x = 0; x < s.Width; x++)
                    {
                        var value = input[((n * s.InChannels + c) * s.Height + y) * s.Width + x];
                        for (int o = 0; o < s.OutChannels; o++)
                            for (int i = 0; i < s.KernelH; i++)
                                for (int j = 0; j < s.KernelW; j++)
                                {
                                    int oy = y * s.Stride - s.Padding + i, ox = x * s.Stride - s.Padding + j;
                                    if (oy < 0 || oy >= outH || ox < 0 || ox >= outW) continue;
                                    output[((n * s.OutChannels + o) * outH + oy) * outW + ox] += value * weight[((c * s.OutChannels + o) * s.KernelH + i) * s.KernelW + j];
                                }
                    }
        }
        return output;
    }

    /// <summary>sum over n and q of values[n, o, q], per channel o.</summary>
    public static double[] SumPerChannel(double[] values, int batch, int channels, int pixels)
    {
        var sums = new double[channels];
        for (int n = 0; n < batch; n++)
            for (int o = 0; o < channels; o++)
                for (int q = 0; q < pixels; q++) sums[o] += values[(n * channels + o) * pixels + q];
        return sums;
    }
}

/// <summary>A row of the convolution tables, serializable so that each row shows as its own test.</summary>
public sealed class ConvCase : IXunitSerializable
{
    public ConvCase() { }

    public ConvCase(int batch, int inChannels, int height, int width, int outChannels, int kernelH, int kernelW, int stride, int padding) =>
        Shape = new Conv2dShape(batch, inChannels, height, width, outChannels, kernelH, kernelW, stride, padding);

    public Conv2dShape Shape { get; private set; }

    public void Deserialize(IXunitSerializationInfo info)
    {
        var v = info.GetValue<int[]>("shape");
        Shape = new Conv2dShape(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]);
    }

    public void Serialize(IXunitSerializationInfo info)
    {
        var s = Shape;
        info.AddValue("shape", new[] { s.Batch, s.InChannels, s.Height, s.Width, s.OutChannels, s.KernelH, s.KernelW, s.Stride, s.Padding });
    }

    public override string ToString() => Shape.ToString();
}

/// <summary>A row of the transposed-convolution tables.</summary>
public sealed class TransposeCase : IXunitSerializable
{
    public TransposeCase() { }

    public TransposeCase(int batch, int inChannels, int height, int width, int outChannels, int kernelH, int kernelW, int stride, int padding, int outputPadding) =>
        Shape = new ConvTranspose2dShape(batch, inChannels, height, width, outChannels, kernelH, kernelW, stride, padding, outputPadding);

    public ConvTranspose2dShape Shape { get; private set; }

    public void Deserialize(IXunitSerializationInfo info)
    {
        var v = info.GetValue<int[]>("shape");
        Shape = new ConvTranspose2dShape(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]);
    }

    public void Serialize(IXunitSerializationInfo info)
    {
        var s = Shape;
        info.AddValue("shape", new[] { s.Batch, s.InChannels, s.Height, s.Width, s.OutChannels, s.KernelH, s.KernelW, s.Stride, s.Padding, s.OutputPadding });
    }

    public override string ToString() => Shape.ToString();
}
