namespace Observatoire.Core.Disclosure;

/// <summary>Settings of <see cref="SecrecyPlanner"/>.</summary>
public sealed class SecrecyOptions
{
    /// <summary>
    /// The threshold k of the frequency rule: a protectable count from 1 to k-1 is suppressed (default 5).
    /// Zero is not suppressed by this rule: an empty cell describes nobody.
    /// </summary>
    public int Threshold { get; set; } = 5;

    /// <summary>
    /// The sliding protection range: the interval a reader can derive for a primary cell, by linear programming
    /// over everything published, must be at least this wide (default 2: at least three values possible).
    /// Where the primary flag is published, a reader knows that a primary cell lies in 1..k-1, so the range is at most k-2.
    /// </summary>
    public int ProtectionRange { get; set; } = 2;

    /// <summary>
    /// Directions (a cell's raise or lowering) a plan may search by linear programs to widen a cell that hypercubes protect but not fully (default 200). A cell
    /// that no hypercube protects at all always gets its linear programs: exact recovery is never left to a budget.
    /// </summary>
    public int MaxLinearPrograms { get; set; } = 200;

    /// <summary>
    /// Work allowed to the second pass (<see cref="RangeRepair"/>), which gives the primary cells still below the range
    /// their table allows wider linear programs: the sum of the programs' variables and of the cells their sign tests
    /// scan, 256 of which count as one variable (default 200,000). A count of work, not a clock, so that the same
    /// data always give the same plan; the cells left when it runs out keep the first pass's range and are counted in
    /// <see cref="PlanningProfile.RepairOverBudget"/>.
    /// </summary>
    public long MaxRepairVariables { get; set; } = 200_000;

    /// <summary>
    /// Whether readers are told which suppressed cells are primary (SDMX "A", a count of 1..k-1) and which secondary
    /// ("D"). Default false: every suppressed cell is published as one status ("C", <see cref="CellConfidentiality.Suppressed"/>),
    /// so a reader knows of a hidden count only that it is not negative, and the plan protects against that reader.
    /// When true, the plan protects against a reader who uses the flag's 1..k-1, which pins some cells exactly
    /// (a year of 4 made of four flagged quarters, each at least 1, is 4), and needs far more secondary cells.
    /// </summary>
    public bool PrimaryFlagPublished { get; set; }

    /// <summary>Throws when the settings cannot be met.</summary>
    public void Validate()
    {
        if (Threshold < 3)
        {
            throw new ArgumentOutOfRangeException(nameof(Threshold), Threshold, "The threshold k must be at least 3: a primary flag alone tells a reader that the count lies in 1..k-1.");
        }

        if (ProtectionRange < 1 || ProtectionRange > Threshold - 2)
        {
            throw new ArgumentOutOfRangeException(nameof(ProtectionRange), ProtectionRange, $"The protection range must lie in 1..k-2 (1..{Threshold - 2}).");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(MaxLinearPrograms);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxRepairVariables);
    }
}

/// <summary>What secondary suppression cost: the cells hidden only to protect others, and their weight.</summary>
/// <param name="PrimaryCells">Cells hidden because they are small.</param>
/// <param name="SecondaryCells">Cells hidden to protect the primary cells.</param>
/// <param name="SecondaryValue">The sum of the secondary cells' values.</param>
/// <param name="ProtectableCells">Cells that could be hidden (below the national level, with data).</param>
/// <param name="ProtectableValue">The sum of their values.</param>
public sealed record InformationLoss(int PrimaryCells, int SecondaryCells, long SecondaryValue, int ProtectableCells, long ProtectableValue)
{
    /// <summary>Share of the protectable cells hidden as secondary cells.</summary>
    public double SecondaryCellShare => ProtectableCells == 0 ? 0 : (double)SecondaryCells / ProtectableCells;

    /// <summary>Share of the protectable total value hidden in secondary cells.</summary>
    public double SecondaryValueShare => ProtectableValue == 0 ? 0 : (double)SecondaryValue / ProtectableValue;
}

