using SharpGrad.Cli.Reports;

namespace SharpGrad.Tests.Reports;

public class ConfusionMatrixTests
{
    // Worked by hand: actual 0 was predicted 0, 0, 1; actual 1 was predicted 1, 2; actual 2 was predicted 2, 2, 0, 2.
    private static readonly int[] Actual = [0, 0, 0, 1, 1, 2, 2, 2, 2];
    private static readonly int[] Predicted = [0, 0, 1, 1, 2, 2, 2, 0, 2];

    [Fact]
    public void Compute_CountsEachActualPredictedPair()
    {
        var matrix = ConfusionMatrix.Compute(Actual, Predicted, 3);
        int[,] expected =
        {
            { 2, 1, 0 },
            { 0, 1, 1 },
            { 1, 0, 3 },
        };
        Assert.Equal(expected, matrix);
    }

    [Fact]
    public void Compute_LeavesUnseenClassesAtZero()
    {
        var matrix = ConfusionMatrix.Compute([1], [3], 4);
        Assert.Equal(1, matrix[1, 3]);
        Assert.Equal(1, matrix.Cast<int>().Sum());
    }

    [Fact]
    public void Compute_Throws_WhenLengthsDiffer() =>
        Assert.Throws<ArgumentException>(() => ConfusionMatrix.Compute([0, 1], [0], 2));

    [Fact]
    public void Compute_Throws_WhenALabelIsOutOfRange()
    {
        var e = Assert.Throws<ArgumentException>(() => ConfusionMatrix.Compute([0, 2], [0, 1], 2));
        Assert.Contains("2", e.Message);
        Assert.Throws<ArgumentException>(() => ConfusionMatrix.Compute([0], [-1], 2));
    }

    [Fact]
    public void Format_RowsAreActual_ColumnsArePredicted_RecallEndsEachRow()
    {
        // Recall by hand: 2/3 = 66.7 %, 1/2 = 50.0 %, 3/4 = 75.0 %.
        string expected =
            "actual \\ predicted  0  1  2   recall\n" +
            "                 0  2  1  0   66.7 %\n" +
            "                 1  0  1  1   50.0 %\n" +
            "                 2  1  0  3   75.0 %\n";
        Assert.Equal(expected, ConfusionMatrix.Format(ConfusionMatrix.Compute(Actual, Predicted, 3)));
    }

    [Fact]
    public void Format_WidensColumnsForLongNamesAndCounts_AndMarksAnEmptyClass()
    {
        int[,] matrix = { { 1234, 5 }, { 0, 0 } };
        string[] lines = ConfusionMatrix.Format(matrix, ["cat", "dog"]).Split('\n');
        Assert.Equal("actual \\ predicted   cat   dog   recall", lines[0]);
        Assert.Equal("               cat  1234     5   99.6 %", lines[1]);
        Assert.Equal("               dog     0     0        -", lines[2]);
    }

    [Fact]
    public void Format_Throws_WhenNotSquare()
    {
        var e = Assert.Throws<ArgumentException>(() => ConfusionMatrix.Format(new int[2, 3]));
        Assert.Contains("2 × 3", e.Message);
    }
}
