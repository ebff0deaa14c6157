using SharpGrad.Nn;

namespace SharpGrad.IO;

/// <summary>How a module's tensors are named and laid out in an <c>.npz</c> file.</summary>
public sealed class NpzParameterOptions
{
    /// <summary>
    /// SharpGrad names (as in <see cref="Module.NamedParameters"/>, such as <c>"0.weight"</c>) mapped to archive
    /// names (such as <c>"W1"</c>). Tensors not in the map keep their SharpGrad name. Null: no renaming.
    /// </summary>
    public IReadOnlyDictionary<string, string>? NameMap { get; init; }

    /// <summary>
    /// True to store the weight of every <see cref="Linear"/> layer transposed, as [in, out] (the NumPy convention
    /// <c>y = x·W + b</c>), instead of SharpGrad's [out, in] (<c>y = x·Wᵀ + b</c>).
    /// </summary>
    public bool TransposeLinearWeights { get; init; }

    /// <summary>When loading, true (the default) to refuse an archive holding arrays that match no tensor of the module.</summary>
    public bool RejectUnexpected { get; init; } = true;

    /// <summary>
    /// The layout of the NumPy code of "Deep Learning from Scratch": the k-th <see cref="Linear"/> layer of
    /// <paramref name="model"/> (k = 1, 2, … in <see cref="Module.NamedParameters"/> order) is stored as
    /// <c>Wk</c> with shape [in, out] and <c>bk</c> with shape [out].
    /// </summary>
    /// <param name="model">The model whose linear layers are named.</param>
    /// <returns>The options.</returns>
    public static NpzParameterOptions NumPyBook(Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        int k = 0;
        foreach (var (prefix, linear) in NpzModuleExtensions.LinearLayers(model, ""))
        {
            k++;
            map[prefix + "weight"] = $"W{k}";
            if (linear.Bias is not null) map[prefix + "bias"] = $"b{k}";
        }
        return new NpzParameterOptions { NameMap = map, TransposeLinearWeights = true };
    }
}

/// <summary>Saves and loads a module's parameters and buffers as an <c>.npz</c> archive, by name.</summary>
public static class NpzModuleExtensions
{
    /// <summary>
    /// Saves every parameter and buffer of <paramref name="module"/> to an <c>.npz</c> archive, one array per
    /// tensor, named and laid out as <paramref name="options"/> says (default: SharpGrad names and layouts).
    /// </summary>
    /// <param name="module">The model.</param>
    /// <param name="path">The destination <c>.npz</c> file (replaced atomically).</param>
    /// <param name="options">Names and layout, or null for the defaults.</param>
    /// <param name="compress">True to deflate the entries (<c>numpy.savez_compressed</c>).</param>
    public static void SaveNpz(this Module module, string path, NpzParameterOptions? options = null, bool compress = false)
    {
        ArgumentNullException.ThrowIfNull(module);
        options ??= new NpzParameterOptions();
        var transposed = TransposedNames(module, options);
        var arrays = States(module).Select(s => (
            ArchiveName(s.Name, options),
            transposed.Contains(s.Name) ? Transpose2D(s.Tensor) : s.Tensor.Detach()));
        Npz.Write(path, arrays, compress);
    }

