namespace SharpGrad.Optim;

/// <summary>
/// A learning-rate schedule: a function of the epoch that <see cref="Step"/> writes into
/// <see cref="Optimizer.LearningRate"/>. Call <see cref="Step"/> once at the end of every epoch, as in PyTorch.
/// </summary>
public abstract class LrScheduler
{
    private int _epoch;

    /// <summary>Creates the schedule, taking the optimizer's current learning rate as the base rate lr₀.</summary>
    /// <param name="optimizer">The optimizer whose learning rate is set.</param>
    protected LrScheduler(Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        Optimizer = optimizer;
        BaseLearningRate = optimizer.LearningRate;
    }

    /// <summary>The optimizer whose learning rate is set.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>lr₀, the learning rate at epoch 0.</summary>
    public double BaseLearningRate { get; }

    /// <summary>
    /// The number of completed epochs. Setting it (for example when resuming training) sets the optimizer's
    /// learning rate to <see cref="LearningRateAt"/> of the new value.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative value.</exception>
    public int Epoch
    {
        get => _epoch;
        set
        {
            if (value < 0) throw new ArgumentOutOfRangeException(nameof(Epoch), $"The scheduler's epoch must be 0 or more, not {value}.");
            _epoch = value;
            Optimizer.LearningRate = LearningRateAt(value);
        }
    }

    /// <summary>Ends an epoch: increments <see cref="Epoch"/> and sets the optimizer's learning rate for the next one.</summary>
    public void Step() => Epoch = _epoch + 1;

    /// <summary>The learning rate for epoch <paramref name="epoch"/> (closed form, so it does not depend on history).</summary>
    /// <param name="epoch">The number of completed epochs, ≥ 0.</param>
    /// <returns>The learning rate.</returns>
    public abstract double LearningRateAt(int epoch);
}

/// <summary>Step decay (PyTorch's StepLR): lr = lr₀ · γ^⌊epoch / stepSize⌋.</summary>
public sealed class StepLR : LrScheduler
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="optimizer">The optimizer; its current learning rate is lr₀.</param>
    /// <param name="stepSize">Epochs between decays, at least 1.</param>
    /// <param name="gamma">γ, the factor applied at each decay, finite and positive.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public StepLR(Optimizer optimizer, int stepSize, double gamma = 0.1)
        : base(optimizer)
    {
        if (stepSize < 1) throw new ArgumentOutOfRangeException(nameof(stepSize), $"StepLR: the step size (epochs between decays) must be at least 1, not {stepSize}.");
        StepSize = stepSize;
        Gamma = ArgumentChecks.FinitePositive(gamma, nameof(gamma), "StepLR: γ");
    }

    /// <summary>Epochs between decays.</summary>
    public int StepSize { get; }

    /// <summary>γ.</summary>
    public double Gamma { get; }

    /// <inheritdoc/>
    public override double LearningRateAt(int epoch) => BaseLearningRate * Math.Pow(Gamma, epoch / StepSize);
}

/// <summary>
/// Cosine annealing (PyTorch's CosineAnnealingLR, closed form): lr = η_min + (lr₀ − η_min)·(1 + cos(π·epoch / T_max)) / 2,
/// falling from lr₀ at epoch 0 to η_min at epoch T_max (and rising again after it, as the cosine does).
/// </summary>
public sealed class CosineAnnealingLR : LrScheduler
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="optimizer">The optimizer; its current learning rate is lr₀.</param>
    /// <param name="tMax">T_max, the epochs of one half-period, at least 1.</param>
    /// <param name="etaMin">η_min, the lowest learning rate, finite and non-negative.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin = 0)
        : base(optimizer)
    {
        if (tMax < 1) throw new ArgumentOutOfRangeException(nameof(tMax), $"CosineAnnealingLR: T_max (epochs of one half-period) must be at least 1, not {tMax}.");
        if (!(etaMin >= 0 && double.IsFinite(etaMin)))
            throw new ArgumentOutOfRangeException(nameof(etaMin), $"CosineAnnealingLR: η_min must be a finite non-negative number, not {etaMin.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        TMax = tMax;
        EtaMin = etaMin;
    }

    /// <summary>T_max.</summary>
    public int TMax { get; }

    /// <summary>η_min.</summary>
    public double EtaMin { get; }

    /// <inheritdoc/>
    public override double LearningRateAt(int epoch) =>
        EtaMin + (BaseLearningRate - EtaMin) * (1 + Math.Cos(Math.PI * epoch / TMax)) / 2;
}
