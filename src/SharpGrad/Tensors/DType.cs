namespace SharpGrad;

/// <summary>The element type of a <see cref="Tensor"/>.</summary>
public enum DType
{
    /// <summary>32-bit IEEE 754 floating point: the default, for speed.</summary>
    Float32,

    /// <summary>64-bit IEEE 754 floating point: for gradient checks and exact calculations.</summary>
    Float64,
}
