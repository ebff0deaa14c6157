using SharpGrad.IO;
using SharpGrad.Nn;
using SharpGrad.Optim;
using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.IO;

/// <summary>Saving and loading models (with their architecture) and optimizer state.</summary>
public sealed class ModelFilesTests : IDisposable
{
    private readonly TempDirectory _temp = new("sharpgrad-model-");

    public void Dispose() => _temp.Dispose();

    private string PathOf(string name) => _temp.PathOf(name);

    private static Tensor Images(int seed, int count) => Tensor.RandomUniform(new Generator((ulong)seed), 0, 1, DType.Float32, count, 784);

    private static void TrainSteps(Module model, Optimizer optimizer, int steps, int firstSeed = 100)
    {
        for (int s = 0; s < steps; s++)
        {
            optimizer.ZeroGrad();
            var labels = Enumerable.Range(0, 8).Select(i => (i * 7 + firstSeed + s) % 10).ToArray();
            Functional.SoftmaxCrossEntropy(model.Forward(Images(firstSeed + s, 8)), labels).Backward();
            optimizer.Step();
        }
    }

    private static float[] EvalOutput(Module model, Tensor x)
    {
        model.Eval();
        using var _ = Tensor.NoGrad();
        return model.Forward(x).ToFloatArray();
    }

    [Fact]
    public void SaveThenLoadModel_RebuildsTheCnn_WithBitIdenticalOutputs()
    {
        var model = Models.Cnn(new Generator(1), batchNorm: true, dropout: 0.25);
        TrainSteps(model, new Adam(model.Parameters(), 0.01), 2); // moves weights and the BatchNorm running statistics
        var path = PathOf("cnn.safetensors");
        model.Save(path);

        var names = SafeTensors.Read(path).Tensors.Select(t => t.Name).ToList();
        Assert.Contains("2.running_mean", names);
        Assert.Contains("6.running_var", names);

        var x = Images(7, 5);
        var expected = EvalOutput(model, x);
        var rebuilt = Module.LoadModel(path);
        Assert.False(rebuilt.Training);
        Assert.Equal(model.ToString(), rebuilt.ToString());
        Assert.Equal(expected, EvalOutput(rebuilt, x));

        var other = Models.Cnn(new Generator(99), batchNorm: true, dropout: 0.25);
        other.Load(path);
        Assert.Equal(expected, EvalOutput(other, x));
    }

    [Fact]
    public void Save_RecordsTheArchitecture_AsAModelSpec()
    {
        var model = Models.Mlp([16, 8], batchNorm: true, dropout: 0.1, new Generator(2));
        var path = PathOf("mlp.safetensors");
        model.Save(path);
        var spec = SafeTensors.Read(path).Metadata[ModelFiles.ArchitectureKey];
        Assert.Equal(ModelSpec.Describe(model), spec);
        Assert.StartsWith("""{"type":"Sequential","layers":[{"type":"Flatten"},{"type":"Linear","in":784,"out":16,"bias":true,"dtype":"F32"},{"type":"BatchNorm1d","features":16""", spec);
    }

