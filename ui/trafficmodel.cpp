// SPDX-License-Identifier: MIT
#include "trafficmodel.h"

#include "icons.h"

#include <QBrush>
#include <QColor>
#include <QFont>
#include <QGuiApplication>
#include <QJsonArray>
#include <QPalette>

#include <algorithm>

using namespace SocketIo;

namespace Inspector {

namespace {

QString formatDelta(qint64 ms)
{
    if (ms < 1000)
        return QStringLiteral("+%1 ms").arg(ms);
    return QStringLiteral("+%1 s").arg(double(ms) / 1000.0, 0, 'f', 3);
}

} // namespace

TrafficModel::TrafficModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(75);
    connect(&m_timer, &QTimer::timeout, this, &TrafficModel::flush);
}

TrafficModel::~TrafficModel() = default;

int TrafficModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int TrafficModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TrafficModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const TrafficRow &row = m_rows[std::size_t(index.row())];
    const bool outgoing = row.direction == TrafficEvent::Direction::Outgoing;
    switch (role) {
    case Qt::DisplayRole:
        switch (Column(index.column())) {
        case TimeColumn:
            return formatTime(row.timestampMs);
        case DeltaColumn:
            if (index.row() == 0)
                return QString();
            return formatDelta(row.timestampMs - m_rows[std::size_t(index.row() - 1)].timestampMs);
        case DirectionColumn:
            return outgoing ? tr("out") : tr("in");
        case SourceColumn:
            return row.source.isEmpty() ? tr("server") : row.source;
        case NamespaceColumn:
            return row.nsp;
        case SocketColumn:
            return row.socketId.isEmpty() ? row.sessionId : row.socketId;
        case TypeColumn:
            return row.typeName();
        case EventColumn:
            return row.event;
        case AckColumn:
            if (row.ackId < 0)
                return QString();
            if (row.roundTripMs >= 0)
                return tr("%1 (%2 ms)").arg(row.ackId).arg(row.roundTripMs);
            return QString::number(row.ackId);
        case ArgsColumn:
            return row.isSocketIo() ? QVariant(row.argCount) : QVariant(QString());
        case SizeColumn:
            return formatBytes(row.size);
        case TransportColumn:
            return transportName(row.transport);
        case SummaryColumn:
            return row.note.isEmpty()
                ? row.summary
                : QString(QLatin1Char('[') + row.note + QLatin1String("] ") + row.summary);
        case ColumnCount:
            break;
        }
        return {};
    case Qt::ToolTipRole:
        switch (Column(index.column())) {
        case SocketColumn:
            return tr("Socket: %1\nEngine.IO session: %2")
                .arg(row.socketId.isEmpty() ? tr("(none)") : row.socketId, row.sessionId);
        case TypeColumn:
            return QString(row.levelName() + QLatin1Char(' ') + row.typeName());
        case AckColumn:
            if (row.pairSeq >= 0)
                return tr("Acknowledged after %1 ms").arg(row.roundTripMs);
            if (row.ackId >= 0 && row.kind == PacketKind::Event)
                return tr("Waiting for the acknowledgement");
            return {};
        case SummaryColumn:
            if (!row.note.isEmpty())
                return QString(row.note + QLatin1Char('\n') + summarizeArguments(row.arguments(), 2000));
            return summarizeArguments(row.arguments(), 2000);
        case TimeColumn:
            return QDateTime::fromMSecsSinceEpoch(row.timestampMs).toString(Qt::ISODateWithMs);
        default:
            return {};
        }
    case Qt::DecorationRole:
        if (index.column() == DirectionColumn)
            return outgoing ? Icons::icon(QStringLiteral("out")) : Icons::icon(QStringLiteral("in"));
        return {};
    case Qt::ForegroundRole:
        if (row.isControl() || (index.column() == SocketColumn && row.socketId.isEmpty()))
            return QBrush(QGuiApplication::palette().color(QPalette::Disabled, QPalette::Text));
        if (row.kind == PacketKind::ConnectError)
            return QBrush(QColor(0xc0, 0x39, 0x2b));
        return {};
    case Qt::TextAlignmentRole:
        switch (Column(index.column())) {
        case DeltaColumn:
        case AckColumn:
        case ArgsColumn:
        case SizeColumn:
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        default:
            return {};
        }
    case SeqRole:
        return row.seq;
    case TimestampRole:
        return row.timestampMs;
    case KindRole:
        return int(row.kind);
    case PairRowRole:
        return row.pairSeq >= 0 ? rowOfSeq(row.pairSeq) : -1;
    case RoundTripRole:
        return row.roundTripMs;
    case SessionIdRole:
        return row.sessionId;
    case NamespaceRole:
        return row.nsp;
    case SocketIdRole:
        return row.socketId;
    case EventRole:
        return row.event;
    case DirectionRole:
        return int(row.direction);
    case SourceRole:
        return row.source;
    default:
        return {};
    }
}

