using Observatoire.Server.Backups;
using Observatoire.Server.Extensions;
using Observatoire.Server.Operations;
using Observatoire.Server.Web;

if (BackupCommandLine.Handles(args))
{
    return await BackupCommandLine.RunAsync(args, Console.Out);
}

if (HealthProbe.Handles(args))
{
    return await HealthProbe.RunAsync(args, Console.Out);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddObservatoire();
builder.AddObservatoireWeb();
builder.AddObservatoireRest();

var app = builder.Build();
app.UseOperations();
app.UseObservatoireOpenApi();
app.MapObservatoire();
app.MapObservatoireWeb();
app.Run();
return 0;

/// <summary>The server's entry point, visible to the in-process test host.</summary>
public partial class Program;