    /// <summary>
    /// Loads every parameter and buffer of <paramref name="module"/> from an <c>.npz</c> archive, copying the
    /// values into the existing tensors (converted to their element type), so optimizers holding them stay valid.
    /// </summary>
    /// <param name="module">The model.</param>
    /// <param name="path">The <c>.npz</c> file.</param>
    /// <param name="options">Names and layout, or null for the defaults.</param>
    /// <exception cref="SharpGradFormatException">
    /// The archive is malformed, holds no arrays at all (no <c>.npy</c> entry) while the module has tensors, lacks an
    /// array for some tensor, holds an array whose shape differs from the tensor's
    /// (after transposing, if asked), holds NaN or ±Infinity in an array it loads, or holds arrays matching no tensor
    /// while <see cref="NpzParameterOptions.RejectUnexpected"/> is set.
    /// Nothing is changed when this is thrown.
    /// </exception>
    public static void LoadNpz(this Module module, string path, NpzParameterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        options ??= new NpzParameterOptions();
        var arrays = Npz.Read(path);
        var states = States(module).ToList();
        // An archive with no arrays is a wrong or damaged file, not one whose first tensor happens to be missing.
        if (arrays.Count == 0 && states.Count > 0)
            throw new SharpGradFormatException(path, $"the archive holds no arrays (no .npy entries), so it has none of the model's {states.Count} tensor(s) to load");
        var transposed = TransposedNames(module, options);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var updates = new List<(Tensor Target, Tensor Source)>();
        foreach (var (name, target) in states)
        {
            var key = ArchiveName(name, options);
            if (!arrays.TryGetValue(key, out var source))
                throw new SharpGradFormatException(path, $"holds no array '{key}' for {name} (it holds {string.Join(", ", arrays.Keys)})");
            used.Add(key);
            if (transposed.Contains(name))
            {
                if (source.Rank != 2)
                    throw new SharpGradFormatException(path, $"'{key}' has shape {Shapes.Format(source.Shape)}, but {name} is stored transposed and needs 2 dimensions");
                source = Transpose2D(source);
            }
            if (!Shapes.Equal(source.Shape, target.Shape))
                throw new SharpGradFormatException(path, $"'{key}' has shape {Shapes.Format(source.Shape)}{(transposed.Contains(name) ? " after transposing" : "")}, but {name} has shape {Shapes.Format(target.Shape)}");
            FiniteValues.Require(path, key, source);
            updates.Add((target, source));
        }
        if (options.RejectUnexpected && arrays.Keys.FirstOrDefault(k => !used.Contains(k)) is { } extra)
            throw new SharpGradFormatException(path, $"holds '{extra}', which matches no tensor of the model");
        foreach (var (target, source) in updates)
        {
            if (target.DType == DType.Float32) source.ToFloatArray().CopyTo(target.F, 0);
            else source.ToDoubleArray().CopyTo(target.D, 0);
            target.BumpVersion();
        }
    }

    internal static IEnumerable<(string Prefix, Linear Layer)> LinearLayers(Module module, string prefix)
    {
        if (module is Linear linear) yield return (prefix, linear);
        foreach (var (name, child) in module.Children)
            foreach (var found in LinearLayers(child, $"{prefix}{name}.")) yield return found;
    }

    private static IEnumerable<(string Name, Tensor Tensor)> States(Module module) =>
        module.NamedParameters().Select(p => (p.Name, p.Parameter)).Concat(module.NamedBuffers().Select(b => (b.Name, b.Buffer)));

    private static string ArchiveName(string name, NpzParameterOptions options) =>
        options.NameMap is not null && options.NameMap.TryGetValue(name, out var mapped) ? mapped : name;

    private static HashSet<string> TransposedNames(Module module, NpzParameterOptions options) =>
        options.TransposeLinearWeights
            ? LinearLayers(module, "").Select(l => l.Prefix + "weight").ToHashSet(StringComparer.Ordinal)
            : [];

    /// <summary>A row-major copy of the transpose of a 2-D tensor: result[j, i] = t[i, j].</summary>
    private static Tensor Transpose2D(Tensor t)
    {
        int rows = t.Shape[0], cols = t.Shape[1];
        return t.DType == DType.Float32
            ? Tensor.Wrap(Transpose(t.F, rows, cols), cols, rows)
            : Tensor.Wrap(Transpose(t.D, rows, cols), cols, rows);
    }

    private static T[] Transpose<T>(T[] source, int rows, int cols)
    {
        var result = new T[source.Length];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) result[j * rows + i] = source[i * cols + j];
        return result;
    }
}
