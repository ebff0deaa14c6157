namespace SharpGrad.Cli.Train;

/// <summary>
/// Settings larger than a run can use are reduced to what it uses, and each reduction is said in one line, so the
/// banner never shows a number that is not in effect.
/// </summary>
internal static class Reductions
{
    /// <summary>
    /// The kernel threads to use: at most one per processor. More would not run at once but spin waiting for each
    /// other, and the kernel pool keeps a thread per part: element-wise work on a large array is cut into
    /// KernelSettings.Threads parts, so 100000 could start 99,999 threads.
    /// </summary>
    public static int Threads(int requested, int processors, ICollection<string> notes)
    {
        if (requested <= processors) return requested;
        notes.Add($"--threads {requested} is more than the {processors} processor(s) of this machine; using {processors}");
        return processors;
    }

    /// <summary>Notes for a --train-limit above the training samples there are, and a batch larger than the samples used.</summary>
    /// <param name="options">The run's settings.</param>
    /// <param name="available">The training samples in the data.</param>
    /// <param name="used">The training samples used (after --train-limit).</param>
    /// <param name="notes">Where the notes go.</param>
    /// <returns>The batch size in effect: every batch but the last of an epoch has this many samples.</returns>
    public static int BatchSize(TrainOptions options, int available, int used, ICollection<string> notes)
    {
        if (options.TrainLimit is int limit && limit > available)
            notes.Add($"--train-limit {limit} is more than the {available} training samples; using {available}");
        int batch = options.BatchSizeOrDefault;
        if (batch <= used || used == 0) return batch;
        notes.Add($"--batch-size {batch}{(options.BatchSize is null ? " (the default)" : "")} is more than the {used} training samples; each epoch is one batch of {used}");
        return used;
    }
}
