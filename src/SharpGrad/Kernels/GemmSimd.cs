using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SharpGrad.Kernels;

/// <summary>
/// The handful of vector operations the GEMM micro-kernel needs, abstracted so one kernel body serves
/// Vector512, Vector256 and Vector&lt;T&gt;. Implementations are empty structs: the JIT specialises and inlines.
/// </summary>
internal unsafe interface ISimd<TVec, T>
    where TVec : unmanaged
    where T : unmanaged
{
    /// <summary>Lanes per vector.</summary>
    static abstract int Count { get; }

    static abstract TVec Zero { get; }

    static abstract TVec Load(T* source);

    static abstract void Store(TVec value, T* destination);

    /// <summary>All lanes = *source.</summary>
    static abstract TVec Broadcast(T* source);

    /// <summary>a + b, lane-wise.</summary>
    static abstract TVec Add(TVec a, TVec b);

    /// <summary>a·b + addend (fused where the path has FMA).</summary>
    static abstract TVec MultiplyAdd(TVec a, TVec b, TVec addend);

    /// <summary>a·b, lane-wise, rounded once (never fused with a later add).</summary>
    static abstract TVec Multiply(TVec a, TVec b);

    /// <summary>
    /// value, with every lane whose magnitude is below <paramref name="threshold"/> replaced by a zero of its sign
    /// (<paramref name="signBit"/> holds −0 in every lane).
    /// </summary>
    static abstract TVec ZeroIfBelow(TVec value, TVec threshold, TVec signBit);
}

internal readonly unsafe struct Simd512<T> : ISimd<Vector512<T>, T>
    where T : unmanaged
{
    public static int Count => Vector512<T>.Count;

    public static Vector512<T> Zero => Vector512<T>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Load(T* source) => Vector512.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<T> value, T* destination) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Add(Vector512<T> a, Vector512<T> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Multiply(Vector512<T> a, Vector512<T> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> ZeroIfBelow(Vector512<T> value, Vector512<T> threshold, Vector512<T> signBit) =>
        Vector512.AndNot(value, Vector512.AndNot(Vector512.LessThan(Vector512.Abs(value), threshold), signBit));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Broadcast(T* source) => Vector512.Create(*source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> MultiplyAdd(Vector512<T> a, Vector512<T> b, Vector512<T> addend)
    {
        if (typeof(T) == typeof(float))
            return Vector512.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), addend.AsSingle()).As<float, T>();
        return Vector512.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), addend.AsDouble()).As<double, T>();
    }
}

internal readonly unsafe struct Simd256<T> : ISimd<Vector256<T>, T>
    where T : unmanaged
{
    public static int Count => Vector256<T>.Count;

    public static Vector256<T> Zero => Vector256<T>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Load(T* source) => Vector256.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<T> value, T* destination) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Add(Vector256<T> a, Vector256<T> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Multiply(Vector256<T> a, Vector256<T> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> ZeroIfBelow(Vector256<T> value, Vector256<T> threshold, Vector256<T> signBit) =>
        Vector256.AndNot(value, Vector256.AndNot(Vector256.LessThan(Vector256.Abs(value), threshold), signBit));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Broadcast(T* source) => Vector256.Create(*source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MultiplyAdd(Vector256<T> a, Vector256<T> b, Vector256<T> addend)
    {
        if (typeof(T) == typeof(float))
            return Vector256.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), addend.AsSingle()).As<float, T>();
        return Vector256.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), addend.AsDouble()).As<double, T>();
    }
}

/// <summary>Vector&lt;T&gt; path: runs anywhere; fuses only where the hardware can do so cheaply.</summary>
internal readonly unsafe struct SimdPortable<T> : ISimd<Vector<T>, T>
    where T : unmanaged
{
    public static int Count => Vector<T>.Count;

    public static Vector<T> Zero => Vector<T>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Load(T* source) => Vector.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector<T> value, T* destination) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Add(Vector<T> a, Vector<T> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Multiply(Vector<T> a, Vector<T> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> ZeroIfBelow(Vector<T> value, Vector<T> threshold, Vector<T> signBit) =>
        Vector.AndNot(value, Vector.AndNot(Vector.LessThan(Vector.Abs(value), threshold), signBit));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Broadcast(T* source) => new(*source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> MultiplyAdd(Vector<T> a, Vector<T> b, Vector<T> addend)
    {
        if (typeof(T) == typeof(float))
            return Vector.MultiplyAddEstimate(a.As<T, float>(), b.As<T, float>(), addend.As<T, float>()).As<float, T>();
        return Vector.MultiplyAddEstimate(a.As<T, double>(), b.As<T, double>(), addend.As<T, double>()).As<double, T>();
    }
}
