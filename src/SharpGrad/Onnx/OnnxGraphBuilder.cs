using System.Runtime.InteropServices;
using Google.Protobuf;
using SharpGrad.Onnx.Proto;

namespace SharpGrad.Onnx;

/// <summary>Accumulates the nodes and initializers of an ONNX graph, naming every value uniquely.</summary>
internal sealed class OnnxGraphBuilder(DType dtype)
{
    private int _counter;

    public GraphProto Graph { get; } = new() { Name = "sharpgrad" };

    /// <summary>The ONNX element type: FLOAT for float32, DOUBLE for float64.</summary>
    public int ElementType { get; } = dtype == DType.Float32 ? (int)TensorProto.Types.DataType.Float : (int)TensorProto.Types.DataType.Double;

    /// <summary>A fresh value name with the given stem.</summary>
    public string NewName(string stem) => $"{stem}_{_counter++}";

    /// <summary>Adds a constant tensor (a weight) holding <paramref name="tensor"/>'s values, little-endian raw data, in the graph's element type.</summary>
    /// <returns>The initializer's name.</returns>
    public string Initializer(string stem, Tensor tensor)
    {
        var proto = new TensorProto { Name = NewName(stem), DataType = ElementType };
        foreach (int d in tensor.Shape) proto.Dims.Add(d);
        proto.RawData = ElementType == (int)TensorProto.Types.DataType.Float
            ? ByteString.CopyFrom(MemoryMarshal.AsBytes(tensor.ToFloatArray().AsSpan()))
            : ByteString.CopyFrom(MemoryMarshal.AsBytes(tensor.ToDoubleArray().AsSpan()));
        Graph.Initializer.Add(proto);
        return proto.Name;
    }

    /// <summary>Adds an int64 constant (a shape for Reshape).</summary>
    /// <returns>The initializer's name.</returns>
    public string Int64Initializer(string stem, long[] values)
    {
        var proto = new TensorProto { Name = NewName(stem), DataType = (int)TensorProto.Types.DataType.Int64 };
        proto.Dims.Add(values.Length);
        proto.Int64Data.Add(values);
        Graph.Initializer.Add(proto);
        return proto.Name;
    }

    /// <summary>Adds a node <paramref name="opType"/>(inputs…) with one output and the given attributes.</summary>
    /// <returns>The output's name.</returns>
    public string Node(string opType, string[] inputs, params AttributeProto[] attributes) =>
        NodeTo(NewName(opType.ToLowerInvariant()), opType, inputs, attributes);

    /// <summary>Adds a node <paramref name="opType"/>(inputs…) whose one output is named <paramref name="output"/>.</summary>
    /// <returns>The output's name.</returns>
    public string NodeTo(string output, string opType, string[] inputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = NewName(opType) };
        node.Input.Add(inputs);
        node.Output.Add(output);
        node.Attribute.Add(attributes);
        Graph.Node.Add(node);
        return output;
    }

    /// <summary>An INT attribute.</summary>
    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    /// <summary>A FLOAT attribute.</summary>
    public static AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    /// <summary>An INTS attribute.</summary>
    public static AttributeProto Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.Add(values);
        return a;
    }

    /// <summary>A tensor-typed graph input or output; dimension 0 is the symbolic batch size "N".</summary>
    public ValueInfoProto Value(string name, ReadOnlySpan<int> shape)
    {
        var tensorType = new TypeProto.Types.Tensor { ElemType = ElementType, Shape = new TensorShapeProto() };
        for (int i = 0; i < shape.Length; i++)
            tensorType.Shape.Dim.Add(i == 0 ? new TensorShapeProto.Types.Dimension { DimParam = "N" } : new TensorShapeProto.Types.Dimension { DimValue = shape[i] });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensorType } };
    }
}
