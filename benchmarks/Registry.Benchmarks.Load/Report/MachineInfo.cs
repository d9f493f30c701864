using System.Runtime.InteropServices;

namespace Registry.Benchmarks.Load.Report;

/// <summary>What the report says about the machine it ran on.</summary>
internal static class MachineInfo
{
    public static string Describe()
    {
        var cpu = ReadField("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString();
        var memory = ReadField("/proc/meminfo", "MemTotal") is { } total
            && long.TryParse(total.Split(' ')[0], out var kilobytes)
                ? $", {kilobytes / 1048576.0:F0} GiB RAM"
                : "";
        return $"{cpu}, {Environment.ProcessorCount} cores{memory}; {RuntimeInformation.OSDescription}; {RuntimeInformation.FrameworkDescription}";
    }

    private static string? ReadField(string file, string name)
    {
        if (!File.Exists(file))
        {
            return null;
        }

        var line = File.ReadLines(file).FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal));
        return line?[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
    }
}
