namespace Registry.Server.Tests.Infrastructure;

[Collection(nameof(ServerProcesses))]
public sealed class OptionsValidationTests
{
    [Theory]
    [InlineData("--Registry:Naming:UnhealthyAfter=00:00:01", "Registry:Naming:UnhealthyAfter")]
    [InlineData("--Registry:Naming:SelfPreservation:Threshold=1.5", "Registry:Naming:SelfPreservation:Threshold")]
    [InlineData("--Registry:Storage:MaxBatchSize=0", "Registry:Storage:MaxBatchSize")]
    [InlineData("--Registry:Naming:EvictAfter=abc", "Registry:Naming:EvictAfter")]
    [InlineData("--Registry:Config:MaxContentBytes=-5", "Registry:Config:MaxContentBytes")]
    public async Task Start_InvalidOption_ExitsWithAnErrorNamingTheKey(string argument, string key)
    {
        using var dir = new TempDirectory();

        var (exitCode, output) = await ServerProcess.RunToExitAsync(dir.Path, argument);

        Assert.Equal(1, exitCode);
        Assert.Contains("Registry cannot start:", output, StringComparison.Ordinal);
        Assert.Contains(key, output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("fail:", output, StringComparison.Ordinal);
    }
}
