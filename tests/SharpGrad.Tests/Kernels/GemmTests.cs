using SharpGrad.Kernels;
using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.Kernels;

/// <summary>
/// Checks <see cref="Gemm"/> against a naive triple loop computed in double. Tolerance per element:
/// |c − reference| ≤ ε·√k·(Σ_p |op(A)[i,p]·op(B)[p,j]| + |c₀|), with ε = 1e-6 for float and 1e-14 for double
/// (a few units of rounding per √k terms, as for a random-walk error).
/// </summary>
[Collection("KernelSettings")]
public sealed class GemmTests
{
    private static readonly int[] SmallSizes = [1, 3, 17, 65];

    // Shapes with a 513 dimension: cache-block and tile edges in every position, affordable in Debug.
    private static readonly (int M, int N, int K)[] LargeShapes = [(513, 17, 65), (17, 513, 65), (65, 17, 513), (513, 65, 17)];

    [Theory]
    [InlineData(false, false, false)]
    [InlineData(true, false, false)]
    [InlineData(false, true, false)]
    [InlineData(true, true, false)]
    [InlineData(false, false, true)]
    [InlineData(true, false, true)]
    [InlineData(false, true, true)]
    [InlineData(true, true, true)]
    public void Multiply_Float_MatchesNaive_OnAwkwardSizes(bool transA, bool transB, bool accumulate)
    {
        using var settings = new KernelSettingsScope(threads: 2, forcePortable: false);
        foreach ((int m, int n, int k) in AllShapes())
            AssertMatchesNaive<float>(m, n, k, transA, transB, accumulate);
    }

