using System.Globalization;
using System.Text.RegularExpressions;

namespace Observatoire.Benchmarks.Ingest;

/// <summary>
/// What the server spent during a scenario, read from outside: its CPU time and the bytes it had written to storage
/// (from /proc, Linux only: <c>write_bytes</c>, what the database's writes cost the disk, journal and checkpoints included) and its own
/// group-commit metrics (transactions, grids per transaction, time per transaction) scraped from /metrics.
/// </summary>
internal sealed partial class ServerGauge(int processId, Uri management)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public readonly record struct Reading(double CpuSeconds, double Batches, double BatchedGrids, double CommitSeconds, double WrittenBytes, double JitSeconds)
    {
        public static Reading operator -(Reading a, Reading b) =>
            new(a.CpuSeconds - b.CpuSeconds, a.Batches - b.Batches, a.BatchedGrids - b.BatchedGrids, a.CommitSeconds - b.CommitSeconds, a.WrittenBytes - b.WrittenBytes, a.JitSeconds - b.JitSeconds);
    }

    public async Task<Reading> ReadAsync()
    {
        var metrics = await Http.GetStringAsync(new Uri(management, "/metrics"));
        return new Reading(
            CpuSeconds(),
            Metric(metrics, "observatoire_ingest_batch_size", "count"),
            Metric(metrics, "observatoire_ingest_batch_size", "sum"),
            Metric(metrics, "observatoire_ingest_commit_duration", "sum"),
            WrittenBytes(),
            JitSeconds());
    }

    /// <summary>
    /// CPU time of the runtime's background compiler (the thread ".NET Tiered Com…"), which recompiles hot methods with
    /// optimizations for a while after start: what a freshly started server pays and one that has been running does not.
    /// </summary>
    public double JitSeconds()
    {
        var total = 0.0;
        foreach (var task in Directory.Exists($"/proc/{processId}/task") ? Directory.GetDirectories($"/proc/{processId}/task") : [])
        {
            try
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).StartsWith(".NET Tiered Com", StringComparison.Ordinal))
                {
                    total += Ticks(File.ReadAllText(Path.Combine(task, "stat")));
                }
            }
            catch (IOException)
            {
                // The thread ended while it was read.
            }
        }

        return total;
    }

    private double WrittenBytes()
    {
        var path = $"/proc/{processId}/io";
        if (!File.Exists(path))
        {
            return double.NaN;
        }

        var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith("write_bytes:", StringComparison.Ordinal));
        return line is null ? double.NaN : double.Parse(line["write_bytes:".Length..].Trim(), CultureInfo.InvariantCulture);
    }

    private double CpuSeconds()
    {
        var path = $"/proc/{processId}/stat";
        if (!File.Exists(path))
        {
            return double.NaN;
        }

        return Ticks(File.ReadAllText(path));
    }

    /// <summary>User and system time of a process's or a thread's stat line, in seconds.</summary>
    private static double Ticks(string stat)
    {
        // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th, in clock ticks.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    private static double Metric(string text, string name, string part)
    {
        foreach (Match match in MetricLine().Matches(text))
        {
            if (match.Groups["name"].Value.StartsWith(name, StringComparison.Ordinal) && match.Groups["part"].Value == part)
            {
                return double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    [GeneratedRegex(@"^(?<name>[a-z_]+)_(?<part>sum|count)(\{[^}]*\})? (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex MetricLine();
}
