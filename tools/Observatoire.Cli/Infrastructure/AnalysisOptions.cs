using System.CommandLine;
using Observatoire.Protos.V1;

namespace Observatoire.Cli.Infrastructure;

/// <summary>The area an analyst verb looks at: a level and, below the nation, a code.</summary>
public sealed record AreaSelection(AreaLevel Level, string Code)
{
    /// <summary>The contract's Area.</summary>
    public Area ToProto() => new() { Level = Level, Code = Code };

    /// <summary>"national", "département 09", "poste P-09-001".</summary>
    public override string ToString() =>
        Level == AreaLevel.National ? "national" : $"{AnalysisLabels.Level(Level)} {Code}";
}

/// <summary>Where and how an analyst verb writes its result.</summary>
/// <param name="Format">text, csv or json.</param>
/// <param name="Separator">CSV field separator.</param>
/// <param name="Path">Output file, or null for the standard output.</param>
public sealed record OutputTarget(string Format, char Separator, string? Path)
{
    /// <summary>Text tables on the standard output.</summary>
    public static OutputTarget Console { get; } = new(AnalysisOptions.Text, ';', null);
}

/// <summary>
/// The options shared by the analyst verbs (query, series, completeness, outliers, compare): --level, --code, --period,
/// --raw, --exclude-partial, --format text|csv|json, --separator, -o/--output. Each verb takes the subset it needs.
/// </summary>
public sealed class AnalysisOptions
{
    /// <summary>Value of --format for tables.</summary>
    public const string Text = "text";

    /// <summary>Value of --format for CSV.</summary>
    public const string Csv = "csv";

    /// <summary>Value of --format for protobuf JSON.</summary>
    public const string Json = "json";

    private AnalysisOptions()
    {
    }

    /// <summary>--level national|region|departement|poste (English aliases accepted), national by default.</summary>
    public Option<string> Level { get; } = CreateLevel();

    /// <summary>--code: region code, department code or post id.</summary>
    public Option<string> Code { get; } = new("--code", "-c")
    {
        Description = "Code de la zone : région (76), département (09, 2A, 971) ou identifiant du poste (P-09-001). Sans objet au niveau national.",
        HelpName = "CODE",
    };

    /// <summary>--period (required or not depending on the verb).</summary>
    public Option<string>? Period { get; private init; }

    /// <summary>--raw: raw figures instead of published ones.</summary>
    public Option<bool>? Raw { get; private init; }

    /// <summary>--exclude-partial: no value for partial figures.</summary>
    public Option<bool>? ExcludePartial { get; private init; }

    /// <summary>--format text|csv|json.</summary>
    public Option<string> Format { get; } = CreateFormat();

    /// <summary>--separator ';'|',' for CSV.</summary>
    public Option<string> Separator { get; } = CreateSeparator();

    /// <summary>-o/--output FILE.</summary>
    public Option<string> Output { get; } = new("--output", "-o")
    {
        Description = "Fichier de sortie (sinon la sortie standard). Un CSV est écrit en UTF-8 avec BOM, pour les tableurs.",
        HelpName = "FICHIER",
    };

    /// <summary>Creates the options of a verb.</summary>
    /// <param name="period">Whether the verb has --period.</param>
    /// <param name="periodRequired">Whether --period is required.</param>
    /// <param name="disclosure">Whether the verb has --raw and --exclude-partial.</param>
    public static AnalysisOptions Create(bool period = true, bool periodRequired = true, bool disclosure = true) => new()
    {
        Period = period
            ? new Option<string>("--period", "-p")
            {
                Description = "Période : 2025-03 (mois), 2025-T1 (trimestre) ou 2025 (année).",
                HelpName = "PÉRIODE",
                Required = periodRequired,
            }
            : null,
        Raw = disclosure
            ? new Option<bool>("--raw")
            {
                Description = "Chiffres bruts, sans secret statistique (réservés à l'administration nationale ; obligatoire au niveau poste). Défaut : chiffres publiables.",
            }
            : null,
        ExcludePartial = disclosure
            ? new Option<bool>("--exclude-partial")
            {
                Description = "Ne donne pas de valeur aux chiffres partiels (des grilles attendues manquent).",
            }
            : null,
    };

    /// <summary>Adds the options to a command.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(Level);
        command.Options.Add(Code);
        if (Period is not null)
        {
            command.Options.Add(Period);
        }

        if (Raw is not null)
        {
            command.Options.Add(Raw);
        }

        if (ExcludePartial is not null)
        {
            command.Options.Add(ExcludePartial);
        }

