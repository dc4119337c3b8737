using System.Buffers.Binary;
using System.IO.Compression;
using Grpc.Net.Compression;

namespace Observatoire.Server.Grpc;

/// <summary>
/// gRPC's "gzip", read strictly: a message must end with its length (RFC 1952's trailer). .NET's reader takes a member
/// cut before its trailer as complete, so a message cut short would be read as a shorter one, in a stream of grids as
/// in a single call; here it is an error (InvalidDataException), which gRPC answers as an unreadable message.
/// Messages it compresses are gRPC's usual gzip.
/// </summary>
internal sealed class StrictGzipCompressionProvider(CompressionLevel level = CompressionLevel.Fastest) : ICompressionProvider
{
    public string EncodingName => "gzip";

    public Stream CreateCompressionStream(Stream stream, CompressionLevel? compressionLevel) =>
        new GZipStream(stream, compressionLevel ?? level, leaveOpen: true);

    public Stream CreateDecompressionStream(Stream stream) => new Checked(stream);

    /// <summary>Inflates, counting; at the end, the count must be the trailer's.</summary>
    private sealed class Checked : Stream
    {
        private readonly MemoryStream _compressed = new();
        private readonly GZipStream _inflating;
        private long _inflated;

        public Checked(Stream compressed)
        {
            // A message is already whole in memory (gRPC bounds its size before it gets here).
            compressed.CopyTo(_compressed);
            _compressed.Position = 0;
            _inflating = new GZipStream(_compressed, CompressionMode.Decompress, leaveOpen: true);
        }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var read = _inflating.Read(buffer);
            _inflated += read;
            if (read == 0 && buffer.Length > 0)
            {
                Check();
            }

            return read;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await _inflating.ReadAsync(buffer, cancellationToken);
            _inflated += read;
            if (read == 0 && buffer.Length > 0)
            {
                Check();
            }

            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inflating.Dispose();
                _compressed.Dispose();
            }

            base.Dispose(disposing);
        }

        private void Check()
        {
            var bytes = _compressed.GetBuffer().AsSpan(0, (int)_compressed.Length);
            if (bytes.Length < 8 || BinaryPrimitives.ReadUInt32LittleEndian(bytes[^4..]) != (uint)_inflated)
            {
                throw new InvalidDataException("Message compressé incomplet (gzip) : sa fin, qui porte sa longueur et sa somme de contrôle, manque.");
            }
        }
    }
}
