using SharpGrad.Cli.Train;
using SharpGrad.Tests.Calc;
using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.Cli;

/// <summary>
/// An output file's folder that .NET reports as missing although the reason is another: a folder on the way that may
/// not be entered (no search permission), or a path longer than the system looks at. Both used to be "the folder …
/// does not exist", which sends a user looking for a folder that is there.
/// </summary>
[Collection("KernelSettings")]
public sealed class UnreachableFolderTests : IDisposable
{
    private readonly TempDirectory _temp = new("sharpgrad-unreachable-");

    public void Dispose()
    {
        string locked = _temp.PathOf("locked");
        if (!OperatingSystem.IsWindows() && Directory.Exists(locked)) File.SetUnixFileMode(locked, (UnixFileMode)0b111_101_101); // back to 755
        _temp.Dispose();
    }

    [PathLimitFact]
    public void Save_UnderAPathTooLongToLookAt_SaysSo()
    {
        string folder = Path.Combine([_temp.Path, .. Enumerable.Repeat(new string('d', 250), 17)]), save = Path.Combine(folder, "m.safetensors");
        CliRun.AssertTrainRefused(new TrainOptions { SavePath = save }, $"sharpgrad train: --save {save}: the path of the folder {folder} is too long for the system ({folder.Length} bytes).");
    }

    /// <summary>
    /// A folder that may be listed but not entered (mode 666). Root enters any folder, so this runs as another user
    /// only; <see cref="Dot_InAFolderThatMayNotBeEntered_SaysSo_AsNobody"/> is the same check run by root as nobody.
    /// </summary>
    [NonRootUnixFact]
    public void Dot_InAFolderThatMayNotBeEntered_SaysSo()
    {
        var (dot, expected) = LockedFolder();
        var run = CalcRun.Of("x*y", "x=2", "y=3", "--dot", dot);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal(expected, run.Err.TrimEnd());
    }

    [AsNobodyFact]
    public void Dot_InAFolderThatMayNotBeEntered_SaysSo_AsNobody()
    {
        var (dot, expected) = LockedFolder();
        var (code, _, stderr) = AsNobody.Run(_temp.Path, "calc", "x*y", "x=2", "y=3", "--dot", dot);
        Assert.Equal(2, code);
        Assert.Equal(expected, stderr.TrimEnd());
    }

    /// <summary>Makes a folder "locked" in the temp folder (666: listed, not entered) with a folder inside; returns a --dot path in it and calc's message.</summary>
    private (string Dot, string Expected) LockedFolder()
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException(); // both facts skip there
        string locked = _temp.PathOf("locked"), dot = Path.Combine(locked, "inner", "g.dot");
        Directory.CreateDirectory(Path.Combine(locked, "inner"));
        File.SetUnixFileMode(_temp.Path, (UnixFileMode)0b111_101_101); // 755: others may reach "locked"
        File.SetUnixFileMode(locked, (UnixFileMode)0b110_110_110); // 666: listed, not entered
        return (dot, $"calc: --dot {dot}: the folder {Path.GetDirectoryName(dot)} cannot be reached (permission denied: a folder on the way may not be entered).");
    }
}

/// <summary>A test for a user other than root on Unix (root may enter any folder); skipped on Windows and as root.</summary>
public sealed class NonRootUnixFactAttribute : FactAttribute
{
    public NonRootUnixFactAttribute()
    {
        if (OperatingSystem.IsWindows() || Environment.UserName == "root") Skip = "needs a Unix user other than root";
    }
}
