using SharpGrad.Nn;
using SharpGrad.Optim;

namespace SharpGrad.Benchmarks;

/// <summary>
/// A float32 network, its SGD optimizer (lr 0.01, momentum 0.9) and one fixed batch of uniform inputs in [0, 1) with
/// labels 0, 1, …: the training step the mlp benchmark times, and SharpGrad.VsTorchSharp against TorchSharp (it links
/// this file).
/// </summary>
internal sealed class TrainingStep
{
    private TrainingStep(Sequential model, Generator g, int batch, int features, int classes)
    {
        Model = model;
        X = Tensor.RandomUniform(g, 0, 1, DType.Float32, batch, features);
        Labels = Enumerable.Range(0, batch).Select(i => i % classes).ToArray();
        Optimizer = new Sgd(Model.Parameters(), 0.01, momentum: 0.9);
    }

    /// <summary>The network.</summary>
    public Sequential Model { get; }

    /// <summary>SGD with momentum 0.9 over the network's parameters.</summary>
    public Sgd Optimizer { get; }

    /// <summary>The batch, [batch, features].</summary>
    public Tensor X { get; }

    /// <summary>The batch's labels, <c>i % classes</c>.</summary>
    public int[] Labels { get; }

    /// <summary>A multilayer perceptron (Linear layers with ReLU between them), built from generator seed 1.</summary>
    /// <param name="layers">The layer widths, input first (e.g. 784, 100, 10).</param>
    /// <param name="batch">The samples in the batch.</param>
    public static TrainingStep Mlp(int[] layers, int batch)
    {
        var g = new Generator(1);
        var model = new Sequential();
        for (int i = 0; i + 1 < layers.Length; i++)
        {
            model.Add(new Linear(layers[i], layers[i + 1], g));
            if (i + 2 < layers.Length) model.Add(new ReLU());
        }
        return new TrainingStep(model, g, batch, layers[0], layers[^1]);
    }

    /// <summary><c>sharpgrad train --model cnn</c>'s network (<see cref="Models.Cnn"/>) on 28 × 28 inputs, built from generator seed 1.</summary>
    /// <param name="batch">The samples in the batch.</param>
    public static TrainingStep Cnn(int batch)
    {
        var g = new Generator(1);
        return new TrainingStep(Models.Cnn(g), g, batch, 784, 10);
    }

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
