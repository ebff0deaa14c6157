using SharpGrad.Kernels;

namespace SharpGrad.Tests.Kernels;

/// <summary>
/// Checks the packers against the layouts their documentation states, element by element, for both stored forms of
/// each operand: k not a multiple of the row group (1, 7, 9, 17, 261), partial last panels, panel widths that are and are
/// not a multiple of the vector width, and blocks that start inside the matrix. The GEMM tests check the products made
/// from these panels; these tests name a wrong element directly.
/// </summary>
public sealed unsafe class GemmPackingTests
{
    private static readonly int[] Depths = [1, 7, 8, 9, 17, 261];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void PackA_WritesTheDocumentedPanels(bool transA)
    {
        foreach (int mr in new[] { 6, 8, 16 })
        {
            foreach (int kc in Depths)
            {
                foreach (int mc in new[] { 1, 5, mr, mr + 3, 3 * mr, 72 })
                {
                    CheckPackA<float>(transA, mr, kc, mc);
                    CheckPackA<double>(transA, mr, kc, mc);
                }
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void PackB_WritesTheDocumentedPanels(bool transB)
    {
        foreach (int nr in new[] { 6, 8, 16, 32 })
        {
            foreach (int kc in Depths)
            {
                foreach (int nc in new[] { 1, 5, nr, nr + 3, 3 * nr, 100 })
                {
                    CheckPackB<float>(transB, nr, kc, nc);
                    CheckPackB<double>(transB, nr, kc, nc);
                }
            }
        }
    }

    private static void CheckPackA<T>(bool transA, int mr, int kc, int mc)
        where T : unmanaged => CheckPanels<T>(packsA: true, transA, mr, kc, mc);

    private static void CheckPackB<T>(bool transB, int nr, int kc, int nc)
        where T : unmanaged => CheckPanels<T>(packsA: false, transB, nr, kc, nc);

    /// <summary>
    /// Packs <paramref name="count"/> rows of op(A) (or columns of op(B)) by <paramref name="kc"/> into panels of
    /// <paramref name="width"/>, from a matrix at (row0, col0) = (3, 2) so the block starts inside it, and checks
    /// dst[panel·kc·w + p·w + i] = op(A)[row0 + panel·w + i, col0 + p] (op(B)[row0 + p, col0 + panel·w + i]), zero past
    /// <paramref name="count"/>, and nothing written past the panels.
    /// </summary>
    private static void CheckPanels<T>(bool packsA, bool transposed, int width, int kc, int count)
        where T : unmanaged
    {
        const int row0 = 3, col0 = 2;
        // op(X) is rows × cols: the panel dimension runs down the rows for A, across the columns for B.
        int rows = row0 + (packsA ? count : kc) + 4, cols = col0 + (packsA ? kc : count) + 5;
        T[] x = Values<T>(rows * cols);
        int ld = transposed ? rows : cols;
        int panels = (count + width - 1) / width;
        T[] dst = Filled<T>((panels * kc * width) + 16, -7);
        fixed (T* px = x, pd = dst)
        {
            if (packsA) GemmPacking<T>.PackA(px, ld, transposed, row0, col0, count, kc, width, pd);
            else GemmPacking<T>.PackB(px, ld, transposed, row0, col0, kc, count, width, pd);
        }

        string call = $"Pack{(packsA ? "A" : "B")}<{typeof(T).Name}> transposed={transposed} width={width} kc={kc} count={count}";
        for (int panel = 0; panel < panels; panel++)
        {
            for (int p = 0; p < kc; p++)
            {
                for (int i = 0; i < width; i++)
                {
                    int along = (panel * width) + i;
                    double expected = along >= count ? 0
                        : packsA ? Element(x, row0 + along, col0 + p, ld, transposed) : Element(x, row0 + p, col0 + along, ld, transposed);
                    double actual = ToDouble(dst[(panel * kc * width) + (p * width) + i]);
                    Assert.True(expected == actual, $"{call}: panel {panel}, p {p}, i {i} is {actual}, expected {expected}");
                }
            }
        }

        for (int e = panels * kc * width; e < dst.Length; e++)
            Assert.True(ToDouble(dst[e]) == -7, $"{call} wrote past its panels, at {e}");
    }

    /// <summary>op(X)[r, c] of a matrix stored row-major with leading dimension ld, or transposed.</summary>
    private static double Element<T>(T[] x, int r, int c, int ld, bool transposed)
        where T : unmanaged => ToDouble(transposed ? x[(c * ld) + r] : x[(r * ld) + c]);

    /// <summary>Distinct, exactly representable values 1, 2, 3, … so a misplaced element cannot match by chance.</summary>
    private static T[] Values<T>(int count)
        where T : unmanaged
    {
        var values = new T[count];
        for (int i = 0; i < count; i++)
            values[i] = FromDouble<T>(i + 1);
        return values;
    }

    private static T[] Filled<T>(int count, double value)
        where T : unmanaged
    {
        var values = new T[count];
        Array.Fill(values, FromDouble<T>(value));
        return values;
    }

    private static T FromDouble<T>(double value)
        where T : unmanaged => typeof(T) == typeof(float) ? (T)(object)(float)value : (T)(object)value;

    private static double ToDouble<T>(T value)
        where T : unmanaged => value is float f ? f : (double)(object)value;
}
