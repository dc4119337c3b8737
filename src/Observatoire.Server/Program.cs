using Observatoire.Server.Extensions;
using Observatoire.Server.Web;

var builder = WebApplication.CreateBuilder(args);
builder.AddObservatoire();
builder.AddObservatoireWeb();

var app = builder.Build();
app.MapObservatoire();
app.MapObservatoireWeb();
app.Run();

/// <summary>The server's entry point, visible to the in-process test host.</summary>
public partial class Program;
