using SharpGrad.Cli.Train;
using SharpGrad.Tests.Data;
using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.Cli;

/// <summary>
/// An output that lands on a file the same command reads (train's --data files and --resume pair, export's --model)
/// is refused before any work, naming both options and the path, and the input is left byte for byte as it was.
/// </summary>
[Collection("KernelSettings")]
public sealed class OutputsOntoInputsTests : IDisposable
{
    private readonly TempDirectory _data = DataTestFiles.SampleCopy();
    private readonly TempDirectory _temp = new("sharpgrad-onto-inputs-");

    public void Dispose()
    {
        _data.Dispose();
        _temp.Dispose();
    }

    /// <summary>A small model trained on the embedded sample and saved as m.safetensors (with its optimizer state) in the temp folder.</summary>
    private string SavedModel()
    {
        string model = _temp.PathOf("m.safetensors");
        var (code, _, err) = CliRun.TrainSmall(new TrainOptions { SavePath = model });
        Assert.True(code == 0, err);
        return model;
    }

    private string[] DataFiles() => [.. DataTestFiles.MnistFileNames.Select(_data.PathOf)];

    /// <summary>Asserts that train with <paramref name="options"/> on the copied data is refused with <paramref name="stderr"/>, the data untouched.</summary>
    private void AssertRefusedDataKept(TrainOptions options, string stderr)
    {
        string[] before = FileHashes.Of(DataFiles());
        CliRun.AssertTrainRefused(options with { DataDirectory = _data.Path }, stderr);
        Assert.Equal(before, FileHashes.Of(DataFiles()));
        Assert.Equal([.. DataTestFiles.MnistFileNames.Order()], _data.Entries()); // no optimizer-state file, no temporary file
    }

    [Fact]
    public void Save_OnADataFile_IsRefused()
    {
        string save = _data.PathOf("train-images-idx3-ubyte.gz");
        AssertRefusedDataKept(new TrainOptions { SavePath = save },
            $"sharpgrad train: --save {save} is one of the files --data reads; writing there would destroy it. Give --save another path.");
    }

    [Fact]
    public void Save_OnADataFile_SpelledThroughDotDot_IsRefused()
    {
        string save = Path.Combine(_data.Path, "..", Path.GetFileName(_data.Path), "t10k-labels-idx1-ubyte.gz");
        AssertRefusedDataKept(new TrainOptions { SavePath = save },
            $"sharpgrad train: --save {save} is one of the files --data reads; writing there would destroy it. Give --save another path.");
    }

    [Fact]
    public void SavedOptimizerState_ThroughASymbolicLinkToADataFile_IsRefused()
    {
        string data = _data.PathOf("t10k-images-idx3-ubyte.gz"), save = _temp.PathOf("m.safetensors"), state = TrainCommand.OptimizerPath(save);
        File.CreateSymbolicLink(state, data);
        AssertRefusedDataKept(new TrainOptions { SavePath = save },
            $"sharpgrad train: --save (its optimizer-state file) {state} is the --data file {data} (through a symbolic link, both are {data}); writing there would destroy it. Give --save (its optimizer-state file) another path.");
        Assert.Equal(["m.safetensors.optimizer"], _temp.Entries());
    }

    [Fact]
    public void Save_ThroughASymbolicLinkToADataFile_IsRefused()
    {
        string data = _data.PathOf("t10k-labels-idx1-ubyte.gz"), save = _temp.PathOf("m.safetensors");
        File.CreateSymbolicLink(save, data);
        AssertRefusedDataKept(new TrainOptions { SavePath = save },
            $"sharpgrad train: --save {save} is the --data file {data} (through a symbolic link, both are {data}); writing there would destroy it. Give --save another path.");
    }

    [Fact]
    public void ReportFile_ThroughASymbolicLinkToADataFile_IsRefused()
    {
        string report = _temp.PathOf("report"), data = _data.PathOf("train-labels-idx1-ubyte.gz");
        Directory.CreateDirectory(report);
        string metrics = Path.Combine(report, "metrics.csv");
        File.CreateSymbolicLink(metrics, data);
        AssertRefusedDataKept(new TrainOptions { ReportDirectory = report },
            $"sharpgrad train: --report (its metrics.csv) {metrics} is the --data file {data} (through a symbolic link, both are {data}); writing there would destroy it. Give --report (its metrics.csv) another path.");
        Assert.Equal(["metrics.csv"], TempDirectory.EntriesOf(report));
    }

