using Microsoft.Data.Sqlite;

namespace EdgeMeter.Receiver.Store;

/// <summary>
/// The receiver's tables in SQLite (PostgreSQL: <see cref="PostgresSchema"/>). Ids are INTEGER PRIMARY KEY (the rowid): one writer assigns them in commit order, so
/// "rows after id X of gateway G" is exactly what a relay tier has not sent yet. A packet's readings are inserted
/// right after it, so reading ids grow with packet ids: a gateway's readings are found through its packets
/// (<c>packets_by_gateway</c>, then <c>readings_by_packet</c>). An index of readings by gateway would put every
/// reading in a page of its own gateway, one more page written per gateway and commit; one by packet only appends.
/// </summary>
internal static class SqliteSchema
{
    /// <summary>
    /// 2: the indicator tables. 3: dead letters can be resent or dropped (state, attempts, resolved_by/at); platform_messages.
    /// 4: gateways.pruned_seq, how far raw retention deleted a gateway's packets; quarantine_counts.
    /// Older databases are brought up to date when opened.
    /// </summary>
    public const int Version = 4;

    private const string Ddl = """
        CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
        -- Every accepted packet, exactly as signed. fresh_readings: readings not seen before (0: all were re-sends).
        CREATE TABLE IF NOT EXISTS packets(
            id INTEGER PRIMARY KEY, gw TEXT NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL, packet TEXT NOT NULL,
            received_at TEXT NOT NULL, client TEXT, fresh_readings INTEGER NOT NULL DEFAULT 0, UNIQUE(gw, seq));
        CREATE INDEX IF NOT EXISTS packets_by_gateway ON packets(gw, id);
        -- Each reading once per gateway: n is the gateway's buffer sequence number, the same on every re-send.
        CREATE TABLE IF NOT EXISTS readings(
            id INTEGER PRIMARY KEY, gw TEXT NOT NULL, n INTEGER NOT NULL, packet_id INTEGER NOT NULL,
            meter TEXT NOT NULL, point TEXT NOT NULL, t TEXT NOT NULL, val TEXT NOT NULL, unit TEXT NOT NULL,
            flags INTEGER NOT NULL, UNIQUE(gw, n));
        CREATE INDEX IF NOT EXISTS readings_by_packet ON readings(packet_id);
        -- The export's reads by reading time. Readings arrive roughly in time order, so this index grows at its end;
        -- one by gateway, meter and point costs ingest 3 to 4 times more (docs/performance.md, "What the indexes cost").
        CREATE INDEX IF NOT EXISTS readings_by_time ON readings(t);
        DROP INDEX IF EXISTS readings_by_gateway;
        -- Replay state, written in the same transaction as the packet.
        CREATE TABLE IF NOT EXISTS gateways(
            gw TEXT PRIMARY KEY, high_water INTEGER NOT NULL, will_seq INTEGER, state TEXT, state_seq INTEGER,
            first_seen TEXT NOT NULL, last_seen TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS quarantine(
            id INTEGER PRIMARY KEY, received_at TEXT NOT NULL, client TEXT, topic TEXT NOT NULL, gw TEXT, seq INTEGER,
            error TEXT NOT NULL, reason TEXT NOT NULL, size INTEGER NOT NULL, packet BLOB NOT NULL,
            resolved_at TEXT, resolution TEXT);
        -- Every quarantined message counted per gateway ('' when unknown), error and UTC day; the first ones kept whole.
        CREATE TABLE IF NOT EXISTS quarantine_counts(
            gw TEXT NOT NULL, error TEXT NOT NULL, day TEXT NOT NULL, total INTEGER NOT NULL, kept INTEGER NOT NULL, last_at TEXT NOT NULL,
            PRIMARY KEY(gw, error, day)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS relay_cursor(tier TEXT NOT NULL, gw TEXT NOT NULL, last_id INTEGER NOT NULL, PRIMARY KEY(tier, gw)) WITHOUT ROWID;
        -- Rows a platform refused for good. state: dead (waiting for an operator), resend (the tier sends it again),
        -- resent (the platform took it), superseded (a later correction of the same period replaces it), dropped (an
        -- operator gave it up). gw is the tier's stream: gateway or enterprise.
        CREATE TABLE IF NOT EXISTS dead_letters(
            id INTEGER PRIMARY KEY, tier TEXT NOT NULL, gw TEXT NOT NULL, row_id INTEGER NOT NULL, n INTEGER,
            code INTEGER NOT NULL, reason TEXT NOT NULL, created_at TEXT NOT NULL);
        -- What platforms pushed (docs/platform-upload.md, "Platform pushes"), once per (account, message id).
        CREATE TABLE IF NOT EXISTS platform_messages(
            id INTEGER PRIMARY KEY, account TEXT NOT NULL, platform TEXT NOT NULL, message_id TEXT NOT NULL, issued_at TEXT NOT NULL,
            received_at TEXT NOT NULL, via TEXT NOT NULL, text TEXT NOT NULL, gateways TEXT NOT NULL, forwarded TEXT NOT NULL, jws TEXT NOT NULL,
            UNIQUE(account, message_id));
        CREATE TABLE IF NOT EXISTS command_seq(gw TEXT PRIMARY KEY, last_seq INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS commands(
            id INTEGER PRIMARY KEY, gw TEXT NOT NULL, seq INTEGER NOT NULL, name TEXT NOT NULL, args TEXT NOT NULL,
            requested_by TEXT NOT NULL, created_at TEXT NOT NULL, expires_at TEXT NOT NULL, packet TEXT NOT NULL,
            state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, sent_at TEXT, result TEXT, message TEXT,
            replied_at TEXT, UNIQUE(gw, seq));
        CREATE INDEX IF NOT EXISTS commands_by_state ON commands(state, id);
        CREATE TABLE IF NOT EXISTS replies(
            id INTEGER PRIMARY KEY, gw TEXT NOT NULL, seq INTEGER NOT NULL, cmd INTEGER NOT NULL, result TEXT NOT NULL,
            message TEXT NOT NULL, received_at TEXT NOT NULL);
        -- Indicators (docs/indicators.md). The readings of points some item reads, by series and time (t: Unix ms).
        CREATE TABLE IF NOT EXISTS series(id INTEGER PRIMARY KEY, gw TEXT NOT NULL, meter TEXT NOT NULL, point TEXT NOT NULL, UNIQUE(gw, meter, point));
        CREATE TABLE IF NOT EXISTS samples(
            series INTEGER NOT NULL, t INTEGER NOT NULL, val TEXT NOT NULL, source INTEGER NOT NULL, reading_id INTEGER NOT NULL,
            PRIMARY KEY(series, t)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS unsynced_samples(series INTEGER NOT NULL, t INTEGER NOT NULL, reading_id INTEGER NOT NULL, PRIMARY KEY(series, t)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS unmapped_points(
            gw TEXT NOT NULL, meter TEXT NOT NULL, point TEXT NOT NULL, readings INTEGER NOT NULL, first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL, PRIMARY KEY(gw, meter, point)) WITHOUT ROWID;
        -- Items whose values must be computed again from from_t on; version tells a newer mark from the one computed.
        CREATE TABLE IF NOT EXISTS indicator_dirty(item TEXT PRIMARY KEY, from_t INTEGER NOT NULL, version INTEGER NOT NULL) WITHOUT ROWID;
        -- Every period's current value; final once uploaded, revision counts the uploads of a changed value.
        -- item is DataItem.Key, enterprise/dataCode: two enterprises may register the same dataCode.
        CREATE TABLE IF NOT EXISTS indicators(
            item TEXT NOT NULL, stat_type INTEGER NOT NULL, start_t INTEGER NOT NULL, end_t INTEGER NOT NULL, value TEXT,
            valid INTEGER NOT NULL, flags INTEGER NOT NULL, final INTEGER NOT NULL DEFAULT 0, revision INTEGER NOT NULL DEFAULT -1,
            uploaded_value TEXT, uploaded_valid INTEGER, updated_at TEXT NOT NULL, PRIMARY KEY(item, stat_type, start_t)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS indicators_open ON indicators(final, end_t);
        -- What the HTTP tiers send, in order; a relay cursor per (platform, enterprise) walks it.
        CREATE TABLE IF NOT EXISTS indicator_uploads(
            id INTEGER PRIMARY KEY, enterprise TEXT NOT NULL, data_code TEXT NOT NULL, stat_type INTEGER NOT NULL, start_t INTEGER NOT NULL,
            value TEXT NOT NULL, valid INTEGER NOT NULL, flags INTEGER NOT NULL, revision INTEGER NOT NULL, convert_ration TEXT NOT NULL,
            scope INTEGER NOT NULL, input_type INTEGER NOT NULL, created_at TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS indicator_uploads_by_enterprise ON indicator_uploads(enterprise, id);
        CREATE TABLE IF NOT EXISTS indicator_corrections(
            id INTEGER PRIMARY KEY, item TEXT NOT NULL, stat_type INTEGER NOT NULL, start_t INTEGER NOT NULL, old_value TEXT NOT NULL,
            old_valid INTEGER NOT NULL, new_value TEXT NOT NULL, new_valid INTEGER NOT NULL, revision INTEGER NOT NULL, created_at TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS meter_replacements(
            id INTEGER PRIMARY KEY, gw TEXT NOT NULL, meter TEXT NOT NULL, point TEXT NOT NULL, at_t INTEGER NOT NULL, old_final TEXT NOT NULL,
            new_initial TEXT NOT NULL, recorded_by TEXT NOT NULL, recorded_at TEXT NOT NULL);
        """;

