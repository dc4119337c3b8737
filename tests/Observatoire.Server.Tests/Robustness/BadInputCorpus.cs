using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Observatoire.Protos.V1;

namespace Observatoire.Server.Tests.Robustness;

/// <summary>
/// A generated corpus of bad inputs, crossed over every field a client controls: wrong types and codes,
/// values out of range, periods at the calendar's edges and in other scripts, sizes, encodings.
/// Every grid of the corpus is invalid for at least one reason, so none may be stored.
/// </summary>
public static class BadInputCorpus
{
    /// <summary>Period texts a client may send: malformed, at the edges, beyond the horizon, in other digits (a monthly post's year is its bilan: valid).</summary>
    public static readonly string[] Periods =
    [
        "", " ", "2025-T1", "0001", "0001-01", "1899-12", "1900-01", "9999", "9999-12", "9999-T4", "2025-00", "2025-13",
        "2025-T0", "2025-T5", "2025-1", "2025-003", "25-03", "2025/03", "2025-03\n", "2025-03\0", "-2025", "+2025",
        "\u0662\u0660\u0662\u0665-\u0660\u0663", "\uff12\uff10\uff12\uff15-\uff10\uff13", "२०२५-०३", "2025-0\u0663",
        "2100", "2100-01", "3000-T2", "ⅯⅯⅩⅩⅤ", "2025-03' OR '1'='1", new string('9', 100_000), "\ud800\udc00",
    ];

    public static readonly string[] Texts =
    [
        "", " ", "\0", "\u202e", "P-01-001\0", "../../etc/passwd", "'; DROP TABLE GridRevisions; --", "ℙ-01-001",
        new string('x', 129), new string('é', 10_000), string.Concat(Enumerable.Repeat("e\u0301", 5_000)), "\ud83d\ude00",
        new string('\u0301', 50_000),
    ];

    public static readonly long[] Values = [long.MinValue, long.MaxValue, -1, int.MaxValue + 1L, 1_000_001];

    public static readonly string[] CellKeys =
    [
        "", "[", "]", "x[", "personnes_recues[", "personnes_recues[]", "personnes_recues[statut]", "personnes_recues[statut=]",
        "personnes_recues[=victime]", "personnes_recues[statut=victime,statut=victime]", "personnes_recues[statut=*]",
        "PERSONNES_RECUES", "personnes_recues ", "personnes\u0000recues", new string('a', 65), new string('a', 100_000) + "[b=c]",
        "personnes_recues[statut=victime][sexe=femme]", "personnes_recues[sexe=femme,tranche_age=26_40,statut=victime]",
    ];

    /// <summary>Comments a client may send: oversized, floods of combining marks, personal data, adversarial for the guard.</summary>
    public static readonly string[] Comments =
    [
        new string('x', 2_001), "e" + new string('\u0301', 9_000), "appeler le 06 12 34 56 78", "né le 12/03/1985",
        "1" + new string(' ', 1_998) + "x", string.Concat(Enumerable.Repeat("né ", 666)),
        new string('a', 1_000) + "@" + string.Concat(Enumerable.Repeat("a.", 499)),
    ];

    /// <summary>Grids, each broken in one field (and so invalid), crossed with a valid post and period elsewhere.</summary>
    public static IEnumerable<(string Label, Grid Grid)> Grids(string post)
    {
        foreach (var period in Periods)
        {
            yield return ($"period {Short(period)}", TestGrids.Valid(post, period));
        }

        foreach (var text in Texts)
        {
            var badPost = TestGrids.Valid(text, "2025-01");
            yield return ($"post {Short(text)}", badPost);
            var badVersion = TestGrids.Valid(post, "2025-01");
            badVersion.SchemaVersion = text;
            yield return ($"version {Short(text)}", badVersion);
        }

        foreach (var value in Values)
        {
            var grid = TestGrids.Valid(post, "2025-01");
            foreach (var key in grid.Values.Keys.ToList())
            {
                grid.Values[key] = value;
            }

            yield return ($"every value {value}", grid);
            var one = TestGrids.Valid(post, "2025-01");
            one.Values["personnes_recues[statut=victime]"] = value;
            yield return ($"one value {value}", one);
        }

        foreach (var key in CellKeys)
        {
            var grid = TestGrids.Valid(post, "2025-01");
            grid.Values[key] = 1;
            yield return ($"cell {Short(key)}", grid);
        }

        var many = TestGrids.Valid(post, "2025-01");
        for (var i = 0; i < 1_001; i++)
        {
            many.Values[$"inconnu_{i}"] = i;
        }

        yield return ("1001 cells", many);
        var empty = TestGrids.Valid(post, "2025-01");
        empty.Values.Clear();
        yield return ("no cells", empty);

        // Each comment rides on a grid with a negative count, so that even a harmless one is not stored.
        foreach (var comment in Comments)
        {
            var grid = TestGrids.Valid(post, "2025-01", comment);
            grid.Values["signalements_procureur"] = -1;
            yield return ($"comment {Short(comment)}", grid);
        }
    }

