// SPDX-License-Identifier: MIT
#pragma once

#include "trafficrow.h"

#include <QAbstractTableModel>
#include <QElapsedTimer>
#include <QHash>
#include <QTimer>

#include <deque>
#include <functional>
#include <vector>

namespace Inspector {

// The traffic log: a bounded ring buffer of TrafficRow values. Packets are collected as they are
// observed and appended in batches (flush every flushInterval()), never one model signal per
// packet. When the buffer is full the oldest rows go and droppedCount() grows. While paused,
// packets keep being collected (bounded by the capacity too) and appear on resume.
class TrafficModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        TimeColumn,
        DeltaColumn,
        DirectionColumn,
        SourceColumn, // hidden while the inspector watches only its own server
        NamespaceColumn,
        SocketColumn,
        TypeColumn,
        EventColumn,
        AckColumn,
        ArgsColumn,
        SizeColumn,
        TransportColumn,
        SummaryColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        SeqRole = Qt::UserRole + 1, // qint64
        TimestampRole, // qint64 ms since epoch
        KindRole, // int(PacketKind)
        PairRowRole, // int: source row of the paired emit/ack, -1 if none (or not in the buffer)
        RoundTripRole, // qint64 ms, -1 if none
        SessionIdRole,
        NamespaceRole,
        SocketIdRole,
        EventRole,
        DirectionRole, // int(TrafficEvent::Direction)
        SourceRole, // TrafficRow::source
    };

    explicit TrafficModel(QObject *parent = nullptr);
    ~TrafficModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Collects one packet; it appears at the next flush.
    void addEvent(const SocketIo::TrafficEvent &event);
    void addRow(TrafficRow row);
    // Appends what was collected now (also called by the timer). No-op while paused.
    void flush();
    // Replaces everything with rows (HAR import); pairs acks and attachments as live capture does.
    void setRows(const QList<TrafficRow> &rows);
    void clear();

    // Attaches note to the newest of the last lookBack rows (collected or shown) that match
    // accepts (appended after "; " when the row has one); false when none does.
    bool annotateLatest(const std::function<bool(const TrafficRow &)> &match, const QString &note,
                        int lookBack = 256);

    const TrafficRow &rowAt(int row) const { return m_rows[std::size_t(row)]; }
    // Source row of a seq, -1 when it is no longer (or not yet) in the buffer.
    int rowOfSeq(qint64 seq) const;
    QList<TrafficRow> rows() const;

    int capacity() const { return m_capacity; }
    void setCapacity(int rows);
    int flushInterval() const { return m_timer.interval(); }
    void setFlushInterval(int ms) { m_timer.setInterval(ms); }
    bool isPaused() const { return m_paused; }
    void setPaused(bool paused);

    qint64 droppedCount() const { return m_dropped; }
    int pendingCount() const { return int(m_pending.size()); }
    qint64 totalCount() const { return m_nextSeq; } // everything ever collected

    // Timing of the last flush and the worst one, for the benchmark.
    qint64 lastFlushNs() const { return m_lastFlushNs; }
    qint64 maxFlushNs() const { return m_maxFlushNs; }
    int flushCount() const { return m_flushCount; }

Q_SIGNALS:
    void pausedChanged(bool paused);
    void droppedCountChanged(qint64 dropped);
    // Rows were appended by a flush (count rows).
    void flushed(int count);
    // An emit met its ack.
    void ackPaired(qint64 roundTripMs);

private:
    struct AckKey
    {
        QString source;
        QString sessionId;
        QString nsp;
        qint64 id;
        int emitDirection;
        bool operator==(const AckKey &o) const
        {
            return id == o.id && emitDirection == o.emitDirection && sessionId == o.sessionId && nsp == o.nsp
                && source == o.source;
        }
    };
    friend size_t qHash(const AckKey &key, size_t seed) noexcept
    {
        return qHashMulti(seed, key.source, key.sessionId, key.nsp, key.id, key.emitDirection);
    }
    struct PendingAttachments
    {
        qint64 seq;
        int remaining;
    };

    TrafficRow *rowBySeq(qint64 seq);
    void link(TrafficRow &row); // ack pairing and attachment linking at collection time
    void markChanged(qint64 seq);
    void prune();

    std::deque<TrafficRow> m_rows; // m_rows[i].seq == m_firstSeq + i
    std::deque<TrafficRow> m_pending; // seqs follow the rows'
    qint64 m_firstSeq = 0;
    qint64 m_nextSeq = 0;
    qint64 m_dropped = 0;
    int m_capacity = 50000;
    bool m_paused = false;
    QTimer m_timer;
    QHash<AckKey, qint64> m_awaitingAck;
    QHash<QString, PendingAttachments> m_attachmentTargets; // "sid/dir" -> packet expecting frames
    std::vector<qint64> m_changed; // seqs of rows already in the model that changed
    qint64 m_lastFlushNs = 0;
    qint64 m_maxFlushNs = 0;
    int m_flushCount = 0;
};

} // namespace Inspector