QVariant TrafficModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case TimeColumn:
        return tr("Time");
    case DeltaColumn:
        return tr("Delta");
    case DirectionColumn:
        return tr("Dir");
    case SourceColumn:
        return tr("Source");
    case NamespaceColumn:
        return tr("Namespace");
    case SocketColumn:
        return tr("Socket");
    case TypeColumn:
        return tr("Type");
    case EventColumn:
        return tr("Event");
    case AckColumn:
        return tr("Ack");
    case ArgsColumn:
        return tr("Args");
    case SizeColumn:
        return tr("Size");
    case TransportColumn:
        return tr("Transport");
    case SummaryColumn:
        return tr("Arguments");
    case ColumnCount:
        break;
    }
    return {};
}

void TrafficModel::addEvent(const TrafficEvent &event)
{
    addRow(TrafficRow::fromEvent(event));
}

void TrafficModel::addRow(TrafficRow row)
{
    row.seq = m_nextSeq++;
    link(row);
    m_pending.push_back(std::move(row));
    // While paused the pending queue is the buffer: keep it bounded as well.
    if (m_pending.size() > std::size_t(m_capacity)) {
        m_pending.pop_front();
        ++m_dropped;
        Q_EMIT droppedCountChanged(m_dropped);
    }
    if (!m_paused && !m_timer.isActive())
        m_timer.start();
}

bool TrafficModel::annotateLatest(const std::function<bool(const TrafficRow &)> &match, const QString &note,
                                  int lookBack)
{
    const auto annotate = [&note](TrafficRow &row) {
        row.note = row.note.isEmpty() ? note : row.note + QLatin1String("; ") + note;
    };
    for (auto it = m_pending.rbegin(); it != m_pending.rend() && lookBack > 0; ++it, --lookBack) {
        if (match(*it)) {
            annotate(*it);
            return true;
        }
    }
    for (auto it = m_rows.rbegin(); it != m_rows.rend() && lookBack > 0; ++it, --lookBack) {
        if (match(*it)) {
            annotate(*it);
            markChanged(it->seq);
            if (!m_paused && !m_timer.isActive())
                m_timer.start();
            return true;
        }
    }
    return false;
}

TrafficRow *TrafficModel::rowBySeq(qint64 seq)
{
    if (seq >= m_firstSeq && seq < m_firstSeq + qint64(m_rows.size()))
        return &m_rows[std::size_t(seq - m_firstSeq)];
    if (!m_pending.empty()) {
        const qint64 first = m_pending.front().seq;
        if (seq >= first && seq < first + qint64(m_pending.size()))
            return &m_pending[std::size_t(seq - first)];
    }
    return nullptr;
}

int TrafficModel::rowOfSeq(qint64 seq) const
{
    if (seq >= m_firstSeq && seq < m_firstSeq + qint64(m_rows.size()))
        return int(seq - m_firstSeq);
    return -1;
}

void TrafficModel::markChanged(qint64 seq)
{
    if (rowOfSeq(seq) >= 0)
        m_changed.push_back(seq);
}

