using Microsoft.Extensions.DependencyInjection;
using Observatoire.Server.Web.Grids;

namespace Observatoire.Server.Tests.Robustness;

/// <summary>An account reads one workbook at a time: a second, sent while the first is read, is refused, not queued.</summary>
public class WorkbookReadingsTests
{
    [Fact]
    public async Task A_second_workbook_of_the_same_account_is_refused_while_the_first_is_read()
    {
        using var server = new ServerFixture();
        var readings = server.Services.GetRequiredService<WorkbookReadings>();
        using var release = new ManualResetEventSlim();
        using var held = new HeldStream(release);

        var first = readings.ReadAsync("compte:poste-demo", held, CancellationToken.None);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!held.Reading && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.Null(await readings.ReadAsync("compte:poste-demo", new MemoryStream("pas un classeur"u8.ToArray()), CancellationToken.None));

        release.Set();
        Assert.NotNull(await first);
        Assert.NotNull(await readings.ReadAsync("compte:poste-demo", new MemoryStream("pas un classeur"u8.ToArray()), CancellationToken.None));
    }

    /// <summary>A file whose first use (its length, a seek, a read) waits until it is released, then reads on (not a workbook).</summary>
    private sealed class HeldStream(ManualResetEventSlim release) : MemoryStream("pas un classeur"u8.ToArray())
    {
        public volatile bool Reading;

        public override long Length
        {
            get
            {
                Hold();
                return base.Length;
            }
        }

        public override long Seek(long offset, SeekOrigin loc)
        {
            Hold();
            return base.Seek(offset, loc);
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            Hold();
            return base.Read(buffer, offset, count);
        }

        public override int Read(Span<byte> buffer)
        {
            Hold();
            return base.Read(buffer);
        }

        public override int ReadByte()
        {
            Hold();
            return base.ReadByte();
        }

        private void Hold()
        {
            Reading = true;
            release.Wait(TimeSpan.FromSeconds(30));
        }
    }
}
