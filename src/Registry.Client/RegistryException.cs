using System.Net;
using System.Text.Json;

namespace Registry.Client;

/// <summary>The registry answered with an error; <see cref="Code"/> is its stable reason (<c>validation-failed</c>, …).</summary>
public sealed class RegistryException : Exception
{
    /// <summary>Creates the exception for a refused request.</summary>
    public RegistryException(HttpStatusCode status, string? code, string message)
        : base(message)
    {
        Status = status;
        Code = code;
    }

    /// <summary>Creates the exception without a response.</summary>
    public RegistryException()
    {
    }

    /// <summary>Creates the exception without a response.</summary>
    public RegistryException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception without a response.</summary>
    public RegistryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The HTTP status the registry answered with.</summary>
    public HttpStatusCode Status { get; }

    /// <summary>The problem's <c>code</c> member, when there was one.</summary>
    public string? Code { get; }

    internal static async Task ThrowIfFailedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        string? code = null;
        var detail = response.ReasonPhrase ?? response.StatusCode.ToString();
        try
        {
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            if (problem.RootElement.ValueKind == JsonValueKind.Object)
            {
                code = problem.RootElement.TryGetProperty("code", out var c) ? c.GetString() : null;
                detail = problem.RootElement.TryGetProperty("detail", out var d) && d.GetString() is { } text ? text
                    : problem.RootElement.TryGetProperty("title", out var t) && t.GetString() is { } title ? title
                    : detail;
            }
        }
        catch (JsonException)
        {
            // Not a problem document; the status says enough.
        }

        throw new RegistryException(response.StatusCode, code,
            $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {detail}");
    }
}
