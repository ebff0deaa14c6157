namespace SharpGrad.Viz;

/// <summary>How <see cref="GraphExport"/> draws a graph.</summary>
public sealed class GraphExportOptions
{
    /// <summary>
    /// A recorded backward pass. With it, each edge shows the gradient that flowed along that edge (a tensor used
    /// twice has two edges with their own gradients). Without it, an edge shows its tensor's <see cref="Tensor.Grad"/>
    /// (the total over all uses), when there is one.
    /// </summary>
    public BackwardTrace? Trace { get; init; }

    /// <summary>Significant digits of the numbers on edges (6 by default): 2.2000000000000002 is drawn as 2.2.</summary>
    public int SignificantDigits { get; init; } = 6;

    /// <summary>Whether to draw gradients at all (true by default).</summary>
    public bool ShowGradients { get; init; } = true;

    /// <summary>The label of the output on the right, when the root tensor has no <see cref="Tensor.Name"/> ("output" by default).</summary>
    public string OutputLabel { get; init; } = "output";
}
