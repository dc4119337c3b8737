using System.Text.RegularExpressions;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;

namespace Observatoire.Server.Tests.Robustness;

/// <summary>
/// Random requests of any message of the contract, built from its descriptor alone: each field set or not, and set to a
/// value drawn from pools of codes the server knows (posts, departments, periods, cells), preferring those its answers
/// carry in a field of the same name (a request's <c>post_id</c> gets the ids of its posts), so that calls reach past the
/// first check; of values at the edges of their type (empty, huge, negative, NaN, out-of-range enums) and of hostile
/// text. Nothing here knows a method: a new field or method of the contract is fuzzed as soon as it exists.
/// </summary>
internal sealed class RandomRequests(Random random, KnownValues known)
{
    /// <summary>Nested messages deeper than this are left empty (the contract's messages are a few levels deep).</summary>
    private const int MaxDepth = 4;

    private static readonly string[] HostileTexts =
    [
        "", " ", "\0", "\u202e75", "é", "𝔘", "../../etc/passwd", "%s%n", "' OR 1=1 --", "\"; DROP TABLE x; --",
        "-1", "0", "9999", "2025-13", "2025-00", "2025-T5", "2025-T0", "0000", "+2025", "2025 ", " 75",
        "national", "region:", "departement:", "region:XX", "departement:2a", "*", "null", "NaN",
        new string('a', 300), new string('9', 5_000), new string('x', 70_000),
    ];

    private static readonly long[] EdgeIntegers = [0, 1, -1, 2, 7, 12, 100, 2016, 2025, 2026, 1899, 10_000, int.MaxValue, int.MinValue, long.MaxValue, long.MinValue];

    private static readonly double[] EdgeDoubles = [0, -0.0, 1, -1, 0.5, 3, 1e-300, 1e300, double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.Epsilon];

    /// <summary>A request of this type with random content.</summary>
    public IMessage Next(MessageDescriptor descriptor) => Fill(descriptor, 0);

    private IMessage Fill(MessageDescriptor descriptor, int depth)
    {
        var message = descriptor.Parser.ParseFrom(ByteString.Empty);
        if (depth > MaxDepth)
        {
            return message;
        }

        if (descriptor.FullName == Timestamp.Descriptor.FullName)
        {
            // Both valid and invalid instants: the server must refuse the latter cleanly.
            var timestamp = (Timestamp)message;
            timestamp.Seconds = random.Next(4) switch
            {
                0 => DateTimeOffset.UtcNow.ToUnixTimeSeconds() - random.Next(0, 400_000_000),
                1 => Pick(EdgeIntegers),
                2 => 253_402_300_800, // one second past year 9999
                _ => random.NextInt64(-100_000_000_000, 100_000_000_000),
            };
            timestamp.Nanos = random.Next(5) == 0 ? (int)Pick(EdgeIntegers) : 0;
            return message;
        }

        foreach (var oneof in descriptor.Oneofs.Where(o => !o.IsSynthetic))
        {
            // One member of each oneof, or none.
            if (random.Next(2) > 0)
            {
                var member = oneof.Fields[random.Next(oneof.Fields.Count)];
                member.Accessor.SetValue(message, Value(member, depth));
            }
        }

        foreach (var field in descriptor.Fields.InDeclarationOrder().Where(f => f.RealContainingOneof is null))
        {
            // Half the fields left unset: a request with few fields set is often valid, and reaches past the checks.
            if (random.Next(2) == 0)
            {
                continue;
            }

            if (field.IsMap)
            {
                var map = (System.Collections.IDictionary)field.Accessor.GetValue(message);
                var entry = field.MessageType;
                for (var i = random.Next(4); i > 0; i--)
                {
                    var key = Value(entry.FindFieldByNumber(1), depth + 1);
                    if (!map.Contains(key))
                    {
                        map.Add(key, Value(entry.FindFieldByNumber(2), depth + 1));
                    }
                }
            }
            else if (field.IsRepeated)
            {
                var list = (System.Collections.IList)field.Accessor.GetValue(message);

                // Sometimes many (a bound must hold), usually a few.
                var count = random.Next(20) == 0 ? 5_000 : random.Next(4);
                var one = count > 100 ? Value(field, depth + 1) : null;
                for (var i = 0; i < count; i++)
                {
                    list.Add(one ?? Value(field, depth + 1));
                }
            }
            else
            {
                field.Accessor.SetValue(message, Value(field, depth));
            }
        }

        return message;
    }

