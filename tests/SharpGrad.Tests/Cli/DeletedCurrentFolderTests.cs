using SharpGrad.Cli.Calc;
using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.Cli;

/// <summary>
/// A relative output path when the shell's current folder has been deleted. calc used to crash with a stack trace
/// (an unhandled FileNotFoundException from Path.GetFullPath), and train and export said only "--save Unable to find
/// the specified file.". Each runs the command in its own process, whose current folder is deleted before it starts.
/// </summary>
public sealed class DeletedCurrentFolderTests : IDisposable
{
    private readonly TempDirectory _temp = new("sharpgrad-deleted-cwd-");

    public void Dispose() => _temp.Dispose();

    private const string Gone = "the current folder no longer exists (it was deleted), so a relative path leads nowhere; change to a folder that exists or give an absolute path.";

    /// <summary>Runs sharpgrad with <paramref name="arguments"/> in a folder deleted just before.</summary>
    private (int Code, string Out, string Err) RunInDeletedFolder(params string[] arguments)
    {
        string cli = typeof(CalcRunner).Assembly.Location, folder = _temp.PathOf("cwd");
        return Shell.RunSharpGrad("sh", ["-c", "mkdir \"$0\" && cd \"$0\" && rmdir \"$0\" && exec dotnet \"$@\"", folder, cli, .. arguments]);
    }

    [UnixFact]
    public void Calc_RelativeDot_IsRefusedInWords()
    {
        var (code, _, stderr) = RunInDeletedFolder("calc", "x*y", "x=2", "y=3", "--dot", "g.dot");
        Assert.Equal(2, code);
        Assert.Equal($"calc: --dot g.dot: {Gone}", stderr.TrimEnd());
    }

    [UnixFact]
    public void Train_RelativeSave_IsRefusedBeforeTraining()
    {
        var (code, stdout, stderr) = RunInDeletedFolder("train", "--epochs", "1", "--train-limit", "100", "--hidden", "4", "--save", "m.safetensors");
        Assert.Equal(2, code);
        Assert.Equal($"sharpgrad train: --save m.safetensors: {Gone}", stderr.TrimEnd());
        Assert.Equal("", stdout);
    }

    [UnixFact]
    public void Export_RelativeOnnx_IsRefused()
    {
        var (code, _, stderr) = RunInDeletedFolder("export", "--model", _temp.PathOf("m.safetensors"), "--onnx", "m.onnx");
        Assert.Equal(2, code);
        Assert.Equal($"sharpgrad export: --onnx m.onnx: {Gone}", stderr.TrimEnd());
    }
}
