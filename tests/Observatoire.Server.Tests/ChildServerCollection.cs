namespace Observatoire.Server.Tests;

/// <summary>
/// Tests that start server processes run on their own, after the others: a process starting on a machine busy
/// with the in-process servers of the whole suite could miss its start-up timeout.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ChildServerCollection
{
    public const string Name = "Serveurs enfants";
}
