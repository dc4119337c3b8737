using Observatoire.Server.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddObservatoire();
builder.AddObservatoireRest();

var app = builder.Build();
app.UseObservatoireOpenApi();
app.MapObservatoire();
app.Run();

/// <summary>The server's entry point, visible to the in-process test host.</summary>
public partial class Program;
