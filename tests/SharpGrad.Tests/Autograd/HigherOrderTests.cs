using SharpGrad.Nn;
using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.Autograd;

/// <summary>Differentiating the backward pass: second derivatives, Newton's method and Hessian-vector products.</summary>
public class HigherOrderTests
{
    private static Tensor Leaf(double v) => Tensor.Scalar(v, DType.Float64, requiresGrad: true);

    private static Tensor Quartic(Tensor x) => x.Pow(4) - 2.0 * x.Pow(2);

    [Fact]
    public void Quartic_FirstAndSecondDerivative_AtTwo()
    {
        // y = x⁴ − 2x²: y' = 4x³ − 4x = 24 at 2; y'' = 12x² − 4 = 44.
        var x = Leaf(2);
        var gx = SharpGrad.Autograd.Grad([Quartic(x)], [x], createGraph: true)[0]!;
        Assert.Equal(24, gx.Item(), 12);
        var gxx = SharpGrad.Autograd.Grad([gx], [x])[0]!;
        Assert.Equal(44, gxx.Item(), 12);
    }

    [Fact]
    public void NewtonsMethod_ConvergesToOne()
    {
        // x ← x − y'/y''; from 2: 2 → 1.4545… → 1.1510… → … → 1.
        var x = Leaf(2);
        var iterates = new List<double>();
        for (int i = 0; i < 10; i++)
        {
            var g1 = SharpGrad.Autograd.Grad([Quartic(x)], [x], createGraph: true)[0]!;
            var g2 = SharpGrad.Autograd.Grad([g1], [x])[0]!;
            x = Leaf(x.Item() - g1.Item() / g2.Item());
            iterates.Add(x.Item());
        }
        Assert.Equal(1.4545454545454546, iterates[0], 12); // 2 − 24/44
        Assert.Equal(1.1510467893775467, iterates[1], 12);
        Assert.Equal(1, iterates[^1], 10);
    }

    [Fact]
    public void SecondDerivativeOfSine_AtOne_IsMinusSinOne()
    {
        var x = Leaf(1);
        var g1 = SharpGrad.Autograd.Grad([x.Sin()], [x], createGraph: true)[0]!;
        var g2 = SharpGrad.Autograd.Grad([g1], [x])[0]!;
        Assert.Equal(-0.8414709848078965, g2.Item(), 15);
    }

    [Fact]
    public void GradientUsedInFurtherComputation_IsDifferentiable()
    {
        // y = x², gx = dy/dx = 2x, z = gx³ + y = 8x³ + x²: dz/dx = 24x² + 2x = 100 at x = 2.
        var x = Leaf(2);
        var y = x.Square();
        y.Backward(createGraph: true);
        var gx = x.Grad!;
        var z = gx.Pow(3) + y;
        x.Grad = null;
        z.Backward();
        Assert.Equal(100, x.Grad!.Item(), 12);
    }

    [Fact]
    public void HessianVectorProduct_OfMlpLoss_MatchesDifferencesOfGradients()
    {
        var g = new Generator(11);
        var model = new Sequential(new Linear(5, 4, g, dtype: DType.Float64), new Tanh(), new Linear(4, 3, g, dtype: DType.Float64));
        var x = Tensor.RandomNormal(g, 0, 1, DType.Float64, 6, 5);
        int[] labels = [0, 1, 2, 2, 1, 0];
        var parameters = model.Parameters().ToArray();
        var v = parameters.Select(p => Tensor.RandomNormal(g, 0, 1, DType.Float64, p.ShapeArray())).ToArray();

        // Hv = ∂/∂θ (∇L(θ) · v), by double backward.
        var grads = SharpGrad.Autograd.Grad([Functional.SoftmaxCrossEntropy(model.Forward(x), labels)], parameters, createGraph: true);
        Tensor dot = Tensor.Scalar(0, DType.Float64);
        for (int i = 0; i < parameters.Length; i++) dot = dot + (grads[i]! * v[i]).Sum();
        var hv = SharpGrad.Autograd.Grad([dot], parameters);

        // Independent reference: (∇L(θ + εv) − ∇L(θ − εv)) / 2ε.
        double[][] GradientAt(double eps)
        {
            var saved = parameters.Select(p => p.ToDoubleArray()).ToArray();
            for (int i = 0; i < parameters.Length; i++)
                for (int j = 0; j < parameters[i].Length; j++) parameters[i].D[j] = saved[i][j] + eps * v[i].D[j];
            var gr = SharpGrad.Autograd.Grad([Functional.SoftmaxCrossEntropy(model.Forward(x), labels)], parameters);
            for (int i = 0; i < parameters.Length; i++) saved[i].CopyTo(parameters[i].D, 0);
            return gr.Select(t => t!.ToDoubleArray()).ToArray();
        }
        const double h = 1e-5;
        var plus = GradientAt(h);
        var minus = GradientAt(-h);
        for (int i = 0; i < parameters.Length; i++)
            for (int j = 0; j < parameters[i].Length; j++)
                Assert.Equal((plus[i][j] - minus[i][j]) / (2 * h), hv[i]!.D[j], 7);
    }

    [Fact]
    public void SecondOrder_ThroughSoftmaxCrossEntropyAndMatMul_MatchesNumerical()
    {
        // Gradient check of a gradient: f(w) = Σ (∂L/∂w)² for L = CE(x·w), differentiated again.
        var g = new Generator(4);
        var x = Tensor.RandomNormal(g, 0, 1, DType.Float64, 3, 4);
        var w = Tensor.RandomNormal(g, 0, 1, DType.Float64, 4, 3);
        NumericalGradients.Check(t =>
        {
            var grad = SharpGrad.Autograd.Grad([Functional.SoftmaxCrossEntropy(x.MatMul(t[0]), [0, 2, 1])], [t[0]], createGraph: true)[0]!;
            return grad.Square().Sum();
        }, w);
    }

    [Fact]
    public void WithoutCreateGraph_GradientsCarryNoGraph()
    {
        var x = Leaf(3);
        (x * x * x).Backward();
        Assert.Null(x.Grad!.Creator);
        Assert.False(x.Grad.RequiresGrad);
    }
}