/// <summary>A primary cell protected by less than the range: by <paramref name="Range"/> only (0: not even from exact recovery).</summary>
/// <param name="Cell">The cell's index in the linked table.</param>
/// <param name="Range">The width of the interval its certificates guarantee.</param>
/// <param name="Attainable">
/// The most any suppression could give it (its bounds from the known cells and the relations); below the protection
/// range, the limit is the table's, not the planner's.
/// </param>
public sealed record NarrowCell(int Cell, double Range, int Attainable)
{
    /// <summary>True when the planner reached what the table allows.</summary>
    public bool AtTableLimit => Range + 1e-9 >= Attainable;
}

/// <summary>The publication status of every cell of a <see cref="LinkedTable"/>, and what it cost.</summary>
/// <param name="Statuses">One status per cell; known and unknown cells are <see cref="CellConfidentiality.Free"/>.</param>
/// <param name="Narrowed">
/// Primary cells whose certificates reach less than the protection range, typically a small quarter made of small
/// months (each at least 1, since a reader knows a primary cell is): the cell keeps the widest range found. They stay
/// suppressed.
/// </param>
/// <param name="Loss">Information loss of the secondary suppression.</param>
/// <param name="LinearProgramCertificates">Linear programs solved (where no hypercube sufficed).</param>
public sealed record SecrecyPlan(CellConfidentiality[] Statuses, IReadOnlyList<NarrowCell> Narrowed, InformationLoss Loss, int LinearProgramCertificates)
{
    /// <summary>Where the planning time went (for the benchmark and the logs).</summary>
    public PlanningProfile Profile { get; init; } = new();
}

/// <summary>How a plan was made: the primary cells by the way they got their certificates, and the time of each phase.</summary>
public sealed record PlanningProfile
{
    /// <summary>Primary cells that needed no search: earlier cells' certificates already span what the table allows them.</summary>
    public int Reused { get; init; }

    /// <summary>Primary cells protected by hypercubes alone.</summary>
    public int ByHypercube { get; init; }

    /// <summary>Primary cells that needed linear programs.</summary>
    public int ByLinearProgram { get; init; }

    /// <summary>Directions whose first, small linear program (the cell's cheapest codes) reached the limit.</summary>
    public int SmallSufficed { get; init; }

    /// <summary>Linear programs over every time slot and cell of the areas around a cell (where the sub-table had no move).</summary>
    public int WholeTimeAndCells { get; init; }

    /// <summary>Programs not built: the cell provably cannot move in their sub-table, or in its areas' whole one (<see cref="MoveSigns"/>).</summary>
    public int Pinned { get; init; }

    /// <summary>Of those, the programs that found a move.</summary>
    public int WholeReached { get; init; }

    /// <summary>The most variables of one linear program.</summary>
    public int LargestProgram { get; init; }

    public TimeSpan Bounds { get; init; }

    public TimeSpan Hypercubes { get; init; }

    public TimeSpan LinearPrograms { get; init; }

    /// <summary>Of <see cref="LinearPrograms"/>, the time of the programs over every time slot and cell.</summary>
    public TimeSpan WholePrograms { get; init; }

    /// <summary>Linear programs of the second pass (<see cref="RangeRepair"/>), over wider sub-tables.</summary>
    public int RepairPrograms { get; init; }

    /// <summary>Primary cells the second pass widened.</summary>
    public int Repaired { get; init; }

    /// <summary>
    /// Directions the second pass widened, by sub-table: every area by the cell's related slots with its cheap codes, then
    /// with every related code; the cell's areas by every slot with its cheap codes, then with every code; the whole table.
    /// </summary>
    public IReadOnlyList<int> RepairWidenedByScope { get; init; } = [];

    /// <summary>Programs the second pass solved, by sub-table (as <see cref="RepairWidenedByScope"/>).</summary>
    public IReadOnlyList<int> RepairProgramsByScope { get; init; } = [];

    /// <summary>Primary cells below the range left unrepaired because the second pass's budget ran out (0 when it sufficed).</summary>
    public int RepairOverBudget { get; init; }

    /// <summary>Programs the second pass did not solve because they would have cost more than its budget left (its variables).</summary>
    public int RepairTooLarge { get; init; }

    /// <summary>Time of the second pass.</summary>
    public TimeSpan Repair { get; init; }

    /// <summary>Of <see cref="Repair"/>, the sign tests' and the linear programs' time.</summary>
    public TimeSpan RepairSignTests { get; init; }

    /// <inheritdoc cref="RepairSignTests"/>
    public TimeSpan RepairLinearPrograms { get; init; }
}
