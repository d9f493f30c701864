using Registry.Server.Infrastructure;
using Registry.Server.Security;
using Registry.Server.Storage;

namespace Registry.Server.Hosting;

/// <summary>
/// Commands of the server binary besides serving: <c>hash-token</c>, <c>restore</c>, <c>salvage-journal</c>, <c>--version</c>,
/// <c>--help</c>.
/// </summary>
internal static class ServerCommands
{
    private const string Usage = """
        Registry: naming, config and metadata center.

          Registry.Server [options]              serve (default http://127.0.0.1:8848, data in ./data/)
          Registry.Server hash-token [secret]    print the hash of a token secret (a new secret without one)
          Registry.Server restore <backup.db>    replace the data file with a backup; the server must be stopped
          Registry.Server salvage-journal        after a start refused a damaged journal: move it aside and keep
                                                 its intact part (what follows the damage is lost)
          Registry.Server --version              the version of this build
          Registry.Server --help                 this text

        Options are configuration keys, e.g. --urls http://0.0.0.0:8848 --Registry:Auth:Enabled=true
        --Registry:Storage:Path=/var/lib/registry/registry.db; every key is listed in docs/configuration.md.
        """;

    /// <summary>Runs the command in <paramref name="args"/>, if there is one; returns its exit code, or null to serve.</summary>
    public static int? TryRun(string[] args) => args.FirstOrDefault() switch
    {
        "hash-token" => HashToken(args),
        "restore" => Restore(args),
        "salvage-journal" => SalvageJournal(args),
        "--help" or "-h" or "-?" or "help" => Help(),
        "--version" or "version" => Version(),
        _ => null,
    };

    /// <summary>The build's version, with the commit it was built from when the build knows it.</summary>
    public static string BuildVersion =>
        typeof(ServerCommands).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            is [System.Reflection.AssemblyInformationalVersionAttribute { InformationalVersion: { Length: > 0 } informational }, ..]
            ? informational
            : typeof(ServerCommands).Assembly.GetName().Version?.ToString() ?? "unknown";

    private static int Version()
    {
        Console.Out.WriteLine($"Registry {BuildVersion}");
        return 0;
    }

    private static int HashToken(string[] args)
    {
        // Without a secret, make one: the usual way to define a token in configuration.
        var secret = args.Length > 1 ? args[1] : TokenSecrets.Generate();
        if (args.Length == 1)
        {
            Console.Out.WriteLine($"token: {secret}");
        }

        Console.Out.WriteLine($"hash:  {TokenSecrets.Hash(secret)}");
        return 0;
    }

    private static int Restore(string[] args)
    {
        if (args.Length < 2 || args[1].StartsWith('-'))
        {
            Console.Error.WriteLine("Usage: Registry.Server restore <backup.db> [--Registry:Storage:Path=<data file>]");
            return 2;
        }

        var path = DataFile(args[2..]);
        try
        {
            var revision = LocalLog.Restore(args[1], path);
            Console.Out.WriteLine($"Restored {args[1]} (revision {revision}) into {Path.GetFullPath(path)}; start the server as usual.");
            return 0;
        }
        catch (StartupException ex)
        {
            Console.Error.WriteLine($"Registry cannot restore: {ex.Message}");
            return 1;
        }
    }

    private static int SalvageJournal(string[] args)
    {
        var path = DataFile(args[1..]);
        try
        {
            if (LocalLog.SalvageJournal(path, TimeProvider.System) is not { } salvaged)
            {
                Console.Out.WriteLine($"The journal of {Path.GetFullPath(path)} has no damage; nothing was changed.");
                return 0;
            }

            Console.Out.WriteLine(
                $"Moved the journal to {salvaged.MovedTo} and kept its {salvaged.Entries} intact entries (through revision "
                + $"{salvaged.LastRevision}); what {salvaged.DamagedFile} holds after byte {salvaged.DamagedAt} is not replayed. "
                + "Start the server as usual.");
            return 0;
        }
        catch (StartupException ex)
        {
            Console.Error.WriteLine($"Registry cannot salvage the journal: {ex.Message}");
            return 1;
        }
    }

    /// <summary>The data file the server would use: the same configuration sources, less the web host's.</summary>
    private static string DataFile(string[] args)
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .Build();
        return configuration.GetSection(StorageOptions.Section).Get<StorageOptions>()?.Path ?? new StorageOptions().Path;
    }

    private static int Help()
    {
        Console.Out.WriteLine(Usage);
        return 0;
    }
}
