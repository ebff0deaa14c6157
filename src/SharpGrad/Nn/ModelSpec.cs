using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SharpGrad.Nn;

/// <summary>
/// A small JSON description of a model's architecture, enough to rebuild it without the code that built it. A model
/// is a layer object with a "type" and that layer's settings; a Sequential lists its children under "layers":
/// <code>
/// {"type":"Sequential","layers":[{"type":"Conv2d","in":1,"out":16,"kernel":[3,3],"stride":[1,1],"padding":[1,1],"bias":true,"dtype":"F32"},
///   {"type":"ReLU"},{"type":"MaxPool2d","kernel":[2,2],"stride":[2,2],"padding":[0,0]},{"type":"Flatten"},
///   {"type":"Linear","in":3136,"out":10,"bias":true,"dtype":"F32"}]}
/// </code>
/// Supported: Sequential, Linear, ReLU, Sigmoid, Tanh, Flatten, Unflatten ("shape"), Dropout ("p"),
/// BatchNorm1d / BatchNorm2d ("features", "eps", "momentum", "affine", "dtype"), Conv2d, MaxPool2d, AvgPool2d.
/// </summary>
public static class ModelSpec
{
    /// <summary>Describes a model built from the supported layers.</summary>
    /// <param name="model">The model.</param>
    /// <returns>The JSON text.</returns>
    /// <exception cref="NotSupportedException">The model contains a layer type the format does not cover; the message names it.</exception>
    public static string Describe(Module model) => ToJson(model).ToJsonString();

    /// <summary>Describes a model if every layer is supported.</summary>
    /// <param name="model">The model.</param>
    /// <param name="json">The JSON text, or null.</param>
    /// <returns>Whether the model could be described.</returns>
    public static bool TryDescribe(Module model, out string? json)
    {
        try
        {
            json = Describe(model);
            return true;
        }
        catch (NotSupportedException)
        {
            json = null;
            return false;
        }
    }

