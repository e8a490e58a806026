using System.Data.Common;
using EdgeMeter.Receiver.Store;

namespace EdgeMeter.Receiver.Relay;

/// <summary>One dead letter as an operator sees it; <see cref="What"/> says which value or packet it is.</summary>
public sealed record DeadLetterView(
    long Id, string Tier, string Stream, long RowId, long? N, int Code, string Reason, string CreatedAt, string State, int Attempts,
    string? ResolvedBy, string? ResolvedAt, string What);

/// <summary>Which dead letters an operator acts on: these ids, every one of a tier, or all (Ids and Tier combine).</summary>
public sealed record DeadLetterSelection(long[]? Ids, string? Tier, bool All)
{
    public string? Problem() =>
        (Ids is null || Ids.Length == 0) && Tier is null && !All ? "give ids, tier or all: true" : null;

    public override string ToString() =>
        All && Ids is null && Tier is null ? "all" : string.Join(" ", new[] { Ids is { Length: > 0 } ? $"ids {string.Join(",", Ids)}" : null, Tier is null ? null : $"tier {Tier}" }.OfType<string>());
}

/// <summary>
/// The operator's side of dead letters (docs/platform-upload.md, "Going live"): list them, mark them for resending once
/// the cause is fixed (the tier sends them again on its next pass), or drop them. Only the receiver process writes.
/// </summary>
public static class DeadLetters
{
    public const string Dead = "dead";
    public const string Resend = "resend";

    public static IReadOnlyList<DeadLetterView> List(DbConnection db, string? state, string? tier, int limit, IReadOnlySet<string> httpTiers) =>
        db.Query(
            """
            SELECT id, tier, gw, row_id, n, code, reason, created_at, state, attempts, resolved_by, resolved_at FROM dead_letters
            WHERE (CAST(@state AS TEXT) IS NULL OR state = @state) AND (CAST(@tier AS TEXT) IS NULL OR tier = @tier) ORDER BY id DESC LIMIT @limit
            """,
            reader => new DeadLetterView(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.IsDBNull(4) ? null : reader.GetInt64(4),
                reader.GetInt32(5), reader.GetString(6), reader.GetString(7), reader.GetString(8), reader.GetInt32(9), reader.NullableString(10),
                reader.NullableString(11), ""),
            ("@state", state), ("@tier", tier), ("@limit", limit))
        .Select(letter => letter with { What = Describe(db, letter, httpTiers.Contains(letter.Tier)) })
        .ToList();

    /// <summary>Marks the selected dead letters of the configured <paramref name="tiers"/> for resending; returns their ids.</summary>
    public static IReadOnlyList<long> MarkForResend(DbConnection db, DeadLetterSelection selection, IReadOnlyCollection<string> tiers, string actor) =>
        Update(db, selection, tiers, "state = 'resend', resolved_by = @actor, resolved_at = NULL", "state = 'dead'", actor, null);

    /// <summary>Gives up the selected dead letters (dead or waiting to be resent); returns their ids.</summary>
    public static IReadOnlyList<long> Drop(DbConnection db, DeadLetterSelection selection, IReadOnlyCollection<string>? tiers, string actor, string now) =>
        Update(db, selection, tiers, "state = 'dropped', resolved_by = @actor, resolved_at = @now", "state IN ('dead', 'resend')", actor, now);

    // tiers: only letters of these (a tier no longer configured would never resend); null: any.
    private static List<long> Update(
        DbConnection db, DeadLetterSelection selection, IReadOnlyCollection<string>? tiers, string set, string eligible, string actor, string? now)
    {
        var ids = db.Query(
                $"SELECT id, tier FROM dead_letters WHERE {eligible} AND (CAST(@tier AS TEXT) IS NULL OR tier = @tier) ORDER BY id",
                reader => (Id: reader.GetInt64(0), Tier: reader.GetString(1)), ("@tier", selection.Tier))
            .Where(row => tiers is null || tiers.Contains(row.Tier)).Select(row => row.Id).ToList();
        if (selection.Ids is { Length: > 0 } chosen)
        {
            ids = ids.Intersect(chosen).ToList();
        }

        foreach (var id in ids)
        {
            db.Execute($"UPDATE dead_letters SET {set} WHERE id = @id", ("@actor", actor), ("@now", now), ("@id", id));
        }

        return ids;
    }

    private static string Describe(DbConnection db, DeadLetterView letter, bool http) =>
        (http
            ? db.Query(
                "SELECT data_code, stat_type, start_t, value, revision FROM indicator_uploads WHERE id = @id",
                r => $"dataCode {r.GetString(0)} statType {r.GetInt32(1)} statDate {Http.PlatformTime.FromUtc(Indicators.SampleReader.FromMs(r.GetInt64(2))):yyyy-MM-dd HH:mm} value {r.GetString(3)}{(r.GetInt32(4) > 0 ? $" (correction {r.GetInt32(4)})" : "")}",
                ("@id", letter.RowId))
            : db.Query("SELECT kind, seq FROM packets WHERE id = @id", r => $"{r.GetString(0)} packet seq {r.GetInt64(1)}", ("@id", letter.RowId)))
        .FirstOrDefault() ?? "(row no longer stored)";
}
