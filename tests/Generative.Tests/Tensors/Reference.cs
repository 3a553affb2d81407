namespace Generative.Tests.Tensors;

/// <summary>
/// An independent double-precision reference for the engine's ops: plain loops over a multi-index, written for
/// obviousness, not speed, and sharing no code with the engine (its own broadcasting, reduction and layout logic).
/// </summary>
internal sealed record Ref(double[] Data, int[] Shape)
{
    public static Ref Of(float[] data, int[] shape) => new(Array.ConvertAll(data, v => (double)v), shape);

    public static Ref Zeros(params int[] shape) => new(new double[Count(shape)], shape);

    public static int Count(int[] shape)
    {
        var count = 1;
        foreach (var size in shape)
        {
            count *= size;
        }
        return count;
    }

    /// <summary>The multi-index of flat row-major position <paramref name="flat"/>.</summary>
    public static int[] Unravel(int flat, int[] shape)
    {
        var index = new int[shape.Length];
        for (var d = shape.Length - 1; d >= 0; d--)
        {
            index[d] = flat % shape[d];
            flat /= shape[d];
        }
        return index;
    }

    public static int Ravel(int[] index, int[] shape)
    {
        var flat = 0;
        for (var d = 0; d < shape.Length; d++)
        {
            flat = flat * shape[d] + index[d];
        }
        return flat;
    }

    public double At(params int[] index) => Data[Ravel(index, Shape)];

    public Ref Map(Func<double, double> f) => new(Array.ConvertAll(Data, v => f(v)), Shape);

    /// <summary>Elementwise f over inputs broadcast together (right-aligned; size-1 dimensions repeat).</summary>
    public static Ref ZipN(Ref[] inputs, Func<double[], double> f)
    {
        var rank = inputs.Max(r => r.Shape.Length);
        var shape = new int[rank];
        for (var d = 0; d < rank; d++)
        {
            shape[d] = 1;
            foreach (var input in inputs)
            {
                var k = d - (rank - input.Shape.Length);
                var size = k < 0 ? 1 : input.Shape[k];
                if (size != 1)
                {
                    shape[d] = shape[d] == 1 || shape[d] == size ? size : throw new ArgumentException("not broadcastable");
                }
            }
        }
        var result = new double[Count(shape)];
        var args = new double[inputs.Length];
        for (var flat = 0; flat < result.Length; flat++)
        {
            var index = Unravel(flat, shape);
            for (var i = 0; i < inputs.Length; i++)
            {
                var own = inputs[i].Shape;
                var ownIndex = new int[own.Length];
                for (var k = 0; k < own.Length; k++)
                {
                    ownIndex[k] = own[k] == 1 ? 0 : index[k + rank - own.Length];
                }
                args[i] = inputs[i].Data[Ravel(ownIndex, own)];
            }
            result[flat] = f(args);
        }
        return new Ref(result, shape);
    }

    public static Ref Zip(Ref a, Ref b, Func<double, double, double> f) => ZipN([a, b], v => f(v[0], v[1]));

    /// <summary>Applies <paramref name="reduce"/> to the values sharing each index outside <paramref name="dims"/>.</summary>
    public Ref Reduce(int[] dims, bool keepDim, Func<List<double>, double> reduce)
    {
        var reduced = dims.Select(d => d < 0 ? d + Shape.Length : d).ToHashSet();
        var kept = Shape.Select((s, d) => reduced.Contains(d) ? 1 : s).ToArray();
        var groups = Enumerable.Range(0, Count(kept)).Select(_ => new List<double>()).ToArray();
        for (var flat = 0; flat < Data.Length; flat++)
        {
            var index = Unravel(flat, Shape);
            foreach (var d in reduced)
            {
                index[d] = 0;
            }
            groups[Ravel(index, kept)].Add(Data[flat]);
        }
        var values = groups.Select(reduce).ToArray();
        var shape = keepDim ? kept : Shape.Where((_, d) => !reduced.Contains(d)).ToArray();
        return new Ref(values, shape);
    }

    public Ref Sum(int[] dims, bool keepDim = false) => Reduce(dims, keepDim, g => g.Sum());

    public Ref Mean(int[] dims, bool keepDim = false) => Reduce(dims, keepDim, g => g.Average());

    public Ref Var(int[] dims, bool keepDim = false) => Reduce(dims, keepDim, g =>
    {
        var mean = g.Average();
        return g.Sum(v => (v - mean) * (v - mean)) / (g.Count - 1);
    });

    public Ref Max(int dim, bool keepDim = false) => Reduce([dim], keepDim, g => g.Max());

