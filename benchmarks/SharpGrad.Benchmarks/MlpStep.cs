using SharpGrad.Nn;
using SharpGrad.Optim;

namespace SharpGrad.Benchmarks;

/// <summary>
/// A float32 multilayer perceptron (Linear layers with ReLU between them), its SGD optimizer (lr 0.01, momentum 0.9)
/// and one fixed batch of uniform inputs with labels 0, 1, …: the training step the mlp benchmark times, and
/// SharpGrad.VsTorchSharp against TorchSharp (it links this file).
/// </summary>
internal sealed class MlpStep
{
    /// <summary>Builds the network and the batch from generator seed 1.</summary>
    /// <param name="layers">The layer widths, input first (e.g. 784, 100, 10).</param>
    /// <param name="batch">The samples in the batch.</param>
    public MlpStep(int[] layers, int batch)
    {
        var g = new Generator(1);
        Model = new Sequential();
        for (int i = 0; i + 1 < layers.Length; i++)
        {
            Model.Add(new Linear(layers[i], layers[i + 1], g));
            if (i + 2 < layers.Length) Model.Add(new ReLU());
        }
        X = Tensor.RandomUniform(g, 0, 1, DType.Float32, batch, layers[0]);
        Labels = Enumerable.Range(0, batch).Select(i => i % layers[^1]).ToArray();
        Optimizer = new Sgd(Model.Parameters(), 0.01, momentum: 0.9);
    }

    /// <summary>The network.</summary>
    public Sequential Model { get; }

    /// <summary>SGD with momentum 0.9 over the network's parameters.</summary>
    public Sgd Optimizer { get; }

    /// <summary>The batch, [batch, layers[0]].</summary>
    public Tensor X { get; }

    /// <summary>The batch's labels, <c>i % classes</c>.</summary>
    public int[] Labels { get; }

    /// <summary>
    /// One training step (zero the gradients, forward, softmax cross-entropy, backward, update) inside a
    /// <see cref="TensorScope"/>, begun on <paramref name="arena"/> when there is one (as <c>sharpgrad train</c> runs it).
    /// </summary>
    public void Run(StepArena? arena = null, bool createGraph = false)
    {
        using var scope = arena is null ? TensorScope.Begin() : TensorScope.Begin(arena);
        Optimizer.ZeroGrad();
        var loss = Functional.SoftmaxCrossEntropy(Model.Forward(X), Labels);
        loss.Backward(createGraph: createGraph);
        Optimizer.Step();
    }
}
