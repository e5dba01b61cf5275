// SPDX-License-Identifier: MIT
#pragma once

#include "trafficrow.h"

#include <QRegularExpression>
#include <QSet>
#include <QSortFilterProxyModel>

namespace Inspector {

class TrafficModel;

// The traffic log's filters, all combined with AND: namespace, socket, client (Engine.IO session),
// room (its members), event include/exclude (names or wildcards such as "chat:*"), direction,
// packet kinds (control frames hidden by default) and free text or a regular expression over the
// packet. Rows keep capture order; the delta column is relative to the previous visible row.
class TrafficFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    enum class DirectionFilter { Both, Incoming, Outgoing };
    Q_ENUM(DirectionFilter)

    explicit TrafficFilterProxy(QObject *parent = nullptr);

    void setSourceModel(QAbstractItemModel *model) override;
    TrafficModel *trafficModel() const { return m_traffic; }
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    // Only the packets of one source (TrafficRow::source: "" is the inspector's own server).
    // A null string: any source.
    void setSourceFilter(const QString &source);
    QString sourceFilter() const { return m_source; }
    QString namespaceFilter() const { return m_nsp; }
    void setNamespaceFilter(const QString &nsp); // empty: any
    // A socket: its packets and the Engine.IO packets of its connection. Empty: any.
    void setSocketFilter(const QString &nsp, const QString &socketId, const QString &sessionId);
    QString socketFilter() const { return m_socketId; }
    void setSessionFilter(const QString &sessionId); // one client, all its namespaces
    QString sessionFilter() const { return m_sessionOnly; }
    // A room: packets of its members (socket ids) in nsp. Empty room name: any.
    void setRoomFilter(const QString &nsp, const QString &room, const QStringList &members);
    QString roomFilter() const { return m_room; }
    void setRoomMembers(const QStringList &members);
    // Comma-separated event names; "*" and "?" are wildcards.
    void setEventInclude(const QString &patterns);
    void setEventExclude(const QString &patterns);
    void setDirectionFilter(DirectionFilter direction);
    DirectionFilter directionFilter() const { return m_direction; }
    void setPacketKinds(PacketKinds kinds);
    PacketKinds packetKinds() const { return m_kinds; }
    void setShowControl(bool show);
    bool showControl() const { return m_kinds.testFlag(PacketKind::Control); }
    // Free text (case-insensitive substring) or, with regex, a regular expression. Returns false
    // (and filters nothing) when the expression is invalid.
    bool setTextFilter(const QString &text, bool regex);
    QString textFilterError() const { return m_textError; }
    void clearFilters();
    bool hasFilters() const;

    int visibleCount() const { return rowCount(); }
    int totalCount() const;
    // "N of M"
    QString countText() const;

Q_SIGNALS:
    void filtersChanged();
    void countsChanged();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    void refilter();
    static QList<QRegularExpression> patterns(const QString &text);

    TrafficModel *m_traffic = nullptr;
    QString m_source; // null: any
    QString m_nsp;
    QString m_socketNsp;
    QString m_socketId;
    QString m_socketSession;
    QString m_sessionOnly;
    QString m_roomNsp;
    QString m_room;
    QSet<QString> m_roomMembers;
    QList<QRegularExpression> m_include;
    QList<QRegularExpression> m_exclude;
    DirectionFilter m_direction = DirectionFilter::Both;
    PacketKinds m_kinds = allPacketKinds() & ~PacketKinds(PacketKind::Control);
    QString m_text;
    QRegularExpression m_regex;
    bool m_useRegex = false;
    QString m_textError;
};

} // namespace Inspector
