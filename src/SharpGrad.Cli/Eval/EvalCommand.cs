using System.CommandLine;
using System.Globalization;
using SharpGrad.Cli.Reports;
using SharpGrad.Cli.Train;
using SharpGrad.Data;
using SharpGrad.IO;
using SharpGrad.Nn;

namespace SharpGrad.Cli.Eval;

/// <summary><c>sharpgrad eval</c>: loads a saved model and reports its accuracy and confusion matrix on test digits.</summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "A model file written by `sharpgrad train --save` (safetensors).", Required = true };
        var data = new Option<string?>("--data") { Description = "Folder with the MNIST-format test files (t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]). Default: the embedded sample." };
        var command = new Command("eval", "Evaluate a saved model: accuracy and confusion matrix on the test digits.") { model, data };
        command.SetAction(parse => Run(parse.GetValue(model)!, parse.GetValue(data), Console.Out, Console.Error));
        return command;
    }

    public static int Run(string modelPath, string? dataDirectory, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            var module = InputPaths.Read(modelPath, "--model", Module.LoadModel);
            var test = dataDirectory is null ? Mnist.LoadEmbedded().Test : InputPaths.ReadFolder(dataDirectory, "--data", Mnist.LoadTest);
            // (Module.LoadModel has already refused a model holding NaN or infinity, naming the tensor.)
            Trainer.RequireRecordedShape(module, test, $"--model {modelPath}", "test");
            if (test.Count > 0)
            {
                int outputs;
                try
                {
                    using (Tensor.NoGrad())
                        outputs = module.Forward(Tensor.FromArray(test.Features.AsSpan(0, test.FeatureSize).ToArray(), 1, test.FeatureSize)).Length;
                }
                catch (ArgumentException e) // the layer's own message alone named neither the file nor the data
                {
                    throw new ArgumentException($"--model {modelPath}: the saved model does not take the test data's samples of {test.FeatureSize} values ({e.Message})", e);
                }
                if (outputs != test.ClassCount)
                    stderr.WriteLine($"sharpgrad eval: warning: the model scores {outputs} classes but the data has {test.ClassCount}.");
            }
            var predicted = Trainer.Predict(module, test);
            var confusion = ConfusionMatrix.Compute(test.Labels, predicted, test.ClassCount);
            int correct = 0;
            for (int i = 0; i < test.Count; i++) if (predicted[i] == test.Labels[i]) correct++;
            stdout.WriteLine($"model: {module}");
            stdout.WriteLine($"data: {dataDirectory ?? "embedded MNIST sample"} ({test.Count} test digits)");
            stdout.WriteLine();
            stdout.WriteLine(ConfusionMatrix.Format(confusion));
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"test accuracy: {(double)correct / test.Count:F4}"));
            return 0;
        }
        catch (Exception e) when (e is SharpGradFormatException or IOException or ArgumentException or UnauthorizedAccessException)
        {
            stderr.WriteLine(Messages.Line("eval", e));
            return 2;
        }
    }
}
