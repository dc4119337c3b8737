using System.Reflection;
using Observatoire.Server.Backups;
using Observatoire.Server.Extensions;
using Observatoire.Server.Infrastructure;
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

try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddObservatoire();
    builder.AddObservatoireWeb();
    builder.AddObservatoireRest();

    var app = builder.Build();
    app.UseOperations();
    app.UseObservatoireOpenApi();
    app.MapObservatoire();
    app.MapObservatoireWeb();
    await app.RunAsync();
    return 0;
}
catch (Exception e) when (StartupRefusedException.Behind(e) is { } refused && Assembly.GetEntryAssembly() == typeof(Program).Assembly)
{
    // What the operator must fix, without a stack trace (the database's refusals are also in the log). Not when another
    // program hosts this one (the in-process test host): the refusal is then its to see.
    await Console.Error.WriteLineAsync($"Démarrage refusé : {refused.Message}");
    return 1;
}

/// <summary>The server's entry point, visible to the in-process test host.</summary>
public partial class Program;
