using NetArchTest.Rules;

namespace Registry.Server.Tests.Infrastructure;

/// <summary>
/// The server's folders depend one way: a feature on the kernels below it, the kernels on the change log, the log on
/// nothing but infrastructure and events; the composition root (Hosting) on everything.
/// </summary>
public sealed class DependencyTests
{
    /// <summary>Each folder and the folders it may use; everything else is off limits to it.</summary>
    private static readonly Dictionary<string, string[]> Layers = new()
    {
        ["Infrastructure"] = [],
        ["Events"] = ["Infrastructure"],
        ["Log"] = ["Infrastructure", "Events"],
        ["Storage"] = ["Infrastructure", "Log"],
        ["Security"] = ["Infrastructure", "Log"],
        ["Audit"] = ["Infrastructure", "Log", "Security"],
        ["Backups"] = ["Infrastructure", "Log", "Security"],
        ["Namespaces"] = ["Infrastructure", "Log", "Security"],
        ["Documents"] = ["Infrastructure", "Log"],
        ["Probes"] = ["Infrastructure"],
        ["Naming"] = ["Infrastructure", "Events", "Log", "Security", "Namespaces", "Documents", "Probes"],
        ["Metadata"] = ["Infrastructure", "Events", "Log", "Security", "Namespaces", "Documents", "Naming"],
        ["Config"] = ["Infrastructure", "Events", "Log", "Security", "Namespaces", "Documents"],
        ["Health"] = ["Infrastructure", "Log", "Naming"],
        ["Metrics"] = ["Infrastructure", "Events", "Log", "Namespaces", "Documents", "Naming", "Config"],
        ["Compat"] = ["Infrastructure", "Events", "Security", "Namespaces", "Documents", "Naming", "Metadata", "Config"],
        ["Hosting"] = ["Infrastructure", "Events", "Log", "Storage", "Security", "Audit", "Backups", "Namespaces", "Documents", "Naming",
            "Metadata", "Config", "Health", "Probes", "Metrics", "Compat"],

        // The console's assets speak to the server over its HTTP API, like any client.
        ["AdminConsole"] = [],
    };

    private static readonly Types Server = Types.InAssembly(typeof(Program).Assembly);

    [Fact]
    public void Folders_UseOnlyTheFoldersBelowThem()
    {
        var violations = new List<string>();
        foreach (var (folder, allowed) in Layers)
        {
            foreach (var other in Layers.Keys.Where(other => other != folder && !allowed.Contains(other)))
            {
                var result = Server.That().ResideInNamespace(Namespace(folder))
                    .Should().NotHaveDependencyOnAny(Namespace(other)).GetResult();
                if (!result.IsSuccessful)
                {
                    violations.Add($"{folder} uses {other}: {string.Join(", ", result.FailingTypes.Select(type => type.FullName))}");
                }
            }
        }

        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public void Layers_UseEachOtherOneWay()
    {
        // Peel off the folders that use nothing left; a cycle is what cannot be peeled.
        var left = Layers.ToDictionary(layer => layer.Key, layer => layer.Value.ToHashSet());
        while (left.Keys.FirstOrDefault(folder => left[folder].All(used => !left.ContainsKey(used))) is { } free)
        {
            left.Remove(free);
        }

        Assert.Empty(left.Keys);
    }

    [Fact]
    public void EveryFolder_HasItsPlaceInTheLayers()
    {
        var folders = typeof(Program).Assembly.GetTypes()
            .Select(type => type.Namespace)
            .Where(ns => ns?.StartsWith("Registry.Server.", StringComparison.Ordinal) == true)
            .Select(ns => ns!["Registry.Server.".Length..].Split('.')[0])
            .Distinct();

        Assert.All(folders, folder => Assert.Contains(folder, Layers.Keys));
    }

    private static string Namespace(string folder) => "Registry.Server." + folder;
}
