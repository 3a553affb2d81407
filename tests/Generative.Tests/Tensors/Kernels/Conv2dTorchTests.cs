using System.Globalization;
using System.Runtime.InteropServices;
using Generative.Tensors.Kernels;
using Generative.Tests.Data;

namespace Generative.Tests.Tensors.Kernels;

/// <summary>
/// Conv2dKernels against PyTorch itself (Debian's python3-torch under /usr/bin/python3): forward outputs and
/// autograd gradients of <c>torch.nn.functional.conv2d</c> and <c>conv_transpose2d</c>, which pins the
/// conventions (cross-correlation, the (C_in, C_out, kH, kW) transposed weight, output_padding) to the library
/// the course's learners move on to. Skipped with the reason when torch is not importable.
/// </summary>
public class Conv2dTorchTests
{
    /// <summary>Two float32 computations of the same sums, each within 1e-5 of the sum of |terms| of the exact value
    /// (see Conv2dKernelsTests.ProductSum), differ by at most twice that.</summary>
    private const double TwoFloatSums = 2e-5;

    private static readonly ConvCase[] ConvCases =
    [
        new(2, 3, 7, 7, 4, 3, 3, 1, 1),
        new(2, 2, 9, 7, 3, 5, 5, 2, 2),
        new(2, 1, 28, 28, 16, 4, 4, 2, 1),
        new(1, 4, 28, 28, 4, 7, 7, 1, 3),
        new(3, 3, 6, 5, 2, 3, 2, 2, 0),
    ];

    private static readonly TransposeCase[] TransposeCases =
    [
        new(2, 3, 4, 4, 2, 3, 3, 2, 1, 1),
        new(2, 16, 7, 7, 8, 4, 4, 2, 1, 0),
        new(2, 8, 14, 14, 1, 4, 4, 2, 1, 0),
        new(1, 2, 3, 5, 3, 3, 2, 3, 0, 2),
    ];

    /// <summary>Reads case files named in argv[1]'s manifest, runs PyTorch forward and backward (with the given
    /// output gradient), and writes the output and the three gradients beside them as raw little-endian float32.</summary>
    private const string Script = """
        import sys, numpy as np, torch
        import torch.nn.functional as F
        torch.set_num_threads(1)
        def load(path, shape):
            return torch.from_numpy(np.fromfile(path, dtype='<f4').reshape(shape).copy())
        for line in open(sys.argv[1]):
            kind, prefix, *numbers = line.split()
            n, cin, h, w, cout, kh, kw, s, p, op = map(int, numbers)
            x = load(prefix + '.x', (n, cin, h, w)).requires_grad_()
            wshape = (cout, cin, kh, kw) if kind == 'conv' else (cin, cout, kh, kw)
            weight = load(prefix + '.w', wshape).requires_grad_()
            bias = load(prefix + '.b', (cout,)).requires_grad_()
            if kind == 'conv':
                y = F.conv2d(x, weight, bias, stride=s, padding=p)
            else:
                y = F.conv_transpose2d(x, weight, bias, stride=s, padding=p, output_padding=op)
            g = load(prefix + '.g', tuple(y.shape))
            (y * g).sum().backward()
            for suffix, t in (('.y', y), ('.gx', x.grad), ('.gw', weight.grad), ('.gb', bias.grad)):
                t.detach().numpy().astype('<f4').tofile(prefix + suffix)
        """;

