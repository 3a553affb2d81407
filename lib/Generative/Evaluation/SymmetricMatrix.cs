namespace Generative.Evaluation;

/// <summary>Eigendecomposition and square root of small symmetric matrices in double precision (cyclic Jacobi), for
/// the Fréchet distance between feature covariances.</summary>
/// <remarks>Jacobi rotations are slower than the LAPACK routines for large matrices but simple, accurate to a few ulps of
/// the largest eigenvalue, and deterministic: the same matrix gives the same bits on every machine.</remarks>
internal static class SymmetricMatrix
{
    /// <summary>A = V diag(values) Vᵀ for a symmetric A.</summary>
    /// <returns>The eigenvalues (unsorted) and the eigenvectors as the columns of V.</returns>
    /// <exception cref="ArgumentException">A is not square, not symmetric, or not finite.</exception>
    public static (double[] Values, double[,] Vectors) Eigen(double[,] matrix)
    {
        var n = matrix.GetLength(0);
        if (matrix.GetLength(1) != n)
        {
            throw new ArgumentException($"The matrix must be square, got {n} x {matrix.GetLength(1)}.", nameof(matrix));
        }
        var a = (double[,])matrix.Clone();
        var v = new double[n, n];
        double scale = 0;
        for (var i = 0; i < n; i++)
        {
            v[i, i] = 1;
            for (var j = 0; j < n; j++)
            {
                if (!double.IsFinite(a[i, j]))
                {
                    throw new ArgumentException($"The matrix has {a[i, j]} at ({i}, {j}); every entry must be finite.", nameof(matrix));
                }
                if (Math.Abs(a[i, j] - a[j, i]) > 1e-9 * (Math.Abs(a[i, j]) + Math.Abs(a[j, i]) + 1e-300))
                {
                    throw new ArgumentException($"The matrix is not symmetric: ({i}, {j}) holds {a[i, j]} and ({j}, {i}) holds {a[j, i]}.", nameof(matrix));
                }
                scale += a[i, j] * a[i, j];
            }
        }
        for (var sweep = 0; ; sweep++)
        {
            double offDiagonal = 0;
            for (var p = 0; p < n; p++)
            {
                for (var q = p + 1; q < n; q++)
                {
                    offDiagonal += a[p, q] * a[p, q];
                }
            }
            if (offDiagonal <= 1e-30 * scale)
            {
                break;
            }
            if (sweep == 100)
            {
                // Cyclic Jacobi converges quadratically; a symmetric finite matrix needs about ten sweeps.
                throw new ArithmeticException($"SymmetricMatrix.Eigen: no convergence after 100 sweeps (off-diagonal mass {offDiagonal:E2} of {scale:E2}).");
            }
            for (var p = 0; p < n; p++)
            {
                for (var q = p + 1; q < n; q++)
                {
                    if (a[p, q] == 0)
                    {
                        continue;
                    }
                    // The rotation that zeroes a[p, q] (Golub and Van Loan, Algorithm 8.5.2): t = tan θ, the smaller root.
                    var theta = (a[q, q] - a[p, p]) / (2 * a[p, q]);
                    var t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    var c = 1 / Math.Sqrt(t * t + 1);
                    var s = t * c;
                    for (var k = 0; k < n; k++)
                    {
                        var (akp, akq) = (a[k, p], a[k, q]);
                        a[k, p] = c * akp - s * akq;
                        a[k, q] = s * akp + c * akq;
                    }
                    for (var k = 0; k < n; k++)
                    {
                        var (apk, aqk) = (a[p, k], a[q, k]);
                        a[p, k] = c * apk - s * aqk;
                        a[q, k] = s * apk + c * aqk;
                    }
                    for (var k = 0; k < n; k++)
                    {
                        var (vkp, vkq) = (v[k, p], v[k, q]);
                        v[k, p] = c * vkp - s * vkq;
                        v[k, q] = s * vkp + c * vkq;
                    }
                }
            }
        }
        var values = new double[n];
        for (var i = 0; i < n; i++)
        {
            values[i] = a[i, i];
        }
        return (values, v);
    }

    /// <summary>The symmetric positive semi-definite square root S (S S = A) of a symmetric positive semi-definite A;
    /// eigenvalues that rounding made slightly negative count as 0.</summary>
    public static double[,] Sqrt(double[,] matrix)
    {
        var (values, vectors) = Eigen(matrix);
        var n = values.Length;
        var root = new double[n, n];
        for (var k = 0; k < n; k++)
        {
            var r = Math.Sqrt(Math.Max(values[k], 0));
            for (var i = 0; i < n; i++)
            {
                var vik = vectors[i, k] * r;
                for (var j = 0; j < n; j++)
                {
                    root[i, j] += vik * vectors[j, k];
                }
            }
        }
        return root;
    }

    /// <summary>A B for square matrices of one size.</summary>
    public static double[,] Multiply(double[,] a, double[,] b)
    {
        var n = a.GetLength(0);
        var product = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var k = 0; k < n; k++)
            {
                var aik = a[i, k];
                for (var j = 0; j < n; j++)
                {
                    product[i, j] += aik * b[k, j];
                }
            }
        }
        return product;
    }
}
