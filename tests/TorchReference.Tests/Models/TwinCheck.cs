using System.Globalization;
using TorchSharp;
using Xunit.Abstractions;
using CourseModule = Generative.NN.Module;
using CourseTensor = Generative.Tensors.Tensor;
using TorchTensor = TorchSharp.torch.Tensor;

namespace TorchReference.Tests.Models;

/// <summary>
/// How far a course model may drift from its TorchSharp twin. Both compute in float32 and sum in other orders (blocked
/// GEMMs, fused kernels, other reductions), so they agree to float32 rounding amplified by the depth of the model, not
/// bit for bit. Gradients are judged against the twin run in float64 (exact for this purpose), because some are
/// ill-conditioned in float32 whoever computes them: StarGAN's domain head sums over a batch terms that nearly cancel,
/// and TorchSharp's own float32 gradient there is 1e-4 of its scale away from the float64 one.
/// </summary>
internal static class TwinTolerance
{
    /// <summary>|course loss − float32 twin loss| / max(1, |twin loss|).</summary>
    public const double Loss = 1e-5;

    /// <summary>The floor of the gradient tolerance: max |course gradient − float64 twin gradient| over a parameter's
    /// elements, divided by the float64 gradient's largest magnitude (its own scale: an elementwise ratio means
    /// nothing where entries cross zero).</summary>
    public const double Gradient = 1e-4;

    /// <summary>Above the floor, the course's gradient may be this many times as far from the float64 one as
    /// TorchSharp's own float32 gradient is.</summary>
    public const double Float32Factor = 4;
}

/// <summary>
/// Compares a course model with its TorchSharp twin: copies the course model's weights to the twin through a
/// safetensors file (the course's writer, the twin's own reader), then, phase by phase, the loss and the gradient of
/// every parameter by name. Keeps the largest differences seen and writes them to the test output.
/// </summary>
internal sealed class TwinCheck(ITestOutputHelper output, string model)
{
    // The precision ToTorch gives the twin's inputs: float32, or float64 while the exact reference runs.
    private static readonly AsyncLocal<bool> s_exact = new();

    private double _outputAbsolute, _lossAbsolute, _lossRelative, _gradientAbsolute, _gradientRelative, _courseToExact, _twinToExact;
    private string _worstGradient = "none";

    /// <summary>Saves <paramref name="course"/> with the course's <c>Module.Save</c> and loads the file into
    /// <paramref name="twin"/> by name. Masks (buffers named <c>mask</c>) are structure, not weights: the twin builds
    /// its own from the model's definition, and the course's must equal them.</summary>
    public static TTwin LoadInto<TTwin>(CourseModule course, TTwin twin)
        where TTwin : torch.nn.Module
    {
        var ownMasks = twin.named_buffers().Where(pair => pair.name == "mask" || pair.name.EndsWith(".mask", StringComparison.Ordinal))
            .ToDictionary(pair => pair.name, pair => pair.buffer.clone());
        var path = Path.Combine(Path.GetTempPath(), $"twin-{Guid.NewGuid():N}.safetensors");
        try
        {
            course.Save(path);
            TwinWeights.Load(twin, path);
        }
        finally
        {
            File.Delete(path);
        }
        var loaded = twin.named_buffers().ToDictionary(pair => pair.name, pair => pair.buffer);
        foreach (var (name, own) in ownMasks)
        {
            var differing = loaded[name].ne(own).sum().item<long>();
            Assert.True(differing == 0,
                $"{course.GetType().Name}: the course's '{name}' differs from the twin's own construction of that mask in {differing} of {own.numel()} entries.");
        }
        return twin;
    }

    /// <summary>The same values as a TorchSharp tensor of the same shape, in the twin's current precision.</summary>
    public static TorchTensor ToTorch(CourseTensor tensor)
    {
        var values = torch.tensor(tensor.ToArray(), tensor.Shape.Select(size => (long)size).ToArray());
        return s_exact.Value ? values.to(torch.float64) : values;
    }

    /// <summary>A tensor a twin computed in an earlier phase (a translation, say), in the twin's current precision.</summary>
    public static TorchTensor InTwinPrecision(TorchTensor tensor) => tensor.to(s_exact.Value ? torch.float64 : torch.float32);

    /// <summary>
    /// One phase of training on both sides: clears the gradients, computes both losses and back-propagates them, then
    /// runs the twin again in float64 for the exact gradients; compares the losses and every parameter's gradient.
    /// </summary>
    /// <remarks>The float64 run updates the twin's batch norm statistics once more, so compare evaluation-mode outputs
    /// before the phases.</remarks>
    public void Phase(string phase, CourseModule course, torch.nn.Module twin, Func<CourseTensor> courseLoss, Func<TorchTensor> twinLoss)
    {
        course.ZeroGrad();
        twin.zero_grad();
        var actual = courseLoss();
        actual.Backward();
        var expected = twinLoss();
        expected.backward();
        Loss(phase, actual, expected);
        var single = GradientsOf(twin);

        twin.to(torch.float64);
        twin.zero_grad(); // the conversion carries the float32 gradients along
        s_exact.Value = true;
        try
        {
            twinLoss().backward();
        }
        finally
        {
            s_exact.Value = false;
        }
        var exact = GradientsOf(twin);
        twin.to(torch.float32);
        Gradients(phase, course, single, exact);
    }

