using System.Diagnostics;

namespace Registry.Server.Tests.Storage;

/// <summary>Runs the operating system's commands that make a disk misbehave (mount, chattr).</summary>
internal static class Shell
{
    /// <summary>The command's exit code; -1 when it does not exist here.</summary>
    public static int Run(string command, params string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo(command) { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            process.WaitForExit();
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1;
        }
    }
}

/// <summary>
/// Files and directories made immutable (<c>chattr +i</c>): nothing can create, write or remove them, root
/// included, and writes through handles opened before fail too. Undone on dispose.
/// </summary>
internal sealed class Immutable : IDisposable
{
    private readonly string[] _paths;

    private Immutable(string[] paths) => _paths = paths;

    /// <summary>Null where the attribute cannot be set (not Linux, no privileges, a file system without it).</summary>
    public static Immutable? TryApply(params string[] paths)
    {
        if (!OperatingSystem.IsLinux() || Shell.Run("chattr", ["+i", .. paths]) != 0)
        {
            Shell.Run("chattr", ["-i", .. paths]);
            return null;
        }

        return new Immutable(paths);
    }

    public void Dispose() => Shell.Run("chattr", ["-i", .. _paths]);
}
