using System.Diagnostics;

namespace Registry.Benchmarks.Load.Hosting;

/// <summary>A build of the registry server the benchmark runs: this one, or another one to compare it with.</summary>
/// <param name="Name">What the report calls it.</param>
/// <param name="AssemblyPath">Its <c>Registry.Server.dll</c>, started with <c>dotnet</c>.</param>
internal sealed record ServerBuild(string Name, string AssemblyPath)
{
    public const string AssemblyName = "Registry.Server.dll";

    /// <summary>The server built with this benchmark (a project reference copies it into the output).</summary>
    public static ServerBuild This { get; } = new("this build", Path.Combine(AppContext.BaseDirectory, AssemblyName));

    /// <summary>
    /// The product version with the commit it was built from (the SDK appends it, e.g. <c>1.0.0+c928ebd06534</c>),
    /// so the report names the builds it compares without naming a directory of the machine it ran on.
    /// </summary>
    public string Version
    {
        get
        {
            var version = FileVersionInfo.GetVersionInfo(AssemblyPath).ProductVersion ?? "unknown";
            var plus = version.IndexOf('+', StringComparison.Ordinal);
            return plus >= 0 && version.Length > plus + 13 ? version[..(plus + 13)] : version;
        }
    }

    /// <summary>Another build, from a directory holding <c>Registry.Server.dll</c> and what <c>dotnet</c> needs to run it.</summary>
    public static ServerBuild FromDirectory(string directory)
    {
        var assembly = Path.GetFullPath(Path.Combine(directory, AssemblyName));
        var runtimeConfig = Path.ChangeExtension(assembly, ".runtimeconfig.json");
        if (!File.Exists(assembly) || !File.Exists(runtimeConfig))
        {
            throw new ArgumentException(
                $"--compare {directory}: no {AssemblyName} with its runtimeconfig.json there; pass the output directory of "
                + "'dotnet build -c Release src/Registry.Server -o <directory>' run at the commit to compare with.");
        }

        return new ServerBuild("compared build", assembly);
    }
}
