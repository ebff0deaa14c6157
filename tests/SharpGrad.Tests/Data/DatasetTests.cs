using SharpGrad.Data;

namespace SharpGrad.Tests.Data;

public class DatasetTests
{
    [Fact]
    public void Constructor_DerivesCountAndFeatureSize()
    {
        var set = new Dataset(new float[2 * 3 * 4 * 5], [0, 1, 2, 3, 4], [2, 3, 4], classCount: 5);

        Assert.Equal(5, set.Count);
        Assert.Equal(24, set.FeatureSize);
        Assert.Equal([2, 3, 4], set.SampleShape);
        Assert.Equal(24, set.GetFeatures(4).Length);
    }

    [Fact]
    public void Constructor_Throws_WhenLengthsDisagree()
    {
        var e = Assert.Throws<ArgumentException>(() => new Dataset(new float[7], [0, 1], [4], 2));

        Assert.Equal("features", e.ParamName);
        Assert.Contains("need 8 feature values, but 7 were given", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_Throws_WhenALabelIsOutOfRange()
    {
        var e = Assert.Throws<ArgumentException>(() => new Dataset(new float[3], [0, 3, 1], [1], 3));

        Assert.Contains("Label 3 at index 1", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new Dataset(new float[1], [-1], [1], 3));
    }

    [Fact]
    public void Constructor_Throws_ForBadShapesAndClassCounts()
    {
        Assert.Throws<ArgumentException>(() => new Dataset([], [], [], 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dataset([], [], [0], 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dataset([], [], [1], 0));
    }
}
