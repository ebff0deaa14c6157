using System.Text;

namespace SharpGrad.Viz;

/// <summary>
/// Pictures of computational graphs, like a textbook's figures: operations as circles labelled with their
/// operator (×, +, exp, …), inputs as labels at the left, and on every edge the forward value above and the
/// gradient below in red, laid out left to right. A one-element tensor shows its value; a larger one its shape.
/// </summary>
/// <example>
/// <code>
/// var x = Tensor.Scalar(2, DType.Float64, requiresGrad: true).WithName("x");
/// var y = (x * x).WithName("y");
/// var trace = BackwardTrace.Record(y);
/// File.WriteAllText("y.svg", GraphExport.ToSvg(y, new GraphExportOptions { Trace = trace }));
/// </code>
/// </example>
public static class GraphExport
{
    /// <summary>The graph that produced <paramref name="root"/>, as Graphviz DOT (render with <c>dot -Tsvg</c>).</summary>
    /// <param name="root">The output tensor.</param>
    /// <param name="options">Drawing options (null for the defaults: gradients from <see cref="Tensor.Grad"/>).</param>
    /// <returns>The DOT text. Node ids are deterministic and unique; labels are escaped, so any names are safe.</returns>
    public static string ToDot(Tensor root, GraphExportOptions? options = null) => DotWriter.Write(ComputationGraph.Build(root, options));

    /// <summary>The graph that produced <paramref name="root"/>, as a standalone SVG document, laid out in-process.</summary>
    /// <param name="root">The output tensor.</param>
    /// <param name="options">Drawing options (null for the defaults: gradients from <see cref="Tensor.Grad"/>).</param>
    /// <returns>The SVG text.</returns>
    public static string ToSvg(Tensor root, GraphExportOptions? options = null) => SvgWriter.Write(ComputationGraph.Build(root, options));

    /// <summary>A collected graph as Graphviz DOT.</summary>
    /// <param name="graph">The graph.</param>
    /// <returns>The DOT text.</returns>
    public static string ToDot(ComputationGraph graph) => DotWriter.Write(graph);

    /// <summary>A collected graph as SVG.</summary>
    /// <param name="graph">The graph.</param>
    /// <returns>The SVG text.</returns>
    public static string ToSvg(ComputationGraph graph) => SvgWriter.Write(graph);

    /// <summary>
    /// Writes text to <paramref name="path"/> all or nothing: into a temporary file in the same folder, then moved
    /// over the destination, so a failure never leaves a half-written picture.
    /// </summary>
    /// <param name="path">The destination file.</param>
    /// <param name="contents">The text (written as UTF-8 without a byte-order mark).</param>
    /// <exception cref="IOException">The file could not be written or moved.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder is not writable.</exception>
    public static void WriteAtomically(string path, string contents) => IO.AtomicFile.WriteAllText(path, contents);
}
