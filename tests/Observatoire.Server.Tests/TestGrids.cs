using Grpc.Core;
using Observatoire.Core.Registry;
using Observatoire.Data;
using Observatoire.Protos.V1;
using Observatoire.Tests.Shared;
using ReportingFrequency = Observatoire.Core.Registry.ReportingFrequency;

namespace Observatoire.Server.Tests;

/// <summary>Grids and posts for integration tests, taken from the seeded registry.</summary>
public static class TestGrids
{
    private static readonly IReadOnlyList<PostRecord> Posts = ReferenceData.LoadEmbeddedPosts();

    /// <summary>Open posts of a frequency, active since 2018 at the latest.</summary>
    public static IReadOnlyList<PostRecord> OpenPosts(ReportingFrequency frequency) =>
        [.. Posts.Where(p => p.Frequency == frequency && p.ActiveTo is null && p.ActiveFrom <= new DateOnly(2018, 1, 1))];

    public static PostRecord MonthlyPost(int n = 0) => OpenPosts(ReportingFrequency.Month)[n];

    public static PostRecord QuarterlyPost(int n = 0) => OpenPosts(ReportingFrequency.Quarter)[n];

    public static PostRecord ClosedPost => Posts.First(p => p.ActiveTo is { } to && to.Year == 2024 && p.Frequency == ReportingFrequency.Month);

    /// <summary>A consistent grid: 40 persons received, 25 new, 70 interviews.</summary>
    public static Grid Valid(string postId, string period, string? comment = null)
    {
        var grid = new Grid { PostId = postId, Period = period, SchemaVersion = "2025.1", Comment = comment ?? "" };
        grid.Values.Add(ValidGridValues.Create());
        return grid;
    }

    public static SubmitGridRequest Submission(Grid grid, string? id = null, string client = "tests") =>
        new() { SubmissionId = id ?? Guid.NewGuid().ToString(), ClientId = client, Grid = grid };

    /// <summary>Sends the requests in one <c>SubmitGrids</c> stream, closes it, and returns every result, in order.</summary>
    public static async Task<List<SubmitGridResult>> SubmitInOneStreamAsync(GridService.GridServiceClient grids, IEnumerable<SubmitGridRequest> requests)
    {
        using var call = grids.SubmitGrids();
        foreach (var request in requests)
        {
            await call.RequestStream.WriteAsync(request);
        }

        await call.RequestStream.CompleteAsync();
        var results = new List<SubmitGridResult>();
        await foreach (var result in call.ResponseStream.ReadAllAsync())
        {
            results.Add(result);
        }

        return results;
    }
}
