using SharpGrad.Cli.Eval;
using SharpGrad.Cli.Train;
using SharpGrad.Tests.Data;
using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.Cli;

/// <summary>
/// The CNN takes 28×28 images, and rows and columns are checked, not only the pixel count: 14×56 images have 784
/// pixels too, and were taken as 28×28 without a word. An MLP records only how many values it takes, so for it
/// another rows × columns of as many pixels is the user's business.
/// </summary>
[Collection("KernelSettings")]
public sealed class ImageSizeTests : IDisposable
{
    private readonly TempDirectory _temp = new("sharpgrad-imagesize-");

    public void Dispose() => _temp.Dispose();

    /// <summary>A folder of the four MNIST files, each set 2 images of <paramref name="rows"/> × <paramref name="columns"/> (labels 3 and 7).</summary>
    private string Data(string name, int rows, int columns)
    {
        string folder = _temp.PathOf(name);
        Directory.CreateDirectory(folder);
        foreach (string set in new[] { "train", "t10k" })
        {
            File.WriteAllBytes(Path.Combine(folder, $"{set}-images-idx3-ubyte"), DataTestFiles.Idx(0x08, [2, rows, columns], new byte[2 * rows * columns]));
            File.WriteAllBytes(Path.Combine(folder, $"{set}-labels-idx1-ubyte"), DataTestFiles.Idx(0x08, [2], [3, 7]));
        }
        return folder;
    }

    /// <summary>A CNN trained for one epoch on 100 embedded digits and saved.</summary>
    private string SavedCnn()
    {
        string model = _temp.PathOf("cnn.safetensors");
        var (code, _, err) = CliRun.Train(new TrainOptions { Model = "cnn", Epochs = 1, TrainLimit = 100, SavePath = model });
        Assert.True(code == 0, err);
        return model;
    }

    [Theory]
    [InlineData(14, 56)] // 784 pixels, as many as 28×28
    [InlineData(14, 14)]
    public void TrainingTheCnn_OnImagesNot28By28_IsRefused_GivingTheirSize(int rows, int columns)
    {
        string data = Data("d", rows, columns);
        var (code, stdout, stderr) = CliRun.Train(new TrainOptions { Model = "cnn", Epochs = 1, DataDirectory = data });
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Equal($"sharpgrad train: --model cnn expects 28×28 images, but the training images are {rows}×{columns}.", stderr.TrimEnd());
    }

    [Fact]
    public void EvaluatingASavedCnn_On14By56Images_IsRefused_NamingTheModelAndBothSizes()
    {
        string model = SavedCnn(), data = Data("d", 14, 56);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Assert.Equal(2, EvalCommand.Run(model, data, stdout, stderr));
        Assert.Equal($"sharpgrad eval: --model {model}: the saved model takes 28×28 images (it starts with Unflatten[1, 28, 28]), but the test images are 14×56.", stderr.ToString().TrimEnd());
        Assert.Equal("", stdout.ToString());
    }

    [Fact]
    public void ResumingASavedCnn_On14By56Images_IsRefused_NamingTheResumedFile()
    {
        string model = SavedCnn(), data = Data("d", 14, 56);
        var (code, stdout, stderr) = CliRun.Train(new TrainOptions { Epochs = 2, ResumePath = model, DataDirectory = data });
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Equal($"sharpgrad train: --resume {model}: the saved model takes 28×28 images (it starts with Unflatten[1, 28, 28]), but the training images are 14×56.", stderr.TrimEnd());
    }

    [Fact]
    public void AnMlp_TakesImagesOfAnyShapeWithItsPixelCount()
    {
        // Trained on 28×28 digits; 14×56 images have the 784 values it takes, and nothing in the model says more.
        string model = _temp.PathOf("mlp.safetensors"), data = Data("d", 14, 56);
        var (code, _, err) = CliRun.TrainSmall(new TrainOptions { SavePath = model });
        Assert.True(code == 0, err);
        var stderr = new StringWriter();
        Assert.Equal(0, EvalCommand.Run(model, data, new StringWriter(), stderr));
        Assert.Equal("", stderr.ToString());
        (code, _, err) = CliRun.TrainSmall(new TrainOptions { DataDirectory = data });
        Assert.True(code == 0, err);
    }
}
