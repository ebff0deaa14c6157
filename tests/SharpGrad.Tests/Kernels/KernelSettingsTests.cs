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
    public void Threads_AtTheMaximum_IsAccepted_AndAProductIsStillExact()
    {
        using var settings = new KernelSettingsScope(KernelSettings.MaxThreads);
        var g = new Generator(5);
        var a = Tensor.RandomNormal(g, 0, 1, DType.Float64, 3, 4);
        var b = Tensor.RandomNormal(g, 0, 1, DType.Float64, 4, 2);
        var c = a.MatMul(b);
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 2; j++)
            {
                double expected = 0;
                for (int p = 0; p < 4; p++) expected += a[i, p] * b[p, j];
                Assert.Equal(expected, c[i, j], 12);
            }
    }
}
