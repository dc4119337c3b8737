using System.Security.Cryptography;
using System.Text;
using Observatoire.Core.Periods;
using Observatoire.Core.Schemas;
using Observatoire.Core.Validation;

namespace Observatoire.Core.Tests;

/// <summary>
/// The shortcuts validation takes for the common grid (canonical keys read in any order, engines skipped when a
/// comment cannot match them, stored grids read by index, the content hash written as bytes) answer exactly as the
/// general path, on random and hostile grids.
/// </summary>
public class ValidationFastPathTests
{
    private static readonly SchemaCatalog Catalog = SchemaCatalog.LoadEmbedded();
    private static readonly GridSchema Schema = Catalog.Latest;
    private static readonly GridValidator Validator = new(Catalog);

    private static readonly string[] Comments =
    [
        "",
        "Grille simulée (observatoire simulate, graine 1).",
        "RAS",
        "rappeler le 06 12 34 56 78",
        "NIR 1 85 03 75 123 456 78 et 06.12.34.56.78",
        "185037512345678",
        "né le 12/03/1985, 12 rue de la Paix",
        "née en 1990",
        "3 bis avenue Foch",
        "12\u00a0rue des Lilas",
        "12\u2003rue des Lilas",
        "\u0661\u0662 rue des Lilas",
        "contact: marie.dupont@gmail.com",
        "1 2 3 4 5 6 7 8 9 0 1 2",
        "+33 6 12 34 56 78",
        "\ud800 lone surrogate 12 rue X",
        "reçu Mme DUPONT, puis M. le Préfet et Mme X.",
        "nom : Martin ; PRENOM=Léa",
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Fast_paths_never_change_an_outcome(int seed)
    {
        var random = new Random(seed);
        var (valid, warned, refused) = (0, 0, 0);
        for (var round = 0; round < 300; round++)
        {
            // Half the grids as a client usually sends them (canonical, consistent, a plain comment), the rest broken.
            var clean = random.Next(2) == 0;
            var values = clean ? SampleGrids.ValidValues() : RandomValues(random);
            var comment = clean ? Comments[random.Next(3)] : RandomComment(random);
            var grid = SampleGrids.Grid(values, comment: comment);

            var scale = random.Next(1, 4) * 10;
            var history = Enumerable.Range(0, random.Next(0, 14))
                .Select(_ => Schema.Layout.Cells.Select(_ => random.Next(4) == 0 ? 0 : random.Next(0, scale)).ToArray())
                .ToList();
            var asViews = new ValidationContext(SampleGrids.Today, SampleGrids.MonthlyPost, [.. history.Select(h => (IReadOnlyDictionary<string, long>)new CellValues(Schema, h))]);
            var asDictionaries = new ValidationContext(SampleGrids.Today, SampleGrids.MonthlyPost, [.. history.Select(h => NormalizedGrid.ToValues(Schema, h))]);

            var fast = Validator.Validate(grid, asViews);
            var general = Validator.Validate(grid, asDictionaries, fastPaths: false);

            Assert.Equal(Describe(general), Describe(fast));
            Assert.Equal(general.Grid?.ContentHash, fast.Grid?.ContentHash);
            Assert.Equal(general.Grid?.Cells, fast.Grid?.Cells);
            valid += fast.IsValid ? 1 : 0;
            warned += fast.Warnings.Any() ? 1 : 0;
            refused += fast.IsValid ? 0 : 1;
        }

        // The random grids must take both paths: accepted (with and without warnings) and refused.
        Assert.True(valid > 20 && warned > 20 && refused > 20, $"{valid} valid, {warned} with warnings, {refused} refused");
    }

    [Fact]
    public void Skipping_engines_never_changes_a_finding()
    {
        var random = new Random(7);
        var texts = Comments.Concat(Enumerable.Range(0, 2_000).Select(_ => RandomComment(random)));
        foreach (var text in texts)
        {
            Assert.Equal(AnonymityGuard.Scan(text, prefilter: false), AnonymityGuard.Scan(text));
        }
    }

    [Fact]
    public void The_content_hash_is_the_hash_of_the_canonical_text()
    {
        var random = new Random(11);
        string[] posts = ["P-09-001", "P-é-\ud83d\ude00", "P-\ud800", "P-\udc00x", ""];
        for (var round = 0; round < 200; round++)
        {
            var cells = Schema.Layout.Cells.Select(_ => random.Next(5) switch
            {
                0 => 0,
                1 => -random.Next(),
                2 => int.MaxValue,
                _ => random.Next(0, 1_000),
            }).ToArray();
            var post = posts[random.Next(posts.Length)];
            var comment = random.Next(3) == 0 ? null : RandomComment(random);
            var period = random.Next(2) == 0 ? Period.Parse("2025-03") : Period.Parse("2024");

            var grid = new NormalizedGrid(post, period, Schema, cells, comment);

            Assert.Equal(ReferenceHash(grid), grid.ContentHash);
        }
    }

    [Fact]
    public void A_whole_number_in_a_message_is_written_exactly_even_beyond_a_double_s_precision()
    {
        foreach (var value in new[] { 4_611_686_018_427_387_904L, long.MaxValue, long.MinValue + 1, 9_007_199_254_740_993L, 12L })
        {
            var message = MessageTemplate.Format("La valeur {value} est refusée.", [("value", value)]);

            Assert.Equal(value.ToString(System.Globalization.CultureInfo.InvariantCulture), new string([.. message.Where(c => char.IsAsciiDigit(c) || c == '-')]));
        }
    }

    [Fact]
    public void Messages_are_formatted_as_the_regular_expression_did()
    {
        (string, object?)[] arguments = [("value", 12L), ("max", 3), ("max", 2.5), ("period", "2025-\u0001"), ("none", null), ("cell", "a{value}")];
        var templates = Schema.Checks.Select(c => c.Message)
            .Concat(Schema.Rules.Select(r => r.Message))
            .Concat(Schema.YearlyBilan?.Coherence.Select(c => c.Message) ?? [])
            .Concat(["", "{", "}", "{}", "{{value}}", "{value", "value}", "{Value}", "{ab{max}", "{inconnu} {max}", "{none}{cell}{period}", "x{value}y{max}z", "{max_}", "{_}"]);
        foreach (var template in templates)
        {
            Assert.Equal(MessageTemplate.FormatByRegex(template, arguments), MessageTemplate.Format(template, arguments));
        }
    }

    private static Dictionary<string, long> RandomValues(Random random)
    {
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (key, value) in SampleGrids.ValidValues().OrderBy(_ => random.Next()))
        {
            switch (random.Next(40))
            {
                case 0:
                    break; // missing
                case 1:
                    values[key.Replace("=", " = ", StringComparison.Ordinal)] = value; // another spelling
                    values[key] = value + 1;
                    break;
                case 2:
                    values[key + "x"] = value;
                    break;
                case 3:
                    values[key] = random.Next(2) == 0 ? -1 : long.MaxValue;
                    break;
                case 4:
                    values[key.Contains('[') ? key[..key.IndexOf('[')] + "[statut=*]" : key.ToUpperInvariant()] = value;
                    break;
                default:
                    values[key] = random.Next(6) == 0 ? random.Next(0, 2_000) : value;
                    break;
            }
        }

        return values;
    }

