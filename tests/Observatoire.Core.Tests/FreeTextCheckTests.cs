using Observatoire.Core.Schemas;
using Observatoire.Core.Validation;

namespace Observatoire.Core.Tests;

public class FreeTextCheckTests
{
    private static readonly GridSchema Schema = SchemaCatalog.LoadEmbedded().Find("2025.1")!;

    [Fact]
    public void Personal_data_in_a_bilan_text_gets_the_comment_codes_and_messages_on_the_given_field()
    {
        var violations = FreeTextCheck.Check("Écrire à marie.dupont@exemple.fr ou appeler le 01 23 45 67 89.", Schema, "texte");

        Assert.Equal(["ANONYMAT_EMAIL", "ANONYMAT_TELEPHONE"], violations.Select(v => v.RuleCode).Order());
        Assert.All(violations, v => Assert.Equal(("texte", Severity.Error), (v.Path, v.Severity)));
        // Located, never echoed: the personal data does not travel back in the answer.
        Assert.All(violations, v => Assert.StartsWith("caractères", v.MatchedText));
        Assert.All(violations, v => Assert.DoesNotContain("@", (v.MatchedText ?? "") + v.Message));
    }

    [Fact]
    public void A_flood_of_combining_marks_is_refused_on_its_bytes()
    {
        // Few characters as a reader counts them, but far more bytes than the limit allows.
        var flood = "e" + new string('\u0301', FreeTextCheck.MaxBytes);

        var refused = Assert.Single(FreeTextCheck.Check(flood, Schema, "texte"));

        Assert.Equal("COMMENTAIRE_TROP_LONG", refused.RuleCode);
        Assert.DoesNotContain("{", refused.Message);
    }

    [Fact]
    public void Plain_text_passes_and_an_overlong_text_is_refused_before_scanning()
    {
        Assert.Empty(FreeTextCheck.Check("Une année de partenariats consolidés avec 12 structures.", Schema, "texte"));

        var overlong = Assert.Single(FreeTextCheck.Check(new string('a', FreeTextCheck.MaxLength + 1) + " x@y.fr", Schema, "texte"));
        Assert.Equal("COMMENTAIRE_TROP_LONG", overlong.RuleCode);
        Assert.DoesNotContain("{", overlong.Message);
    }
}