    [Fact]
    public void ModelSpec_RoundTripsEverySupportedLayer()
    {
        var g = new Generator(3);
        var model = new Sequential(
            new Unflatten(2, 9, 8),
            new Conv2d(2, 3, (3, 2), g, stride: (2, 1), padding: (1, 0), bias: false, dtype: DType.Float64),
            new BatchNorm2d(3, epsilon: 1e-3, momentum: 0.2, dtype: DType.Float64),
            new Tanh(),
            new AvgPool2d((2, 2), (1, 1), (1, 1)),
            new MaxPool2d(2),
            new Sequential(new Flatten(), new Dropout(0.5, g)),
            new Linear(3 * 3 * 4, 5, g, dtype: DType.Float64),
            new BatchNorm1d(5, affine: false, dtype: DType.Float64),
            new Sigmoid(),
            new ReLU());
        var spec = ModelSpec.Describe(model);
        var rebuilt = ModelSpec.Build(spec);
        Assert.Equal(spec, ModelSpec.Describe(rebuilt));
        Assert.Equal(model.ToString(), rebuilt.ToString());
        Assert.Equal(model.NamedParameters().Select(p => (p.Name, p.Parameter.DType, Shapes.Format(p.Parameter.Shape))),
            rebuilt.NamedParameters().Select(p => (p.Name, p.Parameter.DType, Shapes.Format(p.Parameter.Shape))));
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("""{"type":"Conv3d"}""", "unknown layer type 'Conv3d'")]
    [InlineData("""{"type":"Linear","in":3,"bias":true,"dtype":"F32"}""", "\"out\" is missing")]
    [InlineData("""{"type":"Sequential","layers":[{"type":"MaxPool2d","kernel":[2],"stride":[2,2],"padding":[0,0]}]}""", "must hold two integers")]
    public void ModelSpec_Build_ExplainsBadDescriptions(string json, string problem)
    {
        var e = Assert.Throws<FormatException>(() => ModelSpec.Build(json));
        Assert.Contains(problem, e.Message);
    }