void TrafficModel::link(TrafficRow &row)
{
    const int dir = int(row.direction);
    // Binary frames belong to the last BINARY_EVENT/BINARY_ACK of the same session and direction.
    if (row.kind == PacketKind::Attachment) {
        const QString key =
            row.source + QLatin1Char('\n') + row.sessionId + QLatin1Char('/') + QString::number(dir);
        auto it = m_attachmentTargets.find(key);
        if (it != m_attachmentTargets.end()) {
            if (TrafficRow *target = rowBySeq(it->seq)) {
                target->attachments.append(row.data);
                row.attachedTo = target->seq;
                row.nsp = target->nsp;
                row.socketId = target->socketId;
                row.event = target->event;
                markChanged(target->seq);
            }
            if (--it->remaining <= 0)
                m_attachmentTargets.erase(it);
        }
        return;
    }
    if (row.expectedAttachments > 0) {
        m_attachmentTargets.insert(row.source + QLatin1Char('\n') + row.sessionId + QLatin1Char('/')
                                       + QString::number(dir),
                                   { row.seq, row.expectedAttachments });
    }
    if (row.ackId < 0)
        return;
    if (row.kind == PacketKind::Event) {
        m_awaitingAck.insert({ row.source, row.sessionId, row.nsp, row.ackId, dir }, row.seq);
        return;
    }
    if (row.kind != PacketKind::Ack)
        return;
    const int emitDirection = row.direction == TrafficEvent::Direction::Incoming
        ? int(TrafficEvent::Direction::Outgoing)
        : int(TrafficEvent::Direction::Incoming);
    const auto it = m_awaitingAck.constFind({ row.source, row.sessionId, row.nsp, row.ackId, emitDirection });
    if (it == m_awaitingAck.cend())
        return;
    const qint64 emitSeq = *it;
    m_awaitingAck.erase(it);
    TrafficRow *emitRow = rowBySeq(emitSeq);
    if (!emitRow)
        return;
    const qint64 rtt = row.timestampMs - emitRow->timestampMs;
    emitRow->pairSeq = row.seq;
    emitRow->roundTripMs = rtt;
    row.pairSeq = emitSeq;
    row.roundTripMs = rtt;
    if (row.event.isEmpty())
        row.event = emitRow->event;
    markChanged(emitSeq);
    Q_EMIT ackPaired(rtt);
}

void TrafficModel::flush()
{
    if (m_paused)
        return;
    QElapsedTimer timer;
    timer.start();
    int appended = 0;
    if (!m_pending.empty()) {
        // More than fits: the oldest pending rows never make it into the model.
        const std::size_t capacity = std::size_t(m_capacity);
        if (m_pending.size() > capacity) {
            const std::size_t excess = m_pending.size() - capacity;
            m_pending.erase(m_pending.begin(), m_pending.begin() + qsizetype(excess));
            m_dropped += qint64(excess);
        }
        const std::size_t incoming = m_pending.size();
        const std::size_t overflow =
            m_rows.size() + incoming > capacity ? m_rows.size() + incoming - capacity : 0;
        if (overflow > 0) {
            if (overflow == m_rows.size()) {
                // Everything goes: a reset is cheaper for views than removing all rows.
                beginResetModel();
                m_rows.clear();
                m_firstSeq = m_pending.front().seq;
                m_rows.insert(m_rows.end(), std::make_move_iterator(m_pending.begin()),
                              std::make_move_iterator(m_pending.end()));
                m_pending.clear();
                m_dropped += qint64(overflow);
                appended = int(incoming);
                m_changed.clear();
                endResetModel();
                Q_EMIT droppedCountChanged(m_dropped);
            } else {
                beginRemoveRows({}, 0, int(overflow) - 1);
                m_rows.erase(m_rows.begin(), m_rows.begin() + qsizetype(overflow));
                m_firstSeq += qint64(overflow);
                m_dropped += qint64(overflow);
                endRemoveRows();
                Q_EMIT droppedCountChanged(m_dropped);
            }
        }
        if (!m_pending.empty()) {
            if (m_rows.empty())
                m_firstSeq = m_pending.front().seq;
            const int first = int(m_rows.size());
            beginInsertRows({}, first, first + int(m_pending.size()) - 1);
            m_rows.insert(m_rows.end(), std::make_move_iterator(m_pending.begin()),
                          std::make_move_iterator(m_pending.end()));
            appended = int(m_pending.size());
            m_pending.clear();
            endInsertRows();
        }
    }
    if (!m_changed.empty()) {
        // Rows that got their ack or attachments: one dataChanged over the span they cover.
        int lo = int(m_rows.size());
        int hi = -1;
        for (const qint64 seq : m_changed) {
            const int r = rowOfSeq(seq);
            if (r >= 0) {
                lo = qMin(lo, r);
                hi = qMax(hi, r);
            }
        }
        m_changed.clear();
        if (hi >= lo)
            Q_EMIT dataChanged(index(lo, 0), index(hi, ColumnCount - 1));
    }
    prune();
    m_lastFlushNs = timer.nsecsElapsed();
    m_maxFlushNs = qMax(m_maxFlushNs, m_lastFlushNs);
    ++m_flushCount;
    if (appended > 0)
        Q_EMIT flushed(appended);
}

