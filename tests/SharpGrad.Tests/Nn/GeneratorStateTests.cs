namespace SharpGrad.Tests.Nn;

public class GeneratorStateTests
{
    [Fact]
    public void SetState_ReplaysTheSameNumbers_IncludingACachedNormalSample()
    {
        var g = new Generator(42);
        _ = g.NextNormal(); // leaves the second sample of the pair cached
        var state = g.GetState();
        var first = new[] { g.NextNormal(), g.NextDouble(), g.NextNormal(), g.NextUInt64() };
        g.SetState(state);
        var again = new[] { g.NextNormal(), g.NextDouble(), g.NextNormal(), g.NextUInt64() };
        Assert.Equal(first, again);

        var other = new Generator(7);
        other.SetState(state); // another generator takes over the sequence
        Assert.Equal(first, new[] { other.NextNormal(), other.NextDouble(), other.NextNormal(), other.NextUInt64() });
    }

    [Fact]
    public void SetState_RejectsAWrongLength_ABadFlag_AndTheAllZeroState()
    {
        var g = new Generator(1);
        Assert.Contains("41 bytes", Assert.Throws<ArgumentException>(() => g.SetState(new byte[40])).Message);
        var state = g.GetState();
        state[32] = 2;
        Assert.Contains("flag", Assert.Throws<ArgumentException>(() => g.SetState(state)).Message);
        Assert.Contains("all zeros", Assert.Throws<ArgumentException>(() => g.SetState(new byte[41])).Message);
    }
}
