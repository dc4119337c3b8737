using System.CommandLine;
using System.Globalization;
using Google.Protobuf.WellKnownTypes;

namespace Observatoire.Cli.Infrastructure;

/// <summary>Which figures a read asks for: today's, those as of an instant (--as-of), or an edition's (--edition, read at its cut-off).</summary>
public sealed record FigureInstant(Timestamp? AsOf, string? Edition)
{
    /// <summary>Today's figures.</summary>
    public static FigureInstant Today { get; } = new(null, null);

    /// <summary>The --as-of and --edition options of a verb that reads figures.</summary>
    public sealed class Options
    {
        /// <summary>--as-of INSTANT (ISO 8601).</summary>
        public Option<string> AsOf { get; } = new("--as-of")
        {
            Description = "Les chiffres tels qu'ils étaient à cet instant (ISO 8601, par exemple 2026-03-31T12:00:00Z ; sans fuseau : UTC) : " +
                          "seules les grilles et révisions reçues jusque-là comptent. Défaut : les chiffres d'aujourd'hui.",
            HelpName = "INSTANT",
        };

        /// <summary>--edition NAME.</summary>
        public Option<string> Edition { get; } = new("--edition")
        {
            Description = "Les chiffres d'une édition publiée (observatoire editions), par exemple 2026-03 : lus à sa date d'arrêt, ils redonnent ses fichiers à l'identique.",
            HelpName = "ÉDITION",
        };

        /// <summary>Adds both options to a command.</summary>
        public void AddTo(Command command)
        {
            command.Options.Add(AsOf);
            command.Options.Add(Edition);
        }

        /// <summary>The choice of the command line; throws a <see cref="UsageException"/> for both options or an unreadable instant.</summary>
        public FigureInstant Of(ParseResult parseResult)
        {
            var asOf = parseResult.GetValue(AsOf);
            var edition = parseResult.GetValue(Edition)?.Trim();
            if (asOf is not null && edition is not null)
            {
                throw new UsageException("--as-of et --edition s'excluent : une édition a sa propre date d'arrêt.");
            }

            if (edition is { Length: 0 })
            {
                throw new UsageException("--edition : nom vide (par exemple --edition 2026-03).");
            }

            return new FigureInstant(asOf is null ? null : Parse(asOf), edition);
        }
    }

    /// <summary>An ISO 8601 instant; without an offset it is UTC.</summary>
    public static Timestamp Parse(string text) =>
        DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant)
            ? Timestamp.FromDateTimeOffset(instant)
            : throw new UsageException($"--as-of : « {text} » n'est pas un instant ISO 8601 (par exemple 2026-03-31T12:00:00Z).");
}
