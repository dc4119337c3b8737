using Observatoire.Core.Registry;
using Observatoire.Core.Schemas;
using Observatoire.Core.Validation;

namespace Observatoire.Core.Tests;

public class GridValidatorTests
{
    private static readonly GridValidator Validator = new(SchemaCatalog.LoadEmbedded());

    private static ValidationResult Validate(GridInput grid, ValidationContext? context = null) =>
        Validator.Validate(grid, context ?? SampleGrids.Context);

    private static Violation Single(ValidationResult result, string code) =>
        Assert.Single(result.Violations, v => v.RuleCode == code);

    [Fact]
    public void Valid_grid_has_no_violation_and_a_canonical_form()
    {
        var result = Validate(SampleGrids.Grid());

        Assert.Empty(result.Violations);
        Assert.True(result.IsValid);
        Assert.Equal(40, result.Grid!.Values["personnes_recues"]);
        Assert.Equal(64, result.Grid.ContentHash.Length);
    }

    public static TheoryData<string, string, Action<Dictionary<string, long>>> BrokenGrids => new()
    {
        { "B_STATUT_SOMME", "personnes_recues[statut=*]", v => v["personnes_recues[statut=victime]"] += 1 },
        { "B_SEXE_AGE_SOMME", "personnes_recues[sexe=*,tranche_age=*]", v => v["personnes_recues[sexe=femme,tranche_age=26_40]"] -= 1 },
        { "D_ORIGINE_SOMME", "personnes_nouvelles[origine=*]", v => v["personnes_nouvelles[origine=justice]"] = 2 },
        { "H_CONNU_SOMME", "personnes_nouvelles[connu_services_sociaux=*]", v => v.Remove("personnes_nouvelles[connu_services_sociaux=oui]") },
        { "E_MODALITES_SOMME", "entretiens[modalite=*]", v => v["entretiens"] = 71 },
        { "A_NOUVELLES_INFERIEURES_RECUES", "personnes_nouvelles", v => v["personnes_recues"] = 20 },
        { "VALEUR_HORS_BORNES", "signalements_procureur", v => v["signalements_procureur"] = -1 },
        { "VALEUR_HORS_BORNES", "accompagnements_physiques", v => v["accompagnements_physiques"] = 100_001 },
        { "INDICATEUR_INCONNU", "personnes_agees", v => v["personnes_agees"] = 3 },
        { "OPTION_INCONNUE", "personnes_recues[statut=temoin]", v => v["personnes_recues[statut=temoin]"] = 0 },
        { "OPTION_INCONNUE", "personnes_recues[sexe=femme]", v => v["personnes_recues[sexe=femme]"] = 0 },
        { "OPTION_INCONNUE", "problematiques", v => v["problematiques"] = 12 },
        { "CELLULE_MAL_FORMEE", "personnes_recues[statut victime]", v => v["personnes_recues[statut victime]"] = 0 },
        { "CELLULE_MAL_FORMEE", "personnes_recues[statut=*]", v => v["personnes_recues[statut=*]"] = 40 },
        { "TOTAL_MANQUANT", "file_active_fin", v => v.Remove("file_active_fin") },
    };

    [Theory]
    [MemberData(nameof(BrokenGrids))]
    public void Error_rule_fires_on_a_grid_built_to_break_it(string code, string path, Action<Dictionary<string, long>> breakIt)
    {
        var result = Validate(SampleGrids.With(breakIt));

        var violation = Single(result, code);
        Assert.Equal(path, violation.Path);
        Assert.Equal(Severity.Error, violation.Severity);
        Assert.False(result.IsValid);
        Assert.DoesNotContain("{", violation.Message);
    }

    [Fact]
    public void Sum_rule_message_gives_both_sides()
    {
        var result = Validate(SampleGrids.With(v => v["personnes_recues[statut=victime]"] = 29));

        Assert.Equal(
            "La somme des personnes reçues par statut (41) doit être égale au nombre de personnes reçues (40).",
            Single(result, "B_STATUT_SOMME").Message);
    }

    [Fact]
    public void Missing_total_does_not_also_raise_the_sums_that_use_it()
    {
        var result = Validate(SampleGrids.With(v => v.Remove("personnes_recues")));

        Assert.Equal(["TOTAL_MANQUANT"], result.Violations.Select(v => v.RuleCode));
    }

