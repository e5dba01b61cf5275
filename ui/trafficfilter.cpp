// SPDX-License-Identifier: MIT
#include "trafficfilter.h"

#include "trafficmodel.h"

using namespace SocketIo;

namespace Inspector {

TrafficFilterProxy::TrafficFilterProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    // Capture order only: no sorting, and new rows are filtered as they come.
    setDynamicSortFilter(true);
    auto counts = [this] {
        Q_EMIT countsChanged();
    };
    connect(this, &QAbstractItemModel::rowsInserted, this, counts);
    connect(this, &QAbstractItemModel::rowsRemoved, this, counts);
    connect(this, &QAbstractItemModel::modelReset, this, counts);
    connect(this, &QAbstractItemModel::layoutChanged, this, counts);
}

void TrafficFilterProxy::setSourceModel(QAbstractItemModel *model)
{
    m_traffic = qobject_cast<TrafficModel *>(model);
    Q_ASSERT(m_traffic);
    QSortFilterProxyModel::setSourceModel(model);
    // The source can lose rows at the top without the proxy losing any (they were filtered out):
    // "of M" changes all the same.
    connect(model, &QAbstractItemModel::rowsInserted, this, [this] { Q_EMIT countsChanged(); });
    connect(model, &QAbstractItemModel::rowsRemoved, this, [this] { Q_EMIT countsChanged(); });
}

QVariant TrafficFilterProxy::data(const QModelIndex &index, int role) const
{
    if (role == Qt::DisplayRole && index.isValid() && index.column() == TrafficModel::DeltaColumn) {
        // Relative to the previous row the user sees, not the previous packet captured.
        if (index.row() == 0)
            return QString();
        const qint64 now = QSortFilterProxyModel::data(index, TrafficModel::TimestampRole).toLongLong();
        const qint64 before =
            QSortFilterProxyModel::data(this->index(index.row() - 1, 0), TrafficModel::TimestampRole)
                .toLongLong();
        const qint64 ms = now - before;
        if (ms < 1000)
            return QStringLiteral("+%1 ms").arg(ms);
        return QStringLiteral("+%1 s").arg(double(ms) / 1000.0, 0, 'f', 3);
    }
    return QSortFilterProxyModel::data(index, role);
}

QList<QRegularExpression> TrafficFilterProxy::patterns(const QString &text)
{
    QList<QRegularExpression> result;
    const QStringList parts = text.split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString &part : parts) {
        const QString trimmed = part.trimmed();
        if (trimmed.isEmpty())
            continue;
        result.append(wildcardExpression(trimmed));
    }
    return result;
}

void TrafficFilterProxy::refilter()
{
    invalidateFilter();
    Q_EMIT filtersChanged();
    Q_EMIT countsChanged();
}

void TrafficFilterProxy::setSourceFilter(const QString &source)
{
    if (m_source == source && m_source.isNull() == source.isNull())
        return;
    m_source = source;
    refilter();
}

void TrafficFilterProxy::setNamespaceFilter(const QString &nsp)
{
    if (m_nsp == nsp)
        return;
    m_nsp = nsp;
    refilter();
}

void TrafficFilterProxy::setSocketFilter(const QString &nsp, const QString &socketId,
                                         const QString &sessionId)
{
    m_socketNsp = nsp;
    m_socketId = socketId;
    m_socketSession = sessionId;
    refilter();
}

void TrafficFilterProxy::setSessionFilter(const QString &sessionId)
{
    m_sessionOnly = sessionId;
    refilter();
}

void TrafficFilterProxy::setRoomFilter(const QString &nsp, const QString &room, const QStringList &members)
{
    m_roomNsp = nsp;
    m_room = room;
    m_roomMembers = QSet<QString>(members.cbegin(), members.cend());
    refilter();
}

void TrafficFilterProxy::setRoomMembers(const QStringList &members)
{
    const QSet<QString> set(members.cbegin(), members.cend());
    if (m_room.isEmpty() || set == m_roomMembers)
        return;
    m_roomMembers = set;
    refilter();
}

void TrafficFilterProxy::setEventInclude(const QString &patterns)
{
    m_include = TrafficFilterProxy::patterns(patterns);
    refilter();
}

void TrafficFilterProxy::setEventExclude(const QString &patterns)
{
    m_exclude = TrafficFilterProxy::patterns(patterns);
    refilter();
}

void TrafficFilterProxy::setDirectionFilter(DirectionFilter direction)
{
    if (m_direction == direction)
        return;
    m_direction = direction;
    refilter();
}

