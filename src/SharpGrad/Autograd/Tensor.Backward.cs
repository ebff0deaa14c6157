namespace SharpGrad;

public sealed partial class Tensor
{
    /// <summary>
    /// Runs backpropagation from this tensor: every node, in reverse topological order, multiplies the gradient
    /// arriving from downstream by its local derivative and passes the result to its inputs. Leaf tensors that
    /// require gradients receive ∂this/∂leaf in <see cref="Grad"/>, added to what is already there.
    /// </summary>
    /// <param name="gradient">∂L/∂this; may be omitted only for a one-element tensor, where it is 1.</param>
    /// <param name="retainGraph">Keep the nodes' saved values so Backward can run through the graph again.</param>
    /// <param name="createGraph">Record the backward pass itself, so the gradients can be differentiated again (implies keeping the graph for that).</param>
    /// <exception cref="InvalidOperationException">No gradient was given for a tensor with more than one element, the tensor does not
    /// require gradients, or the graph was already released by an earlier Backward.</exception>
    public void Backward(Tensor? gradient = null, bool retainGraph = false, bool createGraph = false) =>
        SharpGrad.Autograd.Backward(this, gradient, retainGraph || createGraph, createGraph);

    /// <summary>
    /// A scope in which no graph is recorded on this thread (for evaluation and parameter updates). Dispose it
    /// (a <c>using</c> statement) to restore recording.
    /// </summary>
    /// <returns>The scope.</returns>
    public static GradModeScope NoGrad() => GradMode.Set(false);
}
