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

    /// <summary>op(A) is taken from a (rows × cols) matrix at (row0, col0) = (3, 2), so the block starts inside it.</summary>
    private static void CheckPackA<T>(bool transA, int mr, int kc, int mc)
        where T : unmanaged
    {
        const int row0 = 3, col0 = 2;
        int rows = row0 + mc + 4, cols = col0 + kc + 5; // op(A) is rows × cols
        T[] a = Values<T>(rows * cols);
        int lda = transA ? rows : cols;
        int panels = (mc + mr - 1) / mr;
        T[] dst = Filled<T>((panels * kc * mr) + 16, -7);
        fixed (T* pa = a, pd = dst)
            GemmPacking<T>.PackA(pa, lda, transA, row0, col0, mc, kc, mr, pd);

        for (int panel = 0; panel < panels; panel++)
        {
            for (int p = 0; p < kc; p++)
            {
                for (int i = 0; i < mr; i++)
                {
                    int row = (panel * mr) + i;
                    double expected = row < mc ? Element(a, row0 + row, col0 + p, lda, transA) : 0;
                    double actual = ToDouble(dst[(panel * kc * mr) + (p * mr) + i]);
                    Assert.True(expected == actual, $"PackA<{typeof(T).Name}> transA={transA} mr={mr} kc={kc} mc={mc}: panel {panel}, p {p}, i {i} is {actual}, expected {expected}");
                }
            }
        }

        for (int e = panels * kc * mr; e < dst.Length; e++)
            Assert.True(ToDouble(dst[e]) == -7, $"PackA<{typeof(T).Name}> transA={transA} mr={mr} kc={kc} mc={mc} wrote past its panels, at {e}");
    }

    /// <summary>op(B) is taken from a (rows × cols) matrix at (row0, col0) = (2, 3).</summary>
    private static void CheckPackB<T>(bool transB, int nr, int kc, int nc)
        where T : unmanaged
    {
        const int row0 = 2, col0 = 3;
        int rows = row0 + kc + 5, cols = col0 + nc + 4; // op(B) is rows × cols
        T[] b = Values<T>(rows * cols);
        int ldb = transB ? rows : cols;
        int panels = (nc + nr - 1) / nr;
        T[] dst = Filled<T>((panels * kc * nr) + 16, -7);
        fixed (T* pb = b, pd = dst)
            GemmPacking<T>.PackB(pb, ldb, transB, row0, col0, kc, nc, nr, pd);

        for (int panel = 0; panel < panels; panel++)
        {
            for (int p = 0; p < kc; p++)
            {
                for (int j = 0; j < nr; j++)
                {
                    int col = (panel * nr) + j;
                    double expected = col < nc ? Element(b, row0 + p, col0 + col, ldb, transB) : 0;
                    double actual = ToDouble(dst[(panel * kc * nr) + (p * nr) + j]);
                    Assert.True(expected == actual, $"PackB<{typeof(T).Name}> transB={transB} nr={nr} kc={kc} nc={nc}: panel {panel}, p {p}, j {j} is {actual}, expected {expected}");
                }
            }
        }

        for (int e = panels * kc * nr; e < dst.Length; e++)
            Assert.True(ToDouble(dst[e]) == -7, $"PackB<{typeof(T).Name}> transB={transB} nr={nr} kc={kc} nc={nc} wrote past its panels, at {e}");
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
