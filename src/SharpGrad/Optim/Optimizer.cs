namespace SharpGrad.Optim;

/// <summary>Updates parameters from their accumulated gradients. Updates run without recording a graph.</summary>
public abstract class Optimizer
{
    /// <summary>Creates the optimizer for a set of parameters.</summary>
    /// <param name="parameters">The tensors to update; each must require gradients.</param>
    /// <param name="learningRate">The step size.</param>
    protected Optimizer(IEnumerable<Tensor> parameters, double learningRate)
    {
        Parameters = parameters.ToArray();
        foreach (var p in Parameters)
            if (!p.RequiresGrad) throw new ArgumentException($"A parameter of shape {Shapes.Format(p.Shape)} does not require gradients.");
        if (!(learningRate > 0)) throw new ArgumentOutOfRangeException(nameof(learningRate), $"The learning rate must be positive, not {learningRate}.");
        LearningRate = learningRate;
    }

    /// <summary>The parameters being optimised.</summary>
    public IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>The step size; schedules may change it between steps.</summary>
    public double LearningRate { get; set; }

    /// <summary>Clears every parameter's gradient (zero-filled in place).</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters) p.ZeroGrad();
    }

    /// <summary>Applies one update to every parameter that has a gradient.</summary>
    public void Step()
    {
        using var _ = Tensor.NoGrad();
        for (int i = 0; i < Parameters.Count; i++)
        {
            var p = Parameters[i];
            if (p.Grad is null) continue;
            if (p.DType == DType.Float32) Update(i, p.F, p.Grad.F);
            else Update(i, p.D, p.Grad.D);
            p.BumpVersion();
        }
    }

    /// <summary>Updates one float32 parameter in place.</summary>
    /// <param name="index">The parameter's position in <see cref="Parameters"/> (to find its state).</param>
    /// <param name="parameter">The values.</param>
    /// <param name="gradient">∂L/∂parameter.</param>
    protected abstract void Update(int index, Span<float> parameter, ReadOnlySpan<float> gradient);

    /// <summary>Updates one float64 parameter in place.</summary>
    /// <param name="index">The parameter's position in <see cref="Parameters"/>.</param>
    /// <param name="parameter">The values.</param>
    /// <param name="gradient">∂L/∂parameter.</param>
    protected abstract void Update(int index, Span<double> parameter, ReadOnlySpan<double> gradient);
}