    public static void Create(SqliteConnection db)
    {
        db.Execute(Ddl);
        var version = db.Scalar("SELECT value FROM meta WHERE key = 'schema'") as string;
        if (version is null)
        {
            db.Execute("INSERT INTO meta(key, value) VALUES ('schema', @v)", ("@v", Version.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        else if (version is "1" or "2" or "3")
        {
            db.Execute("UPDATE meta SET value = @v WHERE key = 'schema'", ("@v", Version.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        else if (version != Version.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException($"database schema version {version} is not {Version}; this receiver cannot use it");
        }

        AddDeadLetterStates(db);
        AddColumns(db, "gateways", [("pruned_seq", "INTEGER NOT NULL DEFAULT 0")]);
    }

    // Version 3.
    private static void AddDeadLetterStates(SqliteConnection db)
    {
        AddColumns(db, "dead_letters", [("state", "TEXT NOT NULL DEFAULT 'dead'"), ("attempts", "INTEGER NOT NULL DEFAULT 1"), ("resolved_by", "TEXT"), ("resolved_at", "TEXT")]);
        db.Execute("CREATE INDEX IF NOT EXISTS dead_letters_by_state ON dead_letters(tier, state, id)");
    }

    // SQLite has no ADD COLUMN IF NOT EXISTS: look first.
    private static void AddColumns(SqliteConnection db, string table, (string Name, string Definition)[] added)
    {
        var columns = db.Query($"SELECT name FROM pragma_table_info('{table}')", reader => reader.GetString(0));
        foreach (var (name, definition) in added.Where(column => !columns.Contains(column.Name)))
        {
            db.Execute($"ALTER TABLE {table} ADD COLUMN {name} {definition}");
        }
    }
}
