using Observatoire.Core.Registry;
using Observatoire.Core.Validation;

namespace Observatoire.Core.Tests;

/// <summary>Grids built for tests: a valid one, and helpers to break it.</summary>
public static class SampleGrids
{
    public static readonly DateOnly Today = new(2025, 6, 20);

    public static PostContext MonthlyPost => new("P-09-001", ReportingFrequency.Month, new DateOnly(2020, 1, 1), null);

    public static ValidationContext Context => ValidationContext.For(Today, MonthlyPost);

    /// <summary>A consistent monthly grid for March 2025.</summary>
    public static Dictionary<string, long> ValidValues() => new()
    {
        ["personnes_recues"] = 40,
        ["personnes_recues[statut=victime]"] = 28,
        ["personnes_recues[statut=mis_en_cause]"] = 5,
        ["personnes_recues[statut=entourage]"] = 6,
        ["personnes_recues[statut=autre]"] = 1,
        ["personnes_recues[sexe=femme,tranche_age=26_40]"] = 20,
        ["personnes_recues[sexe=femme,tranche_age=41_60]"] = 8,
        ["personnes_recues[sexe=homme,tranche_age=26_40]"] = 7,
        ["personnes_recues[sexe=homme,tranche_age=13_17]"] = 3,
        ["personnes_recues[sexe=non_renseigne,tranche_age=non_renseigne]"] = 2,
        ["personnes_nouvelles"] = 25,
        ["personnes_nouvelles[origine=police_nationale]"] = 15,
        ["personnes_nouvelles[origine=auto_saisine]"] = 6,
        ["personnes_nouvelles[origine=demarche_spontanee]"] = 4,
        ["personnes_nouvelles[connu_services_sociaux=oui]"] = 10,
        ["personnes_nouvelles[connu_services_sociaux=non]"] = 12,
        ["personnes_nouvelles[connu_services_sociaux=ne_sait_pas]"] = 3,
        ["file_active_fin"] = 55,
        ["entretiens"] = 70,
        ["entretiens[modalite=physique]"] = 45,
        ["entretiens[modalite=telephonique]"] = 20,
        ["entretiens[modalite=visite_domicile_hopital]"] = 5,
        ["accompagnements_physiques"] = 4,
        ["problematiques[problematique=violences_conjugales]"] = 22,
        ["problematiques[problematique=mineur_en_danger]"] = 3,
        ["problematiques[problematique=detresse_sociale]"] = 9,
        ["orientations[orientation=aide_aux_victimes]"] = 14,
        ["orientations[orientation=ase_crip]"] = 2,
        ["informations_preoccupantes"] = 2,
        ["signalements_procureur"] = 1,
    };

    public static GridInput Grid(Dictionary<string, long>? values = null, string period = "2025-03", string? comment = null, string version = "2025.1", string post = "P-09-001") =>
        new(post, period, version, values ?? ValidValues(), comment);

    public static GridInput With(Action<Dictionary<string, long>> change, string? comment = null)
    {
        var values = ValidValues();
        change(values);
        return Grid(values, comment: comment);
    }
}
