using Microsoft.EntityFrameworkCore;

namespace Observatoire.Server.Tests;

// The behaviour suites that touch storage, run again on PostgreSQL: each class inherits every test of its SQLite
// original and swaps the fixture. Category=PostgreSql: `.ci/run` starts a cluster and counts these tests.

/// <summary>Submissions, idempotency and revisions on PostgreSQL.</summary>
[Trait("Category", "PostgreSql")]
public sealed class PostgreSqlGridSubmissionTests(PostgreSqlServerFixture server) : GridSubmissionTests(server), IClassFixture<PostgreSqlServerFixture>;

/// <summary>A yearly bilan beside the months, on PostgreSQL.</summary>
[Trait("Category", "PostgreSql")]
public sealed class PostgreSqlYearlyBilanSubmissionTests(PostgreSqlServerFixture server) : YearlyBilanSubmissionTests(server), IClassFixture<PostgreSqlServerFixture>;

/// <summary>Queries and consolidation on PostgreSQL.</summary>
[Trait("Category", "PostgreSql")]
public sealed class PostgreSqlAggregateTests(PostgreSqlServerFixture server) : AggregateTests(server), IClassFixture<PostgreSqlServerFixture>;

/// <summary>Concurrent submissions for one post and period on PostgreSQL.</summary>
[Trait("Category", "PostgreSql")]
public sealed class PostgreSqlConcurrencyTests(PostgreSqlServerFixture server) : Robustness.ConcurrencyTests(server), IClassFixture<PostgreSqlServerFixture>;

/// <summary>Group commit (a failing grid in a batch, queued writes) on PostgreSQL.</summary>
[Trait("Category", "PostgreSql")]
public sealed class PostgreSqlGroupCommitTests(PostgreSqlServerFixture server) : Robustness.GroupCommitTests(server), IClassFixture<PostgreSqlServerFixture>;

/// <summary>Corrections in one stream on PostgreSQL.</summary>
[Trait("Category", "PostgreSql")]
public sealed class PostgreSqlStreamOrderTests(PostgreSqlServerFixture server) : Robustness.StreamOrderTests(server), IClassFixture<PostgreSqlServerFixture>;

/// <summary>Registry changes (a post moved, closed) and their effect on figures, on PostgreSQL.</summary>
[Trait("Category", "PostgreSql")]
public sealed class PostgreSqlRegistryChangeTests(PostgreSqlServerFixture server) : Access.RegistryChangeTests(server), IClassFixture<PostgreSqlServerFixture>;

/// <summary>A NUL character in any text, refused by field on PostgreSQL (which cannot store it) as on SQLite.</summary>
[Trait("Category", "PostgreSql")]
public sealed class PostgreSqlNulTextTests(PostgreSqlServerFixture server) : Robustness.NulTextTests(server), IClassFixture<PostgreSqlServerFixture>
{
    /// <summary>Behind the guard, what PostgreSQL itself refuses is classified as a refused value, not as the store failing.</summary>
    [Fact]
    public async Task PostgreSql_refusing_a_character_is_a_refused_value_not_a_storage_failure()
    {
        var error = await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() =>
            Server.QueryAsync(db => db.Database.SqlQuery<string>($"SELECT {"a\0b"}::text AS \"Value\"").ToListAsync()));
        Assert.Equal("22021", error.SqlState);
        Assert.Equal(Data.StorageErrorKind.Refused, Data.StorageErrors.Classify(error));
    }
}

/// <summary>
/// Random requests to every method by every role on PostgreSQL, where the database refuses values SQLite stores (a NUL
/// character, a value too large): never INTERNAL, UNKNOWN or UNAVAILABLE. The cold start is another instance on the database.
/// </summary>
[Trait("Category", "PostgreSql")]
public sealed class PostgreSqlContractFuzzTests(PostgreSqlServerFixture server) : Robustness.ContractFuzzTests(server), IClassFixture<PostgreSqlServerFixture>;

/// <summary>The bad-input corpus on PostgreSQL, which refuses values SQLite stores: the same statuses, nothing written.</summary>
[Trait("Category", "PostgreSql")]
public sealed class PostgreSqlBadInputCorpusTests(PostgreSqlServerFixture server) : Robustness.BadInputCorpusTests(server), IClassFixture<PostgreSqlServerFixture>;

/// <summary>What an error carries (status, size, one bad grid of a stream alone), on PostgreSQL.</summary>
[Trait("Category", "PostgreSql")]
public sealed class PostgreSqlErrorContractTests(PostgreSqlServerFixture server) : Robustness.ErrorContractTests(server), IClassFixture<PostgreSqlServerFixture>;

/// <summary>On PostgreSQL, writers wait for rows, not for the database: a raw read's audit line does not wait for the grid writer's batches.</summary>
[Trait("Category", "PostgreSql")]
public sealed class PostgreSqlWriteTurnTests(PostgreSqlServerFixture server) : Robustness.WriteTurnTests(server), IClassFixture<PostgreSqlServerFixture>
{
    protected override bool WritesTakeTurns => false;
}

/// <summary>A grid whose client gave up while it waited for the writer, on PostgreSQL: stored once, in the figures.</summary>
[Trait("Category", "PostgreSql")]
public sealed class PostgreSqlAbandonedSubmissionTests(PostgreSqlServerFixture server) : Robustness.AbandonedSubmissionTests(server), IClassFixture<PostgreSqlServerFixture>;
