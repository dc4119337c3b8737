using Observatoire.Core.Consolidation;
using Observatoire.Core.Schemas;

namespace Observatoire.Server.Aggregates;

/// <summary>
/// What consolidation keeps in memory: the registry snapshot and the cube of current grids, loaded at
/// start-up and kept fresh by every accepted submission and every registry change. The snapshot is the
/// one source of truth of the registry for validation and consolidation alike.
/// </summary>
internal sealed class ConsolidationState(SchemaCatalog catalog)
{
    private Consolidator? _consolidator;

    public GridCube Cube { get; } = new();

    /// <summary>Whether the registry and the cube have been loaded at start-up.</summary>
    public bool IsLoaded => Volatile.Read(ref _consolidator) is not null;

    public Consolidator Consolidator => _consolidator ?? throw new InvalidOperationException("Consolidation is not loaded yet.");

    public RegistrySnapshot Registry => Consolidator.Registry;

    public void Initialize(RegistrySnapshot registry) => _consolidator = new Consolidator(catalog, registry, Cube);

    /// <summary>Swaps in the registry as changed by an administrator; every cached table becomes stale.</summary>
    public void ReplaceRegistry(RegistrySnapshot registry)
    {
        Volatile.Write(ref _consolidator, new Consolidator(catalog, registry, Cube));
        Cube.Invalidate();
    }
}
