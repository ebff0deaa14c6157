using Microsoft.ML.OnnxRuntime;
using SharpGrad.Data;
using SharpGrad.Nn;
using SharpGrad.Onnx;
using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.Interop;

/// <summary>Exported models run in ONNX Runtime (an independent implementation) must reproduce SharpGrad's outputs.</summary>
public sealed class OnnxExportTests : IDisposable
{
    private const int Batch = 64;
    private const double Tolerance = 1e-5;
    private static readonly Lazy<(Dataset Train, Dataset Test)> Digits = new(Mnist.LoadEmbedded);
    private readonly TempDirectory _temp = new("sharpgrad-npy-");

    public void Dispose() => _temp.Dispose();

    private static float[] TestDigits() => Digits.Value.Test.Features[..(Batch * 784)];

    /// <summary>Exports, runs both in evaluation mode on the same test digits, and returns the largest |difference|.</summary>
    private double ExportAndCompare(Module model, int[] inputShape, bool appendSoftmax = false)
    {
        var path = _temp.PathOf("model.onnx");
        model.ExportOnnx(path, [1, .. inputShape], appendSoftmax);

        var features = TestDigits();
        model.Eval();
        float[] expected;
        using (Tensor.NoGrad())
        {
            var y = model.Forward(Tensor.Wrap(features, [Batch, .. inputShape]));
            expected = (appendSoftmax ? y.Softmax() : y).ToFloatArray();
        }

        using var session = new InferenceSession(path);
        using var input = OrtValue.CreateTensorValueFromMemory(features, [Batch, .. inputShape.Select(d => (long)d)]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, ["input"], [input], ["output"]);
        var actual = outputs[0].GetTensorDataAsSpan<float>().ToArray();

        Assert.Equal(expected.Length, actual.Length);
        Assert.Equal([Batch, expected.Length / Batch], outputs[0].GetTensorTypeAndShape().Shape);
        return expected.Zip(actual, (e, a) => Math.Abs((double)e - a)).Max();
    }

    /// <summary>A few training-mode forward passes so BatchNorm's running statistics are far from their 0/1 start.</summary>
    private static void WarmUpBatchNorm(Module model, int[] inputShape)
    {
        using var _ = Tensor.NoGrad();
        model.Train();
        for (int i = 0; i < 5; i++)
            model.Forward(Tensor.Wrap(Digits.Value.Train.Features[(i * 100 * 784)..((i + 1) * 100 * 784)], [100, .. inputShape]));
    }

    [Fact]
    public void Mlp_Gemm_Relu_Sigmoid_Tanh_MatchesOnnxRuntime()
    {
        var g = new Generator(11);
        var model = new Sequential(new Linear(784, 100, g), new ReLU(), new Linear(100, 50, g), new SharpGrad.Nn.Sigmoid(), new Linear(50, 20, g), new SharpGrad.Nn.Tanh(), new Linear(20, 10, g, bias: false));

        Assert.InRange(ExportAndCompare(model, [784]), 0, Tolerance);
    }

    [Fact]
    public void Mlp_WithSoftmax_MatchesOnnxRuntime()
    {
        var model = new Sequential(new Linear(784, 30, new Generator(5)), new ReLU(), new Linear(30, 10, new Generator(6)));

        Assert.InRange(ExportAndCompare(model, [784], appendSoftmax: true), 0, Tolerance);
    }

    [Fact]
    public void Flatten_AndLinearOnRank3_UseFlattenAndMatMul()
    {
        var g = new Generator(3);
        var model = new Sequential(new Unflatten(28, 28), new Linear(28, 6, g), new ReLU(), new Flatten(), new Linear(28 * 6, 10, g));

        Assert.InRange(ExportAndCompare(model, [784]), 0, Tolerance);
    }

    [Fact]
    public void Cnn_Conv_BatchNorm_Pools_Dropout_MatchesOnnxRuntime()
    {
        var g = new Generator(21);
        var model = new Sequential(
            new Unflatten(1, 28, 28),
            new Conv2d(1, 4, 3, g, padding: 1), new BatchNorm2d(4), new ReLU(), new MaxPool2d(2),
            new Conv2d(4, 6, 3, g, stride: 1), new SharpGrad.Nn.Tanh(), new AvgPool2d(2, padding: 1),
            new Conv2d(6, 5, (3, 2), g, stride: (2, 1), padding: (1, 0)), new ReLU(), new MaxPool2d(3, stride: 2, padding: 1),
            new Flatten(), new Dropout(0.5, g), new Linear(5 * 2 * 3, 16, g), new BatchNorm1d(16), new ReLU(), new Linear(16, 10, g));
        WarmUpBatchNorm(model, [784]);

        Assert.InRange(ExportAndCompare(model, [784]), 0, Tolerance);
    }

    [Fact]
    public void LibraryCnn_WithBatchNormAndDropout_MatchesOnnxRuntime()
    {
        var model = Models.Cnn(new Generator(8), batchNorm: true, dropout: 0.3);
        WarmUpBatchNorm(model, [1, 28, 28]);

        Assert.InRange(ExportAndCompare(model, [1, 28, 28]), 0, Tolerance);
    }

    [Fact]
    public void Export_RestoresTrainingMode_AndWritesOpset13()
    {
        var model = new Sequential(new Linear(4, 2, new Generator(1)));
        var path = _temp.PathOf("mode.onnx");

        OnnxExport.Export(model, path, [1, 4]);

        Assert.True(model.Training);
        using var session = new InferenceSession(path);
        Assert.Equal(["input"], session.InputNames);
        Assert.Equal(["output"], session.OutputNames);
        Assert.Equal(-1, session.InputMetadata["input"].Dimensions[0]); // the symbolic batch dimension "N"
        Assert.Equal("N", session.InputMetadata["input"].SymbolicDimensions[0]);
        Assert.Equal("SharpGrad", session.ModelMetadata.ProducerName);
    }

    private sealed class Custom : Module
    {
        public override Tensor Forward(Tensor input) => input;
    }

    [Fact]
    public void Export_Throws_NamingAnUnsupportedLayer()
    {
        var model = new Sequential(new Linear(4, 2, new Generator(1)), new Custom());

        var e = Assert.Throws<NotSupportedException>(() => model.ExportOnnx(_temp.PathOf("x.onnx"), [1, 4]));

        Assert.Contains("Custom", e.Message);
        Assert.False(File.Exists(_temp.PathOf("x.onnx")));
    }
}
