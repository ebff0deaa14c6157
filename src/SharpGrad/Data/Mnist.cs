using SharpGrad.IO;

namespace SharpGrad.Data;

/// <summary>
/// Loads MNIST-style data: four IDX files of 28×28 (or any size) grey images and their digit
/// labels. Serves MNIST, Fashion-MNIST and the 10,000-digit sample embedded in this library.
/// </summary>
/// <remarks>
/// Pixels become <c>byte / 255f</c>, so 0 (background) maps to 0 and 255 (ink) to 1.
/// Each sample has shape <c>[1, rows, columns]</c> (one channel) and a label in <c>[0, 10)</c>.
/// </remarks>
public static class Mnist
{
    /// <summary>The number of classes in MNIST and Fashion-MNIST.</summary>
    public const int ClassCount = 10;

    private const string ResourcePrefix = "SharpGrad.Data.mnist-sample.";

    private static readonly string[] Stems =
    [
        "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte",
    ];

    /// <summary>
    /// Loads the sample embedded in the library: 8,000 training and 2,000 test digits from MNIST.
    /// Works from any working directory.
    /// </summary>
    /// <returns>The training and test sets.</returns>
    /// <exception cref="InvalidOperationException">The library was built without the sample.</exception>
    public static (Dataset Train, Dataset Test) LoadEmbedded()
    {
        IdxArray[] arrays = new IdxArray[Stems.Length];
        string[] names = new string[Stems.Length];
        var assembly = typeof(Mnist).Assembly;
        for (int i = 0; i < Stems.Length; i++)
        {
            names[i] = ResourcePrefix + Stems[i] + ".gz";
            using Stream stream = assembly.GetManifestResourceStream(names[i])
                ?? throw new InvalidOperationException($"The embedded resource {names[i]} is missing from {assembly.GetName().Name}.");
            arrays[i] = IdxReader.Read(stream, names[i], Expectation(i));
        }

        return Build(arrays, names);
    }

    /// <summary>
    /// Loads MNIST-style data from <paramref name="directory"/>, which must hold the four standard
    /// files <c>train-images-idx3-ubyte</c>, <c>train-labels-idx1-ubyte</c>, <c>t10k-images-idx3-ubyte</c>
    /// and <c>t10k-labels-idx1-ubyte</c>, each raw or with <c>.gz</c>, and with <c>-idx</c> or <c>.idx</c>
    /// (as in <c>t10k-images.idx3-ubyte</c>).
    /// </summary>
    /// <param name="directory">The folder holding the files.</param>
    /// <returns>The training and test sets.</returns>
    /// <exception cref="DirectoryNotFoundException">
    /// The directory does not exist, or is a file (the message then starts with <paramref name="directory"/>).
    /// </exception>
    /// <exception cref="FileNotFoundException">
    /// A file is missing; the message lists the names looked for, and says so when one of them is a folder.
    /// </exception>
    /// <exception cref="SharpGradFormatException">
    /// A file is malformed, or the files disagree; the message names the file. When the training and test images differ
    /// in size, it names the one that is not 28×28 if the other is, and otherwise the training images.
    /// </exception>
    public static (Dataset Train, Dataset Test) Load(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        CheckDirectory(directory, string.Join(", ", Stems));

        IdxArray[] arrays = new IdxArray[Stems.Length];
        string[] names = new string[Stems.Length];
        for (int i = 0; i < Stems.Length; i++)
        {
            names[i] = FindFile(directory, Stems[i]);
            arrays[i] = IdxReader.Read(names[i], Expectation(i));
        }

        return Build(arrays, names);
    }

    /// <summary>
    /// Reads only the test set (<c>t10k-images-idx3-ubyte</c> and <c>t10k-labels-idx1-ubyte</c>, raw or gzip) from a
    /// directory, for evaluation; the training files need not be there.
    /// </summary>
    /// <param name="directory">The folder holding the files.</param>
    /// <returns>The test set.</returns>
    /// <exception cref="DirectoryNotFoundException">
    /// The directory does not exist, or is a file (the message then starts with <paramref name="directory"/>).
    /// </exception>
    /// <exception cref="FileNotFoundException">
    /// A file is missing; the message lists the names looked for, and says so when one of them is a folder.
    /// </exception>
    /// <exception cref="SharpGradFormatException">A file is malformed; the message names the file.</exception>
    public static Dataset LoadTest(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        CheckDirectory(directory, $"{Stems[2]} and {Stems[3]}");

        string images = FindFile(directory, Stems[2]), labels = FindFile(directory, Stems[3]);
        return ToDataset(IdxReader.Read(images, IdxExpectation.MnistImages), images, IdxReader.Read(labels, IdxExpectation.MnistLabels), labels);
    }

    /// <summary>The Stems alternate images and labels.</summary>
    private static IdxExpectation Expectation(int stem) => stem % 2 == 0 ? IdxExpectation.MnistImages : IdxExpectation.MnistLabels;

