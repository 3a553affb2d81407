using System.Globalization;
using TorchSharp;
using Xunit.Abstractions;
using CourseModule = Generative.NN.Module;
using CourseTensor = Generative.Tensors.Tensor;
using TorchTensor = TorchSharp.torch.Tensor;

namespace TorchReference.Tests.Models;

/// <summary>How far a course model may drift from its TorchSharp twin in float32. Both compute the same sums in other
/// orders (blocked GEMMs, fused kernels, other reductions), so they agree to a few units of float32 rounding scaled by
/// the depth of the computation, not bit for bit.</summary>
internal static class TwinTolerance
{
    /// <summary>|course loss − twin loss| / max(1, |twin loss|).</summary>
    public const double Loss = 1e-5;

    /// <summary>max |course gradient − twin gradient| over a parameter's elements, divided by the twin gradient's
    /// largest magnitude (the gradient's own scale: an elementwise ratio is meaningless where entries cross zero).</summary>
    public const double Gradient = 1e-4;
}

/// <summary>
/// Compares a course model with its TorchSharp twin: copies the course model's weights to the twin through a
/// safetensors file (the course's writer, the twin's own reader), then, phase by phase, the loss and the gradient of
/// every parameter by name. Keeps the largest differences seen and writes them to the test output.
/// </summary>
internal sealed class TwinCheck(ITestOutputHelper output, string model)
{
    private double _lossAbsolute, _lossRelative, _gradientAbsolute, _gradientRelative;
    private string _worstGradient = "none";

    /// <summary>Saves <paramref name="course"/> with the course's <c>Module.Save</c> and loads the file into
    /// <paramref name="twin"/> by name.</summary>
    public static TTwin LoadInto<TTwin>(CourseModule course, TTwin twin)
        where TTwin : torch.nn.Module
    {
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
        return twin;
    }

    /// <summary>The same values as a TorchSharp tensor of the same shape.</summary>
    public static TorchTensor ToTorch(CourseTensor tensor) =>
        torch.tensor(tensor.ToArray(), tensor.Shape.Select(size => (long)size).ToArray());

    /// <summary>Clears every gradient on both sides before a phase.</summary>
    public static void ZeroGrad(CourseModule course, torch.nn.Module twin)
    {
        course.ZeroGrad();
        twin.zero_grad();
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

    /// <summary>Asserts that every parameter's gradient agrees with the twin's parameter of the same name (a gradient
    /// that is absent on one side counts as zeros, as PyTorch's <c>None</c> does).</summary>
    public void Gradients(string phase, CourseModule course, torch.nn.Module twin, double tolerance = TwinTolerance.Gradient)
    {
        var twinParameters = twin.named_parameters().ToDictionary(pair => pair.name, pair => pair.parameter, StringComparer.Ordinal);
        var courseParameters = course.NamedParameters().ToList();
        Assert.Equal(courseParameters.Select(pair => pair.Name).Order(StringComparer.Ordinal), twinParameters.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, parameter) in courseParameters)
        {
            var expected = twinParameters[name].grad is { } grad ? grad.data<float>().ToArray() : new float[parameter.Count];
            var actual = parameter.Grad?.ToArray() ?? new float[parameter.Count];
            var scale = expected.Max(Math.Abs);
            var absolute = 0.0;
            for (var i = 0; i < expected.Length; i++)
            {
                absolute = Math.Max(absolute, Math.Abs(actual[i] - expected[i]));
            }
            Assert.False(float.IsNaN(scale) || double.IsNaN(absolute), $"{model}, {phase}: gradient of '{name}' has NaN.");
            var relative = scale > 0 ? absolute / scale : absolute > 0 ? double.PositiveInfinity : 0;
            _gradientAbsolute = Math.Max(_gradientAbsolute, absolute);
            if (relative > _gradientRelative)
            {
                (_gradientRelative, _worstGradient) = (relative, $"{phase}: {name}");
            }
            Assert.True(relative <= tolerance,
                $"{model}, {phase}: gradient of '{name}' differs from TorchSharp's by up to {absolute:e2}, {relative:e2} of its largest " +
                $"magnitude {scale:e2} (tolerance {tolerance:e0}).");
        }
    }

    /// <summary>Writes the largest differences seen, one line for the test log.</summary>
    public void Report() => output.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{model}: loss max abs {_lossAbsolute:e2}, rel {_lossRelative:e2}; gradients max abs {_gradientAbsolute:e2}, " +
        $"max rel {_gradientRelative:e2} ({_worstGradient})"));
}
