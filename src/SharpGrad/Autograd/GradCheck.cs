namespace SharpGrad;

/// <summary>The outcome of a <see cref="GradCheck"/> comparison.</summary>
/// <param name="MaxError">
/// The worst error over all checked elements, |backprop − numerical| / max(1, |backprop|, |numerical|): relative
/// for gradients larger than 1, absolute for smaller ones (so gradients near zero are not judged by noise).
/// </param>
/// <param name="MaxAbsoluteError">The worst |backprop − numerical|.</param>
/// <param name="WorstInput">The index of the input holding the worst element.</param>
/// <param name="WorstElement">The flat index of the worst element within that input.</param>
/// <param name="Analytic">The backprop gradients, one array per input.</param>
/// <param name="Numerical">The central-difference gradients, one array per input.</param>
public sealed record GradCheckResult(double MaxError, double MaxAbsoluteError, int WorstInput, int WorstElement, double[][] Analytic, double[][] Numerical)
{
    /// <summary>Whether <see cref="MaxError"/> is within a tolerance.</summary>
    /// <param name="tolerance">The largest acceptable error.</param>
    /// <returns>True when the gradients agree.</returns>
    public bool Passes(double tolerance = 1e-6) => MaxError <= tolerance;

    /// <inheritdoc/>
    public override string ToString() =>
        $"max error {MaxError:E3} (absolute {MaxAbsoluteError:E3}) at input {WorstInput}, element {WorstElement}";
}

/// <summary>
/// Checks backpropagation against numerical differentiation: for every element of every input, the central
/// difference (f(x + h) − f(x − h)) / 2h, computed in float64.
/// </summary>
public static class GradCheck
{
    /// <summary>
    /// Compares the gradients of <paramref name="function"/> computed by backprop with central differences.
    /// The inputs are copied to float64 leaves that require gradients. A non-scalar output is reduced to the
    /// scalar Σ rᵢ·yᵢ with fixed pseudo-random weights rᵢ, so every output element's gradient is exercised.
    /// </summary>
    /// <param name="function">The function of the inputs; it must build its result from them with tensor operations.</param>
    /// <param name="inputs">The points at which to differentiate (any dtype; converted to float64).</param>
    /// <param name="h">The finite-difference step (1e-4 by default).</param>
    /// <returns>The comparison.</returns>
    public static GradCheckResult Check(Func<Tensor[], Tensor> function, Tensor[] inputs, double h = 1e-4)
    {
        var leaves = inputs.Select(t => Tensor.Wrap(t.ToDoubleArray(), t.ShapeArray()).WithRequiresGrad()).ToArray();
        Tensor? weights = null;
        Tensor Scalarize(Tensor y)
        {
            if (y.DType != DType.Float64) y = y.To(DType.Float64);
            if (y.Length == 1) return y.Sum();
            weights ??= Tensor.RandomUniform(new Generator(12345), 0.5, 1.5, DType.Float64, y.ShapeArray());
            return (y * weights).Sum();
        }

        var output = Scalarize(function(leaves));
        output.Backward();
        var analytic = leaves.Select(l => l.Grad?.ToDoubleArray() ?? new double[l.Length]).ToArray();

        var numerical = new double[leaves.Length][];
        double maxError = 0, maxAbs = 0;
        int worstInput = 0, worstElement = 0;
        // No NoGrad scope here: the function may itself differentiate (a gradient of a gradient).
        {
            for (int i = 0; i < leaves.Length; i++)
            {
                var data = leaves[i].D;
                numerical[i] = new double[data.Length];
                for (int j = 0; j < data.Length; j++)
                {
                    double saved = data[j];
                    data[j] = saved + h;
                    double plus = Scalarize(function(leaves)).Item();
                    data[j] = saved - h;
                    double minus = Scalarize(function(leaves)).Item();
                    data[j] = saved;
                    double num = (plus - minus) / (2 * h);
                    numerical[i][j] = num;
                    double abs = Math.Abs(analytic[i][j] - num);
                    double err = abs / Math.Max(1, Math.Max(Math.Abs(analytic[i][j]), Math.Abs(num)));
                    if (double.IsNaN(err)) err = double.PositiveInfinity;
                    if (err > maxError || (err == maxError && abs > maxAbs)) { maxError = err; worstInput = i; worstElement = j; }
                    maxAbs = Math.Max(maxAbs, double.IsNaN(abs) ? double.PositiveInfinity : abs);
                }
            }
        }
        return new GradCheckResult(maxError, maxAbs, worstInput, worstElement, analytic, numerical);
    }
}