    /// <summary>
    /// A random GET of an HTTP binding (JSON transcoding): its path template with random segments, and random query
    /// parameters named after the request's fields (JSON or proto names, nested ones dotted), valued like their type or not.
    /// </summary>
    public string Url(string pathTemplate, MessageDescriptor input)
    {
        // Not a NUL in the path: the test host refuses to send one (Kestrel answers it 400 before the application).
        var path = Regex.Replace(pathTemplate, @"\{[^}]*\}", _ => Uri.EscapeDataString(Text().Replace("\0", "", StringComparison.Ordinal)));
        var query = new List<string>();
        AddQuery(input, "", query, 0);
        if (random.Next(10) == 0)
        {
            query.Add("inconnu=1");
        }

        return query.Count == 0 ? path : $"{path}?{string.Join("&", query)}";
    }

    private void AddQuery(MessageDescriptor descriptor, string prefix, List<string> query, int depth)
    {
        foreach (var field in descriptor.Fields.InDeclarationOrder())
        {
            if (random.Next(2) == 0 || field.IsMap)
            {
                continue;
            }

            var name = prefix + (random.Next(2) == 0 ? field.JsonName : field.Name);
            if (field.FieldType == FieldType.Message && field.MessageType.FullName != Timestamp.Descriptor.FullName)
            {
                if (depth < MaxDepth)
                {
                    AddQuery(field.MessageType, name + ".", query, depth + 1);
                }

                continue;
            }

            for (var i = field.IsRepeated ? random.Next(1, 4) : 1; i > 0; i--)
            {
                query.Add($"{name}={Uri.EscapeDataString(QueryValue(field))}");
            }
        }
    }