    [LinuxInodeFact]
    public void Save_OnAHardLinkToADataFile_IsRefused()
    {
        string data = _data.PathOf("train-images-idx3-ubyte.gz"), save = _temp.PathOf("m.safetensors");
        Shell.Run("ln", data, save);
        AssertRefusedDataKept(new TrainOptions { SavePath = save },
            $"sharpgrad train: --save {save} is the --data file {data} under another name (a hard link, or one folder reached by two paths). Give --save another path.");
        Assert.Equal(Shell.Run("stat", "-c", "%d:%i", data), Shell.Run("stat", "-c", "%d:%i", save)); // still one file: one device and inode
    }

    [Fact]
    public void Save_AndReport_InsideTheDataFolder_UnderNamesOfTheirOwn_AreWritten()
    {
        string[] before = FileHashes.Of(DataFiles());
        string save = _data.PathOf("m.safetensors"), report = _data.Path;
        var (code, _, err) = CliRun.TrainSmall(new TrainOptions { DataDirectory = _data.Path, SavePath = save, ReportDirectory = report });
        Assert.True(code == 0, err);
        Assert.Equal(before, FileHashes.Of(DataFiles()));
        Assert.True(File.Exists(save));
    }

    [Fact]
    public void Save_WithTheEmbeddedData_HasNoDataFilesToSpare()
    {
        // No --data: the sample is read from the assembly, so a file named like an MNIST file is an output like any other.
        string save = _temp.PathOf("train-images-idx3-ubyte.gz");
        var (code, _, err) = CliRun.TrainSmall(new TrainOptions { SavePath = save });
        Assert.True(code == 0, err);
        Assert.True(File.Exists(save));
    }

    [LinuxInodeFact]
    public void ReportFile_OnAHardLinkToTheResumedModel_IsRefused()
    {
        string model = SavedModel();
        string report = _temp.PathOf("report"), metrics = Path.Combine(report, "metrics.csv");
        Directory.CreateDirectory(report);
        Shell.Run("ln", model, metrics);
        string[] files = [model, TrainCommand.OptimizerPath(model)];
        string[] before = FileHashes.Of(files);
        CliRun.AssertTrainRefused(new TrainOptions { ResumePath = model, Epochs = 2, ReportDirectory = report },
            $"sharpgrad train: --resume {model} and --report (its metrics.csv) {metrics} are one file under two names (a hard link, or one folder reached by two paths); give them different paths.");
        Assert.Equal(before, FileHashes.Of(files));
    }

    [LinuxInodeFact]
    public void Onnx_OnAHardLinkToTheModel_IsRefused()
    {
        string model = SavedModel(), onnx = _temp.PathOf("m.onnx");
        Shell.Run("ln", model, onnx);
        string[] before = FileHashes.Of([model]);
        CliRun.AssertExportRefused(model, onnx,
            $"sharpgrad export: --onnx {onnx} is the model file {model} under another name (a hard link, or one folder reached by two paths). Choose another name (e.g. model.onnx).");
        Assert.Equal(before, FileHashes.Of([model]));
    }

    [LinuxInodeFact]
    public void Onnx_OnAHardLinkToTheOptimizerState_IsRefused()
    {
        string model = SavedModel(), state = TrainCommand.OptimizerPath(model), onnx = _temp.PathOf("m.onnx");
        Shell.Run("ln", state, onnx);
        string[] before = FileHashes.Of([model, state]);
        CliRun.AssertExportRefused(model, onnx,
            $"sharpgrad export: --onnx {onnx} is the optimizer-state file {state} saved beside the model, under another name (a hard link, or one folder reached by two paths). Choose another name (e.g. model.onnx).");
        Assert.Equal(before, FileHashes.Of([model, state]));
    }
}
