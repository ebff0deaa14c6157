using SharpGrad.Data;
using SharpGrad.IO;
using SharpGrad.Tests.Toolkit;
using static SharpGrad.Tests.Data.DataTestFiles;

namespace SharpGrad.Tests.Data;

public class MnistTests
{
    // From data/mnist-sample/README.md.
    private static readonly int[] TrainClassCounts = [793, 910, 794, 825, 778, 706, 831, 865, 737, 761];
    private static readonly int[] TestClassCounts = [208, 217, 197, 207, 202, 157, 183, 205, 207, 217];

    private static readonly Lazy<(Dataset Train, Dataset Test)> Embedded = new(Mnist.LoadEmbedded);

    [Fact]
    public void LoadEmbedded_Has8000TrainAnd2000TestDigitsOf28x28()
    {
        var (train, test) = Embedded.Value;

        Assert.Equal(8000, train.Count);
        Assert.Equal(2000, test.Count);
        foreach (Dataset set in new[] { train, test })
        {
            Assert.Equal(784, set.FeatureSize);
            Assert.Equal([1, 28, 28], set.SampleShape);
            Assert.Equal(10, set.ClassCount);
            Assert.Equal(set.Count * 784, set.Features.Length);
        }
    }

    [Fact]
    public void LoadEmbedded_ClassCountsMatchTheReadme()
    {
        var (train, test) = Embedded.Value;

        Assert.Equal(TrainClassCounts, CountClasses(train));
        Assert.Equal(TestClassCounts, CountClasses(test));
    }

    [Fact]
    public void LoadEmbedded_PixelsAreBytesOver255()
    {
        var (train, test) = Embedded.Value;

        Assert.All(new[] { train, test }, set =>
        {
            Assert.Equal(0f, set.Features.Min());
            Assert.Equal(1f, set.Features.Max());
        });

        // Values read with Python's gzip module: train image 0 has byte 105 at row 4, column 15
        // and label 0; test image 1999 has byte 161 at row 4, column 16.
        Assert.Equal(105 / 255f, train.Features[(0 * 28 + 4) * 28 + 15]);
        Assert.Equal(0, train.Labels[0]);
        Assert.Equal(161 / 255f, test.Features[(1999 * 28 + 4) * 28 + 16]);
    }

    [Fact]
    public void LoadEmbedded_MatchesBytesDecodedByHand()
    {
        var (train, _) = Embedded.Value;
        byte[] images = Gunzip(Path.Combine(SampleDirectory, "train-images-idx3-ubyte.gz"));
        byte[] labels = Gunzip(Path.Combine(SampleDirectory, "train-labels-idx1-ubyte.gz"));

        // Headers: 16 bytes for images (magic, count, rows, columns), 8 for labels.
        foreach (var (image, row, column) in new[] { (0, 4, 15), (1234, 14, 14), (7999, 20, 9), (4321, 10, 17) })
        {
            byte pixel = images[16 + (image * 784) + (row * 28) + column];
            Assert.Equal(pixel / 255f, train.Features[(image * 784) + (row * 28) + column]);
            Assert.Equal(labels[8 + image], train.Labels[image]);
        }

        Assert.Equal(images.Length - 16, train.Features.Length);
        Assert.Equal(images.Skip(16).Sum(b => (long)b), train.Features.Sum(f => (long)Math.Round(f * 255)));
    }

    [Fact]
    public void Load_FromSampleDirectory_EqualsLoadEmbedded()
    {
        var (train, test) = Mnist.Load(SampleDirectory);

        AssertSame(Embedded.Value.Train, train);
        AssertSame(Embedded.Value.Test, test);
    }