    private static string RandomComment(Random random)
    {
        if (random.Next(3) == 0)
        {
            return Comments[random.Next(Comments.Length)];
        }

        string[] pieces = ["1", "12", "06", " ", "\u00a0", "-", ".", "/", "rue", "né", "le", "naissance", "1985", "2A", "+33", "@", "a", "bis", "\u0663", "mars", ",", "\n", "\ud800", "Mme", "M.", "Dupont", "nom", ":", "Madame", "X"];
        var text = new StringBuilder();
        for (var i = random.Next(0, 30); i > 0; i--)
        {
            text.Append(pieces[random.Next(pieces.Length)]);
        }

        return text.ToString();
    }

    private static List<string> Describe(ValidationResult result) =>
        [.. result.Violations.Select(v => $"{v.RuleCode}|{v.Path}|{v.Message}|{v.Severity}|{v.MatchedText}")];

    // The hash as it was first written: the canonical text built as a string, then encoded at once.
    private static string ReferenceHash(NormalizedGrid grid)
    {
        var text = new StringBuilder()
            .Append("schema=").Append(grid.Schema.Version).Append('\n')
            .Append("post=").Append(grid.PostId).Append('\n')
            .Append("period=").Append(grid.Period).Append('\n');
        foreach (var cell in grid.Schema.Layout.CellsByKey)
        {
            var value = grid.Cells[cell.Index];
            if (cell.IsTotal || value != 0)
            {
                text.Append(cell.Key).Append('=').Append(value).Append('\n');
            }
        }

        text.Append("comment=").Append(grid.Comment);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
