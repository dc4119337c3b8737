using System.Text;
using Google.Protobuf;
using Spectre.Console;

namespace Observatoire.Cli.Infrastructure;

/// <summary>
/// Writes an analyst verb's result where the command line says: text tables, CSV or JSON, on the standard output or in
/// a file (-o). CSV files start with a UTF-8 byte order mark so that a spreadsheet reads the accents correctly.
/// </summary>
public sealed class ReportWriter(CliContext context, OutputTarget target)
{
    private static readonly UTF8Encoding Utf8WithBom = new(encoderShouldEmitUTF8Identifier: true);
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The target.</summary>
    public OutputTarget Target => target;

    /// <summary>Writes a message as protobuf JSON; returns the exit code.</summary>
    public int Json(IMessage message) =>
        WriteText(CommonOptions.JsonFormatter.Format(message) + Environment.NewLine, Utf8NoBom, null);

    /// <summary>Writes a CSV table; returns the exit code.</summary>
    public int Csv(CsvTable table)
    {
        var text = table.ToString();
        if (target.Path is null && context.Settings.CsvByteOrderMarkOnStandardOutput)
        {
            text = "\uFEFF" + text;
        }

        return WriteText(text, Utf8WithBom, table.RowCount);
    }

    /// <summary>Renders text (tables, trees) on the output console, or without colours in the output file.</summary>
    public int Text(Action<IAnsiConsole> render)
    {
        if (target.Path is null)
        {
            render(context.Console);
            return ExitCodes.Success;
        }

        using var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = context.Settings.FileReportWidth;
        console.Profile.Capabilities.Unicode = true;
        render(console);
        return WriteText(writer.ToString(), Utf8NoBom, null);
    }

    private int WriteText(string text, Encoding fileEncoding, int? rows)
    {
        if (target.Path is not { } path)
        {
            context.WriteRaw(text);
            return ExitCodes.Success;
        }

        try
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            File.WriteAllText(path, text, fileEncoding);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            context.Error.MarkupLineInterpolated($"[red]Écriture impossible dans « {path} » :[/] {ex.Message}");
            return ExitCodes.Rejected;
        }

        var what = rows is { } count ? $" ({Labels.Count(count, "ligne", "lignes")})" : "";
        context.Console.MarkupLineInterpolated($"[green]{ViolationRenderer.Ok(context.Console)}[/] Résultat écrit dans {path}{what}.");
        return ExitCodes.Success;
    }
}
