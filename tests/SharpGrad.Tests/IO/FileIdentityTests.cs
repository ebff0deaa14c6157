using SharpGrad.IO;
using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.IO;

/// <summary><see cref="UnixStatus.Identity"/>: the device and inode statx gives, the same for every name of one file.</summary>
public sealed class FileIdentityTests : IDisposable
{
    private readonly TempDirectory _temp = new("sharpgrad-identity-");

    public void Dispose() => _temp.Dispose();

    [LinuxInodeFact]
    public void HardLinks_AndSymbolicLinks_ShareTheIdentity_OtherFilesDoNot()
    {
        string a = _temp.Write("a", [1]), b = _temp.Write("b", [1]), hard = _temp.PathOf("hard"), soft = _temp.PathOf("soft");
        Shell.Run("ln", a, hard);
        File.CreateSymbolicLink(soft, a);
        var identity = UnixStatus.Identity(a);
        Assert.NotNull(identity);
        Assert.Equal(ulong.Parse(Shell.Run("stat", "-c", "%i", a).Trim(), System.Globalization.CultureInfo.InvariantCulture), identity!.Value.Inode);
        Assert.Equal(identity, UnixStatus.Identity(hard));
        Assert.Equal(identity, UnixStatus.Identity(soft));
        Assert.NotEqual(identity, UnixStatus.Identity(b));
        // The device is the file system's: one temp folder, one device.
        Assert.Equal(identity.Value.Device, UnixStatus.Identity(b)!.Value.Device);
    }

    [Fact]
    public void AMissingFile_HasNoIdentity() => Assert.Null(UnixStatus.Identity(_temp.PathOf("missing")));
}
