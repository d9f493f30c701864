using FluentValidation;
using Mediator;
using Registry.Contracts.Config;

namespace Registry.Server.Config;

/// <summary>The clients this node has served a config item to, with their labels and the version each got.</summary>
internal sealed record ListConfigClientsQuery(string Namespace, string Group, string DataId)
    : IQuery<IReadOnlyList<ConfigClientInfo>>, IConfigAddress;

internal sealed class ListConfigClientsValidator : AbstractValidator<ListConfigClientsQuery>
{
    public ListConfigClientsValidator() => this.ValidateConfigAddress();
}

internal sealed class ListConfigClientsHandler(ConfigClients clients) : IQueryHandler<ListConfigClientsQuery, IReadOnlyList<ConfigClientInfo>>
{
    public ValueTask<IReadOnlyList<ConfigClientInfo>> Handle(ListConfigClientsQuery query, CancellationToken cancellationToken) =>
        ValueTask.FromResult(clients.Of(query.ConfigKey()));
}
