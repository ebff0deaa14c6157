using System.Text;
using System.Text.Json;

namespace SharpGrad.Cli.Calc;

/// <summary>
/// The machine-readable result, one JSON object:
/// <c>{"output", "value", "gradients": {input: g}, "intermediates": {name: {"value", "gradient"}}, "hessian"?: {input: {input: h}}}</c>,
/// doubles in shortest round-trip form. JSON has no infinity or NaN: ±∞ are written as the strings "Infinity" and
/// "-Infinity" (as System.Text.Json's AllowNamedFloatingPointLiterals and JavaScript's Number("Infinity") read them),
/// NaN (undefined) as null.
/// </summary>
internal static class JsonReport
{
    public static string Write(Calculation c)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("output", c.OutputName);
            Number(w, "value", c.Value);
            w.WriteStartObject("gradients");
            foreach (var i in c.Inputs) Number(w, i.Name, i.Gradient);
            w.WriteEndObject();
            w.WriteStartObject("intermediates");
            foreach (var i in c.Intermediates)
            {
                w.WriteStartObject(i.Name);
                Number(w, "value", i.Value);
                Number(w, "gradient", i.Gradient);
                w.WriteEndObject();
            }
            w.WriteEndObject();
            if (c.Hessian is { } h)
            {
                w.WriteStartObject("hessian");
                for (int r = 0; r < c.Inputs.Count; r++)
                {
                    w.WriteStartObject(c.Inputs[r].Name);
                    for (int k = 0; k < c.Inputs.Count; k++) Number(w, c.Inputs[k].Name, h[r, k]);
                    w.WriteEndObject();
                }
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Number(Utf8JsonWriter w, string name, double v)
    {
        if (double.IsFinite(v)) w.WriteNumber(name, v);
        else if (double.IsNaN(v)) w.WriteNull(name);
        else w.WriteString(name, v > 0 ? "Infinity" : "-Infinity");
    }
}
