using System.Collections;
using EdgeMeter.Core.Buffer;
using EdgeMeter.Core.Messages;
using EdgeMeter.Core.Packet;
using EdgeMeter.Core.Time;

namespace EdgeMeter.Core.Uplink;

/// <summary>
/// Moves buffered readings to the broker as signed packets and advances the buffer's cursor only over readings
/// the broker has acknowledged (PUBACK), so nothing leaves flash before it is safe elsewhere.
/// <para>
/// After an outage the backlog (readings committed before the reconnect) drains oldest first while new readings
/// keep flowing in their own packets, one in flight at a time, so their delay stays bounded however long the
/// backlog is. The cursor still moves only over a contiguous acknowledged prefix. A failed publish or a lost
/// connection drops everything in flight; it is all sent again after the reconnect (readings keep their "n").
/// </para>
/// Call <see cref="Step"/> from one thread; the transport's callbacks may come from any thread.
/// </summary>
public sealed class UplinkPublisher : IMqttTransportListener
{
    private readonly IMqttTransport _transport;
    private readonly ReadingBuffer _buffer;
    private readonly PacketSigner _signer;
    private readonly PacketSequence _sequence;
    private readonly PointDirectory _points;
    private readonly IStatusSource _statusSource;
    private readonly ICommandHandler _commands;
    private readonly IClock _clock;
    private readonly UplinkOptions _options;
    private readonly string _upTopic;
    private readonly string _statusTopic;
    private readonly string _downTopic;
    private readonly string _replyTopic;
    private readonly InflightPackets _inflight;
    // Read a few at a time, each piece made packet readings and added to the packet at once: a packet's worth of
    // stored and packet readings costs 10 KB on a board, and reading one at a time would search the segment table for
    // every reading.
    private readonly Buffer.Reading[] _stored = new Buffer.Reading[8];
    private readonly Messages.PacketReading[] _outgoing;
    private readonly GatewayStatus _status = new GatewayStatus();
    private readonly CommandReply _reply = new CommandReply();
    private readonly object _gate = new object();
    private readonly int[] _completedTokens;
    private readonly bool[] _completedOk;
    private readonly ArrayList _arrived = new ArrayList();
    private int _completedCount;
    private string? _lostReason;
    private bool _connected;
    private long _nextConnectAttempt;
    private int _reconnectDelay;
    private long _nextStatus;
    private long _nextLiveUpload;
    private long _backlogNext;
    private long _liveStart;
    private long _liveNext;
    private long _liveOrphansCounted; // the last orphaned sequence counted, per region: a reading read again is not counted again
    private long _backlogOrphansCounted;
    private long _willSequence;

    // How many readings are read per packet: shrinks to what fits the packet size, so the next read continues the
    // buffer's decoder instead of decoding the segment again from its start; grows back after a run of full packets.
    private int _readSize;
    private int _fullPackets;

    public UplinkPublisher(
        IMqttTransport transport,
        ReadingBuffer buffer,
        PacketSigner signer,
        PacketSequence sequence,
        PointDirectory points,
        MqttTopics topics,
        IStatusSource statusSource,
        ICommandHandler commands,
        IClock clock,
        UplinkOptions options)
    {
        _transport = transport;
        _buffer = buffer;
        _signer = signer;
        _sequence = sequence;
        _points = points;
        _statusSource = statusSource;
        _commands = commands;
        _clock = clock;
        _options = options;
        _upTopic = topics.Up(signer.GatewayId);
        _statusTopic = topics.Status(signer.GatewayId);
        _downTopic = topics.Down(signer.GatewayId);
        _replyTopic = topics.Topic(signer.GatewayId, PacketKind.Reply);
        _inflight = new InflightPackets(options.Window);
        _outgoing = new Messages.PacketReading[_stored.Length];
        for (var i = 0; i < _outgoing.Length; i++)
        {
            _outgoing[i] = new Messages.PacketReading();
        }

        _completedTokens = new int[options.Window * 4];
        _completedOk = new bool[options.Window * 4];
        _reconnectDelay = options.MinReconnectDelayMilliseconds;
        _readSize = options.MaxReadingsPerPacket;
        transport.SetListener(this);
    }

    public bool IsConnected => _connected;

    /// <summary>Readings published and acknowledged by the broker since start.</summary>
    public long ReadingsAcknowledged { get; private set; }

