namespace Generative.Notebook;

/// <summary>
/// Gives a type that is best read as text (a <see cref="Tensors.Tensor"/> prints as PyTorch prints it) one text/plain
/// formatter, its <see cref="object.ToString"/>, for a type declared with
/// <c>[TypeFormatterSource(typeof(PlainTextFormatterSource&lt;T&gt;), PreferredMimeTypes = [MimeTypes.PlainText])]</c>.
/// </summary>
/// <remarks>
/// Without it .NET Interactive (VS Code) shows such a value as its default HTML tree of public properties, evaluating
/// each one, so a learner sees a table (with an exception for a property that does not apply to the value) where the
/// lesson shows the printed tensor; found by running the lessons in .NET Interactive's own kernel (Course.Tests'
/// InteractiveKernelConformanceTests). The course runner formats by the same convention, so its outputs do not change.
/// </remarks>
public sealed class PlainTextFormatterSource<T>
{
    /// <summary>The one text/plain formatter of <typeparamref name="T"/>.</summary>
    public IEnumerable<object> CreateTypeFormatters()
    {
        yield return new DisplayFormatter(typeof(T), MimeTypes.PlainText, value => value.ToString() ?? "");
    }
}
