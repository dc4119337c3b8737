namespace Observatoire.Tests.Shared;

/// <summary>
/// A consistent grid of schema 2025.1 (40 persons received, 25 new, 70 interviews), shared by the
/// unit and integration tests: every breakdown adds up to its total.
/// </summary>
public static class ValidGridValues
{
    public static Dictionary<string, long> Create() => new()
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
}
