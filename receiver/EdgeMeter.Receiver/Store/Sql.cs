using System.Data.Common;
using System.Globalization;

namespace EdgeMeter.Receiver.Store;

/// <summary>
/// Small helpers so that SQL reads as SQL: named parameters as ("@name", value) pairs. They work on any ADO.NET
/// connection; the SQL written with them is the part SQLite and PostgreSQL share (docs/receiver.md, "Receivers in a group").
/// </summary>
internal static class Sql
{
    public static DbCommand Command(this DbConnection db, string sql, params (string Name, object? Value)[] args)
    {
        var command = db.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in args)
        {
            command.Parameters.Add(Parameter(command, name, value));
        }

        return command;
    }

    public static DbParameter Parameter(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        return parameter;
    }

    public static int Execute(this DbConnection db, string sql, params (string Name, object? Value)[] args)
    {
        using var command = db.Command(sql, args);
        return command.ExecuteNonQuery();
    }

    public static object? Scalar(this DbConnection db, string sql, params (string Name, object? Value)[] args)
    {
        using var command = db.Command(sql, args);
        var value = command.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    public static long? ScalarLong(this DbConnection db, string sql, params (string Name, object? Value)[] args) =>
        db.Scalar(sql, args) is { } value ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : null;

    public static List<T> Query<T>(this DbConnection db, string sql, Func<DbDataReader, T> read, params (string Name, object? Value)[] args)
    {
        using var command = db.Command(sql, args);
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    /// <summary>Times are stored as fixed-width UTC text, so they sort like time.</summary>
    public static string Time(DateTime utc) => utc.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static DateTime ParseTime(string text) =>
        DateTime.ParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    public static string? NullableString(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
