using SharpGrad.Data;
using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.Data;

/// <summary>
/// A file given as the MNIST folder, or a folder standing where a file should, is said to be so by the library
/// itself, naming the path (the command line only puts --data before the same message).
/// </summary>
public sealed class MnistPathTests
{
    [Fact]
    public void Load_AndLoadTest_OfAFile_SayItIsAFileNotAFolder()
    {
        using var temp = new TempDirectory();
        string file = temp.Write("README.md", [1]);

        var load = Assert.Throws<DirectoryNotFoundException>(() => Mnist.Load(file));
        var loadTest = Assert.Throws<DirectoryNotFoundException>(() => Mnist.LoadTest(file));

        Assert.Equal($"{file}: is a file, not a folder; give the folder that holds the MNIST files.", load.Message);
        Assert.Equal(load.Message, loadTest.Message);
    }

    [Fact]
    public void Load_WhereAFolderHasAFilesName_SaysItIsAFolder()
    {
        using var temp = DataTestFiles.SampleCopy();
        File.Delete(Path.Combine(temp.Path, "t10k-labels-idx1-ubyte.gz"));
        string folder = Path.Combine(temp.Path, "t10k-labels-idx1-ubyte");
        Directory.CreateDirectory(folder);

        var e = Assert.Throws<FileNotFoundException>(() => Mnist.Load(temp.Path));

        Assert.EndsWith($"looked for t10k-labels-idx1-ubyte, t10k-labels-idx1-ubyte.gz, t10k-labels.idx1-ubyte, t10k-labels.idx1-ubyte.gz; {folder} is a folder, not a file.", e.Message);
    }
}
