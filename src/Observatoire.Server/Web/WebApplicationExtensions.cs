using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Observatoire.Server.Infrastructure;
using Observatoire.Server.Security;
using Observatoire.Server.Web.Accounts;
using Observatoire.Server.Web.Components;

namespace Observatoire.Server.Web;

/// <summary>Wires the web pages: accounts and their cookie, the pages' endpoint, the Blazor components and their static files.</summary>
public static class WebApplicationExtensions
{
    /// <summary>The default scheme: a key for gRPC calls and bearer requests, the account cookie for the pages.</summary>
    public const string CallerScheme = "Observatoire";

    /// <summary>The claim that carries Identity's own user id (NameIdentifier carries the caller id, as for a key).</summary>
    public const string AccountIdClaim = "observatoire:compte";

    public static void AddObservatoireWeb(this WebApplicationBuilder builder)
    {
        var services = builder.Services;

        var accounts = builder.Configuration.GetSection(SecurityOptions.SectionName).Get<AccountOptions>() ?? new AccountOptions();
        services.Configure<AccountOptions>(builder.Configuration.GetSection(SecurityOptions.SectionName));

        // Same database as the statistics, own migrations history table; on PostgreSQL its own context type and migrations.
        var database = services.Single(d => d.ServiceType == typeof(ObservatoireDatabase)).ImplementationInstance as ObservatoireDatabase
            ?? throw new InvalidOperationException("AddObservatoire must come before AddObservatoireWeb.");
        if (database.IsSqlite)
        {
            services.AddDbContext<AccountsDbContext>(options => database.Configure(options, AccountsDbContext.MigrationsHistoryTable));
        }
        else
        {
            services.AddDbContext<AccountsDbContext, PostgreSqlAccountsDbContext>(options => database.Configure(
                options, AccountsDbContext.MigrationsHistoryTable, typeof(PostgreSqlAccountsDbContext).Assembly.GetName().Name));
        }

        // The key ring is in the database, not in a folder of the machine: a cookie or a form issued by one instance is
        // read by every other behind the load balancer, and survives a restart or a new machine.
        var keyRing = builder.Configuration.GetSection(KeyRingOptions.SectionName).Get<KeyRingOptions>() ?? new KeyRingOptions();
        services.AddDataProtection()
            .SetApplicationName(keyRing.ApplicationName)
            .PersistKeysToDbContext<AccountsDbContext>();

        services.AddIdentityCore<AccountUser>(o =>
            {
                o.Password.RequiredLength = 12;
                o.User.AllowedUserNameCharacters = "abcdefghijklmnopqrstuvwxyz0123456789-._";
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = accounts.MaxFailedSignIns;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(accounts.LockoutMinutes);
                o.ClaimsIdentity.UserIdClaimType = AccountIdClaim;
            })
            .AddEntityFrameworkStores<AccountsDbContext>()
            .AddSignInManager()
            .AddClaimsPrincipalFactory<AccountClaimsFactory>()
            .AddErrorDescriber<FrenchIdentityErrors>()
            .AddDefaultTokenProviders();

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = CallerScheme;
                o.DefaultChallengeScheme = CallerScheme;
                o.DefaultForbidScheme = CallerScheme;
            })
            .AddPolicyScheme(CallerScheme, "Clé d'API ou compte", o => o.ForwardDefaultSelector = context =>
                GrpcAuthorizationResultHandler.IsGrpc(context) || context.Request.Headers.Authorization.Count > 0
                    ? ApiKeyAuthenticationHandler.SchemeName
                    : IdentityConstants.ApplicationScheme)
            .AddIdentityCookies();

        var development = builder.Environment.IsDevelopment();
        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "observatoire.compte";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = development ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
            o.LoginPath = "/connexion";
            o.LogoutPath = "/deconnexion";
            o.AccessDeniedPath = "/acces-refuse";
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
            o.Events.OnValidatePrincipal = SetCaller;
        });
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromSeconds(Math.Max(0, accounts.SessionCheckSeconds)));
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "observatoire.antiforgery";
            o.Cookie.SecurePolicy = development ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        });

        services.AddSingleton<IStartupMigration, AccountsInitializer>();
        services.AddScoped<Server.Grids.PostPeriods>();
        services.AddScoped<Grids.WorkbookUpload>();
        services.AddSingleton<Grids.WorkbookReadings>();
        services.AddScoped<AccountDesk>();
        services.AddScoped<SignInDesk>();
        services.AddSingleton<Aggregates.DepartmentMap>();
        services.AddSingleton<AnalysisChoices>();
        services.AddSingleton<Analysis.AnalysisTables>();
        services.AddRazorComponents();
        services.AddCascadingAuthenticationState();

        // Data Protection's hosted service reads the key ring as the host starts, before the start-up step has created its
        // table on a new or upgraded database (errors in the log); AccountsInitializer reads it right after the migrations
        // instead. Last: authentication, antiforgery and the components each register that service again.
        foreach (var early in services.Where(d => d.ServiceType == typeof(IHostedService)
            && d.ImplementationType?.Assembly == typeof(DataProtectionBuilderExtensions).Assembly).ToList())
        {
            services.Remove(early);
        }
    }

    public static void MapObservatoireWeb(this WebApplication app)
    {
        app.UseMiddleware<PageHeaders>();
        app.UseMiddleware<PageTextGuard>();
        app.UseMiddleware<PageFreshness>();
        app.UseAntiforgery();
        app.UseMiddleware<RefusedForms>();
        app.MapStaticAssets().AllowAnonymous();
        app.MapRazorComponents<App>();
        app.MapPost("/deconnexion", SignOutAsync).AllowAnonymous();
        MapDownloads.Map(app);
        PostDownloads.Map(app);
        ReportDownloads.Map(app);
        Analysis.AnalysisDownloads.Map(app);
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            if (app.Configuration[WebEndpoint.UrlKey] is { Length: > 0 } url)
            {
                app.Logger.LogInformation("Pages web : {Url}", url);
            }
        });
    }

    /// <summary>After the cookie is read: the account's claims become the caller that policies and the access policy judge.</summary>
    private static async Task SetCaller(CookieValidatePrincipalContext context)
    {
        await SecurityStampValidator.ValidatePrincipalAsync(context);
        if (context.Principal is { } principal
            && CallerClaims.ScopeOf(principal, context.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "inconnue") is { } caller)
        {
            context.HttpContext.Features.Set(caller);
        }
    }

    private static async Task<IResult> SignOutAsync(HttpContext context, Microsoft.AspNetCore.Antiforgery.IAntiforgery antiforgery, SignInDesk signIn)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Results.BadRequest();
        }

        await signIn.SignOutAsync(context.User);
        return Results.LocalRedirect("/connexion");
    }
}
