using System.Globalization;
using Mediator;
using Microsoft.Extensions.Options;
using Registry.Contracts.Config;
using Registry.Server.Config;
using Registry.Server.Infrastructure;
using Registry.Server.Security;

namespace Registry.Server.Compat.Nacos;

/// <summary>
/// <c>/nacos/v1/cs/configs</c> over the native config use cases. Nacos's <c>tenant</c>
/// is the namespace (blank: public) and its <c>type</c> the format.
/// </summary>
internal static partial class NacosConfigs
{
    public const string NotFoundText = "config data not exist";

    public static async Task<IResult> Get(HttpContext http, IMediator mediator, CancellationToken ct)
    {
        var p = await NacosParameters.ReadAsync(http.Request, ct);
        var ns = NacosNames.ConfigNamespace(p);
        NacosAccess.Demand(http, p, Roles.Read, ns);
        var (group, dataId) = (p.Required("group"), p.Required("dataId"));
        if (p["beta"] == "true")
        {
            return await BetaAsync(mediator, ns, group, dataId, p["tenant"] ?? "", ct);
        }

        var outcome = await mediator.Send(new GetConfigQuery(ns, group, dataId, null, null, null, GrayRules.ClientOf(http.Request)), ct);
        if (outcome.Failure is { Code: "config-not-found" })
        {
            return NacosResults.Text(NotFoundText, StatusCodes.Status404NotFound);
        }

        var read = outcome.OrThrow();
        var info = read.Config!;
        if (p["show"] == "all")
        {
            var at = info.UpdatedAt.ToUnixTimeMilliseconds();
            return NacosResults.Json(new NacosConfigAll(
                NacosHistory.Id(info.Version), dataId, group, read.Content, info.Md5, p["tenant"] ?? "", "", Type(info.Format),
                at, at, info.Author, info.SourceAddress), NacosJson.Default.NacosConfigAll);
        }

        var headers = http.Response.Headers;
        headers["Config-Type"] = Type(info.Format);
        headers["Content-MD5"] = info.Md5;
        headers.LastModified = info.UpdatedAt.ToString("R", CultureInfo.InvariantCulture);
        headers.Pragma = "no-cache";
        headers.Expires = "0";
        headers.CacheControl = "no-cache,no-store";
        if (info.Gray)
        {
            headers["isBeta"] = "true";
        }

        return NacosResults.Raw(read.Content, ContentType(info.Format));
    }

    /// <summary><c>GET ?beta=true</c>: the gray version, with the addresses it is for.</summary>
    private static async Task<IResult> BetaAsync(IMediator mediator, string ns, string group, string dataId, string tenant, CancellationToken ct)
    {
        var read = await mediator.Send(new GetGrayConfigQuery(ns, group, dataId), ct);
        var beta = read.Value is { } gray
            ? new NacosBeta(
                NacosHistory.Id(gray.Gray.Version), dataId, group, tenant, gray.Content, gray.Gray.Md5,
                string.Join(',', gray.Gray.Rule.Addresses ?? []), Type(gray.Gray.Format), gray.Gray.UpdatedAt.ToUnixTimeMilliseconds())
            : null;
        return NacosResults.Json(new NacosBetaResult(StatusCodes.Status200OK, "query beta ok", beta), NacosJson.Default.NacosBetaResult);
    }

