using System.Data.Common;

namespace EdgeMeter.Receiver.Store;

/// <summary>
/// The database under the <see cref="PacketStore"/>: what SQLite and PostgreSQL do differently. The writer, the
/// replay decision and every query above are shared SQL (docs/receiver.md, "Receivers in a group"); a database supplies
/// the connections, how a write transaction begins, and the statements the writer runs for every packet.
/// </summary>
internal abstract class StoreDatabase : IDisposable
{
    /// <summary>What the logs and errors call it: a file path, or a PostgreSQL host and database.</summary>
    public abstract string Description { get; }

    /// <summary>The one connection the group-commit writer uses, open and with the schema up to date.</summary>
    public abstract DbConnection Writer { get; }

    /// <summary>The statement that starts the writer's transaction.</summary>
    public abstract string BeginWrite { get; }

    /// <summary>
    /// True when other receivers may write between this writer's transactions: what the writer read in an earlier
    /// transaction may be out of date, so its gateway ledger lasts one transaction.
    /// </summary>
    public abstract bool SharedWithOtherWriters { get; }

    /// <summary>Ends the writer's transaction; throws when it did not commit.</summary>
    public virtual void Commit(DbConnection writer) => writer.Execute("COMMIT");

    /// <summary>Opens the writer connection again when it broke (a database restart); called before each transaction.</summary>
    public virtual void EnsureWriterOpen()
    {
    }

    /// <summary>The background work's lease (<see cref="WorkLease"/>).</summary>
    public abstract WorkLease CreateLease(Microsoft.Extensions.Logging.ILogger log);

    /// <summary>A connection for queries; dispose it after use.</summary>
    public abstract DbConnection OpenReader();

    /// <summary>The statements for every packet and reading, prepared on <see cref="Writer"/>.</summary>
    public abstract IIngestStatements CreateIngestStatements();

    /// <summary>Runs on the writer thread after each commit, its callers answered.</summary>
    public virtual void AfterCommit(DbConnection writer)
    {
    }

    /// <summary>WAL checkpoints so far (SQLite only): by the checkpoint thread, and by the writer to let the WAL start again.</summary>
    public virtual (long Background, long Finishing) Checkpoints => (0, 0);

    /// <summary>The most 4 KB frames the WAL held at a checkpoint (SQLite only).</summary>
    public virtual long LargestWalFrames => 0;

    public abstract void Dispose();
}

/// <summary>The writer's statements for every packet and every reading; the rest of its SQL is shared.</summary>
internal interface IIngestStatements : IDisposable
{
    /// <summary>
    /// Inserts the packet's row and, when it is new, its readings not stored before ((gw, n) unique). The new row's id
    /// (null when (gw, seq) is stored already: then nothing was inserted) and how many of its readings were new.
    /// </summary>
    (long? PacketId, int FreshReadings) InsertPacket(Verify.IngestedPacket packet, string kind, string receivedAt, string? client);

    /// <summary>Writes a gateway's replay state.</summary>
    void UpsertGateway(string gw, GatewayRow row, string seenAt);
}
