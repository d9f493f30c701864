using System.Net;
using FluentValidation;
using Registry.Server.Infrastructure;

namespace Registry.Server.Probes;

/// <summary>Server-side health checks of persistent instances (section <c>Registry:Probes</c>).</summary>
internal sealed class ProbeOptions
{
    public const string Section = "Registry:Probes";

    /// <summary>
    /// The networks (CIDR, e.g. <c>10.20.0.0/16</c>, or one address) the server may probe. Empty, the default: none,
    /// so the registry cannot be made to probe a network its operator has not named.
    /// </summary>
    public List<string> AllowedNetworks { get; set; } = [];

    /// <summary>The most probes in flight at once, whatever the number of instances checked.</summary>
    public int MaxConcurrency { get; set; } = 64;

    /// <summary>Bounds of a check's interval and timeout.</summary>
    public TimeSpan MinInterval { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the server looks for probes that are due: the precision of their spread.</summary>
    public TimeSpan Tick { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The sockets probes may hold at once: none while no network may be probed.</summary>
    public int Sockets => AllowedNetworks.Count == 0 ? 0 : MaxConcurrency;
}

internal sealed class ProbeOptionsValidator : AbstractValidator<ProbeOptions>
{
    public ProbeOptionsValidator()
    {
        RuleForEach(o => o.AllowedNetworks)
            .Must(network => Networks.TryParse(network, out _))
            .WithMessage("'{PropertyValue}' in AllowedNetworks is not a network: write it as CIDR (10.20.0.0/16) or one address.");
        RuleFor(o => o.MaxConcurrency).InclusiveBetween(1, 4096);
        RuleFor(o => o.MinInterval).GreaterThan(TimeSpan.Zero);
        RuleFor(o => o.MaxTimeout).GreaterThan(TimeSpan.Zero);
        RuleFor(o => o.Tick).GreaterThan(TimeSpan.Zero);
    }
}
