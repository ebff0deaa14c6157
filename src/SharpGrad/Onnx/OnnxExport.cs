using Google.Protobuf;
using SharpGrad.IO;
using SharpGrad.Nn;
using SharpGrad.Onnx.Proto;
using static SharpGrad.Onnx.OnnxGraphBuilder;

namespace SharpGrad.Onnx;

/// <summary>
/// Writes a trained model as an ONNX file (IR version 7, opset 13), so that ONNX Runtime and other ONNX tools can run
/// it. The model is exported in evaluation form: Dropout is left out and BatchNorm uses its running statistics.
/// </summary>
/// <remarks>
/// Supported layers (nested <see cref="Sequential"/> containers are flattened): <see cref="Linear"/> → Gemm with
/// transB = 1 (MatMul with Wᵀ then Add for inputs of rank above 2); <see cref="ReLU"/>, <see cref="Nn.Sigmoid"/>,
/// <see cref="Nn.Tanh"/> → Relu, Sigmoid, Tanh; <see cref="Flatten"/> → Flatten(axis 1); <see cref="Unflatten"/> →
/// Reshape to [−1, shape…]; <see cref="Conv2d"/> → Conv; <see cref="MaxPool2d"/> → MaxPool; <see cref="AvgPool2d"/> →
/// AveragePool (count_include_pad = 1: padding counts as zeros, as in SharpGrad); <see cref="BatchNorm1d"/> and
/// <see cref="BatchNorm2d"/> → BatchNormalization with the running mean and variance; <see cref="Dropout"/> → nothing.
/// The graph's input "input" and output "output" have a symbolic first (batch) dimension "N".
/// </remarks>
public static class OnnxExport
{
    /// <summary>The ONNX operator set the graph is written against.</summary>
    public const int OpsetVersion = 13;

    /// <summary>The ONNX IR version written (7 is the IR of opset 13).</summary>
    public const int IrVersion = 7;

    /// <summary>
    /// Exports <paramref name="model"/> to an ONNX file. The model is run once, in evaluation mode without a graph, on
    /// zeros of <paramref name="sampleInputShape"/> to learn each layer's shape; its training mode is restored afterwards.
    /// </summary>
    /// <param name="model">The model: a supported layer or a <see cref="Sequential"/> of them (see the remarks on <see cref="OnnxExport"/>).</param>
    /// <param name="path">The destination .onnx file, written under a temporary name and renamed when complete.</param>
    /// <param name="sampleInputShape">An input shape including the batch dimension, such as [1, 784]; the batch size itself is not fixed in the file.</param>
    /// <param name="appendSoftmax">True to end the graph with Softmax over the last axis (probabilities instead of scores).</param>
    /// <exception cref="NotSupportedException">The model contains a layer that has no ONNX form here; the message names it.</exception>
    /// <exception cref="ArgumentException">The sample shape does not fit the model.</exception>
    public static void Export(Module model, string path, int[] sampleInputShape, bool appendSoftmax = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(sampleInputShape);
        if (sampleInputShape.Length < 2 || sampleInputShape.Any(d => d < 1))
            throw new ArgumentException($"The sample input shape {Shapes.Format(sampleInputShape)} needs a batch dimension and positive sizes.", nameof(sampleInputShape));
        var proto = ToModelProto(model, sampleInputShape, appendSoftmax);
        AtomicFile.Write(path, stream => proto.WriteTo(stream));
    }

    /// <summary>Exports this model to an ONNX file; see <see cref="Export"/>.</summary>
    /// <param name="model">The model.</param>
    /// <param name="path">The destination .onnx file.</param>
    /// <param name="sampleInputShape">An input shape including the batch dimension.</param>
    /// <param name="appendSoftmax">True to end the graph with Softmax over the last axis.</param>
    public static void ExportOnnx(this Module model, string path, int[] sampleInputShape, bool appendSoftmax = false) =>
        Export(model, path, sampleInputShape, appendSoftmax);

