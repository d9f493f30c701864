using FluentValidation;
using Mediator;
using Registry.Contracts.Config;
using Registry.Server.Infrastructure;

namespace Registry.Server.Config;

/// <summary>Reads a config item's gray version: what it holds, and which clients get it.</summary>
internal sealed record GetGrayConfigQuery(string Namespace, string Group, string DataId) : IQuery<Outcome<GrayRead>>, IConfigAddress;

/// <summary>A gray version and its content.</summary>
internal sealed record GrayRead(ConfigGrayInfo Gray, string Content);

internal sealed class GetGrayConfigValidator : AbstractValidator<GetGrayConfigQuery>
{
    public GetGrayConfigValidator() => this.ValidateConfigAddress();
}

internal sealed class GetGrayConfigHandler(ConfigTable configs) : IQueryHandler<GetGrayConfigQuery, Outcome<GrayRead>>
{
    public ValueTask<Outcome<GrayRead>> Handle(GetGrayConfigQuery query, CancellationToken cancellationToken)
    {
        var key = query.ConfigKey();
        Outcome<GrayRead> read = configs.Find(key) is { Candidate.Body: { } gray } head
            ? new GrayRead(head.ToGrayInfo(key), gray.Content)
            : ConfigFailures.GrayNotFound(key);
        return ValueTask.FromResult(read);
    }
}
