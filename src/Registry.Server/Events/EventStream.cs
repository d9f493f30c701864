using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Registry.Server.Infrastructure;

namespace Registry.Server.Events;

/// <summary>
/// Writes server-sent events: the <c>retry</c> hint, then whatever a watch yields, with a keep-alive comment
/// at every interval so proxies keep idle streams open. Shared by every watch endpoint.
/// </summary>
/// <remarks>
/// When the server shuts down, every stream ends cleanly (the response completes), so clients reconnect with
/// their last event id instead of seeing a broken connection, and shutdown does not wait on them.
/// </remarks>
internal sealed class EventStream(IOptions<EventOptions> options, TimeProvider time, IHostApplicationLifetime lifetime)
{
    private static readonly byte[] KeepAlive = ": keep-alive\n\n"u8.ToArray();
    private readonly EventOptions _options = options.Value;

    public async Task WriteAsync(HttpContext context, Watch watch, CancellationToken cancellationToken)
    {
        // A subscriber that fell behind gets its reset if it reads it within the grace period; a stalled
        // one is cut off, so it holds no buffers and no connection.
        ITimer? abort = null;
        using var overflow = watch.Overflowed.Register(() =>
            abort = time.CreateTimer(_ => context.Abort(), null, _options.OverflowGrace, Timeout.InfiniteTimeSpan));
        using var end = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
        try
        {
            await StreamAsync(context, watch, end.Token);
        }
        catch (OperationCanceledException) when (end.IsCancellationRequested)
        {
            // The client went away, or the server is stopping: either way the stream is over. Ended for a reason of
            // its own (its token revoked), it says why last.
            if (context.EndedEarly() is { } reason)
            {
                await TryWriteEndAsync(context.Response, reason);
            }
        }
        finally
        {
            watch.Dispose();
            // The context is recycled once the request ends: a late abort must never reach it.
            overflow.Dispose();
            abort?.Dispose();
        }
    }

    private async Task StreamAsync(HttpContext context, Watch watch, CancellationToken cancellationToken)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        // The keep-alive interval counts from before the client sees the stream open, not from some moment after it.
        using var timer = new PeriodicTimer(_options.KeepAliveInterval, time);
        await response.WriteAsync(
            $"retry: {(long)_options.ReconnectDelay.TotalMilliseconds}\n\n", cancellationToken);
        await response.Body.FlushAsync(cancellationToken);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var enumerator = watch.ReadAllAsync(stop.Token).GetAsyncEnumerator(stop.Token);
        Task<bool>? next = null;
        try
        {
            Task<bool>? tick = null;
            while (true)
            {
                next ??= enumerator.MoveNextAsync().AsTask();
                tick ??= timer.WaitForNextTickAsync(cancellationToken).AsTask();
                if (await Task.WhenAny(next, tick) == tick)
                {
                    tick = null;
                    await response.Body.WriteAsync(KeepAlive, cancellationToken);
                    await response.Body.FlushAsync(cancellationToken);
                    continue;
                }

                var more = await next;
                next = null;
                if (!more)
                {
                    return;
                }

                // What is ready goes out in one flush: the events of one change (one revision) travel together.
                Write(response.BodyWriter, enumerator.Current);
                next = enumerator.MoveNextAsync().AsTask();
                if (!next.IsCompleted)
                {
                    await response.BodyWriter.FlushAsync(cancellationToken);
                }
            }
        }
        finally
        {
            // An async iterator cannot be disposed while a MoveNext is pending: stop it and let it finish first.
            await stop.CancelAsync();
            if (next is not null)
            {
                await next.ContinueWith(static _ => { }, TaskScheduler.Default);
            }

            await enumerator.DisposeAsync();
        }
    }

    private static async Task TryWriteEndAsync(HttpResponse response, EarlyEndReason reason)
    {
        try
        {
            var data = JsonSerializer.SerializeToUtf8Bytes(new EndData(reason.Code, reason.Detail), EventsJson.Default.EndData);
            Write(response.BodyWriter, $"event: {Watch.ResetEvent}\ndata: ");
            response.BodyWriter.Write(data);
            Write(response.BodyWriter, "\n\n");
            await response.BodyWriter.FlushAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or OperationCanceledException)
        {
            // The client is gone too.
        }
    }

    private static void Write(IBufferWriter<byte> writer, SseMessage message)
    {
        Write(writer, $"id: {message.Id.ToString(CultureInfo.InvariantCulture)}\nevent: {message.Event}\ndata: ");
        writer.Write(message.Data.Span);
        Write(writer, "\n\n");
    }

    private static void Write(IBufferWriter<byte> writer, string text) => Encoding.UTF8.GetBytes(text, writer);
}