        command.Options.Add(Format);
        command.Options.Add(Separator);
        command.Options.Add(Output);
    }

    /// <summary>The area of the command line; throws a <see cref="UsageException"/> when level and code do not match.</summary>
    public AreaSelection Area(ParseResult parseResult)
    {
        var level = AnalysisLabels.TryParseLevel(parseResult.GetValue(Level), out var parsed) ? parsed : AreaLevel.National;
        var code = (parseResult.GetValue(Code) ?? "").Trim();
        if (level == AreaLevel.National)
        {
            if (code.Length > 0)
            {
                throw new UsageException(
                    $"--code {code} : précisez le niveau de la zone avec --level (region, departement ou poste) ; le niveau national n'a pas de code.");
            }

            return new AreaSelection(AreaLevel.National, "");
        }

        if (code.Length == 0)
        {
            var example = level switch
            {
                AreaLevel.Region => "76",
                AreaLevel.Department => "09",
                _ => "P-09-001",
            };
            throw new UsageException($"--code est obligatoire au niveau {AnalysisLabels.Level(level)} (par exemple --code {example}).");
        }

        // "9" stands for the department "09".
        if (level == AreaLevel.Department && code.Length == 1 && char.IsAsciiDigit(code[0]))
        {
            code = "0" + code;
        }

        return new AreaSelection(level, code.ToUpperInvariant());
    }

    /// <summary>The value of --period, trimmed (empty when absent).</summary>
    public string PeriodValue(ParseResult parseResult) =>
        Period is null ? "" : (parseResult.GetValue(Period) ?? "").Trim();

    /// <summary>The disclosure asked for: raw with --raw, publication otherwise.</summary>
    public Disclosure DisclosureValue(ParseResult parseResult) =>
        Raw is not null && parseResult.GetValue(Raw) ? Disclosure.Raw : Disclosure.Publication;

    /// <summary>Whether --exclude-partial was given.</summary>
    public bool ExcludePartialValue(ParseResult parseResult) =>
        ExcludePartial is not null && parseResult.GetValue(ExcludePartial);

    /// <summary>Where and how to write; throws a <see cref="UsageException"/> for --separator without --format csv.</summary>
    public OutputTarget Target(ParseResult parseResult)
    {
        var format = parseResult.GetValue(Format) ?? Text;
        var separatorResult = parseResult.GetResult(Separator);
        var separatorGiven = separatorResult is { Implicit: false };
        if (separatorGiven && format != Csv)
        {
            throw new UsageException("--separator ne s'applique qu'au format csv (ajoutez --format csv).");
        }

        var separator = ParseSeparator(parseResult.GetValue(Separator)) ?? ';';
        var output = parseResult.GetValue(Output);
        if (output is not null && string.IsNullOrWhiteSpace(output))
        {
            throw new UsageException("--output : nom de fichier vide.");
        }

        return new OutputTarget(format, separator, output);
    }

    private static Option<string> CreateLevel()
    {
        var option = new Option<string>("--level", "-l")
        {
            Description = "Niveau géographique : national, region, departement ou poste (region, department, post acceptés).",
            HelpName = AnalysisLabels.LevelHelp,
            DefaultValueFactory = _ => "national",
        };
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (!AnalysisLabels.TryParseLevel(value, out _))
            {
                result.AddError($"Niveau inconnu : « {value} » (attendu : national, region, departement ou poste).");
            }
        });
        return option;
    }

    private static Option<string> CreateFormat()
    {
        var option = new Option<string>("--format", "-f")
        {
            Description = "Format de sortie : text (tableaux), csv (une ligne par chiffre) ou json (JSON protobuf, noms de champs du contrat).",
            DefaultValueFactory = _ => Text,
            HelpName = "text|csv|json",
        };
        option.AcceptOnlyFromAmong(Text, Csv, Json);
        return option;
    }

    private static Option<string> CreateSeparator()
    {
        var option = new Option<string>("--separator")
        {
            Description = "Séparateur du CSV : « ; » (défaut, virgule décimale, pour un tableur français) ou « , » (point décimal).",
            HelpName = "';'|','",
            DefaultValueFactory = _ => ";",
        };
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (ParseSeparator(value) is null)
            {
                result.AddError($"Séparateur inconnu : « {value} » (attendu : « ; » ou « , »).");
            }
        });
        return option;
    }

    private static char? ParseSeparator(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        ";" or "semicolon" or "point-virgule" => ';',
        "," or "comma" or "virgule" => ',',
        "tab" or "\\t" or "\t" or "tabulation" => '\t',
        _ => null,
    };
}
