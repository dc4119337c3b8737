using System.Globalization;
using Grpc.Core;
using Observatoire.Core.Registry;

namespace Observatoire.Server.Web.Registry;

/// <summary>
/// What the registry pages need besides <see cref="Server.Registry.RegistryEditor"/>: the French labels of zones
/// and frequencies, and the editor's refusals turned into an error beside the field they name.
/// </summary>
internal static class PostForms
{
    public static readonly IReadOnlyList<(string Value, string Label)> Zones =
        [("police", "police"), ("gendarmerie", "gendarmerie"), ("mixte", "mixte (police et gendarmerie)")];

    public static readonly IReadOnlyList<(string Value, string Label)> Frequencies =
        [("", "— choisir —"), ("mois", "mensuelle"), ("trimestre", "trimestrielle"), ("annee", "annuelle")];

    public static Zone ZoneOf(string? value) => value switch
    {
        "police" => Zone.Police,
        "gendarmerie" => Zone.Gendarmerie,
        _ => Zone.Mixte,
    };

    public static string ValueOf(Zone zone) => zone.ToString().ToLowerInvariant();

    public static ReportingFrequency? FrequencyOf(string? value) => value switch
    {
        "mois" => ReportingFrequency.Month,
        "trimestre" => ReportingFrequency.Quarter,
        "annee" => ReportingFrequency.Year,
        _ => null,
    };

    public static string LabelOf(ReportingFrequency frequency) => frequency switch
    {
        ReportingFrequency.Month => "mensuelle",
        ReportingFrequency.Quarter => "trimestrielle",
        _ => "annuelle",
    };

    /// <summary>"0,8" or "0.8"; NaN when not a number, which the editor refuses with its own message.</summary>
    public static double FteOf(string? text) =>
        double.TryParse(text?.Trim().Replace(',', '.'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var fte) ? fte : double.NaN;

    public static string Show(double fte) => fte.ToString("0.##", CultureInfo.GetCultureInfo("fr-FR"));

    /// <summary>
    /// The form input an editor refusal belongs to: the request field it names (AddPost's "post.name" or "name" is the
    /// input "nom"), else <paramref name="otherwise"/>. Null when the refusal is not the caller's to fix.
    /// </summary>
    public static (string Field, string Message)? Refusal(RpcException e, IReadOnlyDictionary<string, string> inputs, string otherwise)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(inputs);
        if (e.StatusCode is not (StatusCode.InvalidArgument or StatusCode.NotFound or StatusCode.AlreadyExists))
        {
            return null;
        }

        var field = WebAnswers.FieldOf(e) is { } named && inputs.TryGetValue(named.Replace("post.", "", StringComparison.Ordinal), out var input) ? input : otherwise;
        return (field, e.Status.Detail);
    }
}
