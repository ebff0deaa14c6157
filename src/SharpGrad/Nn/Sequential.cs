namespace SharpGrad.Nn;

/// <summary>Applies its layers in order: y = layerₙ(… layer₁(x)). Children are named "0", "1", ….</summary>
public sealed class Sequential : Module
{
    private readonly List<Module> _layers = [];

    /// <summary>Creates the container from layers.</summary>
    /// <param name="layers">The layers, first to last.</param>
    /// <exception cref="ArgumentNullException"><paramref name="layers"/> or one of its layers is null (the message gives its position).</exception>
    public Sequential(params Module[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        foreach (var layer in layers) Add(layer);
    }

    /// <summary>Appends a layer.</summary>
    /// <param name="layer">The layer.</param>
    /// <returns>This container.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="layer"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="layer"/> is this container or contains it.</exception>
    public Sequential Add(Module layer)
    {
        if (layer is null)
            throw new ArgumentNullException(nameof(layer), $"Sequential: layer {_layers.Count} is null.");
        _layers.Add(RegisterModule(_layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), layer));
        return this;
    }

    /// <summary>The layers, first to last.</summary>
    public IReadOnlyList<Module> Layers => _layers;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        var x = input;
        foreach (var layer in _layers) x = layer.Forward(x);
        return x;
    }
}

/// <summary>The softmax cross-entropy loss with integer labels, averaged over the batch (see <see cref="Functional.SoftmaxCrossEntropy"/>).</summary>
public sealed class SoftmaxCrossEntropyLoss
{
    /// <summary>Computes the loss.</summary>
    /// <param name="logits">Scores, batch × classes.</param>
    /// <param name="labels">One class index per row.</param>
    /// <returns>The scalar loss.</returns>
    public Tensor Forward(Tensor logits, int[] labels) => Functional.SoftmaxCrossEntropy(logits, labels);
}
