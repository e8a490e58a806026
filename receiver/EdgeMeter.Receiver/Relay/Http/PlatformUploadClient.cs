using EdgeMeter.Common.Platform;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace EdgeMeter.Receiver.Relay.Http;

/// <summary>
/// Talks to one platform: gets and caches the access token (renewed before expiry and once on a 401), learns the
/// versions records must carry (refreshed once on a 409), uploads records with their Idempotency-Key, and turns
/// every answer into an <see cref="UploadOutcome"/>. Never throws for platform trouble; only the caller's
/// cancellation ends a call with an exception. Safe for concurrent use.
/// </summary>
public sealed class PlatformUploadClient
{
    public const string IdempotencyHeader = "Idempotency-Key";
    private const string RequestAkPath = "requestAK";
    private const string CheckVersionPath = "checkVersion";
    private const string UploadPath = "dataEnterpriseEnergy";

    private readonly HttpClient http;
    private readonly PlatformClientOptions options;
    private readonly TimeProvider time;
    private readonly Uri baseAddress;
    private readonly SemaphoreSlim sessionGate = new(1, 1);
    private readonly Lock stateGate = new();
    private PlatformToken? token;
    private PlatformVersions? versions;

    public PlatformUploadClient(HttpClient http, PlatformClientOptions options, TimeProvider? time = null)
    {
        if (CreditCode.Problem(options.EnterpriseCode) is { } invalid)
        {
            throw new ArgumentException($"EnterpriseCode {invalid}", nameof(options));
        }

        if (options.MaxBatchSize < 1 || options.CallTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("MaxBatchSize and CallTimeout must be positive", nameof(options));
        }

        this.http = http;
        this.options = options;
        this.time = time ?? TimeProvider.System;
        baseAddress = new Uri(options.BaseAddress.AbsoluteUri.TrimEnd('/') + "/");
    }

    public string Name => options.Name;

    public PlatformToken? CurrentToken
    {
        get
        {
            lock (stateGate)
            {
                return token;
            }
        }
    }

    public PlatformVersions? CurrentVersions
    {
        get
        {
            lock (stateGate)
            {
                return versions;
            }
        }
    }

    /// <summary>Requests a fresh token and caches it. Throws <see cref="PlatformCallException"/> (a Retry outcome) on failure.</summary>
    public async Task<PlatformToken> RequestTokenAsync(CancellationToken cancellation)
    {
        await sessionGate.WaitAsync(cancellation);
        try
        {
            return await FetchTokenAsync(cancellation);
        }
        finally
        {
            sessionGate.Release();
        }
    }

    /// <summary>Asks /checkVersion (getting a token first if needed) and caches the answer.</summary>
    public async Task<PlatformVersions> CheckVersionAsync(CancellationToken cancellation)
    {
        await sessionGate.WaitAsync(cancellation);
        try
        {
            var current = CurrentToken is { } cached && !IsExpiring(cached) ? cached : await FetchTokenAsync(cancellation);
            return await FetchVersionsAsync(current, cancellation);
        }
        finally
        {
            sessionGate.Release();
        }
    }

    /// <summary>Uploads one record (the published contract).</summary>
    public async Task<UploadOutcome> UploadAsync(PlatformRecord record, CancellationToken cancellation)
    {
        if (record.Problem() is { } problem)
        {
            return UploadOutcome.Rejected(0, problem);
        }

        var renewedToken = false;
        var refreshedVersions = false;
        while (true)
        {
            var opened = await OpenSessionAsync(cancellation);
            if (opened.Session is not { } session)
            {
                return opened.Failure;
            }

            var body = PlatformRecordJson.Serialize(record, Stamp(session));
            var reply = await PostAsync(UploadPath, body, session.Token.Value, record.IdempotencyKey, cancellation);
            if (reply.Code == 401 && !renewedToken)
            {
                Forget(session.Token);
                renewedToken = true;
            }
            else if (reply.Code == 409 && !refreshedVersions)
            {
                Forget(session.Versions);
                refreshedVersions = true;
            }
            else
            {
                return OutcomeClassifier.Classify(reply);
            }
        }
    }

    /// <summary>
    /// Uploads several records and returns one outcome per record, in order. Uses the batch extension (chunks of
    /// MaxBatchSize) when the platform supports it, else single uploads. Records that fail the local check are
    /// Rejected without being sent.
    /// </summary>
    public async Task<IReadOnlyList<UploadOutcome>> UploadBatchAsync(IReadOnlyList<PlatformRecord> records, CancellationToken cancellation)
    {
        var outcomes = new UploadOutcome[records.Count];
        var sendable = new List<int>(records.Count);
        for (var i = 0; i < records.Count; i++)
        {
            if (records[i].Problem() is { } problem)
            {
                outcomes[i] = UploadOutcome.Rejected(0, problem);
            }
            else
            {
                sendable.Add(i);
            }
        }

        foreach (var chunk in sendable.Chunk(options.MaxBatchSize))
        {
            if (options.SupportsBatch)
            {
                await UploadChunkAsync(records, chunk, outcomes, cancellation);
            }
            else
            {
                await UploadOneByOneAsync(records, chunk, outcomes, cancellation);
            }
        }

        return outcomes;
    }

