using System.Globalization;
using SharpGrad.Nn;
using SharpGrad.Optim;

namespace SharpGrad.IO;

/// <summary>
/// Saving and loading models and optimizer state as safetensors files (see <see cref="SafeTensors"/>).
/// A model file holds every parameter and buffer under its dotted name (e.g. "1.weight", "2.running_mean") and,
/// when the model is built from layers <see cref="ModelSpec"/> covers, the architecture under the metadata key
/// <see cref="ArchitectureKey"/>.
/// </summary>
public static class ModelFiles
{
    /// <summary>The metadata key of the architecture description (a <see cref="ModelSpec"/> JSON string).</summary>
    public const string ArchitectureKey = "sharpgrad.architecture";

    /// <summary>The metadata key naming the optimizer type in an optimizer state file.</summary>
    public const string OptimizerKey = "sharpgrad.optimizer";

    /// <summary>The metadata key of the learning rate in an optimizer state file (round-trip text).</summary>
    public const string LearningRateKey = "sharpgrad.learning_rate";

    extension(Module module)
    {
        /// <summary>
        /// Saves the model's parameters and buffers (and its architecture, when describable) to a safetensors file,
        /// atomically (a temporary file in the same directory is renamed over <paramref name="path"/>).
        /// </summary>
        /// <param name="path">The file to create or replace.</param>
        /// <exception cref="IOException">The file cannot be written.</exception>
        public void Save(string path)
        {
            var metadata = new Dictionary<string, string> { ["format"] = "pt" };
            if (ModelSpec.TryDescribe(module, out var architecture)) metadata[ArchitectureKey] = architecture!;
            SafeTensors.Write(path, StateTensors(module), metadata);
        }

        /// <summary>
        /// Loads parameters and buffers saved by <see cref="Save"/> into this model, in place. The file must hold
        /// exactly the model's tensors, with the same names, dtypes and shapes, all finite; otherwise nothing is changed
        /// and the error names every missing, unexpected and mismatched tensor, or the first NaN or ±Infinity (the
        /// tensor and the element index).
        /// </summary>
        /// <param name="path">The file.</param>
        /// <exception cref="SharpGradFormatException">The file is malformed or does not fit the model.</exception>
        /// <exception cref="IOException">The file cannot be read.</exception>
        public void Load(string path) => LoadInto(module, SafeTensors.Read(path), path);

        /// <summary>
        /// Builds a model from the architecture recorded in a file written by <see cref="Save"/> and loads its values,
        /// without the code that built it. The model is returned in evaluation mode.
        /// </summary>
        /// <param name="path">The file.</param>
        /// <returns>The model.</returns>
        /// <exception cref="SharpGradFormatException">The file is malformed, records no architecture, its tensors do not fit it, or one holds NaN or ±Infinity.</exception>
        public static Module LoadModel(string path)
        {
            var file = SafeTensors.Read(path);
            if (!file.Metadata.TryGetValue(ArchitectureKey, out var architecture))
            {
                // An optimizer's state (SaveState, FILE.optimizer beside a model) is a safetensors file too: say which file it is.
                if (file.Metadata.TryGetValue(OptimizerKey, out var optimizer))
                    throw new SharpGradFormatException(path, $"this is an optimizer's state ({optimizer}, written by SaveState), not a model; load the model file it was saved beside");
                throw new SharpGradFormatException(path, $"the file records no architecture (no \"{ArchitectureKey}\" metadata); build the model in code and call Load");
            }
            // A damaged or foreign description can ask for billions of weights: refuse it before allocating them
            // (which took 48 s and 6.4 GB for a 300 KB file claiming Linear(40000 → 40000)). Small models are built, so
            // the error below can name every tensor that does not fit.
            long needed = ModelSpec.WeightValues(architecture), held = file.Tensors.Sum(t => (long)t.Tensor.Length);
            if (needed > held && needed > BuildWithoutCheckValues)
                throw new SharpGradFormatException(path, string.Create(CultureInfo.InvariantCulture,
                    $"the tensors do not fit the model: the recorded architecture needs at least {needed:N0} weight values (its Linear and Conv2d weights), but the file's tensors hold {held:N0}"));
            Module model;
            try
            {
                model = ModelSpec.Build(architecture);
            }
            catch (FormatException e)
            {
                throw new SharpGradFormatException(path, e.Message, e);
            }
            LoadInto(model, file, path);
            model.Eval();
            return model;
        }
    }

    /// <summary>Up to this many weight values (64 MB of float32) a model is built even when the file cannot fill it.</summary>
    private const long BuildWithoutCheckValues = 1L << 24;

