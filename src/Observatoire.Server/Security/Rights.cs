using Microsoft.AspNetCore.Authorization;
using Observatoire.Core.Access;

namespace Observatoire.Server.Security;

/// <summary>
/// The role-level rights, as ASP.NET Core authorization policies named on the services. Which post or
/// area a caller may touch within its right is decided by <see cref="AccessPolicy"/>.
/// </summary>
public static class Rights
{
    /// <summary>Validating and submitting grids: posts and the administrator.</summary>
    public const string Submit = "depot";

    /// <summary>Reading figures, charts and reports: every role (the area is checked by the access policy).</summary>
    public const string Read = "lecture";

    /// <summary>Publishing an edition (figures frozen at a cut-off, with the report and open data made from them): report keys and the administrator.</summary>
    public const string Publish = "edition";

    /// <summary>Keys, registry, campaigns, audit: the administrator.</summary>
    public const string Administer = "administration";

    public static void Add(AuthorizationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AddPolicy(Submit, p => p.AddRequirements(new RightRequirement("dépôt de grilles (clé de poste ou d'administration)", Role.Poste, Role.Admin)));
        options.AddPolicy(Read, p => p.AddRequirements(new RightRequirement("lecture", Role.Poste, Role.Analyste, Role.Rapport, Role.Admin)));
        options.AddPolicy(Publish, p => p.AddRequirements(new RightRequirement("publication d'une édition (clé rapport ou admin)", Role.Rapport, Role.Admin)));
        options.AddPolicy(Administer, p => p.AddRequirements(new RightRequirement("administration (clé admin)", Role.Admin)));

        // Everything else (schema, registry reads) needs a caller; health, reflection and the sign-in pages opt out. The
        // caller is the one authentication settled (a key, or with the web pages a key or a signed-in account): a scheme
        // named here would be authenticated again for every endpoint, anonymous ones included, and replace a signed-in
        // account by no one (the sign-out form was refused as meant for another user).
        options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
        options.DefaultPolicy = options.FallbackPolicy;
    }
}

/// <summary>A right held by some roles; its French name goes into the PERMISSION_DENIED message.</summary>
public sealed class RightRequirement(string right, params Role[] roles) : AuthorizationHandler<RightRequirement>, IAuthorizationRequirement
{
    public string Right { get; } = right;

    public IReadOnlyList<Role> Roles { get; } = roles;

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, RightRequirement requirement)
    {
        if (context.Resource is HttpContext http && http.Features.Get<CallerScope>() is { } caller && requirement.Roles.Contains(caller.Role))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
