using SharpGrad;

// "Deep Learning from Scratch", chapter 5: 2 apples at 100 and 3 oranges at 150, with a 10% tax.
// Forward: (100·2 + 150·3)·1.1 = 715. Backward: each multiply node sends the gradient times the other input,
// each add node passes it through unchanged.
var apple     = Tensor.Scalar(100, DType.Float64, requiresGrad: true);
var appleNum  = Tensor.Scalar(2,   DType.Float64, requiresGrad: true);
var orange    = Tensor.Scalar(150, DType.Float64, requiresGrad: true);
var orangeNum = Tensor.Scalar(3,   DType.Float64, requiresGrad: true);
var tax       = Tensor.Scalar(1.1, DType.Float64, requiresGrad: true);

var applePrice  = apple * appleNum;           // 200
var orangePrice = orange * orangeNum;         // 450
var allPrice    = applePrice + orangePrice;   // 650
var price       = allPrice * tax;             // 715

price.Backward();
Console.WriteLine($"price {price.Item():G12}");
Console.WriteLine($"d/d apple {apple.Grad!.Item():G12}, d/d apple_num {appleNum.Grad!.Item():G12}");
Console.WriteLine($"d/d orange {orange.Grad!.Item():G12}, d/d orange_num {orangeNum.Grad!.Item():G12}");
Console.WriteLine($"d/d tax {tax.Grad!.Item():G12}");
