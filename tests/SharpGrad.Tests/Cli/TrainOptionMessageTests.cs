using SharpGrad.Cli.Train;

namespace SharpGrad.Tests.Cli;

/// <summary>What <c>sharpgrad train</c> says about option values it refuses or reduces.</summary>
[Collection("KernelSettings")] // --threads sets the process-wide KernelSettings.Threads
public class TrainOptionMessageTests
{
    private static (int Code, string Out, string Err) Run(TrainOptions options)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = TrainCommand.Run(options, stdout, stderr, interactive: false);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Theory]
    [InlineData(double.PositiveInfinity, "Infinity")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(-1.0, "-1")]
    public void LearningRate_ThatIsNotFiniteAndPositive_IsRefusedAsSuch(double lr, string shown)
    {
        var (code, stdout, stderr) = Run(new TrainOptions { LearningRate = lr });
        Assert.Equal(2, code);
        Assert.Equal($"sharpgrad train: --lr must be a finite positive number, not {shown}.", stderr.TrimEnd());
        Assert.Equal("", stdout);
    }

    [Fact]
    public void WeightDecay_Infinity_IsRefusedAsNotFinite()
    {
        var (code, stdout, stderr) = Run(new TrainOptions { WeightDecay = double.PositiveInfinity });
        Assert.Equal(2, code);
        Assert.Equal("sharpgrad train: --weight-decay must be a finite non-negative number, not Infinity.", stderr.TrimEnd());
        Assert.Equal("", stdout);
    }
}