    /// <summary>
    /// Builds the model a description describes, with freshly initialised weights (from a generator seeded with 0;
    /// load saved values afterwards). Dropout layers draw their masks from one shared generator seeded with 0 as well.
    /// </summary>
    /// <param name="json">The description.</param>
    /// <returns>The model, in training mode.</returns>
    /// <exception cref="FormatException">The text is not a valid description; the message says what is wrong.</exception>
    public static Module Build(string json)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"The model description is not valid JSON ({e.Message}).", e);
        }
        var generator = new Generator(0);
        try
        {
            return FromJson(root, generator, new Generator(0), "model");
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            throw new FormatException($"The model description is invalid: {e.Message}", e);
        }
    }

    private static JsonObject ToJson(Module module)
    {
        var o = new JsonObject { ["type"] = module.GetType().Name };
        switch (module)
        {
            case Sequential s:
                o["layers"] = new JsonArray(s.Layers.Select(l => (JsonNode)ToJson(l)).ToArray());
                break;
            case Linear l:
                o["in"] = l.InFeatures; o["out"] = l.OutFeatures; o["bias"] = l.Bias is not null; o["dtype"] = DTypeName(l.Weight.DType);
                break;
            case ReLU or Sigmoid or Tanh or Flatten:
                break;
            case Unflatten u:
                o["shape"] = Ints(u.SampleShape);
                break;
            case Dropout d:
                o["p"] = d.P;
                break;
            case BatchNorm b:
                o["features"] = b.Features; o["eps"] = b.Epsilon; o["momentum"] = b.Momentum; o["affine"] = b.Weight is not null; o["dtype"] = DTypeName(b.RunningMean.DType);
                break;
            case Conv2d c:
                o["in"] = c.InChannels; o["out"] = c.OutChannels; o["kernel"] = Pair(c.Kernel); o["stride"] = Pair(c.Stride); o["padding"] = Pair(c.Padding);
                o["bias"] = c.Bias is not null; o["dtype"] = DTypeName(c.Weight.DType);
                break;
            case Pool2d pool: // MaxPool2d, AvgPool2d
                o["kernel"] = Pair(pool.Kernel); o["stride"] = Pair(pool.Stride); o["padding"] = Pair(pool.Padding);
                break;
            default:
                throw new NotSupportedException($"The model spec format does not cover layers of type {module.GetType().Name}.");
        }
        return o;
    }

    private static JsonArray Ints(IEnumerable<int> values) => new(values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());

    private static JsonArray Pair((int H, int W) p) => Ints([p.H, p.W]);

    private static string DTypeName(DType dtype) => dtype == DType.Float32 ? "F32" : "F64";

    /// <param name="node">The layer's JSON object.</param>
    /// <param name="generator">Initialises weights.</param>
    /// <param name="where">Names the layer in error messages.</param>
    /// <param name="dropoutGenerator">Shared by every Dropout layer, as in <see cref="Models"/>, so one saved state restores all of them.</param>
    private static Module FromJson(JsonNode? node, Generator generator, Generator dropoutGenerator, string where)
    {
        if (node is not JsonObject o) throw new InvalidOperationException($"{where} is not a JSON object.");
        string type = Get<string>(o, "type", where);
        where = $"{where} ({type})";
        try
        {
            return Layer(o, type, generator, dropoutGenerator, where);
        }
        catch (ArgumentException e) // a constructor's own check (a dropout p of 2, say): name the layer, in one line
        {
            throw new InvalidOperationException($"{where}: {ArgumentMessages.WithoutParameterNames(e).Split('\n')[0]}", e);
        }
    }

    private static Module Layer(JsonObject o, string type, Generator generator, Generator dropoutGenerator, string where)
    {
        return type switch
        {
            "Sequential" => new Sequential((o["layers"] as JsonArray ?? throw new InvalidOperationException($"{where} has no \"layers\" array."))
                .Select((l, i) => FromJson(l, generator, dropoutGenerator, $"layer {i}")).ToArray()),
            "Linear" => new Linear(Size(o, "in", where), Size(o, "out", where), generator, Init.He, Get<bool>(o, "bias", where), DTypeOf(o, where)),
            "ReLU" => new ReLU(),
            "Sigmoid" => new Sigmoid(),
            "Tanh" => new Tanh(),
            "Flatten" => new Flatten(),
            "Unflatten" => new Unflatten(IntArray(o, "shape", where)),
            "Dropout" => new Dropout(Get<double>(o, "p", where), dropoutGenerator),
            "BatchNorm1d" => new BatchNorm1d(Size(o, "features", where), Get<double>(o, "eps", where), Get<double>(o, "momentum", where), Get<bool>(o, "affine", where), DTypeOf(o, where)),
            "BatchNorm2d" => new BatchNorm2d(Size(o, "features", where), Get<double>(o, "eps", where), Get<double>(o, "momentum", where), Get<bool>(o, "affine", where), DTypeOf(o, where)),
            "Conv2d" => new Conv2d(Size(o, "in", where), Size(o, "out", where), PairOf(o, "kernel", where), generator, PairOf(o, "stride", where), PairOf(o, "padding", where),
                Get<bool>(o, "bias", where), Init.He, DTypeOf(o, where)),
            "MaxPool2d" => new MaxPool2d(PairOf(o, "kernel", where), PairOf(o, "stride", where), PairOf(o, "padding", where)),
            "AvgPool2d" => new AvgPool2d(PairOf(o, "kernel", where), PairOf(o, "stride", where), PairOf(o, "padding", where)),
            _ => throw new InvalidOperationException($"{where}: unknown layer type '{type}'."),
        };
    }

    private static T Get<T>(JsonObject o, string key, string where)
    {
        if (o[key] is not JsonValue v || !v.TryGetValue(out T? value) || value is null)
            throw new InvalidOperationException($"{where}: \"{key}\" is missing or not {KindOf(typeof(T))}.");
        return value;
    }

    private static string KindOf(Type type) =>
        type == typeof(int) ? "a whole number (at most 2,147,483,647)"
        : type == typeof(double) ? "a number"
        : type == typeof(bool) ? "true or false"
        : type == typeof(string) ? "a string"
        : $"a {type.Name}";

    /// <summary>
    /// A layer size (features, channels), checked by the layers' own rule (<see cref="LayerSize"/>) but under the
    /// file's key, so the message names "out", not the constructor's outFeatures; <see cref="FromJson"/> adds the layer.
    /// </summary>
    private static int Size(JsonObject o, string key, string where) => LayerSize.Require(Get<int>(o, key, where), $"\"{key}\"");

    /// <summary>
    /// A lower bound on the values a model built from <paramref name="json"/> holds: the weights of its Linear and
    /// Conv2d layers, computed without building it (0 for what cannot be read; <see cref="Build"/> reports that).
    /// </summary>
    internal static long WeightValues(string json)
    {
        try
        {
            return WeightValues(JsonNode.Parse(json));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return 0;
        }
    }

    private static long WeightValues(JsonNode? node)
    {
        if (node is not JsonObject o) return 0;
        long Int(string key) => o[key] is JsonValue v && v.TryGetValue(out int n) && n > 0 ? n : 0; // as Build reads them
        long Product(string key) => o[key] is JsonArray a ? a.Aggregate(1L, (p, v) => v is JsonValue j && j.TryGetValue(out long n) && n > 0 ? Saturating(p, n) : 0) : 0;
        return (o["type"] as JsonValue)?.TryGetValue(out string? type) == true ? type switch
        {
            "Sequential" => (o["layers"] as JsonArray)?.Aggregate(0L, (sum, l) => Math.Min(sum + WeightValues(l), long.MaxValue / 2)) ?? 0,
            "Linear" => Saturating(Int("in"), Int("out")),
            "Conv2d" => Saturating(Saturating(Int("in"), Int("out")), Product("kernel")),
            _ => 0,
        } : 0;
    }

    private static long Saturating(long a, long b) => a == 0 || b == 0 ? 0 : a > long.MaxValue / 4 / b ? long.MaxValue / 4 : a * b;

    private static int[] IntArray(JsonObject o, string key, string where)
    {
        if (o[key] is not JsonArray a) throw new InvalidOperationException($"{where}: \"{key}\" is missing or not an array.");
        return a.Select(v => v is JsonValue j && j.TryGetValue(out int i) ? i : throw new InvalidOperationException($"{where}: \"{key}\" holds a non-integer.")).ToArray();
    }

    private static (int, int) PairOf(JsonObject o, string key, string where)
    {
        var a = IntArray(o, key, where);
        return a.Length == 2 ? (a[0], a[1]) : throw new InvalidOperationException($"{where}: \"{key}\" must hold two integers, not {a.Length}.");
    }

    private static DType DTypeOf(JsonObject o, string where) => Get<string>(o, "dtype", where) switch
    {
        "F32" => DType.Float32,
        "F64" => DType.Float64,
        var other => throw new InvalidOperationException($"{where}: unknown dtype '{other.ToString(CultureInfo.InvariantCulture)}'."),
    };
}
