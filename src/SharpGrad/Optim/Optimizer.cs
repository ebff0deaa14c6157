using System.Globalization;
using System.Numerics;

namespace SharpGrad.Optim;

/// <summary>
/// Updates parameters from their accumulated gradients. Updates run without recording a graph. Per-parameter
/// state (momentum buffers, moment estimates) lives in named arrays that <see cref="StateTensors()"/> exposes and
/// <see cref="LoadState"/> restores, so training can be resumed exactly.
/// </summary>
public abstract class Optimizer
{
    private readonly Dictionary<string, Array>[] _state;
    private readonly long[] _parameterSteps;

    /// <summary>Creates the optimizer for a set of parameters.</summary>
    /// <param name="parameters">
    /// The tensors to update: at least one, each a leaf, none listed twice. A parameter that does not require gradients
    /// (a frozen layer's, as in PyTorch) is accepted and left alone while it has no gradient; setting
    /// <see cref="Tensor.RequiresGrad"/> again later unfreezes it.
    /// </param>
    /// <param name="learningRate">The step size.</param>
    /// <exception cref="ArgumentException">
    /// The list is empty (as in PyTorch, an optimizer over nothing is a mistake); a parameter is not a leaf (the result of an operation, which Backward gives no gradient and an update would not
    /// reach the tensor it came from); or the same tensor is listed more than once (it would be updated once per listing).
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">The learning rate is not positive.</exception>
    protected Optimizer(IEnumerable<Tensor> parameters, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = parameters.ToArray();
        if (Parameters.Count == 0)
            throw new ArgumentException($"{GetType().Name}: optimizer got an empty parameter list (did the model's Parameters() return nothing?).", nameof(parameters));
        var firstPosition = new Dictionary<Tensor, int>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < Parameters.Count; i++)
        {
            var p = Parameters[i];
            if (p is null) throw new ArgumentNullException(nameof(parameters), $"Parameter {i} is null.");
            if (!p.IsLeaf)
                throw new ArgumentException($"Parameter {i} (shape {Shapes.Format(p.Shape)}) is not a leaf tensor but the result of an operation; an optimizer can only update leaves, such as a module's parameters.", nameof(parameters));
            if (firstPosition.TryGetValue(p, out int first))
                throw new ArgumentException($"Parameters {first} and {i} are the same tensor (shape {Shapes.Format(p.Shape)}); each parameter must be listed once, or it would be updated once per listing.", nameof(parameters));
            firstPosition[p] = i;
        }
        LearningRate = ArgumentChecks.FinitePositive(learningRate, nameof(learningRate), "The learning rate");
        _state = new Dictionary<string, Array>[Parameters.Count];
        for (int i = 0; i < _state.Length; i++) _state[i] = [];
        _parameterSteps = new long[Parameters.Count];
    }

    /// <summary>The parameters being optimised.</summary>
    public IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>The step size; schedules may change it between steps.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative or non-finite value (0 is allowed: a schedule may end there).</exception>
    public double LearningRate
    {
        get => _learningRate;
        set
        {
            if (!(value >= 0) || double.IsInfinity(value)) // a negative rate would climb the loss, NaN would turn every parameter into NaN
                throw new ArgumentOutOfRangeException(nameof(value), $"The learning rate must be a finite number ≥ 0, not {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
            _learningRate = value;
        }
    }

    private double _learningRate;

    /// <summary>The number of completed <see cref="Step"/> calls (restored by <see cref="LoadState"/>).</summary>
    public long StepCount { get; private set; }

    /// <summary>Clears every parameter's gradient (zero-filled in place).</summary>
    public void ZeroGrad()
    {
        for (int i = 0; i < Parameters.Count; i++) Parameters[i].ZeroGrad(); // no enumerator: a training step allocates nothing here
    }

    /// <summary>Applies one update to every parameter that has a gradient.</summary>
    public void Step()
    {
        using var _ = Tensor.NoGrad();
        StepCount++;
        for (int i = 0; i < Parameters.Count; i++)
        {
            var p = Parameters[i];
            if (p.Grad is null) continue;
            _parameterSteps[i]++;
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

    /// <summary>
    /// How many updates parameter <paramref name="index"/> has received, counting the one in progress during
    /// <see cref="Update(int, Span{float}, ReadOnlySpan{float})"/> (PyTorch's per-parameter <c>step</c>, t in Adam's bias correction).
    /// </summary>
    /// <param name="index">The parameter's position.</param>
    /// <returns>t ≥ 1 during an update.</returns>
    protected long ParameterStep(int index) => _parameterSteps[index];

    /// <summary>
    /// The named state array of parameter <paramref name="index"/> (same length and element type as the parameter),
    /// created filled with zeros on first use.
    /// </summary>
    /// <typeparam name="T">The parameter's element type.</typeparam>
    /// <param name="index">The parameter's position.</param>
    /// <param name="name">The state's name, as in PyTorch (e.g. "exp_avg").</param>
    /// <returns>The array, updated in place by the optimizer.</returns>
    protected T[] State<T>(int index, string name) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!_state[index].TryGetValue(name, out var array))
            _state[index][name] = array = new T[Parameters[index].Length];
        return (T[])array;
    }

    /// <summary>
    /// A copy of the optimizer's state as tensors: <c>"{i}.{name}"</c> for each per-parameter array that exists
    /// (shape and dtype of parameter i), <c>"{i}.step"</c> (a float64 scalar, the updates parameter i has received)
    /// and <c>"step_count"</c> (a float64 scalar, <see cref="StepCount"/>). Hyperparameters are not included.
    /// </summary>
    /// <returns>The state, in a fixed order (by parameter, then name).</returns>
    public IReadOnlyDictionary<string, Tensor> StateTensors() => StateTensors(copy: true);

    /// <summary>
    /// As <see cref="StateTensors()"/>; with <paramref name="copy"/> false the tensors wrap the optimizer's own arrays,
    /// for a caller that only reads them before the next step (saving them to a file: a copy of Adam's two moments
    /// doubled the memory of the optimizer's state while a large model was saved).
    /// </summary>
    /// <param name="copy">Whether the tensors hold copies of the state arrays.</param>
    /// <returns>The state, in a fixed order (by parameter, then name).</returns>
    internal IReadOnlyDictionary<string, Tensor> StateTensors(bool copy)
    {
        var result = new Dictionary<string, Tensor> { ["step_count"] = Tensor.Scalar(StepCount, DType.Float64) };
        for (int i = 0; i < Parameters.Count; i++)
        {
            string prefix = i.ToString(CultureInfo.InvariantCulture) + ".";
            result[prefix + "step"] = Tensor.Scalar(_parameterSteps[i], DType.Float64);
            foreach (var (name, array) in _state[i].OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                var values = copy ? (Array)array.Clone() : array;
                result[prefix + name] = values is float[] f ? Tensor.Wrap(f, Parameters[i].ShapeArray()) : Tensor.Wrap((double[])values, Parameters[i].ShapeArray());
            }
        }
        return result;
    }

    /// <summary>
    /// Replaces the optimizer's state with <paramref name="state"/>, as produced by <see cref="StateTensors()"/> of an
    /// optimizer of the same type over parameters of the same shapes. Values are copied.
    /// </summary>
    /// <param name="state">The state tensors.</param>
    /// <exception cref="ArgumentException">
    /// A tensor is unknown, belongs to no parameter, or has the wrong shape or dtype; <c>step_count</c> is missing; a
    /// step count (<c>step_count</c> or a <c>{i}.step</c>) is not a whole number from 0 to 2^53; or a parameter's step
    /// is larger than <c>step_count</c> (which <see cref="Step"/> never produces). The message lists every problem.
    /// Nothing is changed in that case.
    /// </exception>
    public void LoadState(IReadOnlyDictionary<string, Tensor> state)
    {
        var problems = new List<string>();
        var known = StateNames.ToHashSet(StringComparer.Ordinal);
        var parsed = new List<(int Index, string Name, Tensor Tensor)>();
        double? stepCount = null; // step_count's value, once it has passed its checks
        if (!state.ContainsKey("step_count")) problems.Add("'step_count' is missing");
        foreach (var (key, tensor) in state.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            if (key == "step_count")
            {
                if (tensor.Length != 1) problems.Add($"'step_count' has shape {Shapes.Format(tensor.Shape)}, expected a scalar");
                else if (StepProblem(key, tensor.Item()) is { } problem) problems.Add(problem);
                else stepCount = tensor.Item();
                continue;
            }
            int dot = key.IndexOf('.', StringComparison.Ordinal);
            if (dot <= 0 || !int.TryParse(key.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out int index))
            {
                problems.Add($"'{key}' is not a per-parameter state name");
                continue;
            }
            string name = key[(dot + 1)..];
            if (index >= Parameters.Count) { problems.Add($"'{key}' refers to parameter {index}, but there are {Parameters.Count}"); continue; }
            if (name == "step")
            {
                if (tensor.Length != 1) problems.Add($"'{key}' has shape {Shapes.Format(tensor.Shape)}, expected a scalar");
                else if (StepProblem(key, tensor.Item()) is { } problem) problems.Add(problem);
                else parsed.Add((index, name, tensor));
                continue;
            }
            if (!known.Contains(name)) { problems.Add($"'{key}' is not state of {GetType().Name} (which keeps {string.Join(", ", StateNames)})"); continue; }
            var p = Parameters[index];
            if (!Shapes.Equal(p.Shape, tensor.Shape) || p.DType != tensor.DType)
                problems.Add($"'{key}' is {tensor.DType} {Shapes.Format(tensor.Shape)}, but parameter {index} is {p.DType} {Shapes.Format(p.Shape)}");
            else parsed.Add((index, name, tensor));
        }
        // Step() counts every call in step_count but a parameter's step only when it has a gradient, so no saved
        // parameter can be ahead of the optimizer (Adam's bias correction would use a t that never happened).
        if (stepCount is { } count)
        {
            foreach (var (index, name, tensor) in parsed)
                if (name == "step" && tensor.Item() > count)
                    problems.Add($"'{index.ToString(CultureInfo.InvariantCulture)}.step' is {tensor.Item().ToString(CultureInfo.InvariantCulture)}, more than 'step_count' ({count.ToString(CultureInfo.InvariantCulture)}): a parameter cannot have had more updates than the optimizer has taken steps");
        }
        if (problems.Count > 0)
            throw new ArgumentException($"Cannot load {GetType().Name} state: {string.Join("; ", problems)}.", nameof(state));

        StepCount = (long)stepCount!.Value; // set above: a missing or unusable step_count is a problem
        Array.Clear(_parameterSteps);
        foreach (var s in _state) s.Clear();
        foreach (var (index, name, tensor) in parsed)
        {
            if (name == "step") _parameterSteps[index] = (long)tensor.Item();
            else _state[index][name] = (Array)tensor.Data.Clone();
        }
    }

    /// <summary>The largest count accepted: 2^53, the last integer from which a float64 scalar can still count up by one.</summary>
    private const double MaxStep = 9007199254740992;

    /// <summary>Why a saved step count is unusable (it must be a whole number from 0 to 2^53), or null if it is fine.</summary>
    private static string? StepProblem(string key, double value) =>
        value >= 0 && value <= MaxStep && value == Math.Floor(value)
            ? null
            : $"'{key}' is {value.ToString(CultureInfo.InvariantCulture)}, but a step count must be a whole number from 0 to 2^53";

    /// <summary>The names of the per-parameter state arrays this optimizer keeps (e.g. "exp_avg", "exp_avg_sq").</summary>
    protected abstract IReadOnlyList<string> StateNames { get; }

    /// <summary>Throws unless <paramref name="value"/> is finite and non-negative (for weight decay and similar settings).</summary>
    /// <param name="value">The value.</param>
    /// <param name="name">The parameter's name.</param>
    /// <returns>The value.</returns>
    protected static double NonNegative(double value, string name) =>
        value >= 0 && double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(name, $"{name} must be finite and non-negative, not {value.ToString(CultureInfo.InvariantCulture)}.");

    /// <summary>
    /// Throws unless <paramref name="value"/> is in [0, 1) (a momentum or a moving average's decay). NaN is refused too:
    /// it passes a test written as "below 0 or at least 1", and one step would then turn every parameter into NaN.
    /// </summary>
    /// <param name="value">The value.</param>
    /// <param name="name">The parameter's name.</param>
    /// <param name="symbol">How the message names the setting, such as "β₁" or "Momentum".</param>
    /// <returns>The value.</returns>
    protected static double Fraction(double value, string name, string symbol) =>
        value >= 0 && value < 1 ? value : throw new ArgumentOutOfRangeException(name, $"{symbol} must be in [0, 1), not {value.ToString(CultureInfo.InvariantCulture)}.");
}
