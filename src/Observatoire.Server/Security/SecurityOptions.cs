namespace Observatoire.Server.Security;

/// <summary>Authentication and transport settings, bound to the "Security" configuration section.</summary>
public sealed class SecurityOptions
{
    public const string SectionName = "Security";

    /// <summary>
    /// Registered as the first admin key when no admin key exists yet, ignored afterwards (default none).
    /// Form "obs_&lt;12 lower-case letters or digits&gt;_&lt;secret of 32 to 200 characters&gt;".
    /// </summary>
    public string? BootstrapAdminKey { get; set; }

    /// <summary>PBKDF2-SHA256 iterations for new keys (default 100,000; each key is hashed once per process run).</summary>
    public int KeyHashIterations { get; set; } = 100_000;

    /// <summary>
    /// Seconds a verified key is trusted from memory before its revocation and expiry are read again from the database
    /// (default 5; 0: read at every call). SQLite only, where this server is the only writer: a key revoked through it
    /// is refused at its next call whatever the value (one changed behind the server's back, within this delay). On
    /// PostgreSQL, where another instance may revoke it, a key's row is read at every call.
    /// </summary>
    public int KeyCheckSeconds { get; set; } = 5;

    /// <summary>
    /// The server runs behind a TLS-terminating proxy: outside Development it may then listen in clear text
    /// (default false: outside Development, a certificate is required).
    /// </summary>
    public bool BehindTlsProxy { get; set; }

    /// <summary>Calls a key may make per <see cref="RateLimitWindowSeconds"/> (default 600; 0 disables the limit).</summary>
    public int RateLimitPermits { get; set; } = 600;

    /// <summary>Window of the per-key rate limit, in seconds (default 60).</summary>
    public int RateLimitWindowSeconds { get; set; } = 60;

    /// <summary>
    /// Sign-ins tried per minute from one address, on any accounts (default 10; 0: no limit); more get HTTP 429. Behind
    /// a proxy, list it in <see cref="TrustedProxies"/>, or every person's sign-in counts as the proxy's.
    /// </summary>
    public int SignInsPerMinute { get; set; } = 10;

    /// <summary>
    /// Addresses or networks (10.0.0.0/8) of the load balancers in front of the server, whose X-Forwarded-For and
    /// X-Forwarded-Proto are believed (default none).
    /// </summary>
    public string[] TrustedProxies { get; set; } = [];

    /// <summary>
    /// Seconds a stream of grids (SubmitGrids) may wait for its next grid before the server closes it, every grid sent
    /// answered (default 300; 0: never). An idle stream holds memory and a connection's stream slot for nothing.
    /// </summary>
    public int StreamIdleSeconds { get; set; } = 300;

    /// <summary>
    /// Streams of grids, documents being sent, and requests blocked waiting for suppression plans, one key (or web
    /// account) may hold at once, of each (default 8; more are refused RESOURCE_EXHAUSTED; 0: no bound).
    /// </summary>
    public int MaxOpenStreamsPerKey { get; set; } = 8;

    /// <summary>
    /// Annual reports and bilans one key (or web account) may have drawn at once, by gRPC or the pages (default 2; more
    /// are refused RESOURCE_EXHAUSTED, HTTP 429 on the pages; 0: no bound). A national report keeps a processor busy for
    /// seconds: without this bound, one key asking eight at a time kept both of a small server's processors busy.
    /// </summary>
    public int MaxReportsPerKey { get; set; } = 2;

    /// <summary>
    /// Seconds the server waits for a client to read the next part of a streamed answer (a document, answers to grids)
    /// before it drops the call (default 60; 0: forever). An unread document is held in memory until then.
    /// </summary>
    public int StalledReaderSeconds { get; set; } = 60;
}