    [Fact]
    public void Fewer_interviews_than_persons_is_a_warning_and_the_grid_is_accepted()
    {
        var result = Validate(SampleGrids.With(v =>
        {
            v["entretiens"] = 30;
            v["entretiens[modalite=physique]"] = 5;
        }));

        var warning = Single(result, "A_ENTRETIENS_INFERIEURS_PERSONNES");
        Assert.Equal(Severity.Warning, warning.Severity);
        Assert.True(result.IsValid);
    }

    [Fact]
    public void Child_protection_alert_without_a_minor_in_danger_is_a_warning()
    {
        var result = Validate(SampleGrids.With(v => v.Remove("problematiques[problematique=mineur_en_danger]")));

        Assert.Equal(Severity.Warning, Single(result, "G_IP_SANS_MINEUR_EN_DANGER").Severity);
        Assert.True(result.IsValid);
    }

    [Fact]
    public void Unknown_post_is_refused()
    {
        var result = Validate(SampleGrids.Grid(), ValidationContext.For(SampleGrids.Today, null));

        Assert.Equal("post_id", Single(result, "POSTE_INCONNU").Path);
    }

    [Theory]
    [InlineData("2025-04-01", null)]
    [InlineData("2019-01-01", "2025-02-28")]
    public void Post_inactive_on_the_period_is_refused(string from, string? to)
    {
        var post = new PostContext("P-09-001", ReportingFrequency.Month, DateOnly.Parse(from), to is null ? null : DateOnly.Parse(to));

        var result = Validate(SampleGrids.Grid(), ValidationContext.For(SampleGrids.Today, post));

        Single(result, "POSTE_INACTIF");
    }

    [Fact]
    public void Period_that_has_not_ended_is_refused()
    {
        var result = Validate(SampleGrids.Grid(period: "2025-06"));

        Assert.Equal("period", Single(result, "PERIODE_FUTURE").Path);
    }

    [Fact]
    public void Malformed_period_is_refused()
    {
        var result = Validate(SampleGrids.Grid(period: "2025-3"));

        Single(result, "PERIODE_INVALIDE");
    }

    [Fact]
    public void Quarter_from_a_monthly_post_is_refused()
    {
        var result = Validate(SampleGrids.Grid(period: "2025-T1"));

        Assert.Contains("mois", Single(result, "PERIODE_FREQUENCE").Message);
    }

    [Theory]
    [InlineData("2031.1", "2025-03")]
    [InlineData("2025.1", "2016-03")]
    public void Schema_version_that_does_not_cover_the_period_is_refused(string version, string period)
    {
        var post = new PostContext("P-09-001", ReportingFrequency.Month, new DateOnly(2010, 1, 1), null);

        var result = Validate(SampleGrids.Grid(version: version, period: period), ValidationContext.For(SampleGrids.Today, post));

        Assert.Equal("schema_version", Single(result, "VERSION_SCHEMA").Path);
    }

    [Fact]
    public void Comment_longer_than_the_limit_is_refused()
    {
        var result = Validate(SampleGrids.Grid(comment: new string('a', 2_001)));

        Single(result, "COMMENTAIRE_TROP_LONG");
        Assert.True(Validate(SampleGrids.Grid(comment: new string('a', 2_000))).IsValid);
    }