    public Ref LogSumExp(int dim, bool keepDim = false) => Reduce([dim], keepDim, g =>
    {
        var max = g.Max();
        return max + Math.Log(g.Sum(v => Math.Exp(v - max)));
    });

    public Ref Softmax(int dim) => Zip(this, LogSumExp(dim, keepDim: true), (x, lse) => Math.Exp(x - lse));

    public Ref LogSoftmax(int dim) => Zip(this, LogSumExp(dim, keepDim: true), (x, lse) => x - lse);

    public Ref Reshape(params int[] shape) => new(Data, shape);

    /// <summary>out[i_0, ..., i_n] = this[j] with j[dims[d]] = i_d.</summary>
    public Ref Permute(params int[] dims)
    {
        var shape = dims.Select(d => Shape[d]).ToArray();
        var result = new double[Data.Length];
        for (var flat = 0; flat < result.Length; flat++)
        {
            var index = Unravel(flat, shape);
            var source = new int[Shape.Length];
            for (var d = 0; d < dims.Length; d++)
            {
                source[dims[d]] = index[d];
            }
            result[flat] = Data[Ravel(source, Shape)];
        }
        return new Ref(result, shape);
    }

    public Ref Transpose(int a, int b)
    {
        var dims = Enumerable.Range(0, Shape.Length).ToArray();
        (dims[a], dims[b]) = (dims[b], dims[a]);
        return Permute(dims);
    }

    /// <summary>Entries start, start + step, ... below end along dim.</summary>
    public Ref Slice(int dim, int start, int end, int step = 1) =>
        IndexSelect(dim, Enumerable.Range(0, (end - start + step - 1) / step).Select(i => start + i * step).ToArray());

    public Ref Select(int dim, int index)
    {
        var picked = IndexSelect(dim, index);
        return new Ref(picked.Data, Shape.Where((_, d) => d != dim).ToArray());
    }

    public Ref IndexSelect(int dim, params int[] indices)
    {
        var shape = (int[])Shape.Clone();
        shape[dim] = indices.Length;
        var result = new double[Count(shape)];
        for (var flat = 0; flat < result.Length; flat++)
        {
            var index = Unravel(flat, shape);
            index[dim] = indices[index[dim]];
            result[flat] = Data[Ravel(index, Shape)];
        }
        return new Ref(result, shape);
    }

    public static Ref Cat(Ref[] parts, int dim)
    {
        var shape = (int[])parts[0].Shape.Clone();
        shape[dim] = parts.Sum(p => p.Shape[dim]);
        var result = new double[Count(shape)];
        for (var flat = 0; flat < result.Length; flat++)
        {
            var index = Unravel(flat, shape);
            var part = 0;
            while (index[dim] >= parts[part].Shape[dim])
            {
                index[dim] -= parts[part].Shape[dim];
                part++;
            }
            result[flat] = parts[part].Data[Ravel(index, parts[part].Shape)];
        }
        return new Ref(result, shape);
    }

    public Ref Expand(params int[] shape) => ZipN([this, Zeros(shape)], v => v[0]);

    /// <summary>(m, k) @ (k, n) or (b, m, k) @ (b, k, n), by the definition sum_l a[i, l] b[l, j].</summary>
    public static Ref MatMul(Ref a, Ref b)
    {
        if (a.Shape.Length == 2)
        {
            var batched = MatMul(a.Reshape(1, a.Shape[0], a.Shape[1]), b.Reshape(1, b.Shape[0], b.Shape[1]));
            return batched.Reshape(a.Shape[0], b.Shape[1]);
        }
        int batch = a.Shape[0], m = a.Shape[1], k = a.Shape[2], n = b.Shape[2];
        var result = new double[batch * m * n];
        for (var s = 0; s < batch; s++)
        {
            for (var i = 0; i < m; i++)
            {
                for (var j = 0; j < n; j++)
                {
                    double sum = 0;
                    for (var l = 0; l < k; l++)
                    {
                        sum += a.At(s, i, l) * b.At(s, l, j);
                    }
                    result[(s * m + i) * n + j] = sum;
                }
            }
        }
        return new Ref(result, [batch, m, n]);
    }

    public static Ref operator +(Ref a, Ref b) => Zip(a, b, (x, y) => x + y);
    public static Ref operator -(Ref a, Ref b) => Zip(a, b, (x, y) => x - y);
    public static Ref operator *(Ref a, Ref b) => Zip(a, b, (x, y) => x * y);
    public static Ref operator /(Ref a, Ref b) => Zip(a, b, (x, y) => x / y);
}