    extension(Optimizer optimizer)
    {
        /// <summary>
        /// Saves the optimizer's state (<see cref="Optimizer.StateTensors()"/>), type and learning rate to a safetensors
        /// file, atomically, for resuming training.
        /// </summary>
        /// <param name="path">The file to create or replace.</param>
        /// <param name="extraMetadata">More string pairs to record in the header (for example the training settings), or null.</param>
        /// <exception cref="IOException">The file cannot be written.</exception>
        public void SaveState(string path, IReadOnlyDictionary<string, string>? extraMetadata = null)
        {
            var metadata = new Dictionary<string, string>(extraMetadata ?? new Dictionary<string, string>())
            {
                [OptimizerKey] = optimizer.GetType().Name,
                [LearningRateKey] = optimizer.LearningRate.ToString("R", CultureInfo.InvariantCulture),
            };
            SafeTensors.Write(path, optimizer.StateTensors(copy: false).Select(kv => (kv.Key, kv.Value)).ToList(), metadata);
        }

        /// <summary>
        /// Restores state saved by <see cref="SaveState"/> into an optimizer of the same type over parameters of the
        /// same shapes, including the step count and the learning rate (as PyTorch's <c>load_state_dict</c> does).
        /// </summary>
        /// <param name="path">The file.</param>
        /// <exception cref="SharpGradFormatException">The file is malformed, was written by another optimizer type, does not fit, or holds NaN or ±Infinity.</exception>
        /// <exception cref="IOException">The file cannot be read.</exception>
        public void LoadState(string path) => optimizer.LoadState(SafeTensors.Read(path), path);

        /// <summary>As <see cref="LoadState(Optimizer, string)"/>, from a file already read (whose metadata the caller also needed).</summary>
        /// <param name="file">The file's contents.</param>
        /// <param name="path">The file, named in errors.</param>
        internal void LoadState(SafeTensorsFile file, string path)
        {
            string type = optimizer.GetType().Name;
            if (!file.Metadata.TryGetValue(OptimizerKey, out var saved) || saved != type)
                throw new SharpGradFormatException(path, $"the file holds state of optimizer '{saved ?? "(unnamed)"}', not {type}");
            if (!file.Metadata.TryGetValue(LearningRateKey, out var lrText) ||
                !double.TryParse(lrText, NumberStyles.Float, CultureInfo.InvariantCulture, out double lr) || !(lr >= 0) || double.IsInfinity(lr))
                throw new SharpGradFormatException(path, $"the learning rate '{lrText}' is missing or not a finite non-negative number");
            foreach (var (name, tensor) in file.Tensors) FiniteValues.Require(path, name, tensor);
            try
            {
                optimizer.LoadState(file.ToDictionary());
            }
            catch (ArgumentException e)
            {
                throw new SharpGradFormatException(path, e.Message, e);
            }
            optimizer.LearningRate = lr;
        }
    }

    /// <summary>Parameters and buffers module by module (each module's own parameters, then its buffers, then its children), as in PyTorch's state_dict.</summary>
    private static List<(string Name, Tensor Tensor)> StateTensors(Module module)
    {
        var result = new List<(string, Tensor)>();
        void Visit(Module m, string prefix)
        {
            foreach (var (name, p) in m.NamedParameters().Where(p => !p.Name.Contains('.', StringComparison.Ordinal))) result.Add((prefix + name, p));
            foreach (var (name, b) in m.NamedBuffers().Where(b => !b.Name.Contains('.', StringComparison.Ordinal))) result.Add((prefix + name, b));
            foreach (var (name, child) in m.Children) Visit(child, prefix + name + ".");
        }
        Visit(module, "");
        return result;
    }

    private static void LoadInto(Module module, SafeTensorsFile file, string path)
    {
        var expected = StateTensors(module);
        var found = file.ToDictionary();
        var missing = expected.Where(e => !found.ContainsKey(e.Name)).Select(e => e.Name).ToList();
        var wanted = expected.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        var unexpected = file.Tensors.Where(t => !wanted.Contains(t.Name)).Select(t => t.Name).ToList();
        var mismatched = expected
            .Where(e => found.TryGetValue(e.Name, out var t) && (t.DType != e.Tensor.DType || !Shapes.Equal(t.Shape, e.Tensor.Shape)))
            .Select(e => $"{e.Name} (file {Describe(found[e.Name])}, model {Describe(e.Tensor)})").ToList();
        if (missing.Count + unexpected.Count + mismatched.Count > 0)
        {
            var parts = new List<string>();
            if (missing.Count > 0) parts.Add("missing from the file: " + string.Join(", ", missing));
            if (unexpected.Count > 0) parts.Add("not in the model: " + string.Join(", ", unexpected));
            if (mismatched.Count > 0) parts.Add("mismatched: " + string.Join(", ", mismatched));
            throw new SharpGradFormatException(path, "the tensors do not fit the model; " + string.Join("; ", parts));
        }
        foreach (var (name, _) in expected) FiniteValues.Require(path, name, found[name]);
        foreach (var (name, tensor) in expected)
        {
            Array.Copy(found[name].Data, tensor.Data, tensor.Length);
            tensor.BumpVersion();
        }
    }

    private static string Describe(Tensor t) => $"{(t.DType == DType.Float32 ? "F32" : "F64")} {Shapes.Format(t.Shape)}";
}
