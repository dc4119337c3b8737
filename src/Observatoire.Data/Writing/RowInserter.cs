using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Observatoire.Data;

/// <summary>
/// Rows of one entity written with one multi-row INSERT on the context's connection and transaction, without the
/// change tracker: the columns, their names and how each value is bound come from the EF Core model of the
/// provider in use (each property's own type mapping, converters included), so a row is stored exactly as
/// <c>SaveChanges</c> would store it, on SQLite as on PostgreSQL. A key the database generates is left out of the
/// INSERT; <see cref="InsertReturningAsync"/> reads it back with columns that tell the rows apart.
/// <para>
/// On SQLite the rows go one per execution of a single prepared statement instead: SQLite finds a named parameter by
/// a linear search of the statement's names, so binding a statement of n parameters costs n² comparisons (a batch of
/// 250 grids bound 4,000 parameters: 8 million string comparisons, the writer's largest cost), and a multi-row
/// statement is parsed again for every batch size. SQLite has no round trip to save; its statement, compiled once and
/// run again with each row's values, costs a few microseconds a row.
/// </para>
/// </summary>
internal sealed class RowInserter<T>
    where T : class
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<IModel, RowInserter<T>> Cache = new();

    private readonly IProperty[] _columns;
    private readonly IClrPropertyGetter[] _getters;
    private readonly RelationalTypeMapping[] _mappings;
    private readonly string[] _names;
    private readonly string _head;
    private readonly ISqlGenerationHelper _sql;
    private readonly IEntityType _entity;
    private readonly bool _rowByRow;

    private RowInserter(IEntityType entity, ISqlGenerationHelper sql, bool rowByRow)
    {
        _entity = entity;
        _sql = sql;
        _rowByRow = rowByRow;
        _columns = [.. entity.GetProperties().Where(p => !p.IsShadowProperty() && !(p.IsPrimaryKey() && p.ValueGenerated == ValueGenerated.OnAdd))];
        _getters = [.. _columns.Select(p => p.GetGetter())];
        _mappings = [.. _columns.Select(p => p.GetRelationalTypeMapping())];
        _names = [.. Enumerable.Range(0, _columns.Length).Select(i => sql.GenerateParameterName($"p{i}"))];
        _head = $"INSERT INTO {sql.DelimitIdentifier(entity.GetTableName()!)} ({string.Join(", ", _columns.Select(Column))}) VALUES ";
    }

    /// <summary>The inserter of <typeparamref name="T"/> for this context's model (one per provider, built once).</summary>
    public static RowInserter<T> For(DbContext db) =>
        Cache.GetOrAdd(db.Model, static (_, context) => new RowInserter<T>(
            context.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model."),
            context.GetService<ISqlGenerationHelper>(),
            context.Database.IsSqlite()), db);

    /// <summary>Columns bound per row: a statement holds at most this many rows (SQLite allows 32,766 parameters).</summary>
    public int RowsPerStatement => Math.Max(1, 30_000 / _columns.Length);

    /// <summary>Inserts the rows (several statements when they are many).</summary>
    public Task InsertAsync(DbContext db, IReadOnlyList<T> rows, CancellationToken ct) =>
        WriteAsync(db, rows, returning: null, read: null, ct);

    /// <summary>
    /// Inserts the rows and hands each row the database returned (the generated key and the named columns) to
    /// <paramref name="read"/>, in no particular order: the named columns must tell the rows apart.
    /// </summary>
    public Task InsertReturningAsync(DbContext db, IReadOnlyList<T> rows, string[] returning, Action<DbDataReader> read, CancellationToken ct) =>
        WriteAsync(db, rows, returning, read, ct);

    /// <summary>The delimited column name of a property of <typeparamref name="T"/>.</summary>
    public string Column(string property) => Column(_entity.FindProperty(property) ?? throw new ArgumentException(property, nameof(property)));

    /// <summary>A parameter bound as the model binds <paramref name="property"/>.</summary>
    public DbParameter Parameter(DbCommand command, string property, string name, object? value)
    {
        var column = _entity.FindProperty(property) ?? throw new ArgumentException(property, nameof(property));
        return column.GetRelationalTypeMapping().CreateParameter(command, name, value, column.IsNullable);
    }

    /// <summary>A command on the context's connection, enlisted in its current transaction.</summary>
    public static DbCommand NewCommand(DbContext db)
    {
        var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Rows are written inside the writer's transaction.");
        return command;
    }

    private async Task WriteAsync(DbContext db, IReadOnlyList<T> rows, string[]? returning, Action<DbDataReader>? read, CancellationToken ct)
    {
        var perStatement = _rowByRow ? 1 : RowsPerStatement;
        var preparedRows = 0;
        DbCommand? command = null;
        try
        {
            for (var start = 0; start < rows.Count; start += perStatement)
            {
                var count = Math.Min(perStatement, rows.Count - start);

                // A statement of the same size has the same text: its command, prepared once, is bound again (row by
                // row, every statement; in several-row statements, all but the last).
                if (command is null || count != preparedRows)
                {
                    if (command is not null)
                    {
                        await command.DisposeAsync();
                    }

                    command = NewCommand(db);
                    command.CommandText = Text(count, returning);
                    preparedRows = count;
                }

                Bind(command, rows, start, count);
                if (read is null)
                {
                    await command.ExecuteNonQueryAsync(ct);
                    continue;
                }

                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    read(reader);
                }
            }
        }
        finally
        {
            if (command is not null)
            {
                await command.DisposeAsync();
            }
        }
    }

    /// <summary>The INSERT of <paramref name="count"/> rows, its parameters named in order (<c>p0</c>, <c>p1</c>…).</summary>
    private string Text(int count, string[]? returning)
    {
        var text = new StringBuilder(_head, _head.Length + (count * _columns.Length * 8) + 64);
        var index = 0;
        for (var r = 0; r < count; r++)
        {
            text.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < _columns.Length; c++)
            {
                text.Append(c == 0 ? "" : ", ").Append(ParameterName(index++));
            }

            text.Append(')');
        }

        if (returning is not null)
        {
            var key = _entity.FindPrimaryKey()!.Properties.Select(Column);
            text.Append(" RETURNING ").AppendJoin(", ", key.Concat(returning.Select(Column)));
        }

        return text.ToString();
    }

    /// <summary>The values of these rows, in the order of <see cref="Text"/>'s parameters (the command's earlier values replaced).</summary>
    private void Bind(DbCommand command, IReadOnlyList<T> rows, int start, int count)
    {
        command.Parameters.Clear();
        var index = 0;
        for (var r = 0; r < count; r++)
        {
            var row = rows[start + r];
            for (var c = 0; c < _columns.Length; c++)
            {
                command.Parameters.Add(_mappings[c].CreateParameter(command, ParameterName(index++), _getters[c].GetClrValueUsingContainingEntity(row), _columns[c].IsNullable));
            }
        }
    }

    private string ParameterName(int index) =>
        index < _names.Length ? _names[index] : _sql.GenerateParameterName($"p{index}");

    private string Column(IProperty property) => _sql.DelimitIdentifier(property.GetColumnName());
}