    /// <summary>Asserts that the two losses of <paramref name="phase"/> agree within <paramref name="tolerance"/>.</summary>
    public void Loss(string phase, CourseTensor course, TorchTensor twin, double tolerance = TwinTolerance.Loss)
    {
        double expected = twin.item<float>(), actual = course.Item();
        var absolute = Math.Abs(actual - expected);
        var relative = absolute / Math.Max(1, Math.Abs(expected));
        (_lossAbsolute, _lossRelative) = (Math.Max(_lossAbsolute, absolute), Math.Max(_lossRelative, relative));
        Assert.True(double.IsFinite(expected) && relative <= tolerance,
            $"{model}, {phase}: loss {actual:R} in the course, {expected:R} in TorchSharp (relative difference {relative:e2}, tolerance {tolerance:e0}).");
    }

    /// <summary>Asserts that two outputs (samples, say) agree elementwise within <paramref name="tolerance"/> of their
    /// largest magnitude (at least 1).</summary>
    public void Outputs(string what, CourseTensor course, TorchTensor twin, double tolerance = TwinTolerance.Loss)
    {
        Assert.Equal(course.Shape.Select(size => (long)size), twin.shape);
        var (actual, expected) = (course.ToArray(), twin.data<float>().ToArray());
        var scale = Math.Max(1, expected.Max(Math.Abs));
        var absolute = actual.Zip(expected, (a, e) => Math.Abs((double)a - e)).Max();
        _outputAbsolute = Math.Max(_outputAbsolute, absolute);
        Assert.True(absolute / scale <= tolerance,
            $"{model}, {what}: the course's output differs from TorchSharp's by up to {absolute:e2} (scale {scale:e2}, tolerance {tolerance:e0}).");
    }

    /// <summary>Every parameter's gradient by name, widened to double; an absent gradient (PyTorch's <c>None</c>, a
    /// parameter the loss does not reach) as zeros.</summary>
    private static Dictionary<string, double[]> GradientsOf(torch.nn.Module twin) =>
        twin.named_parameters().ToDictionary(pair => pair.name,
            pair => pair.parameter.grad is { } grad ? grad.to(torch.float64).data<double>().ToArray() : new double[pair.parameter.numel()],
            StringComparer.Ordinal);

    /// <summary>Asserts that every parameter's gradient is as close to the float64 twin's as the tolerance allows, and
    /// records how far it is from the float32 twin's.</summary>
    private void Gradients(string phase, CourseModule course, Dictionary<string, double[]> single, Dictionary<string, double[]> exact)
    {
        var courseParameters = course.NamedParameters().ToList();
        Assert.Equal(courseParameters.Select(pair => pair.Name).Order(StringComparer.Ordinal), exact.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, parameter) in courseParameters)
        {
            var actual = parameter.Grad?.ToArray() ?? new float[parameter.Count];
            var (twin, reference) = (single[name], exact[name]);
            Assert.False(actual.Any(float.IsNaN), $"{model}, {phase}: the course's gradient of '{name}' has NaN.");
            var scale = reference.Max(Math.Abs) is var largest and > 0 ? largest : 1;
            var absolute = MaxDifference(actual.Select(value => (double)value), twin);
            var relative = absolute / Math.Max(twin.Max(Math.Abs), double.Epsilon);
            var courseToExact = MaxDifference(actual.Select(value => (double)value), reference) / scale;
            var twinToExact = MaxDifference(twin, reference) / scale;
            _gradientAbsolute = Math.Max(_gradientAbsolute, absolute);
            if (relative > _gradientRelative)
            {
                (_gradientRelative, _worstGradient) = (relative, $"{phase}: {name}");
            }
            (_courseToExact, _twinToExact) = (Math.Max(_courseToExact, courseToExact), Math.Max(_twinToExact, twinToExact));
            var tolerance = Math.Max(TwinTolerance.Gradient, TwinTolerance.Float32Factor * twinToExact);
            Assert.True(courseToExact <= tolerance,
                $"{model}, {phase}: gradient of '{name}' is {courseToExact:e2} of its scale {scale:e2} away from TorchSharp's float64 gradient " +
                $"(TorchSharp's float32 gradient is {twinToExact:e2} away; tolerance {tolerance:e2}); up to {absolute:e2} from the float32 one.");
        }
    }

    private static double MaxDifference(IEnumerable<double> actual, IEnumerable<double> expected) =>
        actual.Zip(expected, (a, e) => Math.Abs(a - e)).DefaultIfEmpty(0).Max();

    /// <summary>Writes the largest differences seen, one line for the test log.</summary>
    public void Report() => output.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{model}: loss max abs {_lossAbsolute:e2}, rel {_lossRelative:e2}; gradients against float32 TorchSharp max abs {_gradientAbsolute:e2}, max rel {_gradientRelative:e2} ({_worstGradient}); against float64 TorchSharp course {_courseToExact:e2}, TorchSharp float32 {_twinToExact:e2}{(_outputAbsolute > 0 ? $"; outputs max abs {_outputAbsolute:e2}" : "")}"));
}