    public long PacketsPublished { get; private set; }

    /// <summary>Buffered readings of points removed from the configuration since they were read; each counted once.</summary>
    public long ReadingsOrphaned { get; private set; }

    public long Reconnects { get; private set; }

    public string LastConnectionProblem { get; private set; } = "";

    /// <summary>One round: take completions, (re)connect when due, answer commands, publish status and readings.</summary>
    public void Step()
    {
        TakeCompletions();
        if (!_connected && !TryConnect())
        {
            return;
        }

        AnswerCommands();
        if (_connected && _clock.MonotonicMilliseconds >= _nextStatus)
        {
            PublishStatus();
        }

        while (_connected && PublishNextReadings())
        {
        }
    }

    /// <summary>Publish the status now (after a command changed something a platform should see).</summary>
    public void StatusChanged() => _nextStatus = 0;

    /// <summary>Disconnects cleanly: the broker does not publish the last will, so say offline first.</summary>
    public void Shutdown()
    {
        if (_connected)
        {
            _transport.Disconnect();
            _connected = false;
        }
    }

    void IMqttTransportListener.Published(int token, bool acknowledged)
    {
        lock (_gate)
        {
            if (_completedCount == _completedTokens.Length)
            {
                _lostReason = "too many unprocessed acknowledgements";
                return;
            }

            _completedTokens[_completedCount] = token;
            _completedOk[_completedCount] = acknowledged;
            _completedCount++;
        }
    }

    void IMqttTransportListener.MessageArrived(string topic, byte[] payload)
    {
        if (topic != _downTopic)
        {
            return;
        }

        lock (_gate)
        {
            if (_arrived.Count < 16)
            {
                _arrived.Add(payload);
            }
        }
    }

    void IMqttTransportListener.ConnectionLost(string reason)
    {
        lock (_gate)
        {
            _lostReason = reason;
        }
    }

    private bool TryConnect()
    {
        var now = _clock.MonotonicMilliseconds;
        if (now < _nextConnectAttempt)
        {
            return false;
        }

        var will = SignedWill();
        var problem = _transport.Connect(_statusTopic, will, _downTopic);
        if (problem != null)
        {
            LastConnectionProblem = problem;
            _nextConnectAttempt = now + _reconnectDelay;
            _reconnectDelay = _reconnectDelay * 2 > _options.MaxReconnectDelayMilliseconds ? _options.MaxReconnectDelayMilliseconds : _reconnectDelay * 2;
            return false;
        }

        lock (_gate)
        {
            _lostReason = null;
            _completedCount = 0;
        }

        Reconnects++;
        _connected = true;
        _reconnectDelay = _options.MinReconnectDelayMilliseconds;
        _inflight.Clear();
        _backlogNext = _buffer.AcknowledgedThrough + 1;
        _liveStart = _buffer.CommittedSequence + 1;
        _liveNext = _liveStart;
        _nextStatus = 0;
        _nextLiveUpload = 0;
        return true;
    }

    private byte[] SignedWill()
    {
        _willSequence = _sequence.Next();
        FillStatus(GatewayState.Offline);
        _status.MeterCount = 0;
        _status.BusCount = 0;
        SignStatus(_willSequence);
        var will = new byte[_signer.Length];
        System.Array.Copy(_signer.Packet, will, will.Length);
        return will;
    }

    private void FillStatus(GatewayState state)
    {
        _statusSource.Fill(_status);
        _status.State = state;
        _status.Firmware = _options.Firmware;
        _status.QueuedReadings = _buffer.Depth;
        _status.DroppedReadings = _buffer.Dropped;
        _status.Connections = Reconnects;
        _status.WillSequence = _willSequence;
    }

    /// <summary>The sequence number of the last online status signed (0: none yet), which a set-time must answer.</summary>
    public long LastOnlineStatusSequence { get; private set; }

    /// <summary>When (monotonic milliseconds) that status was signed.</summary>
    public long LastOnlineStatusMonotonic { get; private set; }

    /// <summary>Signs the status; a gateway with many meters lists as many of them as fit the packet size.</summary>
    private bool SignStatus(long sequence)
    {
        while (!_signer.SignStatus(sequence, _clock.UtcNow, _status))
        {
            if (_status.MeterCount == 0)
            {
                return false;
            }

            _status.MeterCount /= 2;
        }

        if (_status.State == GatewayState.Online)
        {
            LastOnlineStatusSequence = sequence;
            LastOnlineStatusMonotonic = _clock.MonotonicMilliseconds;
        }

        return true;
    }

