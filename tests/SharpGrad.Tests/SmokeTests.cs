namespace SharpGrad.Tests;
public class SmokeTests { [Fact] public void OnePlusOne() => Assert.Equal(2, 1 + 1); }
