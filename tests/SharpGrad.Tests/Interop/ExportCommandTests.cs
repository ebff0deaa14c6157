using Microsoft.ML.OnnxRuntime;
using SharpGrad.Cli.Export;
using SharpGrad.Data;
using SharpGrad.IO;
using SharpGrad.Nn;
using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.Interop;

public sealed class ExportCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new("sharpgrad-npy-");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Export_SavedModel_RunsInOnnxRuntimeWithTheSameOutputs()
    {
        var model = Models.Mlp([32], batchNorm: true, dropout: 0.2, new Generator(4));
        var modelPath = _temp.PathOf("mlp.safetensors");
        model.Save(modelPath);
        var onnxPath = _temp.PathOf("mlp.onnx");
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        int exitCode = ExportCommand.Run(modelPath, onnxPath, inputShape: null, softmax: false, stdout, stderr);

        Assert.True(exitCode == 0, stderr.ToString());
        Assert.Contains("input [N, 784]", stdout.ToString());
        var features = Mnist.LoadEmbedded().Test.Features[..(16 * 784)];
        float[] expected;
        model.Eval();
        using (Tensor.NoGrad()) expected = model.Forward(Tensor.Wrap(features, 16, 784)).ToFloatArray();
        using var session = new InferenceSession(onnxPath);
        using var input = OrtValue.CreateTensorValueFromMemory(features, [16, 784]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, ["input"], [input], ["output"]);
        var actual = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        Assert.InRange(expected.Zip(actual, (e, a) => Math.Abs((double)e - a)).Max(), 0, 1e-5);
    }

    [Fact]
    public void Export_WithAnInputShapeTheModelCannotTake_NamesTheOptionAndTheShapeGiven_AndWritesNothing()
    {
        // Models.Mlp starts Flatten, Linear(784 → 4): a 3 × 3 sample flattens to 9 features, not 784.
        var modelPath = _temp.PathOf("m.safetensors");
        Models.Mlp([4], batchNorm: false, dropout: 0, new Generator(1)).Save(modelPath);
        var stderr = new StringWriter();
        Assert.Equal(2, ExportCommand.Run(modelPath, _temp.PathOf("m.onnx"), inputShape: "3,3", softmax: false, new StringWriter(), stderr));
        Assert.Equal("sharpgrad export: --input-shape 3,3: a sample of 9 values, but the model's first layer Linear(784 → 4) takes 784.", stderr.ToString().TrimEnd());
        Assert.Equal(["m.safetensors"], _temp.Entries());
    }

    [Theory]
    [InlineData("1,14,56")] // 784 values, but not 28 × 28: the Unflatten would silently reshape them
    [InlineData("1,1,28,28")]
    [InlineData("1,2147483647")] // refused before a 8.6 GB sample is made
    public void Export_OfACnn_TakesOnly784ValuesOrItsImageShape(string inputShape)
    {
        var modelPath = _temp.PathOf("cnn.safetensors");
        Models.Cnn(new Generator(1)).Save(modelPath);
        var stderr = new StringWriter();
        Assert.Equal(2, ExportCommand.Run(modelPath, _temp.PathOf("c.onnx"), inputShape, softmax: false, new StringWriter(), stderr));
        Assert.Equal($"sharpgrad export: --input-shape {inputShape}: the model takes samples of shape [1, 28, 28] (it starts with Unflatten[1, 28, 28]); give 784 or 1,28,28.", stderr.ToString().TrimEnd());
        foreach (string good in (string[])["784", "1,28,28"])
        {
            var err = new StringWriter();
            Assert.True(ExportCommand.Run(modelPath, _temp.PathOf("c.onnx"), good, softmax: false, new StringWriter(), err) == 0, err.ToString());
        }
    }

    [Fact]
    public void Export_ReportsAMissingModelFile_WithExitCode2()
    {
        var stderr = new StringWriter();

        int exitCode = ExportCommand.Run(_temp.PathOf("none.safetensors"), _temp.PathOf("x.onnx"), null, false, TextWriter.Null, stderr);

        Assert.Equal(2, exitCode);
        Assert.StartsWith("sharpgrad export: ", stderr.ToString());
    }

    [Fact]
    public void Export_OntoTheModelFileItself_IsRefused_AndTheModelSurvives()
    {
        var modelPath = _temp.PathOf("self.safetensors");
        Models.Mlp([4], batchNorm: false, dropout: 0, new Generator(1)).Save(modelPath);
        byte[] before = File.ReadAllBytes(modelPath);
        var stderr = new StringWriter();
        Assert.Equal(2, ExportCommand.Run(modelPath, modelPath, inputShape: null, softmax: false, new StringWriter(), stderr));
        Assert.Contains("would destroy the model", stderr.ToString());
        Assert.Equal(before, File.ReadAllBytes(modelPath));
    }
}
