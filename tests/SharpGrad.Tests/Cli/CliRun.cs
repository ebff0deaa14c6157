using SharpGrad.Cli.Export;
using SharpGrad.Cli.Train;
using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.Cli;

/// <summary>Runs a CLI command in-process and returns its exit code and what it printed.</summary>
internal static class CliRun
{
    /// <summary><c>sharpgrad train</c> with <paramref name="options"/>, not interactive.</summary>
    public static (int Code, string Out, string Err) Train(TrainOptions options)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = TrainCommand.Run(options, stdout, stderr, interactive: false);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>
    /// <c>sharpgrad train</c> on a tiny run (1 epoch, 100 samples, one hidden layer of 4) for whatever of those the
    /// options leave unset, so path and option checks run in milliseconds.
    /// </summary>
    public static (int Code, string Out, string Err) TrainSmall(TrainOptions options) =>
        Train(options with { Epochs = options.Epochs ?? 1, TrainLimit = options.TrainLimit ?? 100, Hidden = options.Hidden ?? [4] });

    /// <summary>
    /// Asserts that <see cref="TrainSmall"/> with <paramref name="options"/> is refused: exit code 2, exactly
    /// <paramref name="stderr"/> on stderr (its final newline aside) and nothing on stdout. With <paramref name="fifos"/>,
    /// the run goes through <see cref="FifoGuard"/>, so a train that writes into one of them fails instead of hanging.
    /// </summary>
    public static void AssertTrainRefused(TrainOptions options, string stderr, params string[] fifos)
    {
        var (code, stdout, err) = fifos.Length == 0 ? TrainSmall(options) : FifoGuard.Run(() => TrainSmall(options), fifos);
        Assert.Equal(2, code);
        Assert.Equal(stderr, err.TrimEnd());
        Assert.Equal("", stdout);
    }

    /// <summary>
    /// Asserts that <c>sharpgrad export --model <paramref name="model"/> --onnx <paramref name="onnx"/></c> is refused:
    /// exit code 2 and exactly <paramref name="stderr"/> on stderr (its final newline aside).
    /// </summary>
    public static void AssertExportRefused(string model, string onnx, string stderr)
    {
        var err = new StringWriter();
        Assert.Equal(2, ExportCommand.Run(model, onnx, null, false, new StringWriter(), err));
        Assert.Equal(stderr, err.ToString().TrimEnd());
    }
}
