using SharpGrad.Cli.Train;

namespace SharpGrad.Tests.Autograd;

public class AnomalyTests
{
    [Fact]
    public void Forward_LogOfNegative_NamesTheOperation()
    {
        using var _ = AnomalyDetection.Enable();
        var x = Tensor.FromArray(new double[] { 1, -1 }).WithRequiresGrad();
        var ex = Assert.Throws<AnomalyException>(() => x.Log());
        Assert.Contains("'log'", ex.Message);
        Assert.Contains("NaN", ex.Message);
        Assert.Contains("element 1", ex.Message);
    }

    [Fact]
    public void Backward_SqrtAtZero_NamesTheOperation()
    {
        var x = Tensor.FromArray(new double[] { 0, 4 }).WithRequiresGrad();
        var y = x.Sqrt().Sum(); // forward is finite; d/dx √x at 0 is +∞
        using var _ = AnomalyDetection.Enable();
        var ex = Assert.Throws<AnomalyException>(() => y.Backward());
        Assert.Contains("backward of 'sqrt'", ex.Message);
    }

    [Fact]
    public void Disabled_LetsNaNThrough()
    {
        var y = Tensor.FromArray(new double[] { -1 }).Log();
        Assert.True(double.IsNaN(y[0]));
    }
}

/// <summary>
/// <c>sharpgrad train --detect-anomaly</c>, run in-process: its kernels read the process-wide KernelSettings (Threads,
/// the vector path), which tests of this collection change while they run, so it runs apart from them as the other
/// train tests do (reproducible settings for it, and no train competing for the GEMM worker pool beside theirs).
/// </summary>
[Collection("KernelSettings")]
public class AnomalyTrainTests
{
    [Fact]
    public void Train_WithDetectAnomaly_AndHugeLearningRate_StopsWithMessage()
    {
        var stderr = new StringWriter();
        var options = new TrainOptions { Epochs = 2, TrainLimit = 200, BatchSize = 50, Hidden = [8], LearningRate = 1e30, Momentum = 0, DetectAnomaly = true };
        int code = TrainCommand.Run(options, new StringWriter(), stderr, interactive: false);
        Assert.Equal(1, code);
        Assert.Contains("produced", stderr.ToString());
    }
}
