namespace Observatoire.Server.Rest;

/// <summary>The French texts of the OpenAPI document that do not come from the proto comments.</summary>
internal static class OpenApiText
{
    public const string Description =
        "Lecture des chiffres de l'observatoire en JSON sur HTTP : les mêmes services que l'API gRPC " +
        "(protos/observatoire/v1), avec la même clé, les mêmes droits et les mêmes erreurs. " +
        "Sous le niveau national, les chiffres publiés sont soumis au secret statistique : une valeur secrète " +
        "est absente, avec son statut de confidentialité (CONFIDENTIALITY_SUPPRESSED, ou CONFIDENTIALITY_PRIMARY et CONFIDENTIALITY_SECONDARY si le serveur publie la distinction). " +
        "Une erreur est un objet google.rpc.Status : code gRPC, message en français et détails " +
        "(google.rpc.BadRequest avec chaque champ en cause).";

    public const string Security = "Clé d'API de l'observatoire : « Authorization: Bearer obs_<id>_<secret> ».";
}
