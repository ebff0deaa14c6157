using System.Globalization;
using SharpGrad;
using SharpGrad.Data;

// "Deep Learning from Scratch", chapter 5 (gradient check): a 784-50-10 two-layer net,
// loss = softmax cross-entropy(relu(x·W1 + b1)·W2 + b2), with W stored [in, out] as in the book.
// Backprop gradients are compared with central differences (f(w + h) − f(w − h)) / 2h, h = 1e-4, in float64.
// Argument: the number of samples in the batch (default 3).
var (train, _) = Mnist.LoadEmbedded();
int batch = 3;
if (args.Length > 0 && (!int.TryParse(args[0], NumberStyles.None, CultureInfo.InvariantCulture, out batch) || batch < 1 || batch > train.Count))
{
    Console.Error.WriteLine($"usage: TwoLayerNetGradCheck [SAMPLES]  (a whole number from 1 to {train.Count}; '{args[0]}' is not)");
    Environment.ExitCode = 2;
    return;
}
var x = Tensor.FromArray(Array.ConvertAll(train.Features[..(batch * train.FeatureSize)], v => (double)v), batch, train.FeatureSize);
var labels = train.Labels[..batch];

// The book's initialisation: weights 0.01·N(0, 1), biases zero.
var generator = new Generator(42);
Tensor[] parameters =
[
    Tensor.RandomNormal(generator, 0, 0.01, DType.Float64, train.FeatureSize, 50),
    Tensor.Zeros(DType.Float64, 50),
    Tensor.RandomNormal(generator, 0, 0.01, DType.Float64, 50, Mnist.ClassCount),
    Tensor.Zeros(DType.Float64, Mnist.ClassCount),
];
string[] names = ["W1", "b1", "W2", "b2"];

Tensor Loss(Tensor[] p)
{
    var hidden = (x.MatMul(p[0]) + p[1]).Relu();
    return Functional.SoftmaxCrossEntropy(hidden.MatMul(p[2]) + p[3], labels);
}

var result = GradCheck.Check(Loss, parameters, h: 1e-4);
for (int i = 0; i < names.Length; i++)
{
    double meanAbsDiff = result.Analytic[i].Zip(result.Numerical[i], (a, n) => Math.Abs(a - n)).Average();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{names[i]}: {meanAbsDiff:E3}"));
}
