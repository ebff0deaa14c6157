using SharpGrad.Cli;
using SharpGrad.Cli.Train;
using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.Cli;

/// <summary>Files and folders <c>sharpgrad train</c> reads: a problem names the option, the path and what is wrong.</summary>
[Collection("KernelSettings")]
public class TrainInputPathTests : IDisposable
{
    private readonly TempDirectory _temp = new("sharpgrad-inputs-");

    public void Dispose() => _temp.Dispose();

    private string Saved(string name, int hidden)
    {
        string path = _temp.PathOf(name);
        Assert.Equal(0, CliRun.Train(new TrainOptions { Epochs = 1, TrainLimit = 100, BatchSize = 50, Hidden = [hidden], SavePath = path }).Code);
        return path;
    }

    [Fact]
    public void Data_ThatIsAFile_IsSaidToBeAFileNotAFolder()
    {
        string file = _temp.PathOf("README.md");
        File.WriteAllText(file, "x");
        var (code, stdout, stderr) = CliRun.Train(new TrainOptions { DataDirectory = file, Epochs = 1 });
        Assert.Equal(2, code);
        Assert.Equal($"sharpgrad train: --data {file}: is a file, not a folder; give the folder that holds the MNIST files.", stderr.TrimEnd());
        Assert.Equal("", stdout);
    }

    [Theory]
    [InlineData("nope.safetensors")]
    [InlineData("no-such-folder/nope.safetensors")]
    public void Resume_FromAMissingFile_NamesTheOptionAndTheFile(string name)
    {
        string path = _temp.PathOf(name);
        var (code, stdout, stderr) = CliRun.Train(new TrainOptions { ResumePath = path });
        Assert.Equal(2, code);
        Assert.Equal($"sharpgrad train: --resume {path}: the file does not exist.", stderr.TrimEnd());
        Assert.Equal("", stdout);
    }

    [Fact]
    public void Resume_WithoutTheOptimizerFile_NamesTheOptionAndBothFiles()
    {
        string path = Saved("m.safetensors", 4);
        File.Delete(TrainCommand.OptimizerPath(path));
        var (code, _, stderr) = CliRun.Train(new TrainOptions { ResumePath = path, Epochs = 2 });
        Assert.Equal(2, code);
        Assert.Equal($"sharpgrad train: --resume {path}: its optimizer state {path}.optimizer is missing (--save writes it beside the model), so training cannot continue where it stopped.", stderr.TrimEnd());
    }

    [Fact]
    public void Resume_FromAMalformedFile_NamesTheOptionAndTheFileOnce()
    {
        string path = _temp.PathOf("broken.safetensors");
        File.WriteAllBytes(path, [1, 2, 3]);
        var (code, _, stderr) = CliRun.Train(new TrainOptions { ResumePath = path });
        Assert.Equal(2, code);
        Assert.Equal($"sharpgrad train: --resume {path}: the file holds 3 bytes, fewer than the 8-byte header length", stderr.TrimEnd());
    }

    [Fact]
    public void Resume_WithOptimizerStateOfAnotherModel_NamesTheFile_WithoutDotNetsParameterSuffix()
    {
        string small = Saved("small.safetensors", 4), large = Saved("large.safetensors", 6);
        File.Copy(TrainCommand.OptimizerPath(small), TrainCommand.OptimizerPath(large), overwrite: true);
        var (code, stdout, stderr) = CliRun.Train(new TrainOptions { ResumePath = large, Epochs = 2 });
        Assert.Equal(2, code);
        Assert.StartsWith($"sharpgrad train: --resume (its optimizer-state file) {large}.optimizer: Cannot load Sgd state: ", stderr);
        Assert.Contains("'0.momentum_buffer' is Float32 [4, 784], but parameter 0 is Float32 [6, 784]", stderr);
        Assert.EndsWith(".", stderr.TrimEnd());
        Assert.DoesNotContain("(Parameter", stderr);
        Assert.DoesNotContain("epoch", stdout);
    }

    [Fact]
    public void UnreadableFile_IsSaidToBeUnreadable_NamingTheOption()
    {
        // Root reads any file, so the permission error is raised by the reader here rather than by chmod.
        var e = Assert.Throws<ArgumentException>(() => InputPaths.Read<int>("/x/m.safetensors", "--resume", _ => throw new UnauthorizedAccessException("Access to the path '/x/m.safetensors' is denied.")));
        Assert.Equal("--resume /x/m.safetensors: the file cannot be read (permission denied).", e.Message);
    }

    [Fact]
    public void Clean_RemovesTheParameterSuffix_AlsoFromAWrappingException()
    {
        var inner = new ArgumentException("Cannot load Sgd state: 'x' is wrong.", "state");
        Assert.Equal("Cannot load Sgd state: 'x' is wrong.", Messages.Clean(inner));
        Assert.Equal("f: Cannot load Sgd state: 'x' is wrong.", Messages.Clean(new SharpGrad.IO.SharpGradFormatException("f", inner.Message, inner)));
    }
}
