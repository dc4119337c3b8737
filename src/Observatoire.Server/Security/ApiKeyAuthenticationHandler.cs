using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Observatoire.Core.Access;

namespace Observatoire.Server.Security;

/// <summary>
/// Authenticates "authorization: Bearer &lt;key&gt;" against the stored keys, and resolves the caller once per
/// call into a <see cref="CallerScope"/> kept in the request's features.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyStore keys) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            // No credentials is not a failure (health and reflection need none): say why only if a service asks.
            Context.Features.Set(new AuthenticationFailure("Authentification requise : envoyez « authorization: Bearer <clé> » (CLI : --api-key ou OBSERVATOIRE_API_KEY)."));
            return AuthenticateResult.NoResult();
        }

        if (PresentedKey(Request) is not { } presented)
        {
            return Fail("En-tête authorization invalide : attendu « Bearer <clé> ».");
        }

        KeyCheck check;
        try
        {
            check = await keys.CheckAsync(presented, Context.RequestAborted);
        }
        catch (Exception e) when (Grpc.StorageGuardInterceptor.IsStorageFailure(e))
        {
            // The keys live in the database: while it is unreadable no caller can be told apart, and the
            // answer is the storage's, not a refusal of the key.
            Context.Features.Set(new AuthenticationFailure(Grpc.StorageGuardInterceptor.UnavailableMessage, global::Grpc.Core.StatusCode.Unavailable));
            return AuthenticateResult.Fail(Grpc.StorageGuardInterceptor.UnavailableMessage);
        }

        if (check.Key is not { } key)
        {
            return Fail(check.Failure!);
        }

        var caller = ApiKeyStore.ScopeOf(key, Context.Connection.RemoteIpAddress?.ToString() ?? "inconnue");
        Context.Features.Set(caller);
        var identity = new ClaimsIdentity(CallerClaims.Of(caller.KeyId, caller.Role, caller.Posts, caller.Scope), SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    /// <summary>The key a request presents ("authorization: Bearer &lt;key&gt;"), or null when it presents none.</summary>
    public static string? PresentedKey(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }

    private AuthenticateResult Fail(string message)
    {
        Context.Features.Set(new AuthenticationFailure(message));
        return AuthenticateResult.Fail(message);
    }
}

/// <summary>Why authentication failed, for the answer: UNAUTHENTICATED, or UNAVAILABLE when the keys could not be read.</summary>
public sealed record AuthenticationFailure(string Message, global::Grpc.Core.StatusCode Code = global::Grpc.Core.StatusCode.Unauthenticated);

/// <summary>The role names of keys, as the CLI and the claims spell them.</summary>
public static class RoleNames
{
    public static string Of(Role role) => role switch
    {
        Role.Poste => "poste",
        Role.Analyste => "analyste",
        Role.Rapport => "rapport",
        _ => "admin",
    };

    public static bool TryParse(string? name, out Role role)
    {
        role = name switch
        {
            "poste" => Role.Poste,
            "analyste" => Role.Analyste,
            "rapport" => Role.Rapport,
            "admin" => Role.Admin,
            _ => 0,
        };
        return role != 0;
    }
}
