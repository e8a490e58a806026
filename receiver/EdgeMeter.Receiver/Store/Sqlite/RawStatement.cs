using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace EdgeMeter.Receiver.Store;

/// <summary>
/// A statement prepared once on the writer's connection and run through SQLitePCL (the layer under
/// Microsoft.Data.Sqlite) directly: parameters bound by position, no command, reader or boxed value per run.
/// Only for the statements the writer runs for every packet and every reading, where Microsoft.Data.Sqlite's
/// per-execution work (a name lookup per parameter, a data reader per statement) cost more than SQLite itself.
/// Failures throw <see cref="SqliteException"/>, like every other store statement.
/// </summary>
internal sealed class RawStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    public RawStatement(SqliteConnection connection, string sql)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("the connection is not open");
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
    }

    /// <summary>Binds parameter <paramref name="index"/> (1-based, in the order of the SQL).</summary>
    public RawStatement Bind(int index, long value)
    {
        Check(raw.sqlite3_bind_int64(_statement, index, value));
        return this;
    }

    /// <inheritdoc cref="Bind(int, long)"/>
    public RawStatement Bind(int index, long? value) => value is { } number ? Bind(index, number) : BindNull(index);

    /// <inheritdoc cref="Bind(int, long)"/>
    public RawStatement Bind(int index, string? value)
    {
        Check(value is null ? raw.sqlite3_bind_null(_statement, index) : raw.sqlite3_bind_text(_statement, index, value));
        return this;
    }

    private RawStatement BindNull(int index)
    {
        Check(raw.sqlite3_bind_null(_statement, index));
        return this;
    }

    /// <summary>Runs the statement and resets it; the rows it changed.</summary>
    public int Execute()
    {
        try
        {
            Step();
            return raw.sqlite3_changes(_db);
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>Runs the statement and resets it; the first column of its first row, or null without a row.</summary>
    public long? ExecuteInt64()
    {
        try
        {
            return Step() ? raw.sqlite3_column_int64(_statement, 0) : null;
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    public void Dispose() => _statement.Dispose();

    private bool Step()
    {
        var result = raw.sqlite3_step(_statement);
        return result switch
        {
            raw.SQLITE_ROW => true,
            raw.SQLITE_DONE => false,
            _ => throw Failure(result),
        };
    }

    private void Check(int result)
    {
        if (result != raw.SQLITE_OK)
        {
            throw Failure(result);
        }
    }

    private SqliteException Failure(int result) => new($"SQLite Error {result}: '{raw.sqlite3_errmsg(_db).utf8_to_string()}'.", result, raw.sqlite3_extended_errcode(_db));
}
