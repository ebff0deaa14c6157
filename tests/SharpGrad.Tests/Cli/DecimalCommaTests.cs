using SharpGrad.Cli.Train;
using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.Cli;

/// <summary>
/// A number option written with a decimal comma is refused, not read with the comma as a thousands separator
/// ("--lr 0,05" trained at learning rate 5, and "--momentum 0,9" was refused as 9).
/// </summary>
public sealed class DecimalCommaTests
{
    [Theory]
    [InlineData("--lr", "0,05")]
    [InlineData("--lr", "1,5")]
    [InlineData("--momentum", "0,9")]
    [InlineData("--weight-decay", "0,01")]
    [InlineData("--dropout", "0,5")]
    public void ADecimalComma_IsRefused_WithTheOptionAndTheValue(string option, string value)
    {
        Assert.Equal(
            $"sharpgrad train: Cannot parse argument '{value}' for option '{option}' as a number (write the decimal point as '.').\n{Shell.HelpFooter}\n",
            Shell.RefusedBySharpGrad("train", "--epochs", "1", option, value));
    }

    [Fact]
    public void AValueThatIsNoNumber_IsRefusedInTheParsersWords()
    {
        Assert.Equal($"sharpgrad train: Cannot parse argument 'abc' for option '--lr' as a number.\n{Shell.HelpFooter}\n", Shell.RefusedBySharpGrad("train", "--lr", "abc"));
    }

    [Fact]
    public void ADecimalPoint_AndAnExponent_AreStillRead()
    {
        var (code, stdout, stderr) = Shell.RunSharpGrad("dotnet",
            [typeof(TrainCommand).Assembly.Location, "train", "--epochs", "1", "--train-limit", "100", "--hidden", "", "--lr", "5e-2", "--momentum", "0.5"]);
        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        Assert.Contains("optimizer: momentum, lr 0.05, schedule none, batch 100, seed 1,", stdout);
    }
}
