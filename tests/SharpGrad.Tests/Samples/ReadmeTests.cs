using System.Reflection;
using SharpGrad.Data;
using SharpGrad.Nn;
using SharpGrad.Optim;
using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.Samples;

/// <summary>What the README states about the tests and the training loop is what they do.</summary>
[Collection("KernelSettings")] // runs apart from tests that switch kernel paths, so the losses are reproducible
public sealed class ReadmeTests
{
    private static readonly string Readme =
        File.ReadAllText(Repository.PathOf("README.md")).ReplaceLineEndings("\n");

    [Fact]
    public void Readme_NamesTheSlowTests_TheirCount_AndTheVariableThatRunsThem()
    {
        int slow = typeof(ReadmeTests).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods())
            .Count(m => m.GetCustomAttribute<SlowFactAttribute>() is not null);
        Assert.Contains($"`dotnet test` skips {slow} slow tests", Readme);
        Assert.Contains("SHARPGRAD_SLOW_TESTS=1 dotnet test", Readme);
        Assert.Contains("\"SHARPGRAD_SLOW_TESTS\") != \"1\"", File.ReadAllText(Repository.PathOf("tests", "SharpGrad.Tests", "Toolkit", "SlowFactAttribute.cs")));
    }

    [Fact]
    public void Readme_DocumentsTheLinearModelOfAnEmptyHidden() =>
        Assert.Contains("| `--hidden \"\"` | no hidden layer: a linear model", Readme);

    [Fact]
    public void TrainingLoopExample_PrintsTheLossesTheReadmeShows()
    {
        string section = Readme.Split("## A training loop in C#")[1].Split("\n## ")[0];
        // The loop below is the README's; these are its setting lines, so a change there fails here.
        foreach (string line in new[]
        {
            "var model = Models.Mlp([100], batchNorm: false, dropout: 0, new Generator(1));",
            "var optimizer = new Sgd(model.Parameters(), 0.05, momentum: 0.9);",
            "var loader = new DataLoader(train, batchSize: 100, shuffle: true, seed: 1);",
            "for (int epoch = 0; epoch < 3; epoch++)",
            "Console.WriteLine($\"epoch {epoch + 1}: mean loss {total / train.Count:F4}\");",
        })
            Assert.Contains(line, section);

        var (train, _) = Mnist.LoadEmbedded();
        var model = Models.Mlp([100], batchNorm: false, dropout: 0, new Generator(1));
        var optimizer = new Sgd(model.Parameters(), 0.05, momentum: 0.9);
        var loader = new DataLoader(train, batchSize: 100, shuffle: true, seed: 1);
        var printed = new List<string>();
        for (int epoch = 0; epoch < 3; epoch++)
        {
            double total = 0;
            foreach (var batch in loader.Epoch(epoch))
            {
                using var scope = TensorScope.Begin();
                var x = Tensor.Wrap(batch.Features, batch.Count, train.FeatureSize);
                var loss = Functional.SoftmaxCrossEntropy(model.Forward(x), batch.Labels);
                optimizer.ZeroGrad();
                loss.Backward();
                optimizer.Step();
                total += loss.Item() * batch.Count;
            }
            printed.Add(FormattableString.Invariant($"epoch {epoch + 1}: mean loss {total / train.Count:F4}"));
        }
        Assert.Contains("```text\n" + string.Join("\n", printed) + "\n```", section);
    }
}