    [Fact]
    public void Load_ReadsUncompressedFiles_IncludingTheDottedNameVariant()
    {
        using var temp = new TempDirectory("sharpgrad-data-");
        temp.Write("train-images-idx3-ubyte", Gunzip(Path.Combine(SampleDirectory, "train-images-idx3-ubyte.gz")));
        temp.Write("train-labels-idx1-ubyte", Gunzip(Path.Combine(SampleDirectory, "train-labels-idx1-ubyte.gz")));
        temp.Write("t10k-images.idx3-ubyte", Gunzip(Path.Combine(SampleDirectory, "t10k-images-idx3-ubyte.gz")));
        temp.Write("t10k-labels.idx1-ubyte", Gunzip(Path.Combine(SampleDirectory, "t10k-labels-idx1-ubyte.gz")));

        var (train, test) = Mnist.Load(temp.Path);

        AssertSame(Embedded.Value.Train, train);
        AssertSame(Embedded.Value.Test, test);
    }

    [Fact]
    public void Load_Throws_WhenLabelAndImageCountsDiffer()
    {
        using var temp = SampleCopy();
        string labels = temp.Write("t10k-labels-idx1-ubyte.gz", Gzip(Idx(0x08, [3], [1, 2, 3])));

        var e = Assert.Throws<SharpGradFormatException>(() => Mnist.Load(temp.Path));

        Assert.Equal(labels, e.FilePath);
        Assert.Contains("holds 3 labels but", e.Message, StringComparison.Ordinal);
        Assert.Contains("t10k-images-idx3-ubyte.gz holds 2000 images", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("train-images-idx3-ubyte.gz", 8000, "training", "test", "t10k-images-idx3-ubyte.gz")]
    [InlineData("t10k-images-idx3-ubyte.gz", 2000, "test", "training", "train-images-idx3-ubyte.gz")]
    public void Load_Throws_NamingTheFileThatIsNot28x28_WhenImageSizesDiffer(string changed, int count, string set, string otherSet, string other)
    {
        // The user's case: only one file's dimensions rewritten to 14×56 (same bytes per image).
        using var temp = SampleCopy();
        string path = temp.Write(changed, Gzip(Idx(0x08, [count, 14, 56], new byte[count * 784])));

        var e = Assert.Throws<SharpGradFormatException>(() => Mnist.Load(temp.Path));

        Assert.Equal(path, e.FilePath);
        Assert.Equal(
            $"{path}: {set} images are 14×56, but the {otherSet} images ({temp.PathOf(other)}) are 28×28, MNIST's size; both sets must have one image size",
            e.Message);
    }

    [Fact]
    public void Load_Throws_NamingBothFiles_WhenNeitherImageSizeIs28x28()
    {
        using var temp = SampleCopy();
        string train = temp.Write("train-images-idx3-ubyte.gz", Gzip(Idx(0x08, [8000, 14, 56], new byte[8000 * 784])));
        string test = temp.Write("t10k-images-idx3-ubyte.gz", Gzip(Idx(0x08, [2000, 56, 14], new byte[2000 * 784])));

        var e = Assert.Throws<SharpGradFormatException>(() => Mnist.Load(temp.Path));

        Assert.Equal($"{train}: training images are 14×56, but the test images ({test}) are 56×14; both sets must have one image size", e.Message);
    }

    [Fact]
    public void Load_Throws_WhenALabelIsNotADigit()
    {
        using var temp = SampleCopy();
        var bytes = new byte[2000];
        bytes[1500] = 10;
        string labels = temp.Write("t10k-labels-idx1-ubyte.gz", Gzip(Idx(0x08, [2000], bytes)));

        var e = Assert.Throws<SharpGradFormatException>(() => Mnist.Load(temp.Path));

        Assert.Equal(labels, e.FilePath);
        Assert.Contains("label 10 at index 1500", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Throws_WhenImagesAreNot3DUnsignedBytes()
    {
        using var temp = SampleCopy();
        string images = temp.Write("train-images-idx3-ubyte.gz", Idx(0x0D, [1, 1, 1], [0, 0, 0, 0]));

        var e = Assert.Throws<SharpGradFormatException>(() => Mnist.Load(temp.Path));

        Assert.Equal($"{images}: expected elements of type UnsignedByte (images), found Float32", e.Message);
    }

    [Fact]
    public void Load_Throws_NamingTheExpectedRank_WhenTheLabelFileDeclaresThreeDimensions()
    {
        using var temp = SampleCopy();
        byte[] bytes = Gunzip(temp.PathOf("train-labels-idx1-ubyte.gz"));
        bytes[3] = 3; // the rank byte: the first labels would be read as two more dimensions
        string labels = temp.Write("train-labels-idx1-ubyte.gz", Gzip(bytes));

        var e = Assert.Throws<SharpGradFormatException>(() => Mnist.Load(temp.Path));

        Assert.Equal($"{labels}: expected 1 dimension (labels), found 3", e.Message);
    }

    [Fact]
    public void LoadTest_Throws_NamingTheExpectedRank_WhenTheImageFileDeclaresTwoDimensions()
    {
        using var temp = SampleCopy();
        string images = temp.Write("t10k-images-idx3-ubyte.gz", Idx(0x08, [2000, 784], new byte[2000 * 784]));

        var e = Assert.Throws<SharpGradFormatException>(() => Mnist.LoadTest(temp.Path));

        Assert.Equal($"{images}: expected 3 dimensions (images), found 2", e.Message);
    }

    [Fact]
    public void Load_Throws_WhenAFileIsCorrupt()
    {
        using var temp = SampleCopy();
        byte[] original = File.ReadAllBytes(temp.PathOf("train-images-idx3-ubyte.gz"));
        string images = temp.Write("train-images-idx3-ubyte.gz", original[..(original.Length / 3)]);

        var e = Assert.Throws<SharpGradFormatException>(() => Mnist.Load(temp.Path));

        Assert.Equal(images, e.FilePath);
        Assert.StartsWith($"{images}: truncated or corrupt gzip data: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Throws_ReportingCorruptGzip_WhenBytesInTheMiddleAreOverwritten()
    {
        // The user's case: 10 bytes overwritten mid-file still inflate, to more bytes than the header declares.
        using var temp = SampleCopy();
        byte[] damaged = File.ReadAllBytes(temp.PathOf("train-images-idx3-ubyte.gz"));
        for (int i = 0; i < 10; i++)
        {
            damaged[(damaged.Length / 2) + i] = 0x55;
        }

        string images = temp.Write("train-images-idx3-ubyte.gz", damaged);

        var e = Assert.Throws<SharpGradFormatException>(() => Mnist.Load(temp.Path));

        Assert.Equal(images, e.FilePath);
        Assert.StartsWith($"{images}: corrupt gzip data: it does not decompress, or fails its CRC-32 or length check", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("compression method", e.Message); // .NET's text for a failed trailer check misleads
        Assert.IsType<InvalidDataException>(e.InnerException);
    }

    [Fact]
    public void Load_Throws_NamingTheFilesLookedFor_WhenOneIsMissing()
    {
        using var temp = SampleCopy();
        File.Delete(temp.PathOf("t10k-labels-idx1-ubyte.gz"));

        var e = Assert.Throws<FileNotFoundException>(() => Mnist.Load(temp.Path));

        Assert.Contains(temp.Path, e.Message, StringComparison.Ordinal);
        Assert.Contains("t10k-labels-idx1-ubyte, t10k-labels-idx1-ubyte.gz", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Throws_WhenTheDirectoryIsMissing()
    {
        string missing = Path.Combine(Path.GetTempPath(), "sharpgrad-no-such-dir-" + Guid.NewGuid().ToString("N"));

        var e = Assert.Throws<DirectoryNotFoundException>(() => Mnist.Load(missing));

        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
        Assert.Contains("train-images-idx3-ubyte", e.Message, StringComparison.Ordinal);
    }

    private static int[] CountClasses(Dataset set)
    {
        var counts = new int[set.ClassCount];
        foreach (int label in set.Labels)
        {
            counts[label]++;
        }

        return counts;
    }

    private static void AssertSame(Dataset expected, Dataset actual)
    {
        Assert.Equal(expected.SampleShape, actual.SampleShape);
        Assert.Equal(expected.ClassCount, actual.ClassCount);
        Assert.Equal(expected.Labels, actual.Labels);
        Assert.True(expected.Features.AsSpan().SequenceEqual(actual.Features), "features differ");
    }
}
