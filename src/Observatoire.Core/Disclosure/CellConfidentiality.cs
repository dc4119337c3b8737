namespace Observatoire.Core.Disclosure;

/// <summary>
/// Publication status of one cell, with the SDMX OBS_CONF code it maps to.
/// </summary>
public enum CellConfidentiality
{
    /// <summary>Published (SDMX "F", free).</summary>
    Free = 0,

    /// <summary>Suppressed because the count itself is small (SDMX "A", primary confidentiality).</summary>
    Primary = 1,

    /// <summary>
    /// Suppressed only so that a primary cell cannot be recomputed from published margins
    /// (SDMX "D", secondary confidentiality).
    /// </summary>
    Secondary = 2,

    /// <summary>
    /// Withheld while the first suppression plan of the year's indicator is being made: no value is published
    /// before a plan says it may be (SDMX "N", not for publication).
    /// </summary>
    Pending = 3,

    /// <summary>
    /// Withheld because the year's suppression plan of the indicator could not be made (an error, logged and counted):
    /// nothing below the national level is published without a plan; the plan is tried again later (SDMX "N").
    /// </summary>
    Withheld = 4,

    /// <summary>
    /// Suppressed, without saying whether the count is small or hidden to protect another (SDMX "C", confidential):
    /// how primary and secondary cells are published unless <see cref="SecrecyOptions.PrimaryFlagPublished"/>.
    /// </summary>
    Suppressed = 5,
}
