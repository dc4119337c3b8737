using Microsoft.Extensions.Configuration;
using Observatoire.Core.Schemas;

namespace Observatoire.Server.Grids;

/// <summary>
/// The grids the server knows: the embedded versions and the files of <c>Schemas:Directory</c> (relative to the
/// content root), read once at start-up, so that a Ministry grid can be deployed without a new release. A file that is
/// not a consistent schema stops the server at start-up, naming the file and the fault.
/// </summary>
public static class SchemaFolder
{
    public const string Setting = "Schemas:Directory";

    /// <exception cref="Infrastructure.StartupRefusedException">The folder or one of its files cannot serve.</exception>
    public static SchemaCatalog Load(IConfiguration configuration, string contentRoot)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var directory = configuration[Setting] is { Length: > 0 } configured ? Path.GetFullPath(Path.Combine(contentRoot, configured)) : null;
        try
        {
            return SchemaCatalog.Load(directory);
        }
        catch (InvalidDataException e)
        {
            throw new Infrastructure.StartupRefusedException($"Grilles de {Setting} inutilisables : {e.Message}", e);
        }
    }
}
