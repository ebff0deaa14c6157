using SharpGrad.Cli.Reports;
using SharpGrad.Cli.Train;
using SharpGrad.Tests.Data;
using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.Cli;

/// <summary>
/// The MNIST loader reads, for each of its four files, the first of four names that exists (raw before .gz, "-idx"
/// before ".idx"). An output was kept only off the files that existed, so --save d/train-labels-idx1-ubyte beside
/// train-labels-idx1-ubyte.gz was written, and the next train on d read the model as its labels and failed. Every name
/// the loader looks for is refused now, for each file output (--save, its optimizer state, --report's files).
/// </summary>
[Collection("KernelSettings")]
public sealed class DataShadowTests : IDisposable
{
    private readonly TempDirectory _data = DataTestFiles.SampleCopy();
    private readonly TempDirectory _temp = new("sharpgrad-data-shadow-");

    public void Dispose()
    {
        _data.Dispose();
        _temp.Dispose();
    }

    private string[] DataFiles() => [.. DataTestFiles.MnistFileNames.Select(_data.PathOf)];

    /// <summary>Asserts that train on the copied data is refused with exactly <paramref name="stderr"/>, and the data folder holds what it held.</summary>
    private void AssertRefusedDataKept(TrainOptions options, string stderr)
    {
        string[] before = FileHashes.Of(DataFiles());
        CliRun.AssertTrainRefused(options with { DataDirectory = _data.Path }, stderr);
        Assert.Equal(before, FileHashes.Of(DataFiles()));
        Assert.Equal([.. DataTestFiles.MnistFileNames.Order()], _data.Entries());
    }

    [Fact]
    public void Save_UnderTheRawNameOfACompressedDataFile_IsRefused()
    {
        string save = _data.PathOf("train-labels-idx1-ubyte");
        AssertRefusedDataKept(new TrainOptions { SavePath = save },
            $"sharpgrad train: --save {save} is a name --data's loader reads (before train-labels-idx1-ubyte.gz); writing there would shadow the data. Give --save another path.");
    }

    [Fact]
    public void Save_UnderALaterName_IsRefused()
    {
        // The dotted name is tried after the .gz one that is read now: it would be read once that is gone.
        string save = _data.PathOf("t10k-images.idx3-ubyte");
        AssertRefusedDataKept(new TrainOptions { SavePath = save },
            $"sharpgrad train: --save {save} is a name --data's loader looks for (for t10k-images-idx3-ubyte); a file written there would be taken for the data. Give --save another path.");
    }

    [Fact]
    public void Save_UnderANameOfAFileThatIsMissing_IsRefused()
    {
        File.Delete(_data.PathOf("t10k-labels-idx1-ubyte.gz"));
        string save = _data.PathOf("t10k-labels.idx1-ubyte.gz"), before = string.Join('\n', FileHashes.Of(DataFiles().SkipLast(1)));
        CliRun.AssertTrainRefused(new TrainOptions { SavePath = save, DataDirectory = _data.Path },
            $"sharpgrad train: --save {save} is a name --data's loader looks for (for t10k-labels-idx1-ubyte); a file written there would be taken for the data. Give --save another path.");
        Assert.Equal(before, string.Join('\n', FileHashes.Of(DataFiles().SkipLast(1))));
        Assert.False(File.Exists(save));
    }

    [Fact]
    public void SavedOptimizerState_ThroughALinkToAShadowingName_IsRefused()
    {
        string save = _temp.PathOf("m.safetensors"), state = TrainCommand.OptimizerPath(save), shadow = _data.PathOf("train-images-idx3-ubyte");
        File.CreateSymbolicLink(state, shadow);
        AssertRefusedDataKept(new TrainOptions { SavePath = save },
            $"sharpgrad train: --save (its optimizer-state file) {state} is {shadow} (through a symbolic link, both are {shadow}), a name --data's loader reads (before train-images-idx3-ubyte.gz); writing there would shadow the data. Give --save (its optimizer-state file) another path.");
        Assert.Equal(["m.safetensors.optimizer"], _temp.Entries());
    }

    [Fact]
    public void ReportFile_ThroughALinkToAShadowingName_IsRefused()
    {
        string report = _temp.PathOf("rep"), name = TrainingReport.FileNames[0], file = Path.Combine(report, name), shadow = _data.PathOf("t10k-labels-idx1-ubyte");
        Directory.CreateDirectory(report);
        File.CreateSymbolicLink(file, shadow);
        AssertRefusedDataKept(new TrainOptions { ReportDirectory = report },
            $"sharpgrad train: --report (its {name}) {file} is {shadow} (through a symbolic link, both are {shadow}), a name --data's loader reads (before t10k-labels-idx1-ubyte.gz); writing there would shadow the data. Give --report (its {name}) another path.");
        Assert.Equal([name], TempDirectory.EntriesOf(report));
    }

    [Fact]
    public void Save_InTheDataFolder_UnderANameOfItsOwn_IsWritten_AndTheDataStillLoads()
    {
        string save = _data.PathOf("train-labels-idx1-ubyte.safetensors");
        var (code, _, err) = CliRun.TrainSmall(new TrainOptions { SavePath = save, DataDirectory = _data.Path });
        Assert.True(code == 0, err);
        (code, _, err) = CliRun.TrainSmall(new TrainOptions { DataDirectory = _data.Path });
        Assert.True(code == 0, err);
    }
}
