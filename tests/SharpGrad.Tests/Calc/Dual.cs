namespace SharpGrad.Tests.Calc;

/// <summary>A forward-mode dual number a + b·ε (ε² = 0): carrying b = ∂a/∂x through every operation gives exact derivatives.</summary>
internal readonly record struct Dual(double Value, double Derivative)
{
    public static Dual operator +(Dual x, Dual y) => new(x.Value + y.Value, x.Derivative + y.Derivative);
    public static Dual operator -(Dual x, Dual y) => new(x.Value - y.Value, x.Derivative - y.Derivative);
    public static Dual operator -(Dual x) => new(-x.Value, -x.Derivative);
    public static Dual operator *(Dual x, Dual y) => new(x.Value * y.Value, x.Derivative * y.Value + x.Value * y.Derivative);
    public static Dual operator /(Dual x, Dual y) => new(x.Value / y.Value, (x.Derivative * y.Value - x.Value * y.Derivative) / (y.Value * y.Value));

    public Dual Pow(double c) => new(Math.Pow(Value, c), c * Math.Pow(Value, c - 1) * Derivative);
    public Dual Exp() => new(Math.Exp(Value), Math.Exp(Value) * Derivative);
    public Dual Log() => new(Math.Log(Value), Derivative / Value);
    public Dual Sqrt() => new(Math.Sqrt(Value), Derivative / (2 * Math.Sqrt(Value)));
    public Dual Sin() => new(Math.Sin(Value), Math.Cos(Value) * Derivative);
    public Dual Cos() => new(Math.Cos(Value), -Math.Sin(Value) * Derivative);
    public Dual Tanh() => new(Math.Tanh(Value), (1 - Math.Tanh(Value) * Math.Tanh(Value)) * Derivative);
    public Dual Sigmoid()
    {
        double s = 1 / (1 + Math.Exp(-Value));
        return new(s, s * (1 - s) * Derivative);
    }
    public Dual Relu() => new(Math.Max(Value, 0), Value > 0 ? Derivative : 0);
    public Dual Abs() => new(Math.Abs(Value), Math.Sign(Value) * Derivative);
}