    /// <summary>Submissions whose envelope (not the grid) is at fault.</summary>
    public static IEnumerable<(string Label, SubmitGridRequest Request)> Envelopes(string post)
    {
        SubmitGridRequest Valid() => TestGrids.Submission(TestGrids.Valid(post, "2025-01"));
        yield return ("no grid", new SubmitGridRequest { SubmissionId = "x" });
        foreach (var text in new[] { "", " ", new string('s', 129), new string('s', 100_000) })
        {
            var request = Valid();
            request.SubmissionId = text;
            yield return ($"submission id {Short(text)}", request);
            var client = Valid();
            client.ClientId = new string('c', 129) + text;
            yield return ($"client id {Short(text)}", client);
        }

        foreach (var stamp in new[]
        {
            new Timestamp { Seconds = long.MaxValue },
            new Timestamp { Seconds = long.MinValue },
            new Timestamp { Seconds = 253_402_300_800 }, // 10000-01-01
            new Timestamp { Seconds = -62_135_596_801 }, // before 0001-01-01
            new Timestamp { Seconds = 0, Nanos = -1 },
            new Timestamp { Seconds = 1_750_000_000, Nanos = 1_000_000_000 },
            new Timestamp { Seconds = 0 }, // 1970: before the grid's period ended
            Timestamp.FromDateTime(new DateTime(2025, 1, 15, 0, 0, 0, DateTimeKind.Utc)), // within the period
            Timestamp.FromDateTime(new DateTime(2999, 1, 1, 0, 0, 0, DateTimeKind.Utc)), // in the future
        })
        {
            var request = Valid();
            request.ReceivedAt = stamp;
            yield return ($"received_at {stamp.Seconds}/{stamp.Nanos}", request);
        }
    }

    /// <summary>Areas a client may name: unspecified or unknown levels, codes missing, unknown or oversized.</summary>
    public static IEnumerable<Area?> Areas()
    {
        yield return null;
        yield return new Area();
        yield return new Area { Level = (AreaLevel)99 };
        yield return new Area { Level = (AreaLevel)(-1) };
        foreach (var level in new[] { AreaLevel.Region, AreaLevel.Department, AreaLevel.Post })
        {
            foreach (var code in new[] { "", "zz", "\0", "2a", "75 ", new string('9', 100_000), "ℙ-01-001" })
            {
                yield return new Area { Level = level, Code = code };
            }
        }
    }

    /// <summary>Raw request bodies no well-behaved client sends: truncated, corrupted, oversized, mislabelled.</summary>
    public static IEnumerable<(string Label, byte[] Body)> Frames(byte[] validPayload)
    {
        var random = new Random(20261201);
        yield return ("empty body", []);
        yield return ("half a prefix", [0, 0, 0]);
        yield return ("prefix only", RawGrpc.Frame([], declaredLength: 100));
        yield return ("truncated payload", RawGrpc.Frame(validPayload.AsSpan(0, validPayload.Length / 2), declaredLength: validPayload.Length));
        yield return ("payload cut short", RawGrpc.Frame(validPayload.AsSpan(0, validPayload.Length - 3)));
        yield return ("compressed without encoding", RawGrpc.Frame(validPayload, compressed: true));
        yield return ("flag byte 7", [7, .. RawGrpc.Frame(validPayload).AsSpan(1)]);
        yield return ("declared 2 GiB", RawGrpc.Frame(validPayload, declaredLength: int.MaxValue));
        yield return ("declared negative", RawGrpc.Frame(validPayload, declaredLength: -1));
        yield return ("two frames for a unary call", [.. RawGrpc.Frame(validPayload), .. RawGrpc.Frame(validPayload)]);
        yield return ("trailing garbage", [.. RawGrpc.Frame(validPayload), 1, 2]);
        yield return ("invalid tag 0", RawGrpc.Frame([0x00, 0x01]));
        yield return ("wire type 7", RawGrpc.Frame([0x0F, 0x01]));
        yield return ("length past the end", RawGrpc.Frame([0x0A, 0x7F, 0x01]));
        yield return ("endless varint", RawGrpc.Frame([0x08, .. Enumerable.Repeat((byte)0xFF, 12)]));
        yield return ("nesting bomb", RawGrpc.Frame(NestingBomb(200)));
        for (var i = 0; i < 12; i++)
        {
            var corrupted = (byte[])validPayload.Clone();
            for (var flips = 0; flips < 1 + i; flips++)
            {
                corrupted[random.Next(corrupted.Length)] = (byte)random.Next(256);
            }

            yield return ($"corrupted #{i}", RawGrpc.Frame(corrupted));
        }

        for (var i = 0; i < 4; i++)
        {
            var noise = new byte[1 + random.Next(2_000)];
            random.NextBytes(noise);
            yield return ($"noise #{i}", RawGrpc.Frame(noise));
        }
    }

    /// <summary>Field 1 (the grid of a SubmitGridRequest is field 3; any length-delimited field nests) repeated as deep as asked.</summary>
    private static byte[] NestingBomb(int depth)
    {
        var message = ByteString.Empty;
        for (var i = 0; i < depth; i++)
        {
            var outer = new List<byte> { 0x1A };
            var length = message.Length;
            do
            {
                var b = (byte)(length & 0x7F);
                length >>= 7;
                outer.Add(length > 0 ? (byte)(b | 0x80) : b);
            }
            while (length > 0);
            outer.AddRange(message.ToByteArray());
            message = ByteString.CopyFrom([.. outer]);
        }

        return message.ToByteArray();
    }

    private static string Short(string text) =>
        text.Length <= 24 ? text.Replace("\0", "\\0").Replace("\n", "\\n") : $"{text[..12].Replace("\0", "\\0")}…({text.Length})";
}
