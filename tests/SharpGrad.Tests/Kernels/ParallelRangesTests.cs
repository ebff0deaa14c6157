using SharpGrad.Kernels;
using SharpGrad.Optim;
using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.Kernels;

[Collection("KernelSettings")]
public class ParallelRangesTests
{
    private static T WithThreads<T>(int threads, Func<T> run)
    {
        using var settings = new KernelSettingsScope(threads);
        return run();
    }

    [Theory]
    [InlineData(ParallelRanges.MinParallelLength - 1)]
    [InlineData(ParallelRanges.MinParallelLength + 65)] // split, with a piece boundary rounded to 64 and a ragged end
    [InlineData(1_000_003)]
    public void SgdMomentum_OnOneAndTwoThreads_MatchesTheScalarRuleBitForBit(int length)
    {
        float[] Run(int threads) => WithThreads(threads, () =>
        {
            var g = new Generator(11);
            var w = Tensor.RandomNormal(g, 0, 1, DType.Float32, length).WithRequiresGrad();
            var grad = Tensor.RandomNormal(g, 0, 1, DType.Float32, length);
            var sgd = new Sgd([w], 0.1, momentum: 0.9);
            for (int step = 0; step < 3; step++)
            {
                w.Grad = grad;
                sgd.Step();
            }
            return w.ToFloatArray();
        });

        // The rule by hand, in float32, one element at a time: v = 0.9·v + g; w = w + (−0.1)·v.
        var gen = new Generator(11);
        var w0 = Tensor.RandomNormal(gen, 0, 1, DType.Float32, length).ToFloatArray();
        var g0 = Tensor.RandomNormal(gen, 0, 1, DType.Float32, length).ToFloatArray();
        var expected = (float[])w0.Clone();
        var v = new float[length];
        for (int step = 0; step < 3; step++)
            for (int i = 0; i < length; i++)
            {
                v[i] = v[i] * 0.9f + g0[i];
                expected[i] = v[i] * -0.1f + expected[i];
            }

        var one = Run(1);
        var two = Run(2);
        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), one.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(one.Select(BitConverter.SingleToInt32Bits), two.Select(BitConverter.SingleToInt32Bits));
    }

    [Theory]
    [InlineData(1_003, 1, KernelPath.Vector512)] // a ragged tail after the vectors
    [InlineData(1_003, 1, KernelPath.Vector256)]
    [InlineData(1_003, 1, KernelPath.Portable)]
    [InlineData(ParallelRanges.MinParallelLength + 65, 1, null)]
    [InlineData(ParallelRanges.MinParallelLength + 65, 2, null)]
    internal void SgdMomentum_AVelocityThatTurnsSubnormal_IsStoredAsAZeroOfItsSign(int length, int threads, KernelPath? path)
    {
        // Gradients near the bottom of the normal range, then zeros for most elements (dead units): v decays through
        // the subnormals, where the optimizer stores ±0 instead.
        const int steps = 40;
        var gen = new Generator(3);
        var w0 = Tensor.RandomNormal(gen, 0, 1, DType.Float32, length).ToFloatArray();
        var first = Tensor.RandomNormal(gen, 0, 1e-37, DType.Float32, length).ToFloatArray();
        var later = Tensor.RandomNormal(gen, 0, 1, DType.Float32, length).ToFloatArray();
        // Zero gradients of both signs: −0 keeps a flushed −0 velocity negative (−0 + −0), +0 turns it into +0.
        float[] sparse = [.. later.Select((x, i) => i % 4 == 0 ? x : i % 4 == 1 ? -0f : 0f)];
        float[] Gradient(int step) => step == 0 ? first : sparse;

        (float[] W, float[] V) actual;
        using (new KernelSettingsScope(threads))
        {
            KernelSettings.PathOverride = path; // null: the machine's own path (the scope restores the override too)
            var w = Tensor.FromArray(w0).WithRequiresGrad();
            var sgd = new Sgd([w], 0.1, momentum: 0.9);
            for (int step = 0; step < steps; step++)
            {
                w.Grad = Tensor.FromArray(Gradient(step));
                sgd.Step();
            }
            actual = (w.ToFloatArray(), sgd.StateTensors()["0.momentum_buffer"].ToFloatArray());
        }

        float minNormal = BitConverter.Int32BitsToSingle(0x0080_0000);
        var expectedW = (float[])w0.Clone();
        var expectedV = new float[length];
        int flushed = 0;
        for (int step = 0; step < steps; step++)
        {
            var g = Gradient(step);
            for (int i = 0; i < length; i++)
            {
                float v = (expectedV[i] * 0.9f) + g[i];
                if (v != 0 && Math.Abs(v) < minNormal)
                {
                    v = v < 0 ? -0f : 0f;
                    flushed++;
                }
                expectedV[i] = v;
                expectedW[i] = (v * -0.1f) + expectedW[i];
            }
        }

        Assert.True(flushed > length / 2, $"only {flushed} flushes: the test does not reach the subnormals");
        Assert.Contains(expectedV, v => v == 0 && float.IsNegative(v));
        Assert.Equal(expectedV.Select(BitConverter.SingleToInt32Bits), actual.V.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(expectedW.Select(BitConverter.SingleToInt32Bits), actual.W.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void SgdMomentum_Float64_FlushesOnlyBelowTheDoubleNormalRange()
    {
        // 1e-300 is subnormal in float32 terms but normal in float64: kept. 1e-310 is a float64 subnormal: flushed.
        var w = Tensor.FromArray([1.0, 1.0, 1.0]).WithRequiresGrad();
        var sgd = new Sgd([w], 0.5, momentum: 0.5);
        w.Grad = Tensor.FromArray([1e-300, 1e-310, -1e-310]);
        sgd.Step();
        var v = sgd.StateTensors()["0.momentum_buffer"].ToDoubleArray();
        Assert.Equal(1e-300, v[0]);
        Assert.Equal(BitConverter.DoubleToInt64Bits(0.0), BitConverter.DoubleToInt64Bits(v[1]));
        Assert.Equal(BitConverter.DoubleToInt64Bits(-0.0), BitConverter.DoubleToInt64Bits(v[2]));
        Assert.Equal([1.0, 1.0, 1.0], w.ToDoubleArray());
    }

    [Theory]
    [InlineData(17, false, 1)]
    [InlineData(17, true, 2)]
    [InlineData(ParallelRanges.MinParallelLength + 65, false, 1)]
    [InlineData(ParallelRanges.MinParallelLength + 65, false, 2)]
    [InlineData(ParallelRanges.MinParallelLength + 65, true, 2)]
    public void Adam_Vectorised_MatchesTheScalarRuleBitForBit(int length, bool decoupled, int threads)
    {
        const float lr = 0.01f, b1 = 0.9f, b2 = 0.999f, eps = 1e-8f, wd = 0.05f;
        var gen = new Generator(5);
        var w0 = Tensor.RandomNormal(gen, 0, 1, DType.Float32, length).ToFloatArray();
        var grads = Enumerable.Range(0, 3).Select(_ => Tensor.RandomNormal(gen, 0, 1, DType.Float32, length).ToFloatArray()).ToArray();

        var actual = WithThreads(threads, () =>
        {
            var w = Tensor.FromArray(w0).WithRequiresGrad();
            Optimizer adam = decoupled ? new AdamW([w], lr, b1, b2, eps, wd) : new Adam([w], lr, b1, b2, eps, wd);
            foreach (var g in grads)
            {
                w.Grad = Tensor.FromArray(g);
                adam.Step();
            }
            return w.ToFloatArray();
        });

        // PyTorch's rule, one element at a time in float32, the constants rounded from double as the optimizer does.
        var expected = (float[])w0.Clone();
        var m = new float[length];
        var v = new float[length];
        for (int t = 1; t <= grads.Length; t++)
        {
            float stepSize = (float)(lr / (1 - Math.Pow(b1, t)));
            float correction = (float)Math.Sqrt(1 - Math.Pow(b2, t));
            float decay = (float)(1 - (double)lr * wd);
            for (int i = 0; i < length; i++)
            {
                float g = grads[t - 1][i];
                if (decoupled) expected[i] *= decay;
                else g += wd * expected[i];
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                expected[i] -= stepSize * m[i] / (MathF.Sqrt(v[i]) / correction + eps);
            }
        }
        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), actual.Select(BitConverter.SingleToInt32Bits));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void ZeroGrad_OfALargeGradient_ClearsEveryElement(int threads)
    {
        WithThreads(threads, () =>
        {
            var w = Tensor.Zeros(ParallelRanges.MinParallelLength * 2 + 7).WithRequiresGrad();
            w.Grad = Tensor.Full(3, DType.Float32, w.Length);
            w.ZeroGrad();
            Assert.All(w.Grad!.ToFloatArray(), v => Assert.Equal(0f, v));
            var d = Tensor.Zeros(DType.Float64, ParallelRanges.MinParallelLength + 1).WithRequiresGrad();
            d.Grad = Tensor.Full(-1, DType.Float64, d.Length);
            d.ZeroGrad();
            Assert.All(d.Grad!.ToDoubleArray(), v => Assert.Equal(0.0, v));
            return 0;
        });
    }
}
