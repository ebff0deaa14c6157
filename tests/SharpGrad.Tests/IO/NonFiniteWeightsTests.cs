using SharpGrad.IO;
using SharpGrad.Nn;
using SharpGrad.Optim;
using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.IO;

/// <summary>Model and optimizer files holding NaN or ±Infinity are refused, naming the file, the tensor and the first bad element.</summary>
public sealed class NonFiniteWeightsTests : IDisposable
{
    private readonly TempDirectory _temp = new("sharpgrad-nonfinite-");

    public void Dispose() => _temp.Dispose();

    private string PathOf(string name) => _temp.PathOf(name);

    // Flatten (0), Linear 784→5 (1), ReLU (2), Linear 5→10 (3).
    private static Sequential Mlp(ulong seed) => Models.Mlp([5], batchNorm: false, dropout: 0, new Generator(seed));

    [Fact]
    public void LoadModel_Throws_NamingTheFileTensorAndFirstElement_WhenAWeightIsNaN()
    {
        var model = Mlp(1);
        model.Parameters().ElementAt(0).F[1234] = float.NaN;
        model.Parameters().ElementAt(0).F[2000] = float.PositiveInfinity; // later: the first bad element is the one reported
        var path = PathOf("model.safetensors");
        model.Save(path);

        var e = Assert.Throws<SharpGradFormatException>(() => Module.LoadModel(path));
        Assert.Equal($"{path}: tensor '1.weight' holds NaN at element 1234", e.Message);
    }

    [Theory]
    [InlineData(float.PositiveInfinity, "+Infinity")]
    [InlineData(float.NegativeInfinity, "-Infinity")]
    public void Load_Throws_WhenABiasIsInfinite_AndChangesNothing(float bad, string named)
    {
        var source = Mlp(1);
        source.Parameters().ElementAt(3).F[7] = bad; // 3.bias
        var path = PathOf("model.safetensors");
        source.Save(path);
        var target = Mlp(2);
        var before = target.Parameters().Select(p => p.ToFloatArray()).ToList();

        var e = Assert.Throws<SharpGradFormatException>(() => target.Load(path));
        Assert.Equal($"{path}: tensor '3.bias' holds {named} at element 7", e.Message);
        Assert.Equal(before, target.Parameters().Select(p => p.ToFloatArray()));
    }

    [Fact]
    public void LoadState_Throws_WhenAMomentIsNaN()
    {
        var w = Tensor.Zeros(DType.Float64, 3).WithRequiresGrad();
        var adam = new Adam([w], 0.01);
        w.Sum().Backward();
        adam.Step();
        var path = PathOf("optimizer.safetensors");
        var state = adam.StateTensors().ToDictionary();
        string name = state.Keys.Order(StringComparer.Ordinal).First(k => state[k].Length == 3);
        state[name].D[2] = double.NaN;
        var saved = new Adam([w], 0.01);
        saved.LoadState(state);
        saved.SaveState(path);

        var e = Assert.Throws<SharpGradFormatException>(() => new Adam([w], 0.01).LoadState(path));
        Assert.Equal($"{path}: tensor '{name}' holds NaN at element 2", e.Message);
    }

    [Fact]
    public void LoadNpz_Throws_NamingTheArray_WhenAValueIsNaN()
    {
        var source = Mlp(1);
        source.Parameters().ElementAt(1).F[4] = float.NaN; // 1.bias
        var path = PathOf("model.npz");
        source.SaveNpz(path);

        var e = Assert.Throws<SharpGradFormatException>(() => Mlp(2).LoadNpz(path));
        Assert.Equal($"{path}: tensor '1.bias' holds NaN at element 4", e.Message);
    }
}
