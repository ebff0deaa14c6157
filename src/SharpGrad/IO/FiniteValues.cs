namespace SharpGrad.IO;

/// <summary>
/// Refuses NaN and ±Infinity in tensors read as model weights or optimizer state: a model holding them computes NaN
/// for every input, so loading it could only produce a meaningless accuracy or a "loss became NaN" later, far from
/// the cause.
/// </summary>
internal static class FiniteValues
{
    /// <summary>Throws unless every element of <paramref name="tensor"/> is finite.</summary>
    /// <param name="path">The file, named in the message.</param>
    /// <param name="name">The tensor's name in the file.</param>
    /// <param name="tensor">The values read.</param>
    /// <exception cref="SharpGradFormatException">
    /// An element is not finite; the message is "{path}: tensor '{name}' holds NaN at element {i}" (or +Infinity,
    /// -Infinity), with i the first such element in row-major order.
    /// </exception>
    public static void Require(string path, string name, Tensor tensor)
    {
        int index = AnomalyDetection.FirstNonFinite(tensor);
        if (index < 0) return;
        double value = tensor.GetFlat(index);
        string what = double.IsNaN(value) ? "NaN" : value > 0 ? "+Infinity" : "-Infinity";
        throw new SharpGradFormatException(path, $"tensor '{name}' holds {what} at element {index}");
    }
}
