namespace SharpGrad.Cli.Train;

/// <summary>The settings of one training run (the command-line options of <c>sharpgrad train</c>).</summary>
internal sealed record TrainOptions
{
    public string? DataDirectory { get; init; }
    public int Epochs { get; init; } = 20;
    public int BatchSize { get; init; } = 100;
    public double LearningRate { get; init; } = 0.05;
    public double Momentum { get; init; } = 0.9;
    public int[] Hidden { get; init; } = [100];
    public int Seed { get; init; } = 1;
    public int? Threads { get; init; }

    /// <summary>Use at most this many training samples (for quick runs and tests); null for all.</summary>
    public int? TrainLimit { get; init; }

    /// <summary>Stop at the first NaN or infinity and name the operation (<see cref="AnomalyDetection"/>).</summary>
    public bool DetectAnomaly { get; init; }
}