    private void PublishStatus()
    {
        FillStatus(GatewayState.Online);
        if (SignStatus(_sequence.Next()))
        {
            Publish(_statusTopic, retain: true);
        }

        _nextStatus = _clock.MonotonicMilliseconds + _options.StatusIntervalMilliseconds;
    }

    private void AnswerCommands()
    {
        while (_connected)
        {
            byte[] packet;
            lock (_gate)
            {
                if (_arrived.Count == 0)
                {
                    return;
                }

                packet = (byte[])_arrived[0]!;
                _arrived.RemoveAt(0);
            }

            if (_commands.Handle(packet, _reply) && _signer.SignReply(_sequence.Next(), _clock.UtcNow, _reply))
            {
                Publish(_replyTopic, retain: false);
            }

            StatusChanged();
        }
    }

    /// <summary>Publishes one packet of live or backlog readings; false when there is nothing (or no room) to send.</summary>
    private bool PublishNextReadings()
    {
        if (_inflight.Count >= _options.Window)
        {
            return false;
        }

        if (!_inflight.HasLive && LiveIsDue() && TryPublishReadings(_liveNext, long.MaxValue, live: true))
        {
            return true;
        }

        return _backlogNext < _liveStart && TryPublishReadings(_backlogNext, _liveStart, live: false);
    }

    /// <summary>New readings go out when a packet is full or the upload interval has passed.</summary>
    private bool LiveIsDue()
    {
        var waiting = _buffer.CommittedSequence - _liveNext + 1;
        return waiting >= _readSize || (waiting > 0 && _clock.MonotonicMilliseconds >= _nextLiveUpload);
    }

    /// <summary>
    /// Reads the buffer a few readings at a time and adds each piece to the packet as it is read, so that only
    /// <see cref="_outgoing"/>'s few packet readings are kept, not a packet's worth.
    /// </summary>
    private bool TryPublishReadings(long from, long before, bool live)
    {
        var read = 0;
        var prepared = 0;
        var taken = 0;
        long last = 0;
        long firstTaken = 0;
        long lastTaken = 0;
        var began = false;
        while (read < _readSize && from < before)
        {
            var wanted = _readSize - read < _stored.Length ? _readSize - read : _stored.Length;
            var count = _buffer.Read(from, _stored, wanted);
            var used = 0;
            var piece = 0;
            while (used < count && _stored[used].Sequence < before)
            {
                last = _stored[used].Sequence;
                if (Prepare(_outgoing[piece], used++, live))
                {
                    piece++;
                }
            }

            read += used;
            if (piece > 0)
            {
                if (!began)
                {
                    _signer.BeginReadings(_sequence.Next(), _clock.UtcNow);
                    began = true;
                }

                prepared += piece;
                var added = _signer.AddReadings(_outgoing, 0, piece);
                if (added > 0)
                {
                    firstTaken = taken == 0 ? _outgoing[0].Sequence : firstTaken;
                    lastTaken = _outgoing[added - 1].Sequence;
                    taken += added;
                }

                if (added < piece)
                {
                    break; // the packet is full
                }
            }

            if (used < wanted)
            {
                break; // the live region begins, or nothing more is stored
            }

            from = last + 1;
        }

        if (read == 0)
        {
            if (!live)
            {
                // Nothing stored below the live region any more (acknowledged or dropped): the backlog is done.
                _backlogNext = before;
                AdvanceCursor();
            }

            return false;
        }

        if (prepared == 0)
        {
            SkipPast(last, live);
            return false;
        }

        if (_signer.EndReadings() == 0)
        {
            throw new System.InvalidOperationException("upload.maxPacketBytes is too small for a single reading");
        }

        AdaptReadSize(prepared, taken);
        var token = _transport.Publish(_upTopic, _signer.Packet, _signer.Length, false);
        if (token < 0)
        {
            ConnectionLost("the MQTT client refused the publish");
            return false;
        }

        PacketsPublished++;
        _inflight.Add(token, firstTaken, taken, live);
        SkipPast(lastTaken, live);
        return true;
    }

