namespace Observatoire.Server.Aggregates;

/// <summary>
/// Another instance stored a grid of a version this one does not know (the instances were not given the same
/// <c>Schemas:Directory</c>): this instance cannot show that grid, so it answers UNAVAILABLE with this message, in
/// French, until it is restarted with the folder, rather than serve figures without it.
/// </summary>
public sealed class UnknownGridVersionException(string version)
    : Exception($"Une autre instance a enregistré une grille de version {version}, que celle-ci ne connaît pas : donnez à chaque instance le même dossier de grilles ({Grids.SchemaFolder.Setting}), puis redémarrez-la.")
{
    public string Version { get; } = version;
}
