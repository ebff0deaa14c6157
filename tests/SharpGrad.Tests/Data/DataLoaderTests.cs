using SharpGrad.Data;

namespace SharpGrad.Tests.Data;

public class DataLoaderTests
{
    // Sample i has features [i, -i] and label i % 3, so every batch row says which sample it is.
    private static Dataset Numbered(int count) => new(
        Enumerable.Range(0, count).SelectMany(i => new[] { (float)i, -i }).ToArray(),
        Enumerable.Range(0, count).Select(i => i % 3).ToArray(),
        [2],
        classCount: 3);

    private static List<int[]> Collect(DataLoader loader, int epoch) =>
        loader.Epoch(epoch).Select(batch =>
        {
            Assert.Equal(batch.Count * 2, batch.Features.Length);
            Assert.Equal(batch.Count, batch.Labels.Length);
            var samples = new int[batch.Count];
            for (int row = 0; row < batch.Count; row++)
            {
                samples[row] = (int)batch.Features[2 * row];
                Assert.Equal(-samples[row], batch.Features[(2 * row) + 1]);
                Assert.Equal(samples[row] % 3, batch.Labels[row]);
            }

            return samples;
        }).ToList();

    [Theory]
    [InlineData(10, 4, true)]
    [InlineData(10, 4, false)]
    [InlineData(100, 7, true)]
    [InlineData(5, 5, true)]
    [InlineData(3, 8, true)]
    public void Epoch_VisitsEverySampleExactlyOnce(int count, int batchSize, bool shuffle)
    {
        var loader = new DataLoader(Numbered(count), batchSize, shuffle, seed: 1);

        for (int epoch = 0; epoch < 3; epoch++)
        {
            List<int[]> batches = Collect(loader, epoch);

            Assert.Equal(loader.BatchCount, batches.Count);
            Assert.Equal((count + batchSize - 1) / batchSize, batches.Count);
            Assert.Equal(Enumerable.Range(0, count), batches.SelectMany(b => b).Order());
            Assert.Equal(loader.GetOrder(epoch), batches.SelectMany(b => b));
        }
    }

    [Fact]
    public void Epoch_WithoutShuffle_KeepsDatasetOrder()
    {
        var loader = new DataLoader(Numbered(10), 4, shuffle: false, seed: 99);

        Assert.Equal([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]], Collect(loader, 5));
    }

    [Fact]
    public void Epoch_LastPartialBatch_HoldsTheRemainder()
    {
        var loader = new DataLoader(Numbered(10), 4, shuffle: true, seed: 3);

        Assert.Equal([4, 4, 2], loader.Epoch(0).Select(b => b.Count));
    }

    [Fact]
    public void Epoch_DropLast_SkipsThePartialBatch()
    {
        var loader = new DataLoader(Numbered(10), 4, shuffle: true, seed: 3, dropLast: true);

        List<int[]> batches = Collect(loader, 0);

        Assert.Equal(2, loader.BatchCount);
        Assert.Equal([4, 4], batches.Select(b => b.Length));
        Assert.Equal(loader.GetOrder(0)[..8], batches.SelectMany(b => b));
        Assert.Empty(new DataLoader(Numbered(3), 4, shuffle: true, seed: 3, dropLast: true).Epoch(0));
    }

    [Fact]
    public void GetOrder_SameSeed_GivesSameOrder_AndEpochsDiffer()
    {
        var a = new DataLoader(Numbered(1000), 10, shuffle: true, seed: 7);
        var b = new DataLoader(Numbered(1000), 32, shuffle: true, seed: 7);
        var c = new DataLoader(Numbered(1000), 10, shuffle: true, seed: 8);

        Assert.Equal(a.GetOrder(4), b.GetOrder(4));
        Assert.NotEqual(a.GetOrder(0), a.GetOrder(1));
        Assert.NotEqual(a.GetOrder(0), c.GetOrder(0));
        Assert.NotEqual(Enumerable.Range(0, 1000), a.GetOrder(0));
    }

    [Fact]
    public void GetOrder_MatchesAnIndependentImplementation()
    {
        // From a separate Python SplitMix64 + Lemire + Fisher–Yates implementation, state = (uint)seed << 32 | epoch.
        Assert.Equal([1, 0, 7, 6, 5, 8, 4, 3, 2, 9], new DataLoader(Numbered(10), 4, true, 42).GetOrder(0));
        Assert.Equal([8, 5, 0, 6, 7, 2, 3, 9, 1, 4], new DataLoader(Numbered(10), 4, true, 42).GetOrder(1));
        Assert.Equal([8, 3, 1, 0, 6, 5, 4, 9, 2, 7], new DataLoader(Numbered(10), 4, true, -7).GetOrder(3));
    }

    [Fact]
    public void SplitMix64_MatchesThePublishedSequence()
    {
        // Rosetta Code's SplitMix64 task: seed 1234567.
        var random = new SplitMix64(1234567);

        ulong[] expected = [6457827717110365317, 3203168211198807973, 9817491932198370423, 4593380528125082431, 16408922859458223821];
        Assert.Equal(expected, Enumerable.Range(0, 5).Select(_ => random.Next()));
    }

    [Fact]
    public void Epoch_ReusesItsBuffers()
    {
        var loader = new DataLoader(Numbered(10), 4, shuffle: true, seed: 3);

        Batch[] batches = loader.Epoch(0).Concat(loader.Epoch(1)).ToArray();

        Assert.Same(batches[0].Features, batches[1].Features);
        Assert.Same(batches[0].Labels, batches[4].Labels);
        Assert.Same(batches[2].Features, batches[5].Features);
        Assert.NotSame(batches[0].Features, batches[2].Features);
    }

    [Fact]
    public void Constructor_AndEpoch_RejectBadArguments()
    {
        Assert.Throws<ArgumentNullException>(() => new DataLoader(null!, 4, true, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DataLoader(Numbered(10), 0, true, 0));
        var loader = new DataLoader(Numbered(10), 4, true, 0);

        // Thrown at the call, not at the first MoveNext.
        Assert.Throws<ArgumentOutOfRangeException>(() => loader.Epoch(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => loader.GetOrder(-1));
    }
}
