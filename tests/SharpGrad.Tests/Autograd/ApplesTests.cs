namespace SharpGrad.Tests.Autograd;

/// <summary>The worked examples of backpropagation by hand: apples, oranges and a 10% tax.</summary>
public class ApplesTests
{
    private static Tensor In(double v, string name) => Tensor.Scalar(v, DType.Float64, requiresGrad: true).WithName(name);

    [Fact]
    public void TwoApples_WithTax_GiveHandWorkedGradients()
    {
        var apple = In(100, "apple");
        var count = In(2, "apple_num");
        var tax = In(1.1, "tax");
        var applePrice = (apple * count).RetainGrad();
        var price = applePrice * tax;

        price.Backward();

        Assert.Equal(220, price.Item(), 12);
        Assert.Equal(200, applePrice.Item(), 12);
        Assert.Equal(2.2, apple.Grad!.Item(), 12);
        Assert.Equal(110, count.Grad!.Item(), 12);
        Assert.Equal(200, tax.Grad!.Item(), 12);
        Assert.Equal(1.1, applePrice.Grad!.Item(), 12);
    }

    [Fact]
    public void ApplesAndOranges_WithTax_GiveHandWorkedGradients()
    {
        var apple = In(100, "apple");
        var appleNum = In(2, "apple_num");
        var orange = In(150, "orange");
        var orangeNum = In(3, "orange_num");
        var tax = In(1.1, "tax");

        var price = (apple * appleNum + orange * orangeNum) * tax;
        price.Backward();

        Assert.Equal(715, price.Item(), 10);
        Assert.Equal(2.2, apple.Grad!.Item(), 12);
        Assert.Equal(110, appleNum.Grad!.Item(), 10);
        Assert.Equal(3.3, orange.Grad!.Item(), 12);
        Assert.Equal(165, orangeNum.Grad!.Item(), 10);
        Assert.Equal(650, tax.Grad!.Item(), 10);
    }

    [Fact]
    public void AddNode_PassesUpstreamGradientToBothInputs()
    {
        var x = In(10, "x");
        var y = In(5, "y");
        var z = x + y;
        Assert.Equal(15, z.Item());
        var grads = z.Creator!.Backward(Tensor.Scalar(1.3, DType.Float64));
        Assert.Equal(1.3, grads[0]!.Item(), 15);
        Assert.Equal(1.3, grads[1]!.Item(), 15);
    }

    [Fact]
    public void MulNode_SendsUpstreamTimesTheOtherInput()
    {
        var x = In(10, "x");
        var y = In(5, "y");
        var z = x * y;
        Assert.Equal(50, z.Item());
        var grads = z.Creator!.Backward(Tensor.Scalar(1.3, DType.Float64));
        Assert.Equal(6.5, grads[0]!.Item(), 12); // 1.3 × 5 to the 10
        Assert.Equal(13, grads[1]!.Item(), 12);  // 1.3 × 10 to the 5
    }
}
