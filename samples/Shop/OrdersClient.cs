using System.Net.Http.Json;

namespace Registry.Samples.Shop;

/// <summary>Calls `orders`; the address of each call is chosen by service discovery.</summary>
internal sealed class OrdersClient(HttpClient http)
{
    public async Task<OrdersHello> HelloAsync(CancellationToken cancellationToken) =>
        await http.GetFromJsonAsync<OrdersHello>("/orders/hello", cancellationToken)
            ?? throw new HttpRequestException("orders answered with an empty body.");
}

/// <summary>What <c>GET /orders/hello</c> answers.</summary>
internal sealed record OrdersHello(string Instance, string Greeting, decimal Discount);
