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
