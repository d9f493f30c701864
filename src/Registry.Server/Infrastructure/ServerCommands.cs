using Registry.Server.Security;

namespace Registry.Server.Infrastructure;

/// <summary>Commands of the server binary besides serving: <c>hash-token [secret]</c>.</summary>
internal static class ServerCommands
{
    /// <summary>Runs the command in <paramref name="args"/>, if there is one, and says so.</summary>
    public static bool TryRun(string[] args)
    {
        if (args.Length == 0 || args[0] != "hash-token")
        {
            return false;
        }

        // Without a secret, make one: the usual way to define a token in configuration.
        var secret = args.Length > 1 ? args[1] : TokenSecrets.Generate();
        if (args.Length == 1)
        {
            Console.Out.WriteLine($"token: {secret}");
        }

        Console.Out.WriteLine($"hash:  {TokenSecrets.Hash(secret)}");
        return true;
    }
}
