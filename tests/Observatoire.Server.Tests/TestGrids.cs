using Observatoire.Core.Registry;
using Observatoire.Data;
using Observatoire.Protos.V1;
using ReportingFrequency = Observatoire.Core.Registry.ReportingFrequency;

namespace Observatoire.Server.Tests;

/// <summary>Grids and posts for integration tests, taken from the seeded registry.</summary>
public static class TestGrids
{
    private static readonly IReadOnlyList<PostRecord> Posts = ReferenceData.LoadEmbeddedPosts();

    /// <summary>Open posts of a frequency, active since 2018 at the latest.</summary>
    public static IReadOnlyList<PostRecord> OpenPosts(ReportingFrequency frequency) =>
        [.. Posts.Where(p => p.Frequency == frequency && p.ActiveTo is null && p.ActiveFrom <= new DateOnly(2018, 1, 1))];

    public static PostRecord MonthlyPost(int n = 0) => OpenPosts(ReportingFrequency.Month)[n];

    public static PostRecord QuarterlyPost(int n = 0) => OpenPosts(ReportingFrequency.Quarter)[n];

    public static PostRecord ClosedPost => Posts.First(p => p.ActiveTo is { } to && to.Year == 2024 && p.Frequency == ReportingFrequency.Month);

    /// <summary>A consistent grid: 40 persons received, 25 new, 70 interviews.</summary>
    public static Grid Valid(string postId, string period, string? comment = null)
    {
        var grid = new Grid { PostId = postId, Period = period, SchemaVersion = "2025.1", Comment = comment ?? "" };
        var values = new Dictionary<string, long>
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
        grid.Values.Add(values);
        return grid;
    }

    public static SubmitGridRequest Submission(Grid grid, string? id = null, string client = "tests") =>
        new() { SubmissionId = id ?? Guid.NewGuid().ToString(), ClientId = client, Grid = grid };
}