void TrafficFilterProxy::setPacketKinds(PacketKinds kinds)
{
    if (m_kinds == kinds)
        return;
    m_kinds = kinds;
    refilter();
}

void TrafficFilterProxy::setShowControl(bool show)
{
    setPacketKinds(show ? (m_kinds | PacketKind::Control) : (m_kinds & ~PacketKinds(PacketKind::Control)));
}

bool TrafficFilterProxy::setTextFilter(const QString &text, bool regex)
{
    m_textError.clear();
    m_text = text;
    m_useRegex = regex;
    bool ok = true;
    if (regex && !text.isEmpty()) {
        m_regex = QRegularExpression(text, QRegularExpression::CaseInsensitiveOption);
        if (!m_regex.isValid()) {
            m_textError = m_regex.errorString();
            m_text.clear();
            ok = false;
        }
    }
    refilter();
    return ok;
}

void TrafficFilterProxy::clearFilters()
{
    m_source = QString();
    m_nsp.clear();
    m_socketNsp.clear();
    m_socketId.clear();
    m_socketSession.clear();
    m_sessionOnly.clear();
    m_roomNsp.clear();
    m_room.clear();
    m_roomMembers.clear();
    m_include.clear();
    m_exclude.clear();
    m_direction = DirectionFilter::Both;
    m_kinds = allPacketKinds() & ~PacketKinds(PacketKind::Control);
    m_text.clear();
    m_textError.clear();
    refilter();
}

bool TrafficFilterProxy::hasFilters() const
{
    return !m_source.isNull() || !m_nsp.isEmpty() || !m_socketId.isEmpty() || !m_sessionOnly.isEmpty()
        || !m_room.isEmpty() || !m_include.isEmpty() || !m_exclude.isEmpty()
        || m_direction != DirectionFilter::Both
        || m_kinds != (allPacketKinds() & ~PacketKinds(PacketKind::Control)) || !m_text.isEmpty();
}

int TrafficFilterProxy::totalCount() const
{
    return m_traffic ? m_traffic->rowCount() : 0;
}

QString TrafficFilterProxy::countText() const
{
    return tr("%1 of %2").arg(visibleCount()).arg(totalCount());
}

bool TrafficFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (sourceParent.isValid() || !m_traffic)
        return false;
    const TrafficRow &row = m_traffic->rowAt(sourceRow);
    if (!m_kinds.testFlag(row.kind))
        return false;
    if (!m_source.isNull() && row.source != m_source)
        return false;
    switch (m_direction) {
    case DirectionFilter::Both:
        break;
    case DirectionFilter::Incoming:
        if (row.direction != TrafficEvent::Direction::Incoming)
            return false;
        break;
    case DirectionFilter::Outgoing:
        if (row.direction != TrafficEvent::Direction::Outgoing)
            return false;
        break;
    }
    if (!m_nsp.isEmpty() && row.nsp != m_nsp)
        return false;
    if (!m_sessionOnly.isEmpty() && row.sessionId != m_sessionOnly)
        return false;
    if (!m_socketId.isEmpty()) {
        const bool own = row.socketId == m_socketId && row.nsp == m_socketNsp;
        const bool engineLevel = row.socketId.isEmpty() && !row.isSocketIo()
            && row.kind != PacketKind::Attachment && !m_socketSession.isEmpty()
            && row.sessionId == m_socketSession;
        if (!own && !engineLevel)
            return false;
    }
    if (!m_room.isEmpty()) {
        if (row.nsp != m_roomNsp || !m_roomMembers.contains(row.socketId))
            return false;
    }
    if (!m_include.isEmpty()) {
        if (row.event.isEmpty())
            return false;
        bool any = false;
        for (const QRegularExpression &re : m_include) {
            if (re.match(row.event).hasMatch()) {
                any = true;
                break;
            }
        }
        if (!any)
            return false;
    }
    if (!m_exclude.isEmpty() && !row.event.isEmpty()) {
        for (const QRegularExpression &re : m_exclude) {
            if (re.match(row.event).hasMatch())
                return false;
        }
    }
    if (!m_text.isEmpty()) {
        const QString text = row.searchText();
        if (m_useRegex) {
            if (!m_regex.match(text).hasMatch())
                return false;
        } else if (!text.contains(m_text, Qt::CaseInsensitive)) {
            return false;
        }
    }
    return true;
}

} // namespace Inspector