    [Theory]
    [InlineData(false, false, false)]
    [InlineData(true, false, true)]
    [InlineData(false, true, false)]
    [InlineData(true, true, true)]
    public void Multiply_Double_MatchesNaive_OnAwkwardSizes(bool transA, bool transB, bool accumulate)
    {
        using var settings = new KernelSettingsScope(threads: 2, forcePortable: false);
        foreach ((int m, int n, int k) in AllShapes())
            AssertMatchesNaive<double>(m, n, k, transA, transB, accumulate);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Multiply_PortablePath_MatchesNaive(bool accumulate)
    {
        using var settings = new KernelSettingsScope(threads: 2, forcePortable: true);
        Assert.Equal("Portable", KernelSettings.VectorPath);
        foreach ((int m, int n, int k) in SmallShapes())
        {
            AssertMatchesNaive<float>(m, n, k, transA: k % 2 == 1, transB: n % 2 == 1, accumulate);
            AssertMatchesNaive<double>(m, n, k, transA: n % 2 == 1, transB: k % 2 == 1, accumulate);
        }

        AssertMatchesNaive<float>(513, 65, 17, transA: true, transB: true, accumulate);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void Multiply_MatchesNaive_WhenLastColumnPanelIsExactlyOneVectorWide(bool transA, bool transB)
    {
        // n = 16·q + 8 (float) and 8·q + 4 (double) on the AVX2 path: the last panel runs the one-vector-wide
        // kernel straight into C; the last shape is above the direct-mode threshold (packed path), k = 131 leaves a transpose tail.
        using var settings = new KernelSettingsScope(threads: 2, forcePortable: false);
        foreach ((int m, int n, int k) in new[] { (12, 24, 40), (130, 40, 300), (130, 1000, 131) })
        {
            AssertMatchesNaive<float>(m, n, k, transA, transB, accumulate: transA);
            AssertMatchesNaive<double>(m, n / 2, k, transA, transB, accumulate: !transA);
        }
    }

    [Fact]
    public void Multiply_Vector256Path_MatchesNaive()
    {
        // The 6-row tile and column-panel-outer sweep of AVX2 machines, exercised here even where AVX-512 is the default
        // (skipped where the hardware has no FMA: that path is then never chosen). The last shape runs as Cᵀ = B·Aᵀ.
        if (!System.Runtime.Intrinsics.X86.Fma.IsSupported)
            return;
        using var settings = new KernelSettingsScope(threads: 2, forcePortable: false, path: KernelPath.Vector256);
        Assert.Equal("Vector256", KernelSettings.VectorPath);
        foreach ((int m, int n, int k) in new[] { (7, 33, 17), (100, 100, 30), (130, 1000, 131), (100, 1000, 200) })
        {
            AssertMatchesNaive<float>(m, n, k, transA: false, transB: true, accumulate: false);
            AssertMatchesNaive<float>(m, n, k, transA: true, transB: false, accumulate: true);
            AssertMatchesNaive<double>(m, n, k, transA: false, transB: true, accumulate: false);
        }
    }

    [Fact]
    public void Multiply_Vector512Path_MatchesNaive_EvenWhenEmulated()
    {
        using var settings = new KernelSettingsScope(threads: 1, forcePortable: false, path: KernelPath.Vector512);
        Assert.Equal("Vector512", KernelSettings.VectorPath);
        foreach ((int m, int n, int k) in new[] { (1, 1, 1), (7, 33, 17), (13, 65, 3) })
        {
            AssertMatchesNaive<float>(m, n, k, transA: false, transB: true, accumulate: true);
            AssertMatchesNaive<double>(m, n, k, transA: true, transB: false, accumulate: false);
        }
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void Multiply_MatchesNaive_OnEveryEdgeTileOfThe8RowPath(bool transA, bool transB)
    {
        // On the Vector512 path tiles are 8 rows × 2 vectors: a last row panel of ≤ 4 rows runs the four-row kernel,
        // 5-7 rows the padded 8-row one; a last column panel of ≤ W/2 columns runs 256-bit vectors, ≤ W one vector,
        // more a padded full tile. m and n sweep every remainder class (fp32 W = 16, fp64 W = 8); the last shape
        // (100·1000·200 multiply-adds) is above the direct-mode threshold, so it takes the packed path.
        using var settings = new KernelSettingsScope(threads: 2, forcePortable: false);
        int[] rows = [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 20, 100];
        int[] cols = [1, 4, 5, 8, 9, 12, 16, 20, 28, 32, 36, 44, 100];
        foreach (int m in rows)
        {
            foreach (int n in cols)
            {
                AssertMatchesNaive<float>(m, n, 7, transA, transB, accumulate: n % 2 == 0);
                AssertMatchesNaive<double>(m, n, 7, transA, transB, accumulate: m % 2 == 1);
            }
        }

        AssertMatchesNaive<float>(100, 1000, 200, transA, transB, accumulate: true);
        AssertMatchesNaive<double>(100, 500, 400, transA, transB, accumulate: false);
    }

    [Fact]
    public void Multiply_MatchesNaive_WhenTheForwardLayoutIsComputedTransposed()
    {
        // C = A·Bᵀ with NR ≤ m ≤ 256, n ≥ 4m, k ≤ 1024, no accumulation and above the direct-mode size runs as Cᵀ = B·Aᵀ
        // with C written through transposed scratch tiles. The shapes leave every edge of that transposed grid: n mod 8 = 4
        // (four-row tiles), m = 100 and 36 (a last panel of ≤ W/2 columns), m = 44 (one vector wide), n above NC.
        using var settings = new KernelSettingsScope(threads: 2, forcePortable: false);
        foreach ((int m, int n, int k) in new[] { (100, 1000, 200), (36, 2004, 300), (44, 4100, 100) })
        {
            AssertMatchesNaive<float>(m, n, k, transA: false, transB: true, accumulate: false);
            AssertMatchesNaive<double>(m, n, k, transA: false, transB: true, accumulate: false);
        }
    }

    [Theory]
    [InlineData(513, 65, 65, false, false)]
    [InlineData(65, 513, 65, true, false)]
    [InlineData(513, 17, 513, false, true)]
    [InlineData(130, 513, 17, true, true)]
    [InlineData(100, 100, 784, false, true)]
    [InlineData(100, 1000, 200, true, false)]
    [InlineData(1000, 100, 128, true, false)]
    [InlineData(128, 1000, 300, false, true)]
    public void Multiply_IsBitIdentical_OnOneAndTwoThreads(int m, int n, int k, bool transA, bool transB)
    {
        var random = new Random(7);
        float[] a = RandomArray<float>(random, m * k), b = RandomArray<float>(random, k * n), c0 = RandomArray<float>(random, m * n);
        double[] ad = RandomArray<double>(random, m * k), bd = RandomArray<double>(random, k * n);
        float[] one = (float[])c0.Clone(), two = (float[])c0.Clone();
        double[] oneD = new double[m * n], twoD = new double[m * n];
        float[] oneFresh = new float[m * n], twoFresh = new float[m * n];
        using (new KernelSettingsScope(threads: 1, forcePortable: false))
        {
            Gemm.Multiply(a, b, one, m, n, k, transA, transB, accumulate: true);
            Gemm.Multiply(a, b, oneFresh, m, n, k, transA, transB);
            Gemm.Multiply(ad, bd, oneD, m, n, k, transA, transB);
        }

        using (new KernelSettingsScope(threads: 2, forcePortable: false))
        {
            Gemm.Multiply(a, b, two, m, n, k, transA, transB, accumulate: true);
            Gemm.Multiply(a, b, twoFresh, m, n, k, transA, transB);
            Gemm.Multiply(ad, bd, twoD, m, n, k, transA, transB);
        }

        Assert.Equal(one, two);
        Assert.Equal(oneFresh, twoFresh);
        Assert.Equal(oneD, twoD);
    }

    [Fact]
    public void Multiply_StaysBitIdentical_OverManyBackToBackParallelCalls()
    {
        // The pool's caller and worker claim the parts of each job as they come; whoever runs a part, and however
        // late a worker wakes, every call must produce the single-thread bits (128·130·260 = 4.3 million multiply-adds: parallel).
        const int m = 128, n = 130, k = 260;
        var random = new Random(11);
        float[] a = RandomArray<float>(random, m * k), b = RandomArray<float>(random, k * n);
        float[] expected = new float[m * n], actual = new float[m * n];
        using (new KernelSettingsScope(threads: 1, forcePortable: false))
            Gemm.Multiply(a, b, expected, m, n, k, transB: false);

        using var settings = new KernelSettingsScope(threads: 2, forcePortable: false);
        for (int call = 0; call < 300; call++)
        {
            Array.Clear(actual);
            Gemm.Multiply(a, b, actual, m, n, k);
            if (call % 50 == 0)
                Thread.Sleep(1); // let the worker fall asleep now and then, so some calls find it blocked
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void Multiply_WithZeroK_ZeroesC_OrLeavesItWhenAccumulating()
    {
        float[] c = [1, 2, 3, 4, 5, 6, 99];
        Gemm.Multiply([], [], c, 2, 3, 0, accumulate: true);
        Assert.Equal([1f, 2, 3, 4, 5, 6, 99], c);
        Gemm.Multiply([], [], c, 2, 3, 0);
        Assert.Equal([0f, 0, 0, 0, 0, 0, 99], c);
    }

    [Fact]
    public void Multiply_WithZeroMOrN_DoesNothing()
    {
        double[] c = [42];
        Gemm.Multiply(new double[5], [], c, 0, 0, 5);
        Gemm.Multiply(new double[0], new double[5], c, 0, 1, 5);
        Assert.Equal([42.0], c);
    }

    [Fact]
    public void Multiply_Throws_WhenSpanIsTooShort()
    {
        var tooShortA = Assert.Throws<ArgumentException>(() => Gemm.Multiply(new float[5], new float[6], new float[4], 2, 2, 3));
        Assert.Equal("a", tooShortA.ParamName);
        Assert.Contains("6", tooShortA.Message, StringComparison.Ordinal);
        Assert.Equal("b", Assert.Throws<ArgumentException>(() => Gemm.Multiply(new double[6], new double[5], new double[4], 2, 2, 3)).ParamName);
        Assert.Equal("c", Assert.Throws<ArgumentException>(() => Gemm.Multiply(new float[6], new float[6], new float[3], 2, 2, 3)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(new float[6], new float[6], new float[4], -2, 2, 3));
    }

    private static IEnumerable<(int M, int N, int K)> SmallShapes() =>
        from m in SmallSizes from n in SmallSizes from k in SmallSizes select (m, n, k);

    private static IEnumerable<(int M, int N, int K)> AllShapes() => SmallShapes().Concat(LargeShapes);

    private static void AssertMatchesNaive<T>(int m, int n, int k, bool transA, bool transB, bool accumulate)
        where T : unmanaged
    {
        var random = new Random(HashCode.Combine(m, n, k, transA, transB, accumulate));
        T[] a = RandomArray<T>(random, m * k), b = RandomArray<T>(random, k * n), c = RandomArray<T>(random, m * n);
        double[] c0 = ToDouble(c);
        if (a is float[] af)
            Gemm.Multiply(af, (float[])(object)b, (float[])(object)c, m, n, k, transA, transB, accumulate);
        else
            Gemm.Multiply((double[])(object)a, (double[])(object)b, (double[])(object)c, m, n, k, transA, transB, accumulate);

        double epsilon = typeof(T) == typeof(float) ? 1e-6 : 1e-14;
        double[] ad = ToDouble(a), bd = ToDouble(b), actual = ToDouble(c);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = accumulate ? c0[(i * n) + j] : 0, scale = Math.Abs(sum);
                for (int p = 0; p < k; p++)
                {
                    double term = ad[transA ? (p * m) + i : (i * k) + p] * bd[transB ? (j * k) + p : (p * n) + j];
                    sum += term;
                    scale += Math.Abs(term);
                }

                double error = Math.Abs(actual[(i * n) + j] - sum);
                Assert.True(
                    error <= epsilon * Math.Sqrt(Math.Max(k, 1)) * scale,
                    $"{typeof(T).Name} m={m} n={n} k={k} transA={transA} transB={transB} accumulate={accumulate} at ({i},{j}): {actual[(i * n) + j]} vs {sum}");
            }
        }
    }

    private static T[] RandomArray<T>(Random random, int length)
    {
        var values = new T[length];
        for (int i = 0; i < length; i++)
        {
            double value = (random.NextDouble() * 2) - 1;
            values[i] = typeof(T) == typeof(float) ? (T)(object)(float)value : (T)(object)value;
        }

        return values;
    }

    private static double[] ToDouble<T>(T[] values) =>
        values is float[] floats ? Array.ConvertAll(floats, x => (double)x) : (double[])(object)values.Clone();
}
