using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Observatoire.Data;

/// <summary>Design-time factory for "dotnet ef" (migrations are generated without a startup project).</summary>
public sealed class ObservatoireDbContextFactory : IDesignTimeDbContextFactory<ObservatoireDbContext>
{
    public ObservatoireDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<ObservatoireDbContext>()
            .UseSqlite("Data Source=design.db")
            .Options;
        return new ObservatoireDbContext(options);
    }
}
