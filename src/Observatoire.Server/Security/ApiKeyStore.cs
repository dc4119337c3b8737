using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Observatoire.Core.Access;
using Observatoire.Data;
using Observatoire.Data.Entities;

namespace Observatoire.Server.Security;

/// <summary>The outcome of presenting a key: the caller, or why it is refused.</summary>
public sealed record KeyCheck(ApiKey? Key, string? Failure);

/// <summary>
/// Issues, checks and revokes API keys. A key is looked up by its id and its secret checked against the
/// stored PBKDF2 hash; a successful check is remembered (as a SHA-256 of the key) so that the slow hash
/// runs once per key and process. The key's row (role, posts, revocation, expiry) is then trusted from memory
/// for <see cref="SecurityOptions.KeyCheckSeconds"/> before it is read again: a call does not cost a database
/// query. Expiry is compared with the clock at every call; a key revoked through this server is dropped from
/// memory at once, so its next call is refused. The memory is used only where this server is the database's only
/// writer (SQLite): on PostgreSQL, where other instances may revoke a key, the row is read at every call.
/// </summary>
public sealed partial class ApiKeyStore(
    IServiceScopeFactory scopes,
    IOptions<SecurityOptions> options,
    TimeProvider clock,
    Infrastructure.ObservatoireDatabase database,
    GridStoreLock writeLock,
    ILogger<ApiKeyStore> logger)
{
    public const string BootstrapCreator = "bootstrap";

    /// <summary>At most this many verified keys are held in memory; beyond, the memory starts again empty.</summary>
    public const int MaxRememberedKeys = 10_000;

    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, byte[]> _verified = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RememberedKey> _remembered = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTime> _lastUsed = new(StringComparer.Ordinal);
    private long _revocations;

    public async Task<KeyCheck> CheckAsync(string presented, CancellationToken ct)
    {
        const string Unknown = "Clé d'API inconnue ou invalide.";
        if (!ApiKeyFormat.TryParse(presented, out var id, out var secret))
        {
            return new KeyCheck(null, Unknown);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        if (database.IsSqlite
            && _remembered.TryGetValue(id, out var remembered)
            && now - remembered.ReadAtUtc < TimeSpan.FromSeconds(options.Value.KeyCheckSeconds)
            && now >= remembered.ReadAtUtc
            && CryptographicOperations.FixedTimeEquals(remembered.Digest, digest))
        {
            return await StateOfAsync(remembered.Key, now, ct);
        }

        // Read before the row: a revocation through this server between the two is noticed below.
        var generation = Volatile.Read(ref _revocations);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ObservatoireDbContext>();
        var key = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Id == id, ct);
        if (key is null || !Verify(key, digest, secret))
        {
            return new KeyCheck(null, Unknown);
        }

        if (_remembered.Count >= MaxRememberedKeys)
        {
            _remembered.Clear();
        }

        // A row read before a revocation through this server is never remembered over that revocation.
        var entry = new RememberedKey(key, digest, now);
        _remembered[id] = entry;
        if (Volatile.Read(ref _revocations) != generation)
        {
            _remembered.TryRemove(new KeyValuePair<string, RememberedKey>(id, entry));
        }

        return await StateOfAsync(key, now, ct);
    }

    /// <summary>Only a holder of the secret learns that the key is revoked or expired.</summary>
    private async Task<KeyCheck> StateOfAsync(ApiKey key, DateTime now, CancellationToken ct)
    {
        var id = key.Id;
        if (key.RevokedAtUtc is not null)
        {
            return new KeyCheck(null, "Clé d'API révoquée : demandez une nouvelle clé à l'administration nationale.");
        }

        if (key.ExpiresAtUtc is { } expires && expires <= now)
        {
            return new KeyCheck(null, "Clé d'API expirée : demandez une nouvelle clé à l'administration nationale.");
        }

        if (!_lastUsed.TryGetValue(id, out var last) || now - last >= LastUsedResolution)
        {
            _lastUsed[id] = now;
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ObservatoireDbContext>();
            using (await writeLock.TakeTurnAsync(ct))
            {
                await db.ApiKeys.Where(k => k.Id == id).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAtUtc, now), ct);
            }
        }

        return new KeyCheck(key, null);
    }

    /// <summary>The caller a valid key stands for.</summary>
    public static CallerScope ScopeOf(ApiKey key, string remoteAddress) => new(
        key.Id,
        key.Role,
        key.Posts.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal),
        AnalystScope.TryParse(key.Scope, out var scope) ? scope : null,
        remoteAddress);

    /// <summary>Stores a new key (already validated) and returns it with the key text, shown once.</summary>
    public async Task<(ApiKey Info, string Key)> CreateAsync(Role role, IReadOnlyCollection<string> posts, AnalystScope? scope, DateTime? expiresAtUtc, string? name, string createdBy, CancellationToken ct)
    {
        var (id, text) = ApiKeyFormat.Generate();
        ApiKeyFormat.TryParse(text, out _, out var secret);
        var key = NewKey(id, secret, role, posts, scope, expiresAtUtc, name, createdBy);
        await using var scopeServices = scopes.CreateAsyncScope();
        var db = scopeServices.ServiceProvider.GetRequiredService<ObservatoireDbContext>();
        db.ApiKeys.Add(key);
        using (await writeLock.TakeTurnAsync(ct))
        {
            await db.SaveChangesAsync(ct);
        }

        return (key, text);
    }

    public async Task<IReadOnlyList<ApiKey>> ListAsync(bool includeInactive, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ObservatoireDbContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        var keys = await db.ApiKeys.AsNoTracking().OrderBy(k => k.CreatedAtUtc).ThenBy(k => k.Id).ToListAsync(ct);
        return includeInactive ? keys : [.. keys.Where(k => k.RevokedAtUtc is null && (k.ExpiresAtUtc is null || k.ExpiresAtUtc > now))];
    }

    /// <summary>Revokes a key at once; null when the id is unknown.</summary>
    public async Task<ApiKey?> RevokeAsync(string id, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ObservatoireDbContext>();
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id, ct);
        if (key is null)
        {
            return null;
        }

        key.RevokedAtUtc ??= clock.GetUtcNow().UtcDateTime;
        try
        {
            using (await writeLock.TakeTurnAsync(ct))
            {
                await db.SaveChangesAsync(CancellationToken.None);
            }
        }
        finally
        {
            // Whatever became of the save (a revocation stored but its caller gone), the key is read again at its next call.
            Interlocked.Increment(ref _revocations);
            _remembered.TryRemove(id, out _);
            _verified.TryRemove(id, out _);
        }

        return key;
    }

    /// <summary>Registers the configured bootstrap key when no admin key exists yet; ignored otherwise.</summary>
    public async Task BootstrapAsync(ObservatoireDbContext db, CancellationToken ct)
    {
        if (options.Value.BootstrapAdminKey is not { Length: > 0 } text)
        {
            return;
        }

        if (!ApiKeyFormat.TryParse(text, out var id, out var secret))
        {
            throw new Infrastructure.StartupRefusedException(
                $"Security:BootstrapAdminKey n'a pas la forme d'une clé : {ApiKeyFormat.Prefix}<{ApiKeyFormat.IdLength} lettres minuscules ou chiffres>_<secret de {ApiKeyFormat.MinSecretLength} à {ApiKeyFormat.MaxSecretLength} caractères>.");
        }

        if (await db.ApiKeys.AnyAsync(k => k.Role == Role.Admin, ct) || await db.ApiKeys.AnyAsync(k => k.Id == id, ct))
        {
            return;
        }

        db.ApiKeys.Add(NewKey(id, secret, Role.Admin, [], null, null, "Clé d'amorçage (Security:BootstrapAdminKey)", BootstrapCreator));
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        LogBootstrapped(logger, id);
    }

    private ApiKey NewKey(string id, string secret, Role role, IReadOnlyCollection<string> posts, AnalystScope? scope, DateTime? expiresAtUtc, string? name, string createdBy)
    {
        var iterations = options.Value.KeyHashIterations;
        var (salt, hash) = ApiKeyHasher.Hash(secret, iterations);
        return new ApiKey
        {
            Id = id,
            Name = name,
            Role = role,
            Posts = string.Join(',', posts),
            Scope = scope?.ToString(),
            Salt = salt,
            Hash = hash,
            Iterations = iterations,
            CreatedAtUtc = clock.GetUtcNow().UtcDateTime,
            CreatedBy = createdBy,
            ExpiresAtUtc = expiresAtUtc,
        };
    }

    private bool Verify(ApiKey key, byte[] digest, string secret)
    {
        if (_verified.TryGetValue(key.Id, out var known) && CryptographicOperations.FixedTimeEquals(known, digest))
        {
            return true;
        }

        if (!ApiKeyHasher.Verify(secret, key.Salt, key.Hash, key.Iterations))
        {
            return false;
        }

        _verified[key.Id] = digest;
        return true;
    }

    /// <summary>A verified key's row as read at <paramref name="ReadAtUtc"/>, with the digest of the key text that proved it.</summary>
    private sealed record RememberedKey(ApiKey Key, byte[] Digest, DateTime ReadAtUtc);

    [LoggerMessage(EventId = 30, Level = LogLevel.Warning, Message = "Bootstrap admin key {KeyId} registered from Security:BootstrapAdminKey; create named keys and revoke it")]
    private static partial void LogBootstrapped(ILogger logger, string keyId);
}
