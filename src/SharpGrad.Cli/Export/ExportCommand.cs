using System.CommandLine;
using SharpGrad.IO;
using SharpGrad.Nn;
using SharpGrad.Onnx;

namespace SharpGrad.Cli.Export;

/// <summary><c>sharpgrad export</c>: converts a model file (safetensors with its architecture) to ONNX.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "The model file written by Module.Save (safetensors with the architecture recorded).", Required = true, HelpName = "FILE" };
        var onnx = new Option<string>("--onnx") { Description = "The ONNX file to write (opset 13).", Required = true, HelpName = "OUT" };
        var inputShape = new Option<string?>("--input-shape") { Description = "The shape of one input sample, comma-separated (e.g. 1,28,28). Default: inferred from a first Linear or Unflatten layer.", HelpName = "D1,D2,..." };
        var softmax = new Option<bool>("--softmax") { Description = "End the graph with Softmax, so it outputs probabilities instead of scores." };
        var command = new Command("export", "Convert a saved model to an ONNX file that ONNX Runtime and other tools can run.") { model, onnx, inputShape, softmax };
        command.SetAction(parse => Run(parse.GetValue(model)!, parse.GetValue(onnx)!, parse.GetValue(inputShape), parse.GetValue(softmax), Console.Out, Console.Error));
        return command;
    }

    /// <summary>Loads <paramref name="modelPath"/>, exports it to <paramref name="onnxPath"/>, and reports; 0 on success, 2 on bad input.</summary>
    public static int Run(string modelPath, string onnxPath, string? inputShape, bool softmax, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            string? onnxTarget = string.IsNullOrWhiteSpace(onnxPath) || string.IsNullOrWhiteSpace(modelPath) ? null : CheckOnnxSparesTheModel(onnxPath, modelPath);
            OutputPaths.CheckFile(onnxPath, "--onnx", target: onnxTarget);
            var model = InputPaths.Read(modelPath, "--model", Module.LoadModel);
            int[] sample = inputShape is null ? InferSampleShape(model) : ParseShape(inputShape);
            if (inputShape is not null) CheckSampleShape(model, sample, inputShape);
            OutputPaths.Writing("--onnx", onnxPath, () => Export(model, onnxPath, inputShape, sample, softmax));
            stdout.WriteLine($"wrote {onnxPath} (ONNX opset {OnnxExport.OpsetVersion}) from {model}: input [N, {string.Join(", ", sample)}]");
            return 0;
        }
        catch (Exception e) when (e is SharpGradFormatException or IOException or ArgumentException or NotSupportedException or UnauthorizedAccessException)
        {
            stderr.WriteLine(Messages.Line("export", e));
            return 2;
        }
    }

    /// <summary>
    /// Exports with a batch of one sample. A layer that refuses the sample shape the user gave (a Linear(784 → 100) fed
    /// --input-shape 3,3, which it sees flattened as [1, 9]) is reported under --input-shape, with the shape as given.
    /// </summary>
    private static void Export(Module model, string onnxPath, string? inputShape, int[] sample, bool softmax)
    {
        try
        {
            model.ExportOnnx(onnxPath, [1, .. sample], softmax);
        }
        catch (ArgumentException e) when (inputShape is not null)
        {
            throw new ArgumentException($"--input-shape {inputShape}: the model cannot take a sample of shape {Shapes.Format(sample)}: {Messages.Clean(e)}", e);
        }
    }

    /// <summary>
    /// --onnx must not land on the model file, nor on the optimizer-state file train --save writes beside it
    /// (FILE.optimizer, one tab completion away): writing there would destroy the model, or the state --resume needs.
    /// Landing is by name, through a symbolic link, or as another name of the same file (device and inode).
    /// </summary>
    /// <returns>The --onnx path with its links followed.</returns>
    private static string CheckOnnxSparesTheModel(string onnxPath, string modelPath)
    {
        string onnx = OutputPaths.Canonical(onnxPath, "--onnx"), model = OutputPaths.Canonical(modelPath, "--model");
        string? problem = OutputPaths.Compare(onnxPath, onnx, modelPath, model) switch
        {
            OutputPaths.Sameness.SameName => "is the model file itself; writing the ONNX file there would destroy the model",
            OutputPaths.Sameness.ThroughLink => $"is the model file {modelPath} itself (through a symbolic link, both are {model}); writing the ONNX file there would destroy the model",
            OutputPaths.Sameness.OtherName => $"is the model file {modelPath} under another name ({OutputPaths.OtherNames})",
            _ => null,
        };
        string state = Train.TrainCommand.OptimizerPath(modelPath);
        if (problem is null && File.Exists(state))
        {
            problem = OutputPaths.Compare(onnxPath, onnx, state, OutputPaths.Canonical(state, Messages.FileOf("--model", Train.TrainCommand.OptimizerStateFile))) switch
            {
                OutputPaths.Sameness.Different => null,
                OutputPaths.Sameness.OtherName => $"is the optimizer-state file {state} saved beside the model, under another name ({OutputPaths.OtherNames})",
                _ => $"is the optimizer-state file {state} saved beside the model; writing the ONNX file there would destroy it, and --resume with it",
            };
        }
        if (problem is not null) throw new ArgumentException($"--onnx {onnxPath} {problem}. Choose another name (e.g. model.onnx).");
        return onnx;
    }

    /// <summary>
    /// Before anything is allocated, a sample shape given with --input-shape must fit the model's first layer: as many
    /// values as a first Linear takes (any shape, after a Flatten), and for a model that starts by reshaping its input
    /// to images (the CNN's Unflatten[1, 28, 28]) either that many values or exactly that shape: the Unflatten would
    /// otherwise silently take a 14 × 56 image, or a huge sample would run out of memory, for 28 × 28.
    /// </summary>
    private static void CheckSampleShape(Module model, int[] sample, string inputShape)
    {
        long values = sample.Aggregate(1L, (a, d) => a * d);
        var leaves = Leaves(model).ToList();
        var first = leaves.SkipWhile(l => l is Flatten or Dropout).FirstOrDefault();
        switch (first)
        {
            case Linear linear when values != linear.InFeatures:
                throw new ArgumentException($"--input-shape {inputShape}: a sample of {values:N0} values, but the model's first layer {linear.Describe()} takes {linear.InFeatures:N0}.");
            case Unflatten unflatten:
                int[] image = unflatten.SampleShape;
                long wanted = image.Aggregate(1L, (a, d) => a * d);
                bool flattened = leaves[0] is Flatten;
                bool fits = values == wanted && (flattened || sample.Length == 1 || sample.AsSpan().SequenceEqual(image));
                if (!fits)
                    throw new ArgumentException($"--input-shape {inputShape}: the model takes samples of shape {Shapes.Format(image)} (it starts with {unflatten.Describe()}); give {wanted} or {string.Join(",", image)}.");
                break;
        }
    }

    private static int[] InferSampleShape(Module model)
    {
        var first = Leaves(model).SkipWhile(l => l is Flatten or Dropout).FirstOrDefault() ?? model;
        return first switch
        {
            Linear linear => [linear.InFeatures],
            Unflatten unflatten => [unflatten.SampleShape.Aggregate(1, (a, d) => a * d)],
            _ => throw new ArgumentException($"cannot infer the input shape from {first.Describe()}; give --input-shape (e.g. 1,28,28)."),
        };
    }

    private static IEnumerable<Module> Leaves(Module module) =>
        module is Sequential s ? s.Layers.SelectMany(Leaves) : [module];

    private static int[] ParseShape(string text) =>
        SizeList.TryParse(text, trimSpaces: true, out int[] shape, out string bad) ? shape
        : throw new ArgumentException($"--input-shape expects comma-separated positive sizes such as 1,28,28; '{bad}' is not one.");
}