    private async Task UploadChunkAsync(IReadOnlyList<PlatformRecord> records, int[] chunk, UploadOutcome[] outcomes, CancellationToken cancellation)
    {
        var renewedToken = false;
        var refreshedVersions = false;
        var pending = chunk;
        while (pending.Length > 0)
        {
            var opened = await OpenSessionAsync(cancellation);
            if (opened.Session is not { } session)
            {
                Fill(outcomes, pending, opened.Failure);
                return;
            }

            var body = PlatformRecordJson.SerializeBatch(pending.Select(i => records[i]), Stamp(session));
            var keys = pending.All(i => records[i].IdempotencyKey is null)
                ? null
                : string.Join(',', pending.Select(i => records[i].IdempotencyKey ?? string.Empty));
            var reply = await PostAsync(UploadPath, body, session.Token.Value, keys, cancellation);
            if (reply.Code == 401 && !renewedToken)
            {
                Forget(session.Token);
                renewedToken = true;
                continue;
            }

            if (reply.Code == 413)
            {
                await UploadOneByOneAsync(records, pending, outcomes, cancellation);
                return;
            }

            if (!reply.IsSuccess)
            {
                Fill(outcomes, pending, OutcomeClassifier.Classify(reply));
                return;
            }

            var stale = new List<int>();
            var receipts = BatchReceipts(reply, pending.Length);
            for (var k = 0; k < pending.Length; k++)
            {
                if (receipts[k].Code == 409 && !refreshedVersions)
                {
                    stale.Add(pending[k]);
                }
                else
                {
                    outcomes[pending[k]] = OutcomeClassifier.Classify(receipts[k]);
                }
            }

            if (stale.Count > 0)
            {
                Forget(session.Versions);
                refreshedVersions = true;
            }

            pending = [.. stale];
        }
    }

    private async Task UploadOneByOneAsync(IReadOnlyList<PlatformRecord> records, int[] indices, UploadOutcome[] outcomes, CancellationToken cancellation)
    {
        foreach (var i in indices)
        {
            outcomes[i] = await UploadAsync(records[i], cancellation);
        }
    }

