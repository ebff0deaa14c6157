using System.Numerics.Tensors;

namespace SharpGrad;

/// <summary>Thrown by <see cref="AnomalyDetection"/> when an operation produces NaN or infinity.</summary>
/// <param name="message">What happened, naming the operation.</param>
public sealed class AnomalyException(string message) : ArithmeticException(message);

/// <summary>
/// When enabled, every operation checks its result (forward) and the gradients it sends to its inputs (backward)
/// and throws <see cref="AnomalyException"/> at the first NaN or infinity, naming the operation that produced it.
/// It costs a scan of every tensor, so it is off by default (PyTorch's <c>detect_anomaly</c>).
/// </summary>
public static class AnomalyDetection
{
    /// <summary>The node whose backward is running on this thread, so a bad value is blamed on it.</summary>
    [ThreadStatic] internal static Node? CurrentBackward;

    [ThreadStatic] private static bool t_enabled;

    /// <summary>Whether checks run on the current thread (graphs are built on one thread; the setting is per thread, like <see cref="GradMode"/>).</summary>
    public static bool Enabled
    {
        get => t_enabled;
        set => t_enabled = value;
    }

    /// <summary>Turns detection on until the returned scope is disposed.</summary>
    /// <returns>The scope, which restores the previous setting.</returns>
    public static IDisposable Enable()
    {
        bool previous = Enabled;
        Enabled = true;
        return new Restore(previous);
    }

    private sealed class Restore(bool previous) : IDisposable
    {
        public void Dispose() => Enabled = previous;
    }

    /// <summary>Throws when <paramref name="t"/> holds NaN or infinity; <paramref name="what"/> says where it came from.</summary>
    internal static void Check(Tensor t, Func<string> what)
    {
        int bad = FirstNonFinite(t);
        if (bad < 0) return;
        double v = t.GetFlat(bad);
        throw new AnomalyException($"{what()} produced {(double.IsNaN(v) ? "NaN" : v > 0 ? "+infinity" : "-infinity")} at element {bad} of a tensor of shape {Shapes.Format(t.Shape)}.");
    }

    /// <summary>The index of the first NaN or infinite element, or −1.</summary>
    internal static int FirstNonFinite(Tensor t)
    {
        // x·0 is 0 for finite x and NaN for NaN or ±∞, so one vectorised pass finds whether any is bad.
        bool any = t.DType == DType.Float32
            ? float.IsNaN(TensorPrimitives.Sum<float>(t.F) * 0f)
            : double.IsNaN(TensorPrimitives.Sum<double>(t.D) * 0.0);
        if (!any) return -1;
        for (int i = 0; i < t.Length; i++)
            if (!double.IsFinite(t.GetFlat(i))) return i;
        return -1;
    }
}
