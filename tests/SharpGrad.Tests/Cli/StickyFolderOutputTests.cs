using SharpGrad.Cli.Calc;
using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.Cli;

/// <summary>
/// A test that runs sharpgrad as the user nobody (runuser): needs Linux, root, runuser, and a build that nobody may read
/// (a checkout under a private folder such as /root is not); skipped otherwise.
/// </summary>
public sealed class AsNobodyFactAttribute : FactAttribute
{
    public AsNobodyFactAttribute()
    {
        if (!AsNobody.CanRun)
            Skip = "runs sharpgrad as nobody: Linux, root, runuser and a build that others may read only";
    }
}

/// <summary>Runs sharpgrad in a process of its own as the user nobody.</summary>
internal static class AsNobody
{
    public static string? Runuser { get; } = new[] { "/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser", "/bin/runuser" }.FirstOrDefault(File.Exists);

    /// <summary>Whether this process is root on Linux with runuser, and nobody may load the built command.</summary>
    public static bool CanRun { get; } = OperatingSystem.IsLinux() && Environment.UserName == "root" && Runuser is not null
        && OthersMayRead(typeof(CalcRunner).Assembly.Location);

    /// <summary>Whether a user who is neither owner nor in the group may read the file: it has o+r and every folder above it o+x.</summary>
    private static bool OthersMayRead(string file)
    {
        if (OperatingSystem.IsWindows()) return false;
        if (!File.GetUnixFileMode(file).HasFlag(UnixFileMode.OtherRead)) return false;
        for (string? folder = Path.GetDirectoryName(file); !string.IsNullOrEmpty(folder); folder = Path.GetDirectoryName(folder))
        {
            if (!File.GetUnixFileMode(folder).HasFlag(UnixFileMode.OtherExecute)) return false;
        }
        return true;
    }

    public static (int Code, string Out, string Err) Run(string home, params string[] arguments) =>
        Shell.RunSharpGrad(Runuser!, ["-u", "nobody", "--", "env", $"HOME={home}", $"DOTNET_CLI_HOME={home}", "dotnet", typeof(CalcRunner).Assembly.Location, .. arguments]);
}

/// <summary>
/// In a folder with the sticky bit (as /tmp) only a file's owner may replace it. --save onto another user's file there
/// passed every check (the folder takes new files), trained, then failed at the rename, and left its new optimizer-state
/// file beside the other user's old model. It is refused before training now; so are calc's and the report's files.
/// </summary>
public sealed class StickyFolderOutputTests : IDisposable
{
    private readonly TempDirectory _temp = new("sharpgrad-sticky-");

    public StickyFolderOutputTests()
    {
        if (OperatingSystem.IsWindows()) return;
        File.SetUnixFileMode(_temp.Path, (UnixFileMode)0b1_111_111_111); // 1777, as /tmp
        File.WriteAllText(_temp.PathOf("m.safetensors"), "root's"); // the test runs as root: root owns it
    }

    public void Dispose() => _temp.Dispose();

    private string Refusal(string option, string path) =>
        $"{option} {path}: it belongs to another user, and in {_temp.Path} (a shared folder with the sticky bit, as /tmp) only its owner may replace it; give another name.";

    [AsNobodyFact]
    public void Train_SaveOverAnotherUsersFile_IsRefusedBeforeTraining()
    {
        string save = _temp.PathOf("m.safetensors");
        var (code, stdout, stderr) = AsNobody.Run(_temp.Path, "train", "--epochs", "1", "--train-limit", "100", "--hidden", "4", "--save", save);
        Assert.Equal(2, code);
        Assert.Equal($"sharpgrad train: {Refusal("--save", save)}", stderr.TrimEnd());
        Assert.Equal("", stdout);
        Assert.Equal(["m.safetensors"], Directory.GetFileSystemEntries(_temp.Path).Select(Path.GetFileName));
        Assert.Equal("root's", File.ReadAllText(save));
    }

    [AsNobodyFact]
    public void Calc_DotOverAnotherUsersFile_IsRefused()
    {
        string dot = _temp.PathOf("m.safetensors");
        var (code, _, stderr) = AsNobody.Run(_temp.Path, "calc", "x*y", "x=2", "y=3", "--dot", dot);
        Assert.Equal(2, code);
        Assert.Equal($"calc: {Refusal("--dot", dot)}", stderr.TrimEnd());
    }

    [UnixFact]
    public void MayReplace_WhenTheFolderCannotBeLookedAt_CannotTell()
    {
        Assert.Null(SharpGrad.IO.UnixStatus.MayReplaceInStickyFolder(Path.Combine(_temp.Path, "gone", "m.safetensors")));
    }

    [AsNobodyFact]
    public void Train_NewFilesInTheStickyFolder_AreWritten()
    {
        string save = _temp.PathOf("mine.safetensors");
        var (code, _, stderr) = AsNobody.Run(_temp.Path, "train", "--epochs", "1", "--train-limit", "100", "--hidden", "4", "--save", save);
        Assert.True(code == 0, stderr);
        Assert.True(File.Exists(save + ".optimizer"));
    }
}