    private void AdaptReadSize(int prepared, int taken)
    {
        if (taken < prepared)
        {
            _readSize = taken;
            _fullPackets = 0;
        }
        else if (prepared == _readSize && ++_fullPackets >= 16 && _readSize < _options.MaxReadingsPerPacket)
        {
            _readSize++;
            _fullPackets = 0;
        }
    }

    /// <summary>Moves the live or backlog position past <paramref name="sequence"/>.</summary>
    private void SkipPast(long sequence, bool live)
    {
        if (live)
        {
            _liveNext = sequence + 1;
            _nextLiveUpload = _clock.MonotonicMilliseconds + _options.UploadIntervalMilliseconds;
        }
        else
        {
            _backlogNext = sequence + 1;
            AdvanceCursor();
        }
    }

    /// <summary>
    /// Copies a stored reading just read into a packet reading. A reading whose point is no longer configured cannot
    /// be named on the wire: it is skipped and counted in <see cref="ReadingsOrphaned"/>.
    /// </summary>
    private bool Prepare(Messages.PacketReading reading, int stored, bool live)
    {
        var meter = _stored[stored].Meter;
        var point = _stored[stored].Point;
        if (!_points.Knows(meter, point))
        {
            CountOrphan(_stored[stored].Sequence, live);
            return false;
        }

        reading.Sequence = _stored[stored].Sequence;
        reading.MeterId = _points.MeterId(meter);
        reading.PointId = _points.PointId(meter, point);
        reading.Unit = _points.Unit(meter, point);
        reading.TimeUtc = _stored[stored].Time;
        reading.Value = _stored[stored].Value;
        reading.Flags = (ReadingFlags)(int)_stored[stored].Quality; // the same bits (ReadingQuality)
        return true;
    }

    private void CountOrphan(long sequence, bool live)
    {
        if (sequence > (live ? _liveOrphansCounted : _backlogOrphansCounted))
        {
            ReadingsOrphaned++;
            if (live)
            {
                _liveOrphansCounted = sequence;
            }
            else
            {
                _backlogOrphansCounted = sequence;
            }
        }
    }

    private void Publish(string topic, bool retain)
    {
        if (_transport.Publish(topic, _signer.Packet, _signer.Length, retain) < 0)
        {
            ConnectionLost("the MQTT client refused the publish");
            return;
        }

        PacketsPublished++;
    }

    private void TakeCompletions()
    {
        string? lost;
        lock (_gate)
        {
            // PUBACKs that arrived before a failure are real: take them first, in order.
            lost = null;
            for (var i = 0; i < _completedCount && lost == null; i++)
            {
                if (_completedOk[i])
                {
                    Acknowledged(_completedTokens[i]);
                }
                else if (_inflight.Contains(_completedTokens[i]))
                {
                    // Failures of status or reply packets, or of a previous connection's packets, change nothing.
                    lost = "a publish was not acknowledged";
                }
            }

            _completedCount = 0;
            if (lost == null)
            {
                lost = _lostReason;
            }
        }

        if (!_connected)
        {
            return;
        }

        AdvanceCursor();
        if (lost != null)
        {
            ConnectionLost(lost);
        }
    }

    private void Acknowledged(int token) => ReadingsAcknowledged += _inflight.Acknowledge(token);

    /// <summary>Moves the buffer cursor over the longest acknowledged prefix.</summary>
    private void AdvanceCursor()
    {
        var limit = _backlogNext < _liveStart ? _backlogNext : _liveNext;
        var oldestUnacknowledged = _inflight.OldestFirst();
        if (oldestUnacknowledged < limit)
        {
            limit = oldestUnacknowledged;
        }

        var through = limit - 1;
        if (through > _buffer.AcknowledgedThrough && through <= _buffer.CommittedSequence)
        {
            _buffer.Acknowledge(through);
        }

    }

    private void ConnectionLost(string reason)
    {
        LastConnectionProblem = reason;
        _connected = false;
        _inflight.Clear();

        // Nothing unacknowledged may count as sent: the next connection starts again from the cursor.
        _backlogNext = _buffer.AcknowledgedThrough + 1;
        _liveStart = _backlogNext;
        _liveNext = _backlogNext;
        _transport.Disconnect();
        _nextConnectAttempt = _clock.MonotonicMilliseconds + _reconnectDelay;
    }
}
