using System.Security.Cryptography;

namespace Observatoire.Cli.Infrastructure;

/// <summary>
/// Writes a file so that a reader, or a crash, sees the old content or the new one, never a part: the content goes
/// to a temporary file in the same folder, is flushed to disk, then takes the final name (rename, atomic on one volume).
/// </summary>
public static class AtomicFile
{
    /// <summary>Extension of the temporary files, which readers of a folder skip.</summary>
    public const string TemporaryExtension = ".tmp";

    /// <summary>Writes <paramref name="path"/> with what <paramref name="write"/> puts in the stream.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        OutputFiles.CreateFolderOf(path);
        var full = Path.GetFullPath(path);
        var temporary = Path.Combine(
            Path.GetDirectoryName(full)!,
            $".{Path.GetFileName(full)}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}{TemporaryExtension}");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }
}
