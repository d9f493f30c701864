namespace Registry.Server.Tests;

/// <summary>The repository the tests were built from.</summary>
internal static class Repository
{
    /// <summary>The folder of <c>Registry.sln</c>, found above the test binaries.</summary>
    public static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Registry.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Registry.sln not found above the test binaries.");
    }
}