    /// <summary>data.results[] by index; a record the answer does not mention gets a no-receipt reply (Retry).</summary>
    private static PlatformReply[] BatchReceipts(PlatformReply reply, int count)
    {
        var receipts = Enumerable.Repeat(PlatformReply.Transport("no receipt for this record in the batch answer"), count).ToArray();
        if (reply.Data.ValueKind == JsonValueKind.Object
            && reply.Data.TryGetProperty("results", out var results) && results.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in results.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("index", out var index)
                    && index.TryGetInt32(out var i) && i >= 0 && i < count)
                {
                    receipts[i] = PlatformReply.FromEnvelope(reply.HttpStatus, item);
                }
            }
        }

        return receipts;
    }

    private static void Fill(UploadOutcome[] outcomes, int[] indices, UploadOutcome outcome)
    {
        foreach (var i in indices)
        {
            outcomes[i] = outcome;
        }
    }

    private RecordStamp Stamp(Session session) =>
        new(options.EnterpriseCode, session.Versions.RegVersion, session.Versions.DicVersion, PlatformTime.Now(time));

    // ---- session: token and versions ----

    /// <summary>
    /// The cached token and versions, fetching what is missing. When that fails the failure is always a Retry,
    /// because a refused login or an unreachable platform is no fault of the record.
    /// </summary>
    private async Task<SessionResult> OpenSessionAsync(CancellationToken cancellation)
    {
        lock (stateGate)
        {
            if (token is { } cachedToken && !IsExpiring(cachedToken) && versions is { } cachedVersions)
            {
                return new SessionResult(new Session(cachedToken, cachedVersions), default);
            }
        }

        await sessionGate.WaitAsync(cancellation);
        try
        {
            var currentToken = CurrentToken is { } cached && !IsExpiring(cached) ? cached : await FetchTokenAsync(cancellation);
            var currentVersions = CurrentVersions ?? await FetchVersionsAsync(currentToken, cancellation);
            return new SessionResult(new Session(currentToken, currentVersions), default);
        }
        catch (PlatformCallException failure)
        {
            return new SessionResult(null, failure.Outcome);
        }
        finally
        {
            sessionGate.Release();
        }
    }

    private async Task<PlatformToken> FetchTokenAsync(CancellationToken cancellation)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
        {
            ["enterpriseCode"] = options.EnterpriseCode,
            ["password"] = options.PasswordProtector.Protect(options.Password, options.EnterpriseCode),
        });
        var reply = await PostAsync(RequestAkPath, body, bearer: null, idempotencyKey: null, cancellation);
        if (!reply.IsSuccess || reply.DataString("token") is not { Length: > 0 } value)
        {
            throw SessionFailure(RequestAkPath, reply);
        }

        var fresh = new PlatformToken(
            value,
            ExpiryOf(reply),
            PlatformTime.ParseInstant(reply.DataString("akValidAt")),
            reply.DataString("enterpriseUploadTime"),
            reply.DataString("platformURL"));
        lock (stateGate)
        {
            token = fresh;
        }

        return fresh;
    }

    private async Task<PlatformVersions> FetchVersionsAsync(PlatformToken current, CancellationToken cancellation)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["enterpriseCode"] = options.EnterpriseCode });
        var reply = await PostAsync(CheckVersionPath, body, current.Value, idempotencyKey: null, cancellation);
        if (reply.Code == 401)
        {
            Forget(current);
        }

        if (!reply.IsSuccess || reply.DataString("regVersion") is not { } reg || reply.DataString("dicVersion") is not { } dic)
        {
            throw SessionFailure(CheckVersionPath, reply);
        }

        var fresh = new PlatformVersions(reg, dic);
        lock (stateGate)
        {
            versions = fresh;
        }

        return fresh;
    }

    private static PlatformCallException SessionFailure(string path, PlatformReply reply)
    {
        var outcome = OutcomeClassifier.Classify(reply);
        var reason = outcome.IsDelivered ? "answer lacks the expected data" : outcome.Reason;
        return new PlatformCallException(UploadOutcome.Retry(outcome.Code, reason.Contains(path, StringComparison.Ordinal) ? reason : $"{path}: {reason}"));
    }

    /// <summary>akExpiresIn is an instant in the published interface; a plain number is taken as seconds from now.</summary>
    private DateTimeOffset? ExpiryOf(PlatformReply reply)
    {
        var text = reply.DataString("akExpiresIn");
        if (text is null && reply.Data.ValueKind == JsonValueKind.Object && reply.Data.TryGetProperty("akExpiresIn", out var number)
            && number.TryGetInt64(out var numericSeconds))
        {
            return time.GetUtcNow().AddSeconds(numericSeconds);
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? time.GetUtcNow().AddSeconds(seconds)
            : PlatformTime.ParseInstant(text);
    }

    private bool IsExpiring(PlatformToken candidate)
    {
        if (candidate.ExpiresAt is not { } expiresAt)
        {
            return false;
        }

        var margin = options.TokenRenewalMargin;
        if (candidate.ValidFrom is { } validFrom && (expiresAt - validFrom) / 2 < margin)
        {
            margin = (expiresAt - validFrom) / 2;
        }

        return time.GetUtcNow() >= expiresAt - margin;
    }

    /// <summary>Drops the cached token if it is still the one that was refused (another call may have renewed it).</summary>
    private void Forget(PlatformToken refused)
    {
        lock (stateGate)
        {
            if (ReferenceEquals(token, refused))
            {
                token = null;
            }
        }
    }

    private void Forget(PlatformVersions refused)
    {
        lock (stateGate)
        {
            if (ReferenceEquals(versions, refused))
            {
                versions = null;
            }
        }
    }

    // ---- transport ----

    /// <summary>One POST with the per-call timeout. Network failures and timeouts come back as transport replies.</summary>
    private async Task<PlatformReply> PostAsync(
        string path, byte[] body, string? bearer, string? idempotencyKey, CancellationToken cancellation)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(options.CallTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseAddress, path))
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation(IdempotencyHeader, idempotencyKey);
        }

        try
        {
            using var response = await http.SendAsync(request, deadline.Token);
            var answer = await response.Content.ReadAsByteArrayAsync(deadline.Token);
            return PlatformReply.Parse((int)response.StatusCode, answer);
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            return PlatformReply.Transport($"timeout: no answer to {path} within {options.CallTimeout.TotalMilliseconds:0} ms");
        }
        catch (HttpRequestException failure)
        {
            return PlatformReply.Transport($"network: {path}: {Describe(failure)}");
        }
    }

    // "The SSL connection could not be established" says nothing; the inner exceptions say which certificate and why.
    private static string Describe(Exception failure)
    {
        var parts = new List<string>();
        for (var current = failure; current is not null; current = current.InnerException)
        {
            if (!parts.Contains(current.Message))
            {
                parts.Add(current.Message);
            }
        }

        return string.Join(" <- ", parts);
    }

    private sealed record Session(PlatformToken Token, PlatformVersions Versions);

    private readonly record struct SessionResult(Session? Session, UploadOutcome Failure);
}
