using System.Globalization;
using System.Text.RegularExpressions;
using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.Samples;

public sealed partial class SamplesTests
{
    private static string[] Lines(string output) => output.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');

    [Fact]
    public void BuyApple_PrintsThePriceAndTheHandWorkedGradients()
    {
        // price = 100·2·1.1; ∂/∂apple = 2·1.1, ∂/∂count = 100·1.1, ∂/∂tax = 100·2, ∂/∂(apple price) = 1.1.
        Assert.Equal(
            ["price 220", "d/d apple 2.2, d/d count 110, d/d tax 200", "d/d apple price 1.1"],
            Lines(SampleRunner.RunSample("BuyApple")));
    }

    [Fact]
    public void BuyApple_IsTheReadmeSnippet()
    {
        var readme = File.ReadAllText(Repository.PathOf("README.md")).ReplaceLineEndings("\n");
        var snippet = CSharpBlock().Match(readme.Split("## The apples, in C#")[1]).Groups[1].Value;
        var sample = File.ReadAllText(Repository.PathOf("samples", "BuyApple", "Program.cs")).ReplaceLineEndings("\n");

        Assert.Equal(sample, snippet);
    }

    [Fact]
    public void BuyAppleOrange_PrintsThePriceAndTheHandWorkedGradients()
    {
        // price = (100·2 + 150·3)·1.1 = 715; ∂/∂apple = 2·1.1, ∂/∂apple_num = 100·1.1, ∂/∂orange = 3·1.1,
        // ∂/∂orange_num = 150·1.1, ∂/∂tax = 650.
        Assert.Equal(
            ["price 715", "d/d apple 2.2, d/d apple_num 110", "d/d orange 3.3, d/d orange_num 165", "d/d tax 650"],
            Lines(SampleRunner.RunSample("BuyAppleOrange")));
    }

    [Fact]
    public void TwoLayerNetGradCheck_BackpropAgreesWithNumericalGradients()
    {
        var lines = Lines(SampleRunner.RunSample("TwoLayerNetGradCheck", "3"));

        Assert.Equal(["W1", "b1", "W2", "b2"], lines.Select(l => l.Split(':')[0]));
        foreach (var line in lines)
        {
            double meanAbsDiff = double.Parse(line.Split(": ")[1], CultureInfo.InvariantCulture);
            // Central differences with h = 1e-4 in float64 err by about h²·f‴ + ε/h ≈ 1e-8 at worst; the book reports 1e-10 to 1e-13.
            Assert.InRange(meanAbsDiff, 0, 1e-8);
        }
    }

    [Fact]
    public void TrainTwoLayerNet_OneEpoch_ReachesBookLevelAccuracy()
    {
        var lines = Lines(SampleRunner.RunSample("TrainTwoLayerNet", "1"));

        var match = Assert.Single(lines, l => l.StartsWith("epoch 1:", StringComparison.Ordinal));
        var m = AccuracyLine().Match(match);
        Assert.True(m.Success, match);
        // One epoch of SGD (lr 0.1, batch 100) over 8,000 digits: about 0.84 both ways with these seeds.
        Assert.InRange(double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), 0.8, 1);
        Assert.InRange(double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), 0.8, 1);
    }

    [GeneratedRegex("```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

    [GeneratedRegex(@"^epoch 1: train accuracy (0\.\d{4}), test accuracy (0\.\d{4})$")]
    private static partial Regex AccuracyLine();
}