void TrafficModel::prune()
{
    // Emits whose ack never came, and binary packets whose frames never came, once they left the
    // buffer.
    if (m_awaitingAck.size() > 4096) {
        for (auto it = m_awaitingAck.begin(); it != m_awaitingAck.end();) {
            if (*it < m_firstSeq)
                it = m_awaitingAck.erase(it);
            else
                ++it;
        }
    }
    if (m_attachmentTargets.size() > 1024) {
        for (auto it = m_attachmentTargets.begin(); it != m_attachmentTargets.end();) {
            if (it->seq < m_firstSeq)
                it = m_attachmentTargets.erase(it);
            else
                ++it;
        }
    }
}

void TrafficModel::setRows(const QList<TrafficRow> &rows)
{
    beginResetModel();
    m_rows.clear();
    m_pending.clear();
    m_awaitingAck.clear();
    m_attachmentTargets.clear();
    m_changed.clear();
    m_dropped = 0;
    m_firstSeq = m_nextSeq;
    for (const TrafficRow &source : rows) {
        TrafficRow row = source;
        row.seq = m_nextSeq++;
        if (!row.isMsgpack()) // relinked below; msgpack packets carry their binaries inline
            row.attachments.clear();
        row.pairSeq = -1;
        row.roundTripMs = -1;
        // Link against rows already moved into the buffer.
        m_pending.push_back(row);
        link(m_pending.back());
    }
    const qsizetype excess = qMax<qsizetype>(0, qsizetype(m_pending.size()) - m_capacity);
    m_dropped = excess;
    m_rows.assign(std::make_move_iterator(m_pending.begin() + excess),
                  std::make_move_iterator(m_pending.end()));
    m_pending.clear();
    m_firstSeq = m_rows.empty() ? m_nextSeq : m_rows.front().seq;
    m_changed.clear();
    endResetModel();
    Q_EMIT droppedCountChanged(m_dropped);
}

void TrafficModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_pending.clear();
    m_awaitingAck.clear();
    m_attachmentTargets.clear();
    m_changed.clear();
    m_dropped = 0;
    m_firstSeq = m_nextSeq;
    endResetModel();
    Q_EMIT droppedCountChanged(m_dropped);
}

QList<TrafficRow> TrafficModel::rows() const
{
    return QList<TrafficRow>(m_rows.cbegin(), m_rows.cend());
}

void TrafficModel::setCapacity(int rows)
{
    m_capacity = qMax(1, rows);
    if (int(m_rows.size()) > m_capacity) {
        const int excess = int(m_rows.size()) - m_capacity;
        beginRemoveRows({}, 0, excess - 1);
        m_rows.erase(m_rows.begin(), m_rows.begin() + excess);
        m_firstSeq += excess;
        m_dropped += excess;
        endRemoveRows();
        Q_EMIT droppedCountChanged(m_dropped);
    }
}

void TrafficModel::setPaused(bool paused)
{
    if (m_paused == paused)
        return;
    m_paused = paused;
    if (!m_paused && !m_pending.empty())
        m_timer.start();
    Q_EMIT pausedChanged(m_paused);
}

} // namespace Inspector