    [Theory]
    [InlineData("Contact : marie.dupont@gmail.com pour suivi", "ANONYMAT_EMAIL", "marie.dupont@gmail.com")]
    [InlineData("rappeler au 06 12 34 56 78 demain", "ANONYMAT_TELEPHONE", "06 12 34 56 78")]
    [InlineData("joignable au +33 6 12 34 56 78", "ANONYMAT_TELEPHONE", "+33 6 12 34 56 78")]
    [InlineData("tel 0612345678", "ANONYMAT_TELEPHONE", "0612345678")]
    [InlineData("NIR 2 85 03 75 112 345 67 transmis", "ANONYMAT_NIR", "2 85 03 75 112 345 67")]
    [InlineData("numéro 185037511234567", "ANONYMAT_NIR", "185037511234567")]
    [InlineData("victime née le 12/03/1985", "ANONYMAT_DATE_NAISSANCE", "née le 12/03/1985")]
    [InlineData("mineur né le 3 mars 2012", "ANONYMAT_DATE_NAISSANCE", "né le 3 mars 2012")]
    [InlineData("date de naissance : 1990-07-14", "ANONYMAT_DATE_NAISSANCE", "naissance : 1990-07-14")]
    [InlineData("domiciliée 12 rue des Lilas à Foix", "ANONYMAT_ADRESSE", "12 rue des Lilas à Foix")]
    [InlineData("hébergé au 4 bis avenue Jean Jaurès", "ANONYMAT_ADRESSE", "4 bis avenue Jean Jaurès")]
    [InlineData("victime née le ١٢/٠٣/١٩٨٥", "ANONYMAT_DATE_NAISSANCE", "née le ١٢/٠٣/١٩٨٥")]
    [InlineData("écrire à marie＠gmail.com", "ANONYMAT_EMAIL", "marie＠gmail.com")]
    [InlineData("écrire à marie.dupont\u200B@gmail\u00AD.com", "ANONYMAT_EMAIL", "marie.dupont\u200B@gmail\u00AD.com")]
    [InlineData("écrire à marie.dupont (at) gmail (dot) com", "ANONYMAT_EMAIL", "marie.dupont (at) gmail (dot) com")]
    [InlineData("rappeler au 06/12/34/56/78", "ANONYMAT_TELEPHONE", "06/12/34/56/78")]
    [InlineData("rappeler au 06_12_34_56_78", "ANONYMAT_TELEPHONE", "06_12_34_56_78")]
    [InlineData("rappeler au 0 6 1 2 3 4 5 6 7 8", "ANONYMAT_TELEPHONE", "0 6 1 2 3 4 5 6 7 8")]
    [InlineData("rappeler au ０６ １２ ３４ ５６ ７８", "ANONYMAT_TELEPHONE", "０６ １２ ３４ ５６ ７８")]
    [InlineData("rappeler au 06\u200B12\u200B34\u200B56\u200B78", "ANONYMAT_TELEPHONE", "06\u200B12\u200B34\u200B56\u200B78")]
    [InlineData("DOB 1985-03-12", "ANONYMAT_DATE_NAISSANCE", "DOB 1985-03-12")]
    [InlineData("jeune femme née en 85", "ANONYMAT_DATE_NAISSANCE", "née en 85")]
    [InlineData("victime ne\u0301e le 12/03/1985", "ANONYMAT_DATE_NAISSANCE", "ne\u0301e le 12/03/1985")]
    [InlineData("reçu Mme DUPONT pour un dépôt de plainte", "ANONYMAT_NOM", "Mme DUPONT")]
    [InlineData("accompagnement de M. Martin au tribunal", "ANONYMAT_NOM", "M. Martin")]
    [InlineData("entretien avec madame Léa-Marie ce jour", "ANONYMAT_NOM", "madame Léa-Marie")]
    [InlineData("orientée par Me Durand, avocate", "ANONYMAT_NOM", "Me Durand")]
    [InlineData("fiche : nom de famille : Lefèvre", "ANONYMAT_NOM", "nom de famille : Lefèvre")]
    [InlineData("PRENOM=Kevin", "ANONYMAT_NOM", "PRENOM=Kevin")]
    [InlineData("Mme\u200B Dupont vue deux fois", "ANONYMAT_NOM", "Mme\u200B Dupont")]
    public void Comment_with_personal_data_is_refused_with_its_location_and_never_its_text(string comment, string code, string span)
    {
        var result = Validate(SampleGrids.Grid(comment: comment));

        var violation = Single(result, code);
        var start = comment.IndexOf(span, StringComparison.Ordinal);
        Assert.Equal($"caractères {start + 1} à {start + span.Length}", violation.MatchedText);
        Assert.Equal("comment", violation.Path);
        Assert.DoesNotContain(span, violation.Message);
        Assert.False(result.IsValid);
        var found = Assert.Single(AnonymityGuard.Scan(comment), s => s.Kind.ToString() == SchemaKind(code));
        Assert.Equal(span, comment.Substring(found.Index, found.Length));
    }

    private static string SchemaKind(string code) => code switch
    {
        "ANONYMAT_EMAIL" => "PersonalDataEmail",
        "ANONYMAT_TELEPHONE" => "PersonalDataPhone",
        "ANONYMAT_NIR" => "PersonalDataNir",
        "ANONYMAT_DATE_NAISSANCE" => "PersonalDataBirthDate",
        "ANONYMAT_NOM" => "PersonalDataName",
        _ => "PersonalDataAddress",
    };

