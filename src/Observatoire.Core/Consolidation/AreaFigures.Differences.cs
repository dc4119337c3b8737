using Observatoire.Core.Periods;
using Observatoire.Core.Schemas;

namespace Observatoire.Core.Consolidation;

/// <summary>
/// Keeping an area of a hierarchy table up to date when some of its posts' figures change, without adding up the
/// others again: sums and counts move by the difference; derivability is a count of the posts that block each cell;
/// the fields that are not differences (the lists of missing grids in the posts' order, the newest reception time,
/// the schema versions, the full-time equivalents as a floating sum) are kept while the change cannot alter them and
/// otherwise read again from the area's posts (<see cref="Rescan"/>), which is a pass over references, not cells.
/// The result is identical, bit for bit and in order, to the area added up afresh.
/// </summary>
public sealed partial class AreaFigures
{
    /// <summary>
    /// For an area of a hierarchy table, how many of its posts make each cell not derivable (<see cref="Blocks"/>).
    /// Null for figures added up once (<see cref="Consolidator.ForArea"/>), which <see cref="Replace"/> refuses.
    /// </summary>
    private int[]? _blocking;

    /// <summary>The fields a replacement could not update by difference, to be read again from the area's posts.</summary>
    [Flags]
    internal enum Stale
    {
        None = 0,
        Missing = 1,
        DataAsOf = 2,
        SchemaVersions = 4,
        Fte = 8,
    }

    /// <summary>Empty figures of a hierarchy area, which count their posts' blocking cells as parts are added.</summary>
    internal static AreaFigures ForHierarchy(AreaRef area, Period period, GridSchema schema) =>
        new(area, period, schema) { _blocking = new int[schema.Layout.Count] };

    /// <summary>
    /// Whether a part makes a sum's cell not derivable. Across posts of one period distinct-person counts do add (a
    /// person seen by two posts counts twice), but a sum is only derivable when every part is; a part without grids
    /// contributes nothing, and a post that owes its yearly bilan is left out of the year's distinct persons (listed in
    /// MissingBilans) rather than blocking them.
    /// </summary>
    private bool Blocks(AreaFigures part, int cell) =>
        !part.Derivable[cell] && part.GridsUsed > 0 && !(part.MissingBilans.Count > 0 && IsDistinct(cell));

    /// <summary>A copy of a hierarchy area that a replacement may change while readers keep this one.</summary>
    internal AreaFigures Copy()
    {
        var copy = new AreaFigures(Area, Period, Schema)
        {
            _blocking = (int[]?)_blocking?.Clone(),
            ExpectedPosts = ExpectedPosts,
            DuePosts = DuePosts,
            ContributingPosts = ContributingPosts,
            IncompatiblePosts = IncompatiblePosts,
            GridsUsed = GridsUsed,
            YearlyBilans = YearlyBilans,
            DataAsOf = DataAsOf,
            Fte = Fte,
        };
        Values.CopyTo(copy.Values, 0);
        Derivable.CopyTo(copy.Derivable, 0);
        copy.Missing.AddRange(Missing);
        copy.MissingBilans.AddRange(MissingBilans);
        foreach (var version in SchemaVersions)
        {
            copy.SchemaVersions.Add(version);
        }

        return copy;
    }

    /// <summary>
    /// Replaces one post's figures (<paramref name="old"/>, as they were added in) by <paramref name="now"/>. Figures
    /// of a post without data are all zero and empty, so the same holds when the post gains or loses its data.
    /// </summary>
    /// <returns>The fields to read again from the area's posts before the figures are read.</returns>
    internal Stale Replace(AreaFigures old, AreaFigures now)
    {
        if (_blocking is null)
        {
            throw new InvalidOperationException("Only the areas of a hierarchy table are updated by difference.");
        }

        for (var i = 0; i < Values.Length; i++)
        {
            Values[i] += now.Values[i] - old.Values[i];
            var blocking = (Blocks(now, i) ? 1 : 0) - (Blocks(old, i) ? 1 : 0);
            if (blocking != 0)
            {
                _blocking[i] += blocking;
                Derivable[i] = _blocking[i] == 0;
            }
        }

        ExpectedPosts += now.ExpectedPosts - old.ExpectedPosts;
        DuePosts += now.DuePosts - old.DuePosts;
        ContributingPosts += now.ContributingPosts - old.ContributingPosts;
        IncompatiblePosts += now.IncompatiblePosts - old.IncompatiblePosts;
        GridsUsed += now.GridsUsed - old.GridsUsed;
        YearlyBilans += now.YearlyBilans - old.YearlyBilans;

        var stale = Stale.None;
        if (!now.Missing.SequenceEqual(old.Missing) || !now.MissingBilans.SequenceEqual(old.MissingBilans))
        {
            stale |= Stale.Missing;
        }

        // The newest reception time is a maximum: a newer one raises it; the loss of the newest needs the others.
        if (now.DataAsOf > DataAsOf || (DataAsOf is null && now.DataAsOf is not null))
        {
            DataAsOf = now.DataAsOf;
        }
        else if (old.DataAsOf is { } was && was == DataAsOf && !(now.DataAsOf >= was))
        {
            stale |= Stale.DataAsOf;
        }

        // A union: versions gained are added; a version lost may still be another post's.
        if (Within(old.SchemaVersions, now.SchemaVersions))
        {
            foreach (var version in now.SchemaVersions)
            {
                SchemaVersions.Add(version);
            }
        }
        else
        {
            stale |= Stale.SchemaVersions;
        }

        // A floating sum depends on its order: added again in the posts' order if it ever moves (a post's FTE is the
        // registry's, so it moves only when a post without data and outside its active dates gains or loses grids).
        if (now.Fte.CompareTo(old.Fte) != 0)
        {
            stale |= Stale.Fte;
        }

        return stale;

        static bool Within(SortedSet<string> some, SortedSet<string> all)
        {
            foreach (var item in some)
            {
                if (!all.Contains(item))
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>Reads the fields <paramref name="stale"/> names again from the area's posts, in the registry's order.</summary>
    /// <param name="members">The indices in <paramref name="posts"/> of the posts counted in this area, in order.</param>
    internal void Rescan(Stale stale, ReadOnlySpan<int> members, AreaFigures[] posts)
    {
        if (stale.HasFlag(Stale.Missing))
        {
            Missing.Clear();
            MissingBilans.Clear();
        }

        if (stale.HasFlag(Stale.DataAsOf))
        {
            DataAsOf = null;
        }

        if (stale.HasFlag(Stale.SchemaVersions))
        {
            SchemaVersions.Clear();
        }

        if (stale.HasFlag(Stale.Fte))
        {
            Fte = 0;
        }

        foreach (var member in members)
        {
            var part = posts[member];
            if (!part.HasData)
            {
                continue;
            }

            if (stale.HasFlag(Stale.Missing))
            {
                Missing.AddRange(part.Missing);
                MissingBilans.AddRange(part.MissingBilans);
            }

            if (stale.HasFlag(Stale.DataAsOf) && part.DataAsOf is { } asOf && (DataAsOf is null || asOf > DataAsOf))
            {
                DataAsOf = asOf;
            }

            if (stale.HasFlag(Stale.SchemaVersions))
            {
                foreach (var version in part.SchemaVersions)
                {
                    SchemaVersions.Add(version);
                }
            }

            if (stale.HasFlag(Stale.Fte))
            {
                Fte += part.Fte;
            }
        }
    }
}
