using System.Globalization;
using SharpGrad;
using SharpGrad.Data;
using SharpGrad.Nn;
using SharpGrad.Optim;

// "Deep Learning from Scratch", chapter 5: train a 784-50-10 two-layer net (Affine → ReLU → Affine,
// softmax cross-entropy) with plain SGD, learning rate 0.1, mini-batches of 100, on the embedded MNIST sample.
// Argument: the number of epochs (default 5).
int epochs = 5;
if (args.Length > 0 && (!int.TryParse(args[0], NumberStyles.None, CultureInfo.InvariantCulture, out epochs) || epochs < 1))
{
    Console.Error.WriteLine($"usage: TrainTwoLayerNet [EPOCHS]  (a whole number from 1; '{args[0]}' is not)");
    Environment.ExitCode = 2;
    return;
}

var (train, test) = Mnist.LoadEmbedded();
var model = new Sequential(
    new Linear(train.FeatureSize, 50, new Generator(1)),
    new ReLU(),
    new Linear(50, Mnist.ClassCount, new Generator(2)));
var optimizer = new Sgd(model.Parameters(), learningRate: 0.1);
var loader = new DataLoader(train, batchSize: 100, shuffle: true, seed: 1);

for (int epoch = 0; epoch < epochs; epoch++)
{
    model.Train();
    foreach (var batch in loader.Epoch(epoch))
    {
        optimizer.ZeroGrad();
        var logits = model.Forward(Tensor.Wrap(batch.Features, batch.Count, train.FeatureSize));
        Functional.SoftmaxCrossEntropy(logits, batch.Labels).Backward();
        optimizer.Step();
    }
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"epoch {epoch + 1}: train accuracy {Accuracy(model, train):F4}, test accuracy {Accuracy(model, test):F4}"));
}

// The fraction of samples whose highest score is at the label, in evaluation mode without recording a graph.
static double Accuracy(Module model, Dataset data)
{
    model.Eval();
    using var noGrad = Tensor.NoGrad();
    var scores = model.Forward(Tensor.Wrap(data.Features, data.Count, data.FeatureSize)).ToFloatArray();
    int correct = 0;
    for (int i = 0; i < data.Count; i++)
    {
        var row = scores.AsSpan(i * Mnist.ClassCount, Mnist.ClassCount);
        if (row.IndexOf(row.ToArray().Max()) == data.Labels[i]) correct++;
    }
    return (double)correct / data.Count;
}
