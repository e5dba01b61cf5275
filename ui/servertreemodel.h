// SPDX-License-Identifier: MIT
#pragma once

#include <SocketIo/snapshot.h>

#include <QAbstractItemModel>
#include <QHash>
#include <QSet>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace Inspector {

// The server as a tree of values: namespaces -> "Sockets" -> socket -> its rooms, and
// namespaces -> "Rooms" -> room -> members. Changes arrive in batches of operations (apply()),
// each turned into fine-grained row signals; a batch larger than resetThreshold() becomes one
// model reset instead. Sockets' own id rooms are not listed.
class ServerTreeModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum NodeType {
        NamespaceNode,
        SocketGroupNode,
        RoomGroupNode,
        SocketNode,
        SocketRoomNode,
        RoomNode,
        MemberNode
    };
    Q_ENUM(NodeType)
    enum Column { NameColumn, InfoColumn, ColumnCount };
    enum Role {
        NodeTypeRole = Qt::UserRole + 1,
        NamespaceRole, // every node
        SocketIdRole, // socket and member nodes, and socket room nodes (their socket)
        SessionIdRole, // socket nodes
        RoomRole, // room, socket room and member nodes
        CountRole, // namespaces (sockets), groups, rooms (members)
    };

    struct Op
    {
        enum Kind { AddNamespace, AddSocket, RemoveSocket, Join, Leave, SetTransport, RemoveNamespace };
        Kind kind = AddNamespace;
        QString nsp;
        QString socketId; // for SetTransport: the Engine.IO session id
        QString room;
        SocketIo::SocketSnapshot snapshot; // AddSocket; SetTransport uses transport and upgraded

        static Op addNamespace(const QString &nsp) { return { AddNamespace, nsp, {}, {}, {} }; }
        static Op removeNamespace(const QString &nsp) { return { RemoveNamespace, nsp, {}, {}, {} }; }
        static Op addSocket(const SocketIo::SocketSnapshot &s) { return { AddSocket, s.nsp, s.id, {}, s }; }
        static Op removeSocket(const QString &nsp, const QString &id)
        {
            return { RemoveSocket, nsp, id, {}, {} };
        }
        static Op join(const QString &nsp, const QString &room, const QString &id)
        {
            return { Join, nsp, id, room, {} };
        }
        static Op leave(const QString &nsp, const QString &room, const QString &id)
        {
            return { Leave, nsp, id, room, {} };
        }
        static Op setTransport(const QString &sessionId, SocketIo::Transport transport, bool upgraded)
        {
            Op op{ SetTransport, {}, sessionId, {}, {} };
            op.snapshot.transport = transport;
            op.snapshot.upgraded = upgraded;
            return op;
        }
    };

    explicit ServerTreeModel(QObject *parent = nullptr);
    ~ServerTreeModel() override;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void apply(const QList<Op> &ops);
    void reset(const QList<SocketIo::NamespaceSnapshot> &namespaces);
    void clear();
    int resetThreshold() const { return m_resetThreshold; }
    void setResetThreshold(int ops) { m_resetThreshold = ops; }

    QStringList namespaces() const;
    int socketCount() const; // over all namespaces
    int socketCount(const QString &nsp) const;
    std::optional<SocketIo::SocketSnapshot> socket(const QString &nsp, const QString &id) const;
    QStringList rooms(const QString &nsp) const; // without private (socket id) rooms
    QStringList members(const QString &nsp, const QString &room) const;
    QModelIndex namespaceIndex(const QString &nsp) const;
    QModelIndex socketIndex(const QString &nsp, const QString &id) const;
    QModelIndex roomIndex(const QString &nsp, const QString &room) const;

    qint64 lastApplyNs() const { return m_lastApplyNs; }

private:
    struct Node;
    Node *nodeOf(const QModelIndex &index) const;
    QModelIndex indexOf(Node *node, int column = 0) const;
    Node *namespaceNode(const QString &nsp) const;
    Node *ensureNamespace(const QString &nsp);
    Node *appendChild(Node *parent, std::unique_ptr<Node> child);
    void removeChild(Node *parent, Node *child);
    void addMember(Node *nsp, const QString &room, const QString &socketId);
    void removeMember(Node *nsp, const QString &room, const QString &socketId);
    void applyOne(const Op &op);
    void touch(Node *node);
    void untouchTree(Node *node); // node and its descendants, before they are removed
    void compact();

    std::unique_ptr<Node> m_root;
    QMultiHash<QString, Node *> m_socketsBySession;
    QSet<Node *> m_touched; // count or data changed in the current batch
    QSet<Node *> m_compact; // parents with dead children (silent batches)
    bool m_silent = false;
    int m_resetThreshold = 1000;
    qint64 m_lastApplyNs = 0;
};

// Operations for a ServerTreeModel applied in batches: queue() collects them and the batch is
// applied interval() ms after the first one (or at flush()), never per packet; onApplied runs
// after each applied batch. What ServerMonitor and AdminAttachment feed their trees with.
class ServerTreeBatch
{
public:
    ServerTreeBatch(ServerTreeModel *model, std::function<void()> onApplied);
    Q_DISABLE_COPY_MOVE(ServerTreeBatch)

    void queue(ServerTreeModel::Op op);
    // Applies the queued operations now.
    void flush();
    // Drops the queued operations (the tree is about to be reset).
    void clear() { m_ops.clear(); }
    int pending() const { return int(m_ops.size()); }
    int interval() const { return m_timer.interval(); }
    void setInterval(int ms) { m_timer.setInterval(ms); }

private:
    ServerTreeModel *m_model;
    std::function<void()> m_onApplied;
    QList<ServerTreeModel::Op> m_ops;
    QTimer m_timer;
};

} // namespace Inspector
