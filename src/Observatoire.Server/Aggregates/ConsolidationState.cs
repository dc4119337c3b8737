using Observatoire.Core.Consolidation;
using Observatoire.Core.Schemas;

namespace Observatoire.Server.Aggregates;

/// <summary>
/// What consolidation keeps in memory: the registry snapshot and the cube of current grids,
/// loaded once at start-up and kept fresh by every accepted submission.
/// </summary>
internal sealed class ConsolidationState(SchemaCatalog catalog)
{
    private Consolidator? _consolidator;

    public GridCube Cube { get; } = new();

    public Consolidator Consolidator => _consolidator ?? throw new InvalidOperationException("Consolidation is not loaded yet.");

    public RegistrySnapshot Registry => Consolidator.Registry;

    public void Initialize(RegistrySnapshot registry) => _consolidator = new Consolidator(catalog, registry, Cube);
}
