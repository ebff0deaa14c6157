using System.CommandLine;

namespace SharpGrad.Cli.Train;

/// <summary><c>sharpgrad train</c>: trains a network on MNIST-format digits.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var command = new Command("train", "Train a neural network on handwritten digits (the embedded MNIST sample by default).");
        command.SetAction(_ => 0);
        return command;
    }
}
