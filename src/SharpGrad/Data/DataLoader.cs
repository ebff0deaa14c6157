namespace SharpGrad.Data;

/// <summary>
/// Splits a <see cref="Dataset"/> into mini-batches, optionally in a seeded random order that is
/// different for each epoch and identical across runs and platforms.
/// </summary>
/// <remarks>
/// <para>The order of epoch <c>e</c> is a Fisher–Yates shuffle driven by SplitMix64 seeded with
/// <c>(seed, e)</c>; without shuffling it is <c>0, 1, …, Count − 1</c>.</para>
/// <para>To allocate nothing per batch the loader owns two pairs of buffers, one for full batches
/// and one for the last, smaller batch, and every <see cref="Batch"/> it yields points into them:
/// the contents are overwritten by the next batch of the same size. For the same reason, do not
/// enumerate two epochs of one loader at the same time.</para>
/// </remarks>
public sealed class DataLoader
{
    private readonly float[] _fullFeatures;
    private readonly int[] _fullLabels;
    private readonly float[] _lastFeatures;
    private readonly int[] _lastLabels;
    private readonly int[] _order;

    /// <summary>Creates a loader over <paramref name="dataset"/>.</summary>
    /// <param name="dataset">The samples to batch; not copied.</param>
    /// <param name="batchSize">Samples per batch, at least 1.</param>
    /// <param name="shuffle">Whether each epoch visits the samples in a fresh seeded random order.</param>
    /// <param name="seed">The seed of the shuffles; the same seed gives the same orders.</param>
    /// <param name="dropLast">Whether to skip the last batch when it has fewer than <paramref name="batchSize"/> samples.</param>
    /// <exception cref="ArgumentNullException"><paramref name="dataset"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is below 1.</exception>
    public DataLoader(Dataset dataset, int batchSize, bool shuffle, int seed, bool dropLast = false)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), $"DataLoader: the batch size must be at least 1, not {batchSize}.");
        Dataset = dataset;
        Shuffle = shuffle;
        Seed = seed;
        DropLast = dropLast;

        int fullSize = Math.Min(batchSize, dataset.Count);
        int lastSize = dataset.Count % batchSize;
        BatchSize = batchSize;
        BatchCount = dataset.Count / batchSize + (lastSize > 0 && !dropLast ? 1 : 0);
        if (dropLast && dataset.Count < batchSize)
        {
            fullSize = 0;
        }

        _fullFeatures = new float[(long)fullSize * dataset.FeatureSize];
        _fullLabels = new int[fullSize];
        // A lone short batch (Count < batchSize) uses the full buffers; dropLast needs no second pair.
        if (dropLast || lastSize == fullSize)
        {
            lastSize = 0;
        }

        _lastFeatures = new float[(long)lastSize * dataset.FeatureSize];
        _lastLabels = new int[lastSize];
        _order = new int[dataset.Count];
    }

    /// <summary>The data set being batched.</summary>
    public Dataset Dataset { get; }

    /// <summary>Samples per full batch.</summary>
    public int BatchSize { get; }

    /// <summary>Whether each epoch uses a fresh seeded random order.</summary>
    public bool Shuffle { get; }

    /// <summary>The seed of the shuffles.</summary>
    public int Seed { get; }

    /// <summary>Whether a last, smaller batch is skipped.</summary>
    public bool DropLast { get; }

    /// <summary>
    /// Batches per epoch: <c>⌈Count / BatchSize⌉</c>, or <c>⌊Count / BatchSize⌋</c> with
    /// <see cref="DropLast"/> (which may be 0).
    /// </summary>
    public int BatchCount { get; }

    /// <summary>
    /// The order in which epoch <paramref name="epoch"/> visits the samples: a permutation of
    /// <c>0 … Count − 1</c>, the same for the same seed and epoch on every run and platform.
    /// </summary>
    /// <param name="epoch">The epoch number, from 0.</param>
    /// <returns>A new array of <c>Count</c> sample indices.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epoch"/> is negative.</exception>
    public int[] GetOrder(int epoch)
    {
        if (epoch < 0) throw new ArgumentOutOfRangeException(nameof(epoch), $"DataLoader: the epoch number must be 0 or more, not {epoch}.");
        var order = new int[Dataset.Count];
        FillOrder(epoch, order);
        return order;
    }

    /// <summary>
    /// The batches of epoch <paramref name="epoch"/>, in the order given by <see cref="GetOrder"/>.
    /// Each yielded <see cref="Batch"/> reuses the loader's buffers; see the class remarks.
    /// </summary>
    /// <param name="epoch">The epoch number, from 0; it selects the shuffle.</param>
    /// <returns>A lazily filled sequence of <see cref="BatchCount"/> batches.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epoch"/> is negative.</exception>
    public IEnumerable<Batch> Epoch(int epoch)
    {
        if (epoch < 0) throw new ArgumentOutOfRangeException(nameof(epoch), $"DataLoader: the epoch number must be 0 or more, not {epoch}.");
        return EpochIterator(epoch);
    }

    private IEnumerable<Batch> EpochIterator(int epoch)
    {
        FillOrder(epoch, _order);
        int featureSize = Dataset.FeatureSize;
        for (int b = 0; b < BatchCount; b++)
        {
            int start = b * BatchSize;
            int count = Math.Min(BatchSize, Dataset.Count - start);
            bool full = count == _fullLabels.Length;
            float[] features = full ? _fullFeatures : _lastFeatures;
            int[] labels = full ? _fullLabels : _lastLabels;
            for (int row = 0; row < count; row++)
            {
                int sample = _order[start + row];
                Dataset.Features.AsSpan(sample * featureSize, featureSize).CopyTo(features.AsSpan(row * featureSize));
                labels[row] = Dataset.Labels[sample];
            }

            yield return new Batch(features, labels, count);
        }
    }

    private void FillOrder(int epoch, int[] order)
    {
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        if (!Shuffle)
        {
            return;
        }

        // (seed, epoch) packed into 64 bits: distinct pairs give distinct generator states.
        var random = new SplitMix64(((ulong)(uint)Seed << 32) | (uint)epoch);
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = (int)random.NextBelow((ulong)i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
    }
}
