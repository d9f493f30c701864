using BenchmarkDotNet.Running;

namespace Registry.Benchmarks.Micro;

/// <summary>Runs the micro-benchmarks: <c>dotnet run -c Release --project benchmarks/Registry.Benchmarks.Micro -- --filter '*'</c>.</summary>
internal static class Program
{
    private static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
