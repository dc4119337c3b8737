namespace Observatoire.Server.Tests;

/// <summary>
/// The test-only switch that holds every suppression plan as it starts while a file exists
/// (<c>Testing:HoldSecrecyPlansWhileFileExists</c>), as a large year's plans take time: what readers do meanwhile.
/// </summary>
public sealed class PlanHold : IDisposable
{
    private PlanHold()
    {
    }

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"obs-hold-{Guid.NewGuid():N}");

    /// <summary>
    /// The switch of a server not yet started; plans run freely until <see cref="HoldAsync"/>. No year is warmed at start-up:
    /// a plan is made when first asked, so the test decides which are held.
    /// </summary>
    public static PlanHold On(ServerFixture server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var hold = new PlanHold();
        server.Settings["Testing:HoldSecrecyPlansWhileFileExists"] = hold.Path;
        server.Settings["Consolidation:WarmYears"] = "0";
        return hold;
    }

    /// <summary>Plans starting from now wait.</summary>
    public Task HoldAsync() => File.WriteAllTextAsync(Path, "");

    /// <summary>Plans waiting go on.</summary>
    public void Release() => File.Delete(Path);

    public void Dispose() => Release();
}
