using SharpGrad;

var apple    = Tensor.Scalar(100, DType.Float64, requiresGrad: true);
var count    = Tensor.Scalar(2,   DType.Float64, requiresGrad: true);
var tax      = Tensor.Scalar(1.1, DType.Float64, requiresGrad: true);

var applePrice = (apple * count).RetainGrad();   // 200: keep its gradient too
var price      = applePrice * tax;               // 220

price.Backward();
Console.WriteLine($"price {price.Item():G12}");
Console.WriteLine($"d/d apple {apple.Grad!.Item():G12}, d/d count {count.Grad!.Item():G12}, d/d tax {tax.Grad!.Item():G12}");
Console.WriteLine($"d/d apple price {applePrice.Grad!.Item():G12}");
