using System.Data.Common;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Observatoire.Data;

/// <summary>
/// Rows of one entity read from a plain command, without EF Core's query pipeline (which compiles a plan, and
/// code, for each distinct SQL text: the writer's look-ups have one text per batch size). The columns and how each
/// value is read and converted come from the EF Core model of the provider in use, so an entity is read exactly as
/// a query would read it, on SQLite as on PostgreSQL. Built once per model.
/// </summary>
internal sealed class RowReader<T>
    where T : class
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<IModel, RowReader<T>> Cache = new();

    private static readonly MethodInfo ReadValueMethod =
        typeof(RowReader<T>).GetMethod(nameof(ReadValue), BindingFlags.NonPublic | BindingFlags.Static)!;

    private readonly Column[] _columns;

    private RowReader(IEntityType entity, ISqlGenerationHelper sql)
    {
        _columns = [.. entity.GetProperties().Where(p => !p.IsShadowProperty() && p.PropertyInfo is not null).Select(p => new Column(p, sql))];
    }

    /// <summary>The reader of <typeparamref name="T"/> for this context's model (one per provider, built once).</summary>
    public static RowReader<T> For(DbContext db) =>
        Cache.GetOrAdd(db.Model, static (_, context) => new RowReader<T>(
            context.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model."),
            context.GetService<ISqlGenerationHelper>()), db);

    /// <summary>The columns this reader reads, in order, each prefixed with <paramref name="alias"/> ("g" gives g."PostId", ...).</summary>
    public string SelectList(string alias) => string.Join(", ", _columns.Select(c => $"{alias}.{c.Name}"));

    /// <summary>How many columns <see cref="Read"/> consumes.</summary>
    public int Width => _columns.Length;

    /// <summary>The entity in the current row, from the columns of <see cref="SelectList"/> starting at <paramref name="first"/>.</summary>
    public T Read(DbDataReader reader, int first = 0)
    {
        // Every mapped property is set below, required ones included.
        var entity = Activator.CreateInstance<T>();
        for (var i = 0; i < _columns.Length; i++)
        {
            var column = _columns[i];
            var value = reader.IsDBNull(first + i) ? null : column.Read(reader, first + i);
            column.Property.SetValue(entity, value is null || column.Converter is null ? value : column.Converter.ConvertFromProvider(value));
        }

        return entity;
    }

    private static object? ReadValue<TValue>(DbDataReader reader, int ordinal) => reader.GetFieldValue<TValue>(ordinal);

    private sealed class Column
    {
        public Column(IProperty property, ISqlGenerationHelper sql)
        {
            var mapping = property.GetRelationalTypeMapping();
            Property = property.PropertyInfo!;
            Name = sql.DelimitIdentifier(property.GetColumnName());
            Converter = mapping.Converter;
            var stored = Nullable.GetUnderlyingType(Converter?.ProviderClrType ?? mapping.ClrType) ?? Converter?.ProviderClrType ?? mapping.ClrType;
            Read = ReadValueMethod.MakeGenericMethod(stored).CreateDelegate<Func<DbDataReader, int, object?>>();
        }

        public PropertyInfo Property { get; }

        public string Name { get; }

        public ValueConverter? Converter { get; }

        public Func<DbDataReader, int, object?> Read { get; }
    }
}