    /// <summary>
    /// The data folder must be one: a file given instead is said to be a file (the message starts with the path, so
    /// the command line can put its option before it), a missing folder to be missing.
    /// </summary>
    /// <param name="directory">The folder, as the caller gave it.</param>
    /// <param name="holds">The files it should hold, for the message.</param>
    private static void CheckDirectory(string directory, string holds)
    {
        if (File.Exists(directory))
        {
            throw new DirectoryNotFoundException(
                $"{directory}: is a file, not a folder; give the folder that holds the MNIST files.");
        }

        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException(
                $"The MNIST directory '{Path.GetFullPath(directory)}' does not exist; it should hold {holds} (each raw or .gz).");
        }
    }

    /// <summary>
    /// The files <see cref="Load"/> reads from <paramref name="directory"/>, as far as they are there (a missing one is
    /// left out; <see cref="Load"/> itself says it is missing), so a caller can keep its outputs off them.
    /// </summary>
    /// <param name="directory">The folder, as the caller gave it.</param>
    /// <returns>Each file's path, <paramref name="directory"/> joined with its name.</returns>
    internal static IReadOnlyList<string> FilesRead(string directory) =>
        [.. Stems.Select(stem => FirstExisting(directory, Candidates(stem))).OfType<string>()];

    /// <summary>
    /// Every name <see cref="Load"/> looks for in <paramref name="directory"/>, whether it is there or not: for each of
    /// the four files, its candidate names in the order they are tried, so the first that is a file is the one read. A
    /// file written under an earlier name than the one read would be read instead of it; under any other, once that is gone.
    /// </summary>
    /// <param name="directory">The folder, as the caller gave it.</param>
    /// <returns>Per file, <paramref name="directory"/> joined with each candidate name, most preferred first.</returns>
    internal static IReadOnlyList<IReadOnlyList<string>> NamesLookedFor(string directory) =>
        [.. Stems.Select(stem => (IReadOnlyList<string>)[.. Candidates(stem).Select(c => Path.Combine(directory, c))])];

    /// <summary>The first of <paramref name="candidates"/> that is a file in <paramref name="directory"/>, or null.</summary>
    private static string? FirstExisting(string directory, string[] candidates) =>
        candidates.Select(c => Path.Combine(directory, c)).FirstOrDefault(File.Exists);

    /// <summary>The names a file of <paramref name="stem"/> may have, in the order they are looked for.</summary>
    private static string[] Candidates(string stem)
    {
        string dotted = stem.Replace("-idx", ".idx", StringComparison.Ordinal);
        return [stem, stem + ".gz", dotted, dotted + ".gz"];
    }

    private static string FindFile(string directory, string stem)
    {
        string[] candidates = Candidates(stem);
        if (FirstExisting(directory, candidates) is { } path) return path;

        // A folder under a file's name (an archive unpacked into a folder of that name) is no file, but say it is there.
        string? folder = candidates.Select(c => Path.GetFullPath(Path.Combine(directory, c))).FirstOrDefault(Directory.Exists);
        throw new FileNotFoundException(
            $"No {stem} file in '{Path.GetFullPath(directory)}': looked for {string.Join(", ", candidates)}" +
            (folder is null ? "." : $"; {folder} is a folder, not a file."),
            Path.Combine(directory, stem));
    }

    private static (Dataset Train, Dataset Test) Build(IdxArray[] arrays, string[] names)
    {
        Dataset train = ToDataset(arrays[0], names[0], arrays[1], names[1]);
        Dataset test = ToDataset(arrays[2], names[2], arrays[3], names[3]);
        if (!train.SampleShape.AsSpan().SequenceEqual(test.SampleShape))
        {
            // Blame the file that is not MNIST's 28×28 when the other one is; otherwise neither is more likely wrong.
            bool trainIsMnistSize = IsMnistSize(arrays[0]), testIsMnistSize = IsMnistSize(arrays[2]);
            if (trainIsMnistSize != testIsMnistSize)
            {
                (int odd, int other) = trainIsMnistSize ? (2, 0) : (0, 2);
                throw new SharpGradFormatException(
                    names[odd],
                    $"{SetName(odd)} images are {Shape(arrays[odd])}, but the {SetName(other)} images ({names[other]}) are {Shape(arrays[other])}, " +
                    $"MNIST's size; both sets must have one image size");
            }

            throw new SharpGradFormatException(
                names[0],
                $"training images are {Shape(arrays[0])}, but the test images ({names[2]}) are {Shape(arrays[2])}; both sets must have one image size");
        }

        return (train, test);
    }

    private static Dataset ToDataset(IdxArray images, string imagesName, IdxArray labels, string labelsName)
    {
        // The reader has checked both files' element types and ranks against IdxExpectation.MnistImages and MnistLabels.
        int count = images.GetDimension(0);
        if (labels.Length != count)
        {
            throw new SharpGradFormatException(
                labelsName, $"holds {labels.Length} labels but {imagesName} holds {count} images");
        }

        ReadOnlySpan<byte> rawLabels = labels.RawData;
        var labelValues = new int[count];
        for (int i = 0; i < count; i++)
        {
            if (rawLabels[i] >= ClassCount)
            {
                throw new SharpGradFormatException(
                    labelsName, $"label {rawLabels[i]} at index {i} is outside 0–{ClassCount - 1}");
            }

            labelValues[i] = rawLabels[i];
        }

        ReadOnlySpan<byte> pixels = images.RawData;
        var features = new float[pixels.Length];
        for (int i = 0; i < features.Length; i++)
        {
            features[i] = pixels[i] / 255f;
        }

        return new Dataset(features, labelValues, [1, images.GetDimension(1), images.GetDimension(2)], ClassCount);
    }

    private static string Shape(IdxArray images) => $"{images.GetDimension(1)}×{images.GetDimension(2)}";

    private static bool IsMnistSize(IdxArray images) => images.GetDimension(1) == 28 && images.GetDimension(2) == 28;

    /// <summary>"training" or "test", for an index into the Stems.</summary>
    private static string SetName(int stem) => stem < 2 ? "training" : "test";
}
