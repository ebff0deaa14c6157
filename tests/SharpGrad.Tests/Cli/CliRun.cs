using SharpGrad.Cli.Train;

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
}
