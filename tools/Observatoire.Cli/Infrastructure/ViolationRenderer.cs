using Observatoire.Protos.V1;
using Spectre.Console;

namespace Observatoire.Cli.Infrastructure;

/// <summary>
/// Shows rule violations one per line (greppable, never cut inside a code):
/// "ERREUR B_STATUT_SOMME personnes_recues[statut=*] : message (dans le commentaire : caractères 12 à 25)", indented.
/// </summary>
public static class ViolationRenderer
{
    /// <summary>
    /// Writes the violations, errors first, server order otherwise; nothing when there are none. <paramref name="locate"/>
    /// gives the place of a cell path in its file ("'Mars'!B12"), shown before the path.
    /// </summary>
    public static void Write(IAnsiConsole console, IEnumerable<Violation> violations, Func<string, string?>? locate = null)
    {
        foreach (var violation in violations.OrderBy(v => v.Severity == Severity.Error ? 0 : 1))
        {
            WriteIndented(console, Format(violation, locate));
        }
    }

    /// <summary>Writes a markup line indented by two spaces.</summary>
    public static void WriteIndented(IAnsiConsole console, string markup)
    {
        console.MarkupLine("  " + markup);
    }

    /// <summary>The markup line of one violation.</summary>
    public static string Format(Violation violation, Func<string, string?>? locate = null)
    {
        var style = Labels.SeverityStyle(violation.Severity);
        var line = $"[{style}]{Labels.Severity(violation.Severity)}[/]";
        if (!string.IsNullOrEmpty(violation.RuleCode))
        {
            line += $" [bold]{Markup.Escape(violation.RuleCode)}[/]";
        }

        if (locate?.Invoke(violation.Path) is { Length: > 0 } place)
        {
            line += $" [bold cyan]{Markup.Escape(place)}[/]";
        }

        if (!string.IsNullOrEmpty(violation.Path))
        {
            line += $" [cyan]{Markup.Escape(violation.Path)}[/]";
        }

        line += $" : {Markup.Escape(violation.Message)}";
        if (!string.IsNullOrEmpty(violation.MatchedText))
        {
            line += $" [{style}](dans le commentaire : {Markup.Escape(violation.MatchedText)})[/]";
        }

        return line;
    }

    /// <summary>"✓" or "+" depending on the console's Unicode support.</summary>
    public static string Ok(IAnsiConsole console) => console.Profile.Capabilities.Unicode ? "✓" : "+";

    /// <summary>"✗" or "x" depending on the console's Unicode support.</summary>
    public static string Ko(IAnsiConsole console) => console.Profile.Capabilities.Unicode ? "✗" : "x";
}
