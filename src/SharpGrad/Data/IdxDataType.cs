namespace SharpGrad.Data;

/// <summary>
/// The element type of an IDX file: the third byte of its magic number.
/// All multi-byte values are stored big-endian.
/// </summary>
public enum IdxDataType : byte
{
    /// <summary>Unsigned 8-bit integer (code <c>0x08</c>); MNIST images and labels use this.</summary>
    UnsignedByte = 0x08,

    /// <summary>Signed 8-bit integer (code <c>0x09</c>).</summary>
    SignedByte = 0x09,

    /// <summary>Signed 16-bit integer (code <c>0x0B</c>).</summary>
    Int16 = 0x0B,

    /// <summary>Signed 32-bit integer (code <c>0x0C</c>).</summary>
    Int32 = 0x0C,

    /// <summary>32-bit IEEE 754 floating point (code <c>0x0D</c>).</summary>
    Float32 = 0x0D,

    /// <summary>64-bit IEEE 754 floating point (code <c>0x0E</c>).</summary>
    Float64 = 0x0E,
}
