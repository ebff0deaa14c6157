using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.Calc;

/// <summary>
/// calc checks both picture paths before writing either, and writes both or neither. --dot used to be written
/// before --svg was even looked at, so a bad --svg (a missing folder, a graph too large to draw) left the .dot file of
/// a command that failed with exit code 2.
/// </summary>
public sealed class CalcOutputCheckTests : IDisposable
{
    private readonly TempDirectory _temp = new("sharpgrad-calc-outputs-");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void SvgIntoAMissingFolder_IsRefusedBeforeTheDotIsWritten()
    {
        string dot = _temp.PathOf("g.dot"), svg = _temp.PathOf("missing/g.svg");
        var run = CalcRun.Of("x*y", "x=2", "y=3", "--dot", dot, "--svg", svg);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"calc: --svg {svg}: the folder {_temp.PathOf("missing")} does not exist.", run.Err.TrimEnd());
        Assert.Equal("", run.Out);
        Assert.Empty(Directory.GetFileSystemEntries(_temp.Path));
    }

    [Fact]
    public void SvgOfAGraphTooLargeToDraw_IsRefusedBeforeTheDotIsWritten()
    {
        var run = CalcRun.Of(string.Join("+", Enumerable.Repeat("x", 502)), "x=1", "--dot", _temp.PathOf("g.dot"), "--svg", _temp.PathOf("g.svg"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("too many for a readable picture", run.Err);
        Assert.Empty(Directory.GetFileSystemEntries(_temp.Path));
    }

    [Fact]
    public void AnEmptyPath_IsRefusedNamingTheOption()
    {
        var run = CalcRun.Of("x*y", "x=2", "y=3", "--svg", _temp.PathOf("g.svg"), "--dot", "");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("calc: --dot needs a file name.", run.Err.TrimEnd());
        Assert.Empty(Directory.GetFileSystemEntries(_temp.Path));
    }

    [LinuxFact]
    public async Task SvgIntoAFifo_IsStillWrittenThrough()
    {
        string fifo = _temp.PathOf("pipe");
        Shell.Run("mkfifo", fifo);
        Task<string> reader = Task.Run(() => File.ReadAllText(fifo));
        var run = CalcRun.Of("x*y", "x=2", "y=3", "--svg", fifo, "--dot", _temp.PathOf("g.dot"));
        Assert.True(run.ExitCode == 0, run.Err);
        Assert.StartsWith("<svg", await reader.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.StartsWith("digraph", File.ReadAllText(_temp.PathOf("g.dot")));
    }
}