    [TorchFact]
    public void Kernels_CourseAndOddShapes_MatchPyTorchForwardAndAutograd()
    {
        if (TorchFactAttribute.Missing.Value is { } missing) Assert.Fail(missing); // reached only when required
        using var folder = new TemporaryDirectory();
        var random = new Generator(21);
        var manifest = new List<string>();
        var checks = new List<Action>();

        foreach (var (testCase, index) in ConvCases.Select((c, i) => (c, i)))
        {
            var s = testCase.Shape;
            var prefix = folder.File($"conv{index}");
            var (x, w, b, g) = WriteInputs(prefix, random, s.InputCount, s.WeightCount, s.OutChannels, s.OutputCount);
            manifest.Add(string.Join(' ', "conv", prefix, s.Batch, s.InChannels, s.Height, s.Width, s.OutChannels, s.KernelH, s.KernelW, s.Stride, s.Padding, 0));
            checks.Add(() =>
            {
                var y = new float[s.OutputCount];
                var gx = new float[s.InputCount];
                var gw = new float[s.WeightCount];
                var gb = new float[s.OutChannels];
                Conv2dKernels.Forward(x, w, b, y, s);
                Conv2dKernels.BackwardInput(g, w, gx, s);
                Conv2dKernels.BackwardWeight(g, x, gw, gb, s);
                var (ax, aw, ab, ag) = (Abs(x), Abs(w), Abs(b), Abs(g));
                Compare(prefix, s.ToString(), (".y", y, ConvReference.Forward(ax, aw, ab, s)),
                    (".gx", gx, ConvReference.BackwardInput(ag, aw, s)),
                    (".gw", gw, ConvReference.BackwardWeight(ag, ax, s)),
                    (".gb", gb, ConvReference.SumPerChannel(ag, s.Batch, s.OutChannels, s.OutHeight * s.OutWidth)));
            });
        }
        foreach (var (testCase, index) in TransposeCases.Select((c, i) => (c, i)))
        {
            var s = testCase.Shape;
            var prefix = folder.File($"transpose{index}");
            var (x, w, b, g) = WriteInputs(prefix, random, s.InputCount, s.WeightCount, s.OutChannels, s.OutputCount);
            manifest.Add(string.Join(' ', "transpose", prefix, s.Batch, s.InChannels, s.Height, s.Width, s.OutChannels, s.KernelH, s.KernelW, s.Stride, s.Padding, s.OutputPadding));
            checks.Add(() =>
            {
                var y = new float[s.OutputCount];
                var gx = new float[s.InputCount];
                var gw = new float[s.WeightCount];
                var gb = new float[s.OutChannels];
                Conv2dKernels.TransposeForward(x, w, b, y, s);
                Conv2dKernels.TransposeBackwardInput(g, w, gx, s);
                Conv2dKernels.TransposeBackwardWeight(g, x, gw, gb, s);
                var (ax, aw, ab, ag) = (Abs(x), Abs(w), Abs(b), Abs(g));
                Compare(prefix, s.ToString(), (".y", y, ConvReference.TransposeForward(ax, aw, ab, s)),
                    (".gx", gx, ConvReference.Forward(ag, aw, null, s.Adjoint)),
                    (".gw", gw, ConvReference.BackwardWeight(ax, ag, s.Adjoint)),
                    (".gb", gb, ConvReference.SumPerChannel(ag, s.Batch, s.OutChannels, s.OutHeight * s.OutWidth)));
            });
        }
        var manifestPath = folder.File("manifest.txt");
        File.WriteAllLines(manifestPath, manifest);

        var (exitCode, error) = DebianPython.Run(Script, manifestPath);
        Assert.True(exitCode == 0, $"PyTorch failed: {error}");
        foreach (var check in checks) check();
    }

    private static (float[] X, float[] W, float[] B, float[] G) WriteInputs(string prefix, Generator random, long input, long weight, int bias, long output)
    {
        var x = Conv2dKernelsTests.Normal(random, input);
        var w = Conv2dKernelsTests.Normal(random, weight);
        var b = Conv2dKernelsTests.Normal(random, bias);
        var g = Conv2dKernelsTests.Normal(random, output);
        File.WriteAllBytes(prefix + ".x", MemoryMarshal.AsBytes(x.AsSpan()).ToArray());
        File.WriteAllBytes(prefix + ".w", MemoryMarshal.AsBytes(w.AsSpan()).ToArray());
        File.WriteAllBytes(prefix + ".b", MemoryMarshal.AsBytes(b.AsSpan()).ToArray());
        File.WriteAllBytes(prefix + ".g", MemoryMarshal.AsBytes(g.AsSpan()).ToArray());
        return (x, w, b, g);
    }

    private static double[] Abs(float[] values) => values.Select(v => Math.Abs((double)v)).ToArray();

    /// <summary>Each of our tensors against PyTorch's, element by element, within <see cref="TwoFloatSums"/> of the
    /// sum of |terms| behind that element (the reference's loops over absolute values).</summary>
    private static void Compare(string prefix, string shape, params (string Suffix, float[] Ours, double[] Scale)[] tensors)
    {
        foreach (var (suffix, ours, scale) in tensors)
        {
            var theirs = MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(prefix + suffix)).ToArray();
            Assert.True(theirs.Length == ours.Length, $"{shape} {suffix}: PyTorch gives {theirs.Length} values, the kernels {ours.Length}");
            for (int i = 0; i < ours.Length; i++)
                if (!(Math.Abs(ours[i] - theirs[i]) <= TwoFloatSums * scale[i] + 1e-30))
                    Assert.Fail($"{shape} {suffix}[{i}]: kernels {ours[i].ToString(CultureInfo.InvariantCulture)}, PyTorch {theirs[i].ToString(CultureInfo.InvariantCulture)}");
        }
    }
}

/// <summary>A fact that runs when /usr/bin/python3 can import torch (Debian's python3-torch) and is skipped with
/// that reason otherwise, unless COURSE_REQUIRE_PREREQUISITES=1 (CI installs torch): then it runs and fails plainly.</summary>
public sealed class TorchFactAttribute : FactAttribute
{
    public static readonly Lazy<string?> Missing = new(() =>
        DebianPython.WhyUnavailable("import torch, numpy", "PyTorch", "apt-get install python3-torch"));

    public TorchFactAttribute()
    {
        if (!Prerequisites.Required && Missing.Value is { } reason) Skip = reason;
    }
}
