using Observatoire.Protos.V1;

namespace Observatoire.Server.Tests.Robustness;

/// <summary>What a server starting on the same database computes, against the live figures of the server under test.</summary>
public static class ColdStartFigures
{
    /// <summary>
    /// The live figures (national and each department's, raw, for 2025, a quarter and two months) are those a server
    /// starting on the same database computes from it (<see cref="ServerFixture.ColdStart"/>).
    /// </summary>
    public static async Task AssertSameAsLiveAsync(ServerFixture server, params string[] departments)
    {
        var requests = new List<ConsolidateRequest>();
        foreach (var period in new[] { "2025", "2025-T1", "2025-03", "2025-11" })
        {
            requests.Add(new ConsolidateRequest { Area = new Area { Level = AreaLevel.National }, Period = period, Disclosure = Disclosure.Raw });
            requests.AddRange(departments.Select(d => new ConsolidateRequest { Area = new Area { Level = AreaLevel.Department, Code = d }, Period = period, Disclosure = Disclosure.Raw }));
        }

        var live = new AggregateService.AggregateServiceClient(server.CreateChannel());
        var expected = new List<ConsolidateResponse>();
        foreach (var request in requests)
        {
            expected.Add(await live.ConsolidateAsync(request));
        }

        using var cold = server.ColdStart();
        var restarted = new AggregateService.AggregateServiceClient(ServerFixture.ChannelTo(cold));
        for (var i = 0; i < requests.Count; i++)
        {
            var actual = await restarted.ConsolidateAsync(requests[i]);
            Assert.True(expected[i].Figures.Count > 0, $"no figures for {requests[i]}");
            Assert.True(expected[i].Figures.Equals(actual.Figures), $"{requests[i]}: live and cold figures differ");
            Assert.Equal(expected[i].Provenance.GridsUsed, actual.Provenance.GridsUsed);
            Assert.Equal(expected[i].Provenance.MissingCount, actual.Provenance.MissingCount);
        }
    }
}
