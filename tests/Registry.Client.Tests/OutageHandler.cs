namespace Registry.Client.Tests;

/// <summary>
/// A transport that can be cut off, as a network is: while down, new requests fail to connect, and open
/// responses (a watch stream) break at their next read, so nothing sent during the outage gets through.
/// </summary>
internal sealed class OutageHandler(Func<HttpMessageHandler>? inner) : DelegatingHandler(inner?.Invoke() ?? new HttpClientHandler())
{
    private volatile bool _down = inner is null;

    public bool Down
    {
        get => _down;
        set => _down = value;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (_down)
        {
            throw new HttpRequestException("Connection refused (registry.test:80)");
        }

        var response = await base.SendAsync(request, cancellationToken);
        var content = new StreamContent(new OutageStream(await response.Content.ReadAsStreamAsync(cancellationToken), this));
        foreach (var header in response.Content.Headers)
        {
            content.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        response.Content = content;
        return response;
    }

    private sealed class OutageStream(Stream inner, OutageHandler outage) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Check();
            var read = await inner.ReadAsync(buffer, cancellationToken);

            // What arrives once the network is down never gets through.
            Check();
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count)
        {
            Check();
            var read = inner.Read(buffer, offset, count);
            Check();
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        private void Check()
        {
            if (outage.Down)
            {
                throw new IOException("Connection reset by peer (registry.test:80)");
            }
        }
    }
}
