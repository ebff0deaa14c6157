namespace SharpGrad.Tests.Toolkit;

/// <summary>A test that writes into a Linux device node: skipped when not on Linux or when the node does not exist.</summary>
public sealed class LinuxDeviceFactAttribute : FactAttribute
{
    /// <param name="device">The device the test writes into, e.g. <c>/dev/full</c>.</param>
    public LinuxDeviceFactAttribute(string device)
    {
        if (!OperatingSystem.IsLinux() || !File.Exists(device))
            Skip = $"needs the Linux device {device}";
    }
}
