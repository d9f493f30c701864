using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Registry.Benchmarks.Load.Load;

/// <summary>
/// Drives <c>wrk</c> (C, epoll, HTTP/1.1 keep-alive): a Lua script renders each request from the template
/// exactly as <see cref="RequestTemplate"/> does, and the summary wrk prints is parsed.
/// </summary>
internal sealed partial class WrkGenerator(string executable, string version) : ILoadGenerator
{
    public string Description => $"wrk {version}";

    public string Describe(LoadShape shape) =>
        $"{Description}, {shape.Threads} thread{(shape.Threads == 1 ? "" : "s")}, {shape.Connections} keep-alive connections";

    /// <summary>The wrk on PATH, if any.</summary>
    public static WrkGenerator? Find()
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "wrk"))
            .FirstOrDefault(File.Exists);
        if (path is null)
        {
            return null;
        }

        // "wrk debian/4.1.0-3+b2 [epoll] Copyright (C) 2012 Will Glozer"
        var banner = Run(path, ["-v"]).Output;
        var version = VersionPattern().Match(banner) is { Success: true } match ? match.Groups[1].Value : "(version unknown)";
        return new WrkGenerator(path, version);
    }

    public async Task<LoadResult> RunAsync(Uri server, RequestTemplate template, LoadShape shape, CancellationToken cancellationToken)
    {
        var script = Path.Combine(Path.GetTempPath(), $"registry-bench-{Guid.NewGuid():N}.lua");
        await File.WriteAllTextAsync(script, Script(template), cancellationToken);
        try
        {
            string[] arguments =
            [
                $"-t{shape.Threads}", $"-c{shape.Connections}", $"-d{Math.Max(1, (int)shape.Duration.TotalSeconds)}s",
                "--timeout", "10s", "--latency", "-s", script, server.ToString(),
                "--", template.Pool.ToString(CultureInfo.InvariantCulture), template.Offset.ToString(CultureInfo.InvariantCulture),
                shape.Threads.ToString(CultureInfo.InvariantCulture),
            ];
            var (exitCode, output) = await Task.Run(() => Run(executable, arguments), cancellationToken);
            return exitCode == 0 ? Parse(output) : throw new InvalidOperationException($"wrk failed ({exitCode}):\n{output}");
        }
        finally
        {
            File.Delete(script);
        }
    }

    /// <summary>Reads wrk's summary: requests, non-2xx/3xx responses, socket errors, requests/s and the latency distribution.</summary>
    internal static LoadResult Parse(string output)
    {
        var requests = long.Parse(RequestsPattern().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var rate = double.Parse(RatePattern().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var failed = NonSuccessPattern().Match(output) is { Success: true } non2xx
            ? long.Parse(non2xx.Groups[1].Value, CultureInfo.InvariantCulture)
            : 0;
        if (SocketErrorsPattern().Match(output) is { Success: true } errors)
        {
            failed += Enumerable.Range(1, 4).Sum(i => long.Parse(errors.Groups[i].Value, CultureInfo.InvariantCulture));
        }

        return new LoadResult(requests, failed, rate, Latency(output, "50"), Latency(output, "99"));
    }

    private static TimeSpan Latency(string output, string percent)
    {
        var match = Regex.Match(output, $@"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline, TimeSpan.FromSeconds(1));
        if (!match.Success)
        {
            throw new InvalidOperationException($"wrk printed no {percent}% latency:\n{output}");
        }

        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch
        {
            "us" => TimeSpan.FromMicroseconds(value),
            "ms" => TimeSpan.FromMilliseconds(value),
            _ => TimeSpan.FromSeconds(value),
        };
    }

    /// <summary>
    /// The Lua script: request number n of thread t (of T) is t + i·T, made into key k and rendered as the
    /// C# side renders it. wrk.format builds the raw request once per call; the body length is computed by wrk.
    /// </summary>
    private static string Script(RequestTemplate template)
    {
        var script = new StringBuilder();
        script.AppendLine(CultureInfo.InvariantCulture, $"local method = {Literal(template.Method)}");
        script.AppendLine(CultureInfo.InvariantCulture, $"local path = {Literal(template.Path)}");
        script.AppendLine(CultureInfo.InvariantCulture, $"local body = {(template.Body is null ? "nil" : Literal(template.Body))}");
        script.AppendLine("local headers = {}");
        if (template.Body is not null)
        {
            script.AppendLine(CultureInfo.InvariantCulture, $"headers[\"Content-Type\"] = {Literal(template.ContentType ?? "application/json")}");
        }

        script.Append("""
            local threads = 0
            function setup(thread)
              thread:set("id", threads)
              threads = threads + 1
            end
            function init(args)
              pool = tonumber(args[1])
              offset = tonumber(args[2])
              stride = tonumber(args[3])
              n = id
            end
            local function render(text, k)
              if text == nil or not string.find(text, "{", 1, true) then return text end
              text = string.gsub(text, "{k%%(%d+)}", function(m) return string.format("%d", k % tonumber(m)) end)
              local values = {
                k = string.format("%d", k),
                g = string.format("%d", math.floor(k / 100)),
                ip = string.format("10.%d.%d.%d", math.floor(k / 65536) % 256, math.floor(k / 256) % 256, k % 256),
              }
              return (string.gsub(text, "{(%a+)}", values))
            end
            function request()
              local k = n
              n = n + stride
              if pool > 0 then k = k % pool end
              k = k + offset
              return wrk.format(method, render(path, k), headers, render(body, k))
            end

            """);
        return script.ToString();
    }

    private static string Literal(string text) => $"[==[{text}]==]";

    private static (int ExitCode, string Output) Run(string executable, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{executable} did not start.");
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + error.Result);
    }

    [GeneratedRegex(@"wrk \S*?(\d+\.\d+\.\d+)")]
    private static partial Regex VersionPattern();

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex RequestsPattern();

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RatePattern();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex NonSuccessPattern();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrorsPattern();
}
