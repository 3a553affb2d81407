namespace Generative.Plotting;

/// <summary>
/// Level lines of a function sampled on a grid, by marching squares: each grid cell whose corners straddle the
/// level contributes a segment between linearly interpolated edge crossings, and segments sharing an edge are
/// joined into polylines. Closed curves end with their first point repeated.
/// </summary>
internal static class MarchingSquares
{
    /// <summary>The polylines where <c>z = level</c>, in data coordinates.</summary>
    /// <param name="z">Values indexed [row, column] at (x[column], y[row]).</param>
    /// <param name="x">The x coordinate of each column.</param>
    /// <param name="y">The y coordinate of each row.</param>
    /// <param name="level">The value whose level set is traced.</param>
    public static List<List<(double X, double Y)>> Trace(double[,] z, IReadOnlyList<double> x, IReadOnlyList<double> y, double level)
    {
        var rows = z.GetLength(0);
        var columns = z.GetLength(1);
        var points = new Dictionary<long, (double X, double Y)>();
        var segments = new List<(long From, long To)>();

        // Edge keys name the grid edge a crossing lies on; the two cells sharing an edge find each other through it.
        long Horizontal(int row, int column) => ((long)row * columns + column) * 2;
        long Vertical(int row, int column) => ((long)row * columns + column) * 2 + 1;
        bool Above(int row, int column) => z[row, column] >= level;

        long Crossing(long key, int row0, int column0, int row1, int column1)
        {
            if (!points.ContainsKey(key))
            {
                var (v0, v1) = (z[row0, column0], z[row1, column1]);
                var t = (level - v0) / (v1 - v0);
                points[key] = (x[column0] + t * (x[column1] - x[column0]), y[row0] + t * (y[row1] - y[row0]));
            }
            return key;
        }

        for (var row = 0; row < rows - 1; row++)
        {
            for (var column = 0; column < columns - 1; column++)
            {
                if (!IsFinite(z[row, column]) || !IsFinite(z[row, column + 1]) || !IsFinite(z[row + 1, column]) || !IsFinite(z[row + 1, column + 1]))
                {
                    continue;
                }
                var (a, b, c, d) = (Above(row, column), Above(row, column + 1), Above(row + 1, column + 1), Above(row + 1, column));
                var crossed = new List<long>(4);
                if (a != b) crossed.Add(Crossing(Horizontal(row, column), row, column, row, column + 1));       // bottom
                if (b != c) crossed.Add(Crossing(Vertical(row, column + 1), row, column + 1, row + 1, column + 1)); // right
                if (c != d) crossed.Add(Crossing(Horizontal(row + 1, column), row + 1, column, row + 1, column + 1)); // top
                if (d != a) crossed.Add(Crossing(Vertical(row, column), row, column, row + 1, column));          // left
                if (crossed.Count == 2)
                {
                    segments.Add((crossed[0], crossed[1]));
                }
                else if (crossed.Count == 4)
                {
                    // Saddle: the cell centre's value decides whether the diagonal a-c is connected.
                    var centre = (z[row, column] + z[row, column + 1] + z[row + 1, column] + z[row + 1, column + 1]) / 4;
                    if ((centre >= level) == a)
                    {
                        segments.Add((crossed[0], crossed[1])); // cut off corner b
                        segments.Add((crossed[2], crossed[3])); // cut off corner d
                    }
                    else
                    {
                        segments.Add((crossed[3], crossed[0])); // cut off corner a
                        segments.Add((crossed[1], crossed[2])); // cut off corner c
                    }
                }
            }
        }
        return Join(segments, points);
    }

    private static bool IsFinite(double value) => double.IsFinite(value);

    private static List<List<(double X, double Y)>> Join(List<(long From, long To)> segments, Dictionary<long, (double X, double Y)> points)
    {
        var byEdge = new Dictionary<long, List<int>>();
        for (var i = 0; i < segments.Count; i++)
        {
            foreach (var key in new[] { segments[i].From, segments[i].To })
            {
                if (!byEdge.TryGetValue(key, out var list))
                {
                    byEdge[key] = list = [];
                }
                list.Add(i);
            }
        }
        var used = new bool[segments.Count];
        var lines = new List<List<(double X, double Y)>>();

        List<(double X, double Y)> Walk(int first, long start)
        {
            var line = new List<(double X, double Y)> { points[start] };
            var (segment, edge) = (first, start);
            while (segment >= 0)
            {
                used[segment] = true;
                edge = segments[segment].From == edge ? segments[segment].To : segments[segment].From;
                line.Add(points[edge]);
                segment = byEdge[edge].FirstOrDefault(next => !used[next], -1);
            }
            return line;
        }

        // Open lines start at grid-boundary edges (one segment); what remains are closed loops.
        foreach (var (edge, list) in byEdge.OrderBy(pair => pair.Key))
        {
            if (list.Count == 1 && !used[list[0]])
            {
                lines.Add(Walk(list[0], edge));
            }
        }
        for (var i = 0; i < segments.Count; i++)
        {
            if (!used[i])
            {
                lines.Add(Walk(i, segments[i].From));
            }
        }
        return lines;
    }
}
