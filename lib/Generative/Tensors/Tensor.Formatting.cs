using System.Globalization;
using System.Text;

namespace Generative.Tensors;

// PyTorch-like printing: tensor([[1.0000, 2.0000],
//                                [3.0000, 4.0000]], requires_grad=True)
// Four decimals (scientific when magnitudes are very large or small), right-aligned columns; tensors with more than
// 1000 elements show the first and last three entries of each dimension around "..." and end with their shape.
// A tensor that is a cell's value shows this text in VS Code too (PlainTextFormatterSource says why it is needed).
[Notebook.TypeFormatterSource(typeof(Notebook.PlainTextFormatterSource<Tensor>), PreferredMimeTypes = [Notebook.MimeTypes.PlainText])]
public sealed partial class Tensor
{
    private const int SummaryThreshold = 1000;
    private const int EdgeItems = 3;

    /// <summary>The values as PyTorch prints them, plus the shape for summarised tensors and the autograd state.</summary>
    public override string ToString()
    {
        var values = ToArray();
        var summarise = Count > SummaryThreshold;
        var format = ChooseFormat(values);
        var width = 0;
        foreach (var v in values)
        {
            width = Math.Max(width, FormatValue(v, format).Length);
        }
        var builder = new StringBuilder("tensor(");
        if (Rank == 0)
        {
            builder.Append(FormatValue(values[0], format));
        }
        else
        {
            AppendDimension(builder, values, 0, 0, width, format, summarise, indent: "tensor(".Length);
        }
        if (summarise || Count == 0)
        {
            builder.Append(", shape=").Append(FormatShape(_shape));
        }
        if (GradFn is not null)
        {
            builder.Append(", grad_fn=<").Append(GradFn).Append("Backward>");
        }
        else if (RequiresGrad)
        {
            builder.Append(", requires_grad=True");
        }
        return builder.Append(')').ToString();
    }

    private void AppendDimension(StringBuilder builder, float[] values, int dim, int start, int width, string format, bool summarise, int indent)
    {
        var size = _shape[dim];
        var block = 1;
        for (var d = dim + 1; d < Rank; d++)
        {
            block *= _shape[d];
        }
        builder.Append('[');
        for (var i = 0; i < size; i++)
        {
            if (summarise && size > 2 * EdgeItems && i == EdgeItems)
            {
                builder.Append(dim == Rank - 1 ? "..., " : "...,\n" + new string(' ', indent + 1 + dim));
                i = size - EdgeItems - 1;
                continue;
            }
            if (dim == Rank - 1)
            {
                builder.Append(FormatValue(values[start + i], format).PadLeft(width));
            }
            else
            {
                AppendDimension(builder, values, dim + 1, start + i * block, width, format, summarise, indent);
            }
            if (i < size - 1)
            {
                builder.Append(',');
                if (dim == Rank - 1)
                {
                    builder.Append(' ');
                }
                else
                {
                    // One blank line between blocks of rank >= 3, as PyTorch does.
                    builder.Append('\n', Rank - 1 - dim).Append(' ', indent + 1 + dim);
                }
            }
        }
        builder.Append(']');
    }

    private static string ChooseFormat(float[] values)
    {
        float largest = 0, smallest = float.PositiveInfinity;
        foreach (var v in values)
        {
            if (float.IsFinite(v) && v != 0)
            {
                largest = Math.Max(largest, Math.Abs(v));
                smallest = Math.Min(smallest, Math.Abs(v));
            }
        }
        return largest >= 1e8f || (largest > 0 && smallest < 1e-4f) || (largest > 0 && largest / smallest > 1e3f && smallest < 1e-2f)
            ? "0.0000e+00"
            : "0.0000";
    }

    private static string FormatValue(float value, string format) => value switch
    {
        float.NaN => "nan",
        float.PositiveInfinity => "inf",
        float.NegativeInfinity => "-inf",
        _ => value.ToString(format, CultureInfo.InvariantCulture),
    };
}
