using System.Text;

namespace SharpGrad.Cli.Calc;

/// <summary>The plain-text result: the output's value, then aligned tables of gradients (and the Hessian).</summary>
internal static class TextReport
{
    public static string Write(Calculation c)
    {
        var sb = new StringBuilder();
        string y = c.OutputName;
        sb.Append(y).Append(" = ").AppendLine(NumberFormat.Text(c.Value));
        if (c.Inputs.Count > 0)
        {
            sb.AppendLine();
            AppendTable(sb, ["input", "value", $"∂{y}/∂input"],
                c.Inputs.Select(i => new[] { i.Name, NumberFormat.Text(i.Value), NumberFormat.Text(i.Gradient) }));
        }
        if (c.Intermediates.Count > 0)
        {
            sb.AppendLine();
            AppendTable(sb, ["intermediate", "value", $"∂{y}/∂intermediate"],
                c.Intermediates.Select(i => new[] { i.Name, NumberFormat.Text(i.Value), NumberFormat.Text(i.Gradient) }));
        }
        if (c.Hessian is { } h && c.Inputs.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine($"second derivatives ∂²{y}/∂row∂column:");
            var names = c.Inputs.Select(i => i.Name).ToArray();
            AppendTable(sb, ["", .. names],
                names.Select((n, r) => new[] { n }.Concat(names.Select((_, k) => NumberFormat.Text(h[r, k]))).ToArray()));
        }
        return sb.ToString();
    }

    /// <summary>Columns padded to their widest cell on a terminal (a CJK character takes two columns): the first left-aligned, numbers right-aligned.</summary>
    private static void AppendTable(StringBuilder sb, string[] header, IEnumerable<string[]> rows)
    {
        var all = new List<string[]> { header };
        all.AddRange(rows);
        var widths = header.Select((_, k) => all.Max(r => TextWidth.Display(r[k]))).ToArray();
        foreach (var row in all)
        {
            var line = new StringBuilder();
            for (int k = 0; k < row.Length; k++)
            {
                if (k > 0) line.Append("   ");
                line.Append(k == 0 ? TextWidth.PadRight(row[k], widths[k]) : TextWidth.PadLeft(row[k], widths[k]));
            }
            sb.AppendLine(line.ToString().TrimEnd());
        }
    }
}
