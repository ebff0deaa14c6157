using System.Text;
using SharpGrad.Viz;

namespace SharpGrad.Cli.Calc;

/// <summary>
/// The backward pass in words, node by node in the order the engine runs them: the gradient arriving from
/// downstream, the node's rule, and for each input "gradient × local derivative = what it receives".
/// </summary>
internal static class Explanation
{
    public static string Write(Calculation c)
    {
        var sb = new StringBuilder();
        string y = c.OutputName;
        var g = c.Graph;
        if (c.Trace is not { } trace)
        {
            sb.AppendLine($"{y} = {NumberFormat.Text(c.Value)} does not depend on any input, so there is nothing to send backward.");
            return sb.ToString();
        }
        sb.AppendLine($"Backward pass for {y} = {NumberFormat.Text(c.Value)}, in the order the engine runs the nodes.");
        sb.AppendLine("Each node multiplies the gradient arriving from downstream by its local derivative for each input (the chain rule).");
        sb.AppendLine();
        sb.AppendLine($"start: ∂{y}/∂{y} = 1");

        int number = 0;
        foreach (var step in trace.Steps)
        {
            var node = step.Node;
            sb.AppendLine();
            string produces = node.Output.Name is { } name ? $"{name} = " : "";
            bool copy = g.IsCopy(node.Output); // "a = x": one node that only renames
            sb.AppendLine($"{++number}. {(copy ? "copy" : node.Symbol)} node ({produces}{(copy ? g.Describe(node.Inputs[0]) : Formula(node, g))} = {NumberFormat.Text(node.Output.Item())})");
            sb.AppendLine($"   rule: {(copy ? "copy: passes the gradient through unchanged" : node.Rule)}");
            sb.AppendLine($"   gradient in: {GradientIn(step, g)}");
            for (int i = 0; i < node.Inputs.Count; i++)
            {
                var input = node.Inputs[i];
                string target = g.Describe(input);
                if (!input.RequiresGrad)
                {
                    sb.AppendLine($"   to {target}: nothing (a constant)");
                    continue;
                }
                if (step.GradInputs[i] is not { } sent) continue;
                string local = step.LocalDerivatives[i] is { } l ? NumberFormat.Text(l.Item()) : "?";
                sb.AppendLine($"   to {target}: {NumberFormat.Text(step.GradOutput.Item())} × {local} = {NumberFormat.Text(sent.Item())}");
            }
        }
        sb.AppendLine();
        sb.AppendLine("result: " + (c.Inputs.Count == 0 ? "no inputs" :
            string.Join(", ", c.Inputs.Select(i => $"∂{y}/∂{i.Name} = {NumberFormat.Text(i.Gradient)}"))));
        return sb.ToString();
    }

    /// <summary>The node's computation written with its operands ("apple × apple_num", "exp(x)", "x^2").</summary>
    private static string Formula(Node node, CalcGraph g)
    {
        var operands = node.Inputs.Select(g.Describe).ToArray();
        return (node.OpName, operands.Length) switch
        {
            ("neg", 1) => $"−{operands[0]}",
            ("pow", 1) => operands[0] + ComputationGraph.OperatorLabel(node, 12),
            (_, 1) => $"{node.OpName}({operands[0]})",
            (_, 2) => $"{operands[0]} {node.Symbol} {operands[1]}",
            _ => $"{node.OpName}({string.Join(", ", operands)})",
        };
    }

    /// <summary>The gradient arriving at a node: one number, or the sum over the places its output is used.</summary>
    private static string GradientIn(BackwardStep step, CalcGraph g)
    {
        string total = NumberFormat.Text(step.GradOutput.Item());
        if (step.Incoming.Count <= 1) return total;
        var parts = step.Incoming.Select(p => NumberFormat.Text(p.Gradient.Item()));
        return $"{string.Join(" + ", parts)} = {total} (its value is used {step.Incoming.Count} times, so the gradients add up)";
    }
}