    [Theory]
    [InlineData("Hausse des violences conjugales en mars ; 3 réunions partenariales avec le CIDFF.")]
    [InlineData("Permanence le 14/03/2025 au commissariat, 12 personnes reçues, 2025 année chargée.")]
    [InlineData("Poste vacant 2 semaines ; 15 orientations vers le 115.")]
    [InlineData("Taux de 12,5 % ; 40 entretiens sur 3 communes.")]
    [InlineData("Réunion avec M. le Préfet, Mme la Procureure et M. Le Maire ; suivi de Mme X. et de M. XX.")]
    [InlineData("Rencontre avec le Commissaire ; nom du dispositif : Accueil de jour ; Madame La Directrice du CIDFF.")]
    [InlineData("Budget de 1,2 M Euros ; Mme la Substitute ; Monsieur le Sous-Préfet.")]
    public void Ordinary_activity_comment_is_accepted(string comment)
    {
        var result = Validate(SampleGrids.Grid(comment: comment));

        Assert.Empty(result.Violations);
    }

    [Fact]
    public void Value_five_times_the_post_median_is_a_warning_once_there_is_enough_history()
    {
        var history = Enumerable.Range(0, 6)
            .Select(i => (IReadOnlyDictionary<string, long>)new Dictionary<string, long> { ["signalements_procureur"] = i % 2 == 0 ? 1 : 2 })
            .ToList();
        var grid = SampleGrids.With(v => v["signalements_procureur"] = 8);

        var withHistory = Validate(grid, SampleGrids.Context with { History = history });
        var shortHistory = Validate(grid, SampleGrids.Context with { History = history.Take(5).ToList() });

        var warning = Single(withHistory, "VALEUR_ATYPIQUE");
        Assert.Equal("signalements_procureur", warning.Path);
        Assert.True(withHistory.IsValid);
        Assert.DoesNotContain(shortHistory.Violations, v => v.RuleCode == "VALEUR_ATYPIQUE");
        Assert.DoesNotContain(Validate(SampleGrids.With(v => v["signalements_procureur"] = 7), SampleGrids.Context with { History = history }).Violations, v => v.RuleCode == "VALEUR_ATYPIQUE");
    }

    [Fact]
    public void A_multi_valued_indicator_is_judged_on_the_sum_of_its_options()
    {
        var history = Enumerable.Range(0, 6)
            .Select(_ => (IReadOnlyDictionary<string, long>)new Dictionary<string, long>
            {
                ["problematiques[problematique=violences_conjugales]"] = 10,
                ["problematiques[problematique=disparition_fugue]"] = 1,
            })
            .ToList();
        var context = SampleGrids.Context with { History = history };

        // One small option jumping from 1 to 9 is noise; the indicator as a whole (11 -> 34+) is not far from its median.
        var oneOption = Validate(SampleGrids.With(v => v["problematiques[problematique=disparition_fugue]"] = 9), context);
        var whole = Validate(SampleGrids.With(v => v["problematiques[problematique=violences_conjugales]"] = 60), context);

        Assert.DoesNotContain(oneOption.Violations, v => v.RuleCode == "VALEUR_ATYPIQUE");
        Assert.Equal("problematiques", Single(whole, "VALEUR_ATYPIQUE").Path);
    }

    [Fact]
    public void All_violations_are_reported_at_once()
    {
        var result = Validate(SampleGrids.With(
            v =>
            {
                v["personnes_recues[statut=victime]"] = 0;
                v["entretiens"] = -3;
                v["inconnu"] = 1;
            },
            comment: "mail a@b.fr"));

        Assert.Superset(
            new HashSet<string> { "B_STATUT_SOMME", "VALEUR_HORS_BORNES", "INDICATEUR_INCONNU", "ANONYMAT_EMAIL", "E_MODALITES_SOMME" },
            result.Violations.Select(v => v.RuleCode).ToHashSet());
    }

    [Fact]
    public void Content_hash_ignores_key_order_dimension_order_and_explicit_zero_cells()
    {
        var plain = Validate(SampleGrids.Grid()).Grid!;
        var reordered = SampleGrids.ValidValues();
        reordered.Remove("personnes_recues[sexe=femme,tranche_age=26_40]");
        reordered["personnes_recues[tranche_age=26_40,sexe=femme]"] = 20;
        reordered["orientations[orientation=logement]"] = 0;

        var other = Validate(SampleGrids.Grid(reordered)).Grid!;

        Assert.Equal(plain.ContentHash, other.ContentHash);
        Assert.NotEqual(plain.ContentHash, Validate(SampleGrids.Grid(comment: "x")).Grid!.ContentHash);
    }
}