    internal static ModelProto ToModelProto(Module model, int[] sampleInputShape, bool appendSoftmax)
    {
        var layers = new List<Module>();
        Collect(model, layers);
        var dtype = model.Parameters().Concat(model.NamedBuffers().Select(b => b.Buffer)).FirstOrDefault()?.DType ?? DType.Float32;
        var builder = new OnnxGraphBuilder(dtype);

        bool wasTraining = model.Training;
        model.Eval();
        try
        {
            using var noGrad = Tensor.NoGrad();
            var x = Tensor.Zeros(dtype, sampleInputShape);
            builder.Graph.Input.Add(builder.Value("input", x.Shape));
            string value = "input";
            foreach (var layer in layers)
            {
                value = Emit(builder, layer, value, x.Shape);
                x = layer.Forward(x);
            }
            if (appendSoftmax) value = builder.Node("Softmax", [value], Int("axis", -1));
            // Name the last value "output" with an Identity, so the graph's interface does not depend on its layers.
            builder.NodeTo("output", "Identity", [value]);
            builder.Graph.Output.Add(builder.Value("output", x.Shape));
        }
        finally
        {
            model.Train(wasTraining);
        }

        var proto = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "SharpGrad",
            ProducerVersion = typeof(OnnxExport).Assembly.GetName().Version?.ToString() ?? "",
            Graph = builder.Graph,
        };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OpsetVersion });
        return proto;
    }

    private static void Collect(Module module, List<Module> layers)
    {
        if (module is Sequential sequential)
            foreach (var child in sequential.Layers) Collect(child, layers);
        else layers.Add(module);
    }

    /// <summary>Adds the nodes computing <paramref name="layer"/> applied to <paramref name="input"/> (of shape <paramref name="inputShape"/>).</summary>
    /// <returns>The name of the layer's output value.</returns>
    private static string Emit(OnnxGraphBuilder b, Module layer, string input, ReadOnlySpan<int> inputShape) => layer switch
    {
        Linear linear when inputShape.Length == 2 => b.Node("Gemm",
            linear.Bias is null ? [input, b.Initializer("weight", linear.Weight)] : [input, b.Initializer("weight", linear.Weight), b.Initializer("bias", linear.Bias)],
            Int("transB", 1)),
        Linear linear => EmitMatMul(b, linear, input),
        ReLU => b.Node("Relu", [input]),
        Nn.Sigmoid => b.Node("Sigmoid", [input]),
        Nn.Tanh => b.Node("Tanh", [input]),
        Flatten => inputShape.Length <= 2 ? input : b.Node("Flatten", [input], Int("axis", 1)),
        Unflatten unflatten => b.Node("Reshape", [input, b.Int64Initializer("shape", [-1, .. unflatten.SampleShape.Select(d => (long)d)])]),
        Conv2d conv => b.Node("Conv",
            conv.Bias is null ? [input, b.Initializer("weight", conv.Weight)] : [input, b.Initializer("weight", conv.Weight), b.Initializer("bias", conv.Bias)],
            Window(conv.Kernel, conv.Stride, conv.Padding)),
        MaxPool2d pool => b.Node("MaxPool", [input], Window(pool.Kernel, pool.Stride, pool.Padding)),
        AvgPool2d pool => b.Node("AveragePool", [input], [.. Window(pool.Kernel, pool.Stride, pool.Padding), Int("count_include_pad", 1)]),
        BatchNorm norm => b.Node("BatchNormalization",
            [
                input,
                b.Initializer("scale", norm.Weight ?? Tensor.Ones(norm.RunningMean.DType, norm.Features)),
                b.Initializer("bias", norm.Bias ?? Tensor.Zeros(norm.RunningMean.DType, norm.Features)),
                b.Initializer("mean", norm.RunningMean),
                b.Initializer("var", norm.RunningVar),
            ],
            Float("epsilon", (float)norm.Epsilon)),
        Dropout => input,
        _ => throw new NotSupportedException($"ONNX export: {layer.Describe()} ({layer.GetType().Name}) has no ONNX form in SharpGrad's exporter."),
    };

    /// <summary>The kernel_shape, strides and pads attributes of a 2-D window, padded alike at both ends of each axis (Conv, MaxPool, AveragePool).</summary>
    private static AttributeProto[] Window((int H, int W) kernel, (int H, int W) stride, (int H, int W) padding) =>
    [
        Ints("kernel_shape", kernel.H, kernel.W),
        Ints("strides", stride.H, stride.W),
        Ints("pads", padding.H, padding.W, padding.H, padding.W),
    ];

    /// <summary>y = x·Wᵀ + b for inputs of any rank: MatMul broadcasts over the leading dimensions.</summary>
    private static string EmitMatMul(OnnxGraphBuilder b, Linear linear, string input)
    {
        Tensor weightT;
        using (Tensor.NoGrad()) weightT = linear.Weight.Transpose();
        var y = b.Node("MatMul", [input, b.Initializer("weightT", weightT)]);
        return linear.Bias is null ? y : b.Node("Add", [y, b.Initializer("bias", linear.Bias)]);
    }
}
