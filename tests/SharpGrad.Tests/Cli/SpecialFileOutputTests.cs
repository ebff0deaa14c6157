using SharpGrad.Cli.Export;
using SharpGrad.Cli.Train;
using SharpGrad.Data;
using SharpGrad.IO;
using SharpGrad.Nn;
using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.Cli;

/// <summary>
/// Outputs of train and export that exist but are not regular files (devices, FIFOs) are refused before any work:
/// a full device failed only after every epoch, and a FIFO without a reader left a half-written pair and hung.
/// Every node here is made in the test's own temporary folder.
/// </summary>
[Collection("KernelSettings")]
public sealed class SpecialFileOutputTests : IDisposable
{
    private readonly TempDirectory _temp = new("sharpgrad-special-");

    public void Dispose() => _temp.Dispose();

    /// <summary>Train, failing within <see cref="FifoGuard.Bound"/> if it writes into <paramref name="fifo"/> instead of refusing it.</summary>
    private static (int Code, string Out, string Err) Train(TrainOptions options, string fifo) =>
        FifoGuard.Run(() => CliRun.TrainSmall(options), fifo);

    private static string Refusal(string option, string path) =>
        $"{option} {path}: is a device, FIFO or socket, not a regular file; give the name of a file to write.";

    [LinuxFact]
    public void Save_OntoAFifo_IsRefusedBeforeTraining_AndNoOptimizerFileIsWritten()
    {
        string fifo = _temp.PathOf("pipe.safetensors");
        Shell.Run("mkfifo", fifo);
        CliRun.AssertTrainRefused(new TrainOptions { SavePath = fifo }, $"sharpgrad train: {Refusal("--save", fifo)}", fifo);
        Assert.False(File.Exists(fifo + ".optimizer"));
        Assert.Equal("fifo", Shell.FileType(fifo));
    }

    [LinuxRootFact]
    public void Save_OntoACharacterDevice_IsRefusedBeforeTraining()
    {
        string full = _temp.PathOf("myfull");
        Shell.Run("mknod", full, "c", "1", "7");
        CliRun.AssertTrainRefused(new TrainOptions { SavePath = full }, $"sharpgrad train: {Refusal("--save", full)}");
        Assert.False(File.Exists(full + ".optimizer"));
        Assert.Equal("character special file", Shell.FileType(full));
    }

    [LinuxFact]
    public void Save_ThroughALinkToAFifo_IsRefusedBeforeTraining()
    {
        string fifo = _temp.PathOf("pipe"), link = _temp.PathOf("m.safetensors");
        Shell.Run("mkfifo", fifo);
        File.CreateSymbolicLink(link, "pipe");
        var (code, _, stderr) = Train(new TrainOptions { SavePath = link }, fifo);
        Assert.Equal(2, code);
        Assert.Equal($"sharpgrad train: {Refusal("--save", link)}", stderr.TrimEnd());
    }

    [LinuxFact]
    public void OptimizerFile_OntoAFifo_IsRefusedBeforeTraining_AndTheModelIsNotWritten()
    {
        string save = _temp.PathOf("m.safetensors");
        Shell.Run("mkfifo", save + ".optimizer");
        var (code, _, stderr) = Train(new TrainOptions { SavePath = save }, save + ".optimizer");
        Assert.Equal(2, code);
        Assert.Equal($"sharpgrad train: {Refusal("--save (its optimizer-state file)", save + ".optimizer")}", stderr.TrimEnd());
        Assert.False(File.Exists(save));
    }

    [LinuxFact]
    public void ReportFile_OntoAFifo_IsRefusedBeforeTraining()
    {
        string report = _temp.PathOf("r"), save = _temp.PathOf("m.safetensors");
        Directory.CreateDirectory(report);
        Shell.Run("mkfifo", Path.Combine(report, "curves.svg"));
        CliRun.AssertTrainRefused(new TrainOptions { SavePath = save, ReportDirectory = report }, $"sharpgrad train: {Refusal("--report (its curves.svg)", Path.Combine(report, "curves.svg"))}", Path.Combine(report, "curves.svg"));
        Assert.False(File.Exists(save));
    }

    [Fact]
    public void Save_ThroughADanglingLinkIntoAMissingFolder_IsRefusedBeforeTraining()
    {
        string link = _temp.PathOf("m.safetensors");
        File.CreateSymbolicLink(link, "missing/m.safetensors");
        CliRun.AssertTrainRefused(new TrainOptions { SavePath = link }, $"sharpgrad train: --save {link}: the folder {_temp.PathOf("missing")} does not exist.");
    }

    [LinuxFact]
    public void Export_OnnxOntoAFifo_IsRefused_BeforeWriting()
    {
        string model = _temp.PathOf("m.safetensors"), fifo = _temp.PathOf("m.onnx");
        Models.Mlp([4], batchNorm: false, dropout: 0, new Generator(1)).Save(model);
        Shell.Run("mkfifo", fifo);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Assert.Equal(2, FifoGuard.Run(() => ExportCommand.Run(model, fifo, inputShape: null, softmax: false, stdout, stderr), fifo));
        Assert.Equal($"sharpgrad export: {Refusal("--onnx", fifo)}", stderr.ToString().TrimEnd());
        Assert.Equal("", stdout.ToString());
        Assert.Equal("fifo", Shell.FileType(fifo));
    }

    [LinuxRootFact]
    public void Save_WhenTheModelCannotBeWrittenAfterTraining_NamesSave_AndRemovesTheOptimizerFile()
    {
        // The checks ran earlier; here the device stands in for a disk that filled up during training.
        string full = _temp.PathOf("full.safetensors");
        Shell.Run("mknod", full, "c", "1", "7");
        var e = Assert.Throws<IOException>(() => TrainCommand.Save(full, SmallTrainer(), new Dictionary<string, string>(), TextWriter.Null));
        Assert.StartsWith($"--save {full}: cannot write (", e.Message);
        Assert.Contains("space", e.Message); // ENOSPC
        Assert.False(File.Exists(full + ".optimizer"), "the optimizer half of the pair was left behind");
        Assert.Equal("character special file", Shell.FileType(full));
    }

    [LinuxRootFact]
    public void Save_WhenTheOptimizerFileCannotBeWrittenAfterTraining_NamesIt_AndWritesNoModel()
    {
        string save = _temp.PathOf("m.safetensors");
        Shell.Run("mknod", save + ".optimizer", "c", "1", "7");
        var e = Assert.Throws<IOException>(() => TrainCommand.Save(save, SmallTrainer(), new Dictionary<string, string>(), TextWriter.Null));
        Assert.StartsWith($"--save (its optimizer-state file) {save}.optimizer: cannot write (", e.Message);
        Assert.False(File.Exists(save));
    }

    private static Trainer SmallTrainer()
    {
        var (train, test) = Mnist.LoadEmbedded();
        return new Trainer(new TrainOptions { Epochs = 1, TrainLimit = 100, Hidden = [4] }.Resolve(), train, test);
    }
}
