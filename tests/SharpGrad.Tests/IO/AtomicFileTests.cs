using SharpGrad.IO;
using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.IO;

public sealed class AtomicFileTests : IDisposable
{
    private readonly TempDirectory _temp = new("sharpgrad-atomic-");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Write_ReplacesTheLinksTarget_AndKeepsTheSymbolicLink()
    {
        string target = _temp.PathOf("real.dot");
        string link = _temp.PathOf("link.dot");
        File.WriteAllText(target, "old");
        File.CreateSymbolicLink(link, "real.dot"); // relative, as `ln -s real.dot link.dot` makes it

        AtomicFile.WriteAllText(link, "new");

        Assert.Equal("real.dot", new FileInfo(link).LinkTarget);
        Assert.Equal("new", File.ReadAllText(target));
        Assert.Equal(["link.dot", "real.dot"], Directory.GetFileSystemEntries(_temp.Path).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Write_FollowsAChainOfLinks_AndCreatesTheMissingFinalTarget()
    {
        string target = _temp.PathOf("real.svg");
        string middle = _temp.PathOf("middle.svg");
        string link = _temp.PathOf("link.svg");
        File.CreateSymbolicLink(middle, target);
        File.CreateSymbolicLink(link, middle);

        AtomicFile.WriteAllText(link, "<svg/>");

        Assert.Equal(middle, new FileInfo(link).LinkTarget);
        Assert.Equal(target, new FileInfo(middle).LinkTarget);
        Assert.Equal("<svg/>", File.ReadAllText(target));
        Assert.Equal(3, Directory.GetFileSystemEntries(_temp.Path).Length); // no temporary file left
    }

    // The device nodes are the test's own (mknod in its folder): were writing ever to replace a device again, the
    // system's /dev/null and /dev/full would be safe.
    [LinuxRootFact]
    public void Write_IntoANullDevice_Succeeds_AndLeavesItACharacterDevice()
    {
        string device = _temp.PathOf("null");
        Shell.Run("mknod", device, "c", "1", "3");
        AtomicFile.WriteAllText(device, "digraph { a -> b }");
        Assert.Equal("character special file", Shell.FileType(device));
        Assert.Single(Directory.GetFileSystemEntries(_temp.Path)); // no temporary file left beside it
    }

    [LinuxRootFact]
    public void Write_IntoAFullDevice_ThrowsIOExceptionNamingIt_AndLeavesItACharacterDevice()
    {
        string device = _temp.PathOf("full");
        Shell.Run("mknod", device, "c", "1", "7");
        var e = Assert.Throws<IOException>(() => AtomicFile.WriteAllText(device, "<svg/>"));
        Assert.StartsWith($"{device}: cannot write (", e.Message);
        Assert.Contains("space", e.Message); // ENOSPC: "No space left on device"
        Assert.Equal("character special file", Shell.FileType(device));
    }

    [LinuxFact]
    public async Task Write_IntoAFifo_WritesThrough_AndLeavesItAFifo()
    {
        string fifo = _temp.PathOf("pipe");
        Shell.Run("mkfifo", fifo);
        Task<string> reader = Task.Run(() => File.ReadAllText(fifo));

        FifoGuard.Run(() => AtomicFile.WriteAllText(fifo, "through the pipe"), fifo); // fails instead of hanging on a second open

        Assert.Equal("through the pipe", await reader.WaitAsync(FifoGuard.Bound));
        Assert.Equal("fifo", Shell.FileType(fifo));
    }

    [LinuxFact]
    public void Write_ThroughALinkToAProcFdOfAPipe_WritesIntoThePipe()
    {
        // /dev/stdout is such a link when the output is piped: /proc/self/fd/1's target ("pipe:[N]") is no path, so the
        // file must be opened through the link, not through its resolved target (which failed with "Could not find").
        using var reader = new System.IO.Pipes.AnonymousPipeServerStream(System.IO.Pipes.PipeDirection.In, HandleInheritability.None);
        using var writerEnd = reader.ClientSafePipeHandle;
        string link = _temp.PathOf("stdout");
        File.CreateSymbolicLink(link, $"/proc/self/fd/{writerEnd.DangerousGetHandle()}");

        AtomicFile.WriteAllText(link, "into the pipe");

        var buffer = new byte[64];
        int n = reader.Read(buffer);
        Assert.Equal("into the pipe", System.Text.Encoding.UTF8.GetString(buffer, 0, n));
        Assert.Single(Directory.GetFileSystemEntries(_temp.Path)); // the link, and no temporary file
    }
}
