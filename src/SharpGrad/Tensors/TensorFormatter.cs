using System.Globalization;
using System.Text;

namespace SharpGrad;

/// <summary>Formats tensors compactly: shape, dtype and values, eliding the middle of long dimensions.</summary>
internal static class TensorFormatter
{
    private const int EdgeItems = 3;

    public static string Format(Tensor t)
    {
        var sb = new StringBuilder("Tensor(");
        if (t.Name is not null) sb.Append(t.Name).Append(", ");
        sb.Append("shape=").Append(Shapes.Format(t.Shape));
        if (t.DType != DType.Float32) sb.Append(", dtype=").Append(t.DType);
        if (t.RequiresGrad) sb.Append(", requiresGrad");
        sb.Append(") ");
        if (t.IsReleased) return sb.Append("<released with its TensorScope>").ToString();
        if (t.Rank == 0) sb.Append(Number(t.GetFlat(0)));
        else AppendDimension(sb, t, 0, 0);
        return sb.ToString();
    }

    private static void AppendDimension(StringBuilder sb, Tensor t, int dim, int offset)
    {
        int n = t.Shape[dim];
        int stride = 1;
        for (int d = dim + 1; d < t.Rank; d++) stride *= t.Shape[d];
        sb.Append('[');
        for (int i = 0; i < n; i++)
        {
            if (n > 2 * EdgeItems && i == EdgeItems)
            {
                sb.Append("..., ");
                i = n - EdgeItems - 1;
                continue;
            }
            if (dim == t.Rank - 1) sb.Append(Number(t.GetFlat(offset + i)));
            else AppendDimension(sb, t, dim + 1, offset + i * stride);
            if (i < n - 1) sb.Append(", ");
        }
        sb.Append(']');
    }

    private static string Number(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
