using System.Text;

namespace Observatoire.Cli.Infrastructure;

/// <summary>Where the verbs that write a file (chart, report) put it: the -o value, a folder, or a default name.</summary>
public static class OutputFiles
{
    /// <summary>Whether -o names a folder: an existing one, or a path ending with a separator.</summary>
    public static bool IsFolder(string path) =>
        Directory.Exists(path)
        || path.EndsWith(Path.DirectorySeparatorChar)
        || path.EndsWith(Path.AltDirectorySeparatorChar);

    /// <summary>
    /// The file to write: <paramref name="output"/> itself, or <paramref name="defaultName"/> inside it when it is a
    /// folder, or <paramref name="defaultName"/> in the current folder when there is no -o.
    /// </summary>
    public static string Resolve(string? output, string defaultName) =>
        output is null ? defaultName
        : IsFolder(output) ? Path.Combine(output, defaultName)
        : output;

    /// <summary>Creates the folder of a file when it does not exist.</summary>
    public static void CreateFolderOf(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
    }

    /// <summary>A text usable in a file name: letters, digits, '.', '_' and '-' kept, anything else becomes '-'.</summary>
    public static string Safe(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.Trim())
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-');
        }

        return builder.ToString().Trim('-', '.');
    }

    /// <summary>Whether an exception is a failure to write a file (reported as such, exit code 1).</summary>
    public static bool IsWriteFailure(Exception exception) =>
        exception is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException;
}
