using System.Diagnostics;
using SharpGrad.Kernels;
using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.Kernels;

[Collection("KernelSettings")]
public class KernelSettingsTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(KernelSettings.MaxThreads + 1)]
    [InlineData(100_000)]
    public void Threads_OutsideOneToMax_IsRefusedNamingTheRange_AndKeepsTheOldValue(int threads)
    {
        using var restore = new KernelSettingsScope(); // were the value ever accepted, it would not leak into other tests
        int saved = KernelSettings.Threads;
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => KernelSettings.Threads = threads);
        Assert.Contains($"between 1 and {KernelSettings.MaxThreads}, not {threads}", e.Message);
        Assert.Equal(
            $"KernelSettings.Threads must be between 1 and {KernelSettings.MaxThreads}, not {threads} (this machine has {Environment.ProcessorCount} cores). (Parameter 'value')",
            e.Message); // one sentence: no "Actual value was …" line
        Assert.Equal(saved, KernelSettings.Threads);
    }

    [Fact]
    public void Threads_AtTheMaximum_SplitsAProduct256Ways_WithTheOneThreadBits_AndTheNaiveValues()
    {
        // 16 × 64 times 64 × 8200: 8.4 million multiply-adds, above the 2²¹ from which a product is split, and at least
        // 257 column tiles (a tile is two vectors, at most 32 floats or 16 doubles wide), so 256 threads make 256 parts.
        const int m = 16, k = 64, n = 8200;
        var random = new Random(5);
        double[] a = [.. Enumerable.Range(0, m * k).Select(_ => random.NextDouble() * 2 - 1)];
        double[] b = [.. Enumerable.Range(0, k * n).Select(_ => random.NextDouble() * 2 - 1)];
        float[] af = Array.ConvertAll(a, x => (float)x), bf = Array.ConvertAll(b, x => (float)x);
        double[] one = new double[m * n], many = new double[m * n];
        float[] oneF = new float[m * n], manyF = new float[m * n];
        using (new KernelSettingsScope(threads: 1))
        {
            Gemm.Multiply(a, b, one, m, n, k);
            Gemm.Multiply(af, bf, oneF, m, n, k);
        }

        using (new KernelSettingsScope(KernelSettings.MaxThreads))
        {
            Assert.Equal(256, KernelSettings.Threads);
            Gemm.Multiply(a, b, many, m, n, k);
            Gemm.Multiply(af, bf, manyF, m, n, k);
            // A part per thread needs a worker per part beyond the caller's, kept for the process's lifetime. A product of
            // a test running beside this one may hold the pool (this call then runs on one thread): try again a few times.
            for (int attempt = 0; attempt < 20 && Process.GetCurrentProcess().Threads.Count < KernelSettings.MaxThreads; attempt++)
                Gemm.Multiply(a, b, new double[m * n], m, n, k);
            Assert.True(Process.GetCurrentProcess().Threads.Count >= KernelSettings.MaxThreads,
                $"{Process.GetCurrentProcess().Threads.Count} threads: the product was never split {KernelSettings.MaxThreads} ways");
        }

        Assert.Equal(one.Select(BitConverter.DoubleToInt64Bits), many.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(oneF.Select(BitConverter.SingleToInt32Bits), manyF.Select(BitConverter.SingleToInt32Bits));

        // The triple loop, in double: a few units of rounding per √k terms (float: of float's rounding).
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = 0, scale = 0;
                for (int p = 0; p < k; p++)
                {
                    sum += a[(i * k) + p] * b[(p * n) + j];
                    scale += Math.Abs(a[(i * k) + p] * b[(p * n) + j]);
                }
                double sumF = 0;
                for (int p = 0; p < k; p++) sumF += (double)af[(i * k) + p] * bf[(p * n) + j];
                Assert.True(Math.Abs(many[(i * n) + j] - sum) <= 1e-14 * Math.Sqrt(k) * scale, $"double ({i},{j}): {many[(i * n) + j]} vs {sum}");
                Assert.True(Math.Abs(manyF[(i * n) + j] - sumF) <= 1e-6 * Math.Sqrt(k) * scale, $"float ({i},{j}): {manyF[(i * n) + j]} vs {sumF}");
            }
    }
}