    [Theory]
    [InlineData("""{"type":"Linear","in":3,"out":-1,"bias":true,"dtype":"F32"}""", "The model description is invalid: model (Linear): \"out\" must be a positive whole number, not -1.")]
    [InlineData("""{"type":"Conv2d","in":0,"out":2,"kernel":[3,3],"stride":[1,1],"padding":[0,0],"bias":true,"dtype":"F32"}""", "The model description is invalid: model (Conv2d): \"in\" must be a positive whole number, not 0.")]
    [InlineData("""{"type":"Conv2d","in":1,"out":2,"kernel":[0,3],"stride":[1,1],"padding":[0,0],"bias":true,"dtype":"F32"}""", "The model description is invalid: model (Conv2d): Conv2d(kernel 0×3, stride 1×1, padding 0×0): kernel and stride must be at least 1, and padding at least 0.")]
    [InlineData("""{"type":"Sequential","layers":[{"type":"BatchNorm2d","features":-4,"eps":1e-5,"momentum":0.1,"affine":true,"dtype":"F32"}]}""", "The model description is invalid: layer 0 (BatchNorm2d): \"features\" must be a positive whole number, not -4.")]
    [InlineData("""{"type":"Linear","in":3.5,"out":2,"bias":true,"dtype":"F32"}""", "The model description is invalid: model (Linear): \"in\" is missing or not a whole number (at most 2,147,483,647).")]
    [InlineData("""{"type":"Sequential","layers":[{"type":"Dropout","p":2}]}""", "The model description is invalid: layer 0 (Dropout): The dropout probability must be in [0, 1], not 2.")]
    [InlineData("""{"type":"Sequential","layers":[{"type":"ReLU"},{"type":"MaxPool2d","kernel":[0,0],"stride":[0,0],"padding":[0,0]}]}""", "The model description is invalid: layer 1 (MaxPool2d): MaxPool2d(0×0, stride 0×0, padding 0×0): kernel and stride must be at least 1, and padding between 0 and half the kernel.")]
    [InlineData("""{"type":"AvgPool2d","kernel":[2,2],"stride":[2,2],"padding":[3,3]}""", "The model description is invalid: model (AvgPool2d): AvgPool2d(2×2, stride 2×2, padding 3×3): kernel and stride must be at least 1, and padding between 0 and half the kernel.")]
    public void ModelSpec_Build_NamesTheLayerOfABadSetting_InOneLine(string json, string message)
    {
        // The constructors' own messages used to pass through: "outFeatures ('-1') must be a non-negative and non-zero
        // value. (Parameter 'outFeatures')\nActual value was -1.", naming neither the layer nor the JSON key.
        var e = Assert.Throws<FormatException>(() => ModelSpec.Build(json));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void LoadModel_OfASmallFileRecordingAHugeArchitecture_IsRefusedBeforeBuildingIt()
    {
        // 40,000 × 40,000 weights would be 6.4 GB (building them took 48 s) for a file holding 20 values.
        var path = PathOf("huge.safetensors");
        string architecture = """{"type":"Sequential","layers":[{"type":"Linear","in":40000,"out":40000,"bias":true,"dtype":"F32"}]}""";
        SafeTensors.Write(path, [("0.weight", Tensor.Zeros(4, 4)), ("0.bias", Tensor.Zeros(4))], new Dictionary<string, string> { [ModelFiles.ArchitectureKey] = architecture });
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var e = Assert.Throws<SharpGradFormatException>(() => Module.LoadModel(path));
        Assert.InRange(GC.GetTotalAllocatedBytes(precise: true) - before, 0, 16 << 20);
        Assert.Equal($"{path}: the tensors do not fit the model: the recorded architecture needs at least 1,600,000,000 weight values (its Linear and Conv2d weights), but the file's tensors hold 20", e.Message);
    }

    [Fact]
    public void LoadModel_OfASmallArchitectureTooBigForTheFile_StillNamesEveryMismatchedTensor()
    {
        var path = PathOf("grown.safetensors");
        string architecture = """{"type":"Sequential","layers":[{"type":"Linear","in":3,"out":5,"bias":true,"dtype":"F32"}]}""";
        SafeTensors.Write(path, [("0.weight", Tensor.Zeros(2, 3)), ("0.bias", Tensor.Zeros(2))], new Dictionary<string, string> { [ModelFiles.ArchitectureKey] = architecture });
        var e = Assert.Throws<SharpGradFormatException>(() => Module.LoadModel(path));
        Assert.Contains("mismatched: 0.weight (file F32 [2, 3], model F32 [5, 3]), 0.bias (file F32 [2], model F32 [5])", e.Message);
    }

    [Fact]
    public void Load_NamesEveryMissingExtraAndMismatchedTensor_AndChangesNothing()
    {
        var path = PathOf("mlp.safetensors");
        Models.Mlp([5], batchNorm: true, dropout: 0, new Generator(4)).Save(path);
        var target = Models.Mlp([6, 3], batchNorm: false, dropout: 0, new Generator(5));
        var before = target.Parameters().Select(p => p.ToFloatArray()).ToList();
        var e = Assert.Throws<SharpGradFormatException>(() => target.Load(path));
        Assert.StartsWith(path + ": ", e.Message);
        // target: Flatten, Linear(784→6), ReLU, Linear(6→3), ReLU, Linear(3→10); file: Flatten, Linear(784→5), BatchNorm1d(5), ReLU, Linear(5→10).
        Assert.Contains("missing from the file: 3.weight, 3.bias, 5.weight, 5.bias", e.Message);
        Assert.Contains("not in the model: 2.weight, 2.bias, 2.running_mean, 2.running_var, 4.weight, 4.bias", e.Message);
        Assert.Contains("mismatched: 1.weight (file F32 [5, 784], model F32 [6, 784]), 1.bias (file F32 [5], model F32 [6])", e.Message);
        Assert.Equal(before, target.Parameters().Select(p => p.ToFloatArray()));
    }

    [Fact]
    public void Load_ReportsDTypeMismatches()
    {
        var path = PathOf("f64.safetensors");
        new Sequential(new Linear(2, 1, new Generator(1), dtype: DType.Float64)).Save(path);
        var e = Assert.Throws<SharpGradFormatException>(() => new Sequential(new Linear(2, 1, new Generator(1))).Load(path));
        Assert.Contains("0.weight (file F64 [1, 2], model F32 [1, 2])", e.Message);
    }

    [Fact]
    public void LoadModel_Throws_WhenTheFileRecordsNoArchitecture()
    {
        var path = PathOf("plain.safetensors");
        SafeTensors.Write(path, [("w", Tensor.Zeros(2))]);
        var e = Assert.Throws<SharpGradFormatException>(() => Module.LoadModel(path));
        Assert.Contains("records no architecture", e.Message);
    }

    [Fact]
    public void OptimizerState_ResumeFromFiles_IsBitIdenticalToUninterruptedTraining()
    {
        static (Module Model, Adam Optimizer) Fresh(ulong seed)
        {
            var model = Models.Mlp([12], batchNorm: true, dropout: 0, new Generator(seed));
            return (model, new Adam(model.Parameters(), 0.01, weightDecay: 1e-3));
        }
        var (straight, straightOptimizer) = Fresh(1);
        TrainSteps(straight, straightOptimizer, 3);

        var (first, firstOptimizer) = Fresh(1);
        TrainSteps(first, firstOptimizer, 2);
        firstOptimizer.LearningRate = 0.01; // unchanged, but read back from the file below
        first.Save(PathOf("model.safetensors"));
        firstOptimizer.SaveState(PathOf("optimizer.safetensors"));

        var (resumed, resumedOptimizer) = Fresh(77); // different initial weights, all overwritten by the files
        resumedOptimizer.LearningRate = 0.5;
        resumed.Load(PathOf("model.safetensors"));
        resumedOptimizer.LoadState(PathOf("optimizer.safetensors"));
        Assert.Equal(2, resumedOptimizer.StepCount);
        Assert.Equal(0.01, resumedOptimizer.LearningRate);
        TrainSteps(resumed, resumedOptimizer, 1, firstSeed: 102);

        Assert.Equal(straight.Parameters().Select(p => p.ToFloatArray()), resumed.Parameters().Select(p => p.ToFloatArray()));
        Assert.Equal(straight.NamedBuffers().Select(b => b.Buffer.ToFloatArray()), resumed.NamedBuffers().Select(b => b.Buffer.ToFloatArray()));
    }

    [Fact]
    public void OptimizerState_LoadState_RejectsAnotherOptimizerType()
    {
        var w = Tensor.Zeros(2).WithRequiresGrad();
        new Sgd([w], 0.1, momentum: 0.9).SaveState(PathOf("sgd.safetensors"));
        var e = Assert.Throws<SharpGradFormatException>(() => new Adam([w]).LoadState(PathOf("sgd.safetensors")));
        Assert.Contains("state of optimizer 'Sgd', not Adam", e.Message);
    }

    [Fact]
    public void OptimizerState_LoadState_RejectsAnInfiniteLearningRate_NamingTheFile()
    {
        var path = PathOf("infinite-lr.safetensors");
        SafeTensors.Write(path, [], new Dictionary<string, string> { [ModelFiles.OptimizerKey] = "Sgd", [ModelFiles.LearningRateKey] = "Infinity" });
        var sgd = new Sgd([Tensor.Zeros(2).WithRequiresGrad()], 0.1);
        var e = Assert.Throws<SharpGradFormatException>(() => sgd.LoadState(path));
        Assert.Equal($"{path}: the learning rate 'Infinity' is missing or not a finite non-negative number", e.Message);
        Assert.Equal(0.1, sgd.LearningRate);
    }

    [Fact]
    public void OptimizerState_LoadState_RejectsStateForOtherShapes()
    {
        var w = Tensor.Zeros(2).WithRequiresGrad();
        var sgd = new Sgd([w], 0.1, momentum: 0.9);
        w.Sum().Backward();
        sgd.Step();
        sgd.SaveState(PathOf("sgd.safetensors"));
        var e = Assert.Throws<SharpGradFormatException>(() => new Sgd([Tensor.Zeros(3).WithRequiresGrad()], 0.1, momentum: 0.9).LoadState(PathOf("sgd.safetensors")));
        Assert.Contains("'0.momentum_buffer' is Float32 [2], but parameter 0 is Float32 [3]", e.Message);
    }
}