    /// <summary>
    /// Stores any content, as Nacos does: content that does not hold to its declared <c>type</c> is kept as text
    /// (and logged), since Nacos clients retry a refused publish in a tight loop rather than report it. The native
    /// API refuses such content.
    /// </summary>
    public static async Task<IResult> Publish(
        HttpContext http, IMediator mediator, IOptions<ConfigOptions> options, ILoggerFactory loggers, CancellationToken ct)
    {
        var p = await NacosParameters.ReadAsync(http.Request, ct);
        var ns = NacosNames.ConfigNamespace(p);
        var actor = NacosAccess.Demand(http, p, Roles.Write, ns);
        var (group, dataId) = (p.Required("group"), p.Required("dataId"));
        var content = p.Required("content");
        if (System.Text.Encoding.UTF8.GetByteCount(content) > options.Value.MaxContentBytes)
        {
            throw NacosException.From(ConfigFailures.ContentTooLarge(options.Value.MaxContentBytes));
        }

        string? ifMatch = null;
        string? ifNoneMatch = null;
        if (http.Request.Headers["casMd5"].ToString() is { Length: > 0 } casMd5)
        {
            // Compare-and-set by md5 becomes the native one by version: the md5 read here names the version
            // the write may replace, and the writer checks that version atomically.
            var current = await mediator.Send(new GetConfigQuery(ns, group, dataId, null, null, null, ConfigClient.Anonymous), ct);
            if (current.Value?.Config is not { } live || live.Md5 != casMd5)
            {
                throw CasFailed();
            }

            ifMatch = EntityTags.Format(live.Version);
        }

        var format = Format(p["type"]);
        if (ConfigFormat.Validate(format, content) is { } broken)
        {
            LogKeptAsText(loggers.CreateLogger(typeof(NacosConfigs).FullName!), ns, group, dataId, format, broken.Message);
            format = ConfigNames.Text;
        }

        if (http.Request.Headers["betaIps"].ToString() is { Length: > 0 } betaIps)
        {
            // A beta is a gray version for the listed client addresses.
            var rule = new GrayRule { Addresses = betaIps.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) };
            (await mediator.Send(new PublishGrayConfigCommand(ns, group, dataId, content, format, rule, actor), ct)).OrThrow();
            return NacosResults.True;
        }

        var command = new PublishConfigCommand(ns, group, dataId, content, format, ifMatch, ifNoneMatch, actor);
        var outcome = await NacosNamespaces.CreatingNamespaceAsync(mediator, ns, actor, () => mediator.Send(command, ct), ct);
        if (outcome.Failure is { Code: "version-mismatch" })
        {
            throw CasFailed();
        }

        outcome.OrThrow();
        return NacosResults.True;
    }

    public static async Task<IResult> Delete(HttpContext http, IMediator mediator, CancellationToken ct)
    {
        var p = await NacosParameters.ReadAsync(http.Request, ct);
        var ns = NacosNames.ConfigNamespace(p);
        var actor = NacosAccess.Demand(http, p, Roles.Write, ns);
        var (group, dataId) = (p.Required("group"), p.Required("dataId"));
        if (p["beta"] == "true")
        {
            // Stopping a beta that is not there is no error to Nacos.
            if ((await mediator.Send(new AbortGrayConfigCommand(ns, group, dataId, actor), ct)).Failure is { Code: not "gray-not-found" } refused)
            {
                throw NacosException.From(refused);
            }

            return NacosResults.Json(new NacosStopBetaResult(StatusCodes.Status200OK, "stop beta ok", true), NacosJson.Default.NacosStopBetaResult);
        }

        var outcome = await mediator.Send(new DeleteConfigCommand(ns, group, dataId, null, actor), ct);
        // Nacos answers true for a key that is already absent.
        if (outcome.Failure is { Code: not "config-not-found" } failure)
        {
            throw NacosException.From(failure);
        }

        return NacosResults.True;
    }

    /// <summary>Nacos's <c>type</c> as a native format: the native ones as they are; any other (html, unknown) is text.</summary>
    public static string Format(string? type) =>
        type?.ToLowerInvariant() is { } t && ConfigFormat.IsKnown(t) ? t : ConfigNames.Text;

    public static string Type(string format) => format;

    private static string ContentType(string format) => format switch
    {
        ConfigNames.Json => "application/json;charset=UTF-8",
        ConfigNames.Xml => "application/xml;charset=UTF-8",
        ConfigNames.Yaml => "text/yaml;charset=UTF-8",
        _ => NacosResults.TextType,
    };

    [LoggerMessage(EventId = 3301, Level = LogLevel.Warning,
        Message = "Nacos publish of {Namespace}/{Group}/{DataId} is not valid {Format}, kept as text: {Problem}")]
    private static partial void LogKeptAsText(ILogger logger, string @namespace, string group, string dataId, string format, string problem);

    private static NacosException CasFailed() =>
        new(StatusCodes.Status500InternalServerError, "Cas publish fail, server md5 may have changed.");
}