    private string QueryValue(FieldDescriptor field) => random.Next(4) == 0 ? Text() : field.FieldType switch
    {
        FieldType.Enum => random.Next(3) == 0 ? Pick(["99", "-1", "INCONNU"]) : field.EnumType.Values[random.Next(field.EnumType.Values.Count)].Name,
        FieldType.Bool => Pick(["true", "false", "1", "peut-etre"]),
        FieldType.Double or FieldType.Float => Pick(["NaN", "Infinity", "-Infinity", "-1", "0.5", "1e400", "2,5"]),
        FieldType.Message => Pick(["2025-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "pas une date"]),
        FieldType.String or FieldType.Bytes => Text(field),
        _ => Pick(["0", "1", "-1", "2025", "99999999999999999999", "2147483648", "-9223372036854775809", "1.5", "1e3"]),
    };

    private object Value(FieldDescriptor field, int depth) => field.FieldType switch
    {
        FieldType.String => Text(field),
        FieldType.Bytes => ByteString.CopyFrom(Bytes()),
        FieldType.Bool => random.Next(2) == 0,
        FieldType.Double => Pick(EdgeDoubles),
        FieldType.Float => (float)Pick(EdgeDoubles),
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => (int)Integer(),
        FieldType.UInt32 or FieldType.Fixed32 => (uint)Integer(),
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => Integer(),
        FieldType.UInt64 or FieldType.Fixed64 => (ulong)Integer(),
        FieldType.Enum => random.Next(5) == 0
            ? (int)Pick([-1, 42, int.MaxValue])
            : field.EnumType.Values[random.Next(field.EnumType.Values.Count)].Number,
        FieldType.Message or FieldType.Group => Fill(field.MessageType, depth + 1),
        _ => throw new NotSupportedException(field.FieldType.ToString()),
    };

    /// <summary>A random number in [0, <paramref name="max"/>).</summary>
    public int Next(int max) => random.Next(max);

    /// <summary>A text: a code the server knows, most often, or a hostile one.</summary>
    public string Text() => random.Next(10) switch
    {
        < 6 when known.Texts.Count > 0 => known.Texts[random.Next(known.Texts.Count)],
        _ => Pick(HostileTexts),
    };

    /// <summary>A text for this field: half the time one the server's answers carry under its name, else <see cref="Text()"/>.</summary>
    private string Text(FieldDescriptor field) =>
        random.Next(2) == 0 && known.For(field.Name) is { Count: > 0 } values ? values[random.Next(values.Count)] : Text();

    private byte[] Bytes()
    {
        var bytes = new byte[random.Next(3) switch { 0 => 0, 1 => random.Next(1, 64), _ => random.Next(1, 20_000) }];
        random.NextBytes(bytes);
        return bytes;
    }

    private long Integer() => random.Next(3) == 0 ? random.Next(-5, 100) : Pick(EdgeIntegers);

    private T Pick<T>(IReadOnlyList<T> values) => values[random.Next(values.Count)];
}

/// <summary>
/// The texts the server's own answers carry (registry, schema), all together and by the name of the field they were
/// in, also as "message_field" and, for a code or an id, as the message's name: a post's <c>id</c> is filed under
/// <c>id</c>, <c>post_id</c> and <c>post</c>, so that a request's field of either name draws real post ids.
/// </summary>
internal sealed class KnownValues
{
    private readonly Dictionary<string, List<string>> _byName = new(StringComparer.Ordinal);

    public KnownValues(IEnumerable<IMessage> answers, IEnumerable<string> extra)
    {
        var all = new HashSet<string>(extra, StringComparer.Ordinal);
        foreach (var answer in answers)
        {
            Collect(answer, all);
        }

        // A sample, so that codes of every kind are drawn often enough (there are hundreds of posts).
        Texts = [.. all.Order(StringComparer.Ordinal).Where((_, i) => i % 7 == 0 || all.Count < 200)];
    }

    /// <summary>A sample of every text.</summary>
    public IReadOnlyList<string> Texts { get; }

    /// <summary>The texts filed under this field name (or its singular), if any.</summary>
    public IReadOnlyList<string>? For(string fieldName) =>
        _byName.TryGetValue(fieldName, out var values) || (fieldName.EndsWith('s') && _byName.TryGetValue(fieldName[..^1], out values)) ? values : null;

    /// <summary>Files a value under a name by hand (periods, which no listing carries).</summary>
    public KnownValues With(string fieldName, params string[] values)
    {
        foreach (var value in values)
        {
            File(fieldName, value);
        }

        return this;
    }

    private void Collect(IMessage message, HashSet<string> all) =>
        MessageTexts.Visit(message, (owner, field, text) =>
        {
            if (text.Length > 40)
            {
                return;
            }

            var ownerName = Snake(owner.Descriptor.Name);
            all.Add(text);
            File(field.Name, text);
            File($"{ownerName}_{field.Name}", text);
            if (field.Name is "id" or "code")
            {
                File(ownerName, text);
            }
        });

    private void File(string name, string value)
    {
        if (!_byName.TryGetValue(name, out var values))
        {
            _byName[name] = values = [];
        }

        if (values.Count < 2_000 && !values.Contains(value))
        {
            values.Add(value);
        }
    }

    private static string Snake(string name) => Regex.Replace(name, "(?<=[a-z0-9])([A-Z])", "_$1").ToLowerInvariant();
}

/// <summary>Every non-empty text of a message, nested messages, lists and maps (keys and values) included.</summary>
internal static class MessageTexts
{
    /// <summary>Calls <paramref name="visit"/> with each text, the message holding it and its field; skips messages of the <paramref name="skip"/> types.</summary>
    public static void Visit(IMessage message, Action<IMessage, FieldDescriptor, string> visit, IReadOnlyCollection<MessageDescriptor>? skip = null)
    {
        if (skip?.Contains(message.Descriptor) == true)
        {
            return;
        }

        foreach (var field in message.Descriptor.Fields.InDeclarationOrder())
        {
            var value = field.Accessor.GetValue(message);
            var items = value switch
            {
                System.Collections.IDictionary map => map.Keys.Cast<object>().Concat(map.Values.Cast<object>()),
                System.Collections.IEnumerable list when field.IsRepeated => list.Cast<object>(),
                _ => [value],
            };
            foreach (var item in items)
            {
                switch (item)
                {
                    case string { Length: > 0 } text:
                        visit(message, field, text);
                        break;
                    case IMessage nested:
                        Visit(nested, visit, skip);
                        break;
                }
            }
        }
    }
}
