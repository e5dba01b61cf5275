// SPDX-License-Identifier: MIT
#include "servertreemodel.h"

#include "icons.h"

#include <QElapsedTimer>

#include <algorithm>

using namespace SocketIo;

namespace Inspector {

struct ServerTreeModel::Node
{
    NodeType type = NamespaceNode;
    QString key; // namespace name, socket id or room name
    Node *parent = nullptr;
    int row = 0;
    std::vector<std::unique_ptr<Node>> children;
    QHash<QString, Node *> byKey;
    std::unique_ptr<SocketSnapshot> socket; // SocketNode
    bool dead = false; // removed during a silent batch, compacted at its end

    Node *child(const QString &k) const { return byKey.value(k); }
    Node *nspNode()
    {
        Node *n = this;
        while (n->parent && n->parent->parent)
            n = n->parent;
        return n;
    }
};

namespace {
constexpr int socketGroupRow = 0;
constexpr int roomGroupRow = 1;
} // namespace

ServerTreeModel::ServerTreeModel(QObject *parent)
    : QAbstractItemModel(parent)
    , m_root(std::make_unique<Node>())
{ }

ServerTreeModel::~ServerTreeModel() = default;

ServerTreeModel::Node *ServerTreeModel::nodeOf(const QModelIndex &index) const
{
    return index.isValid() ? static_cast<Node *>(index.internalPointer()) : m_root.get();
}

QModelIndex ServerTreeModel::indexOf(Node *node, int column) const
{
    if (!node || node == m_root.get())
        return {};
    return createIndex(node->row, column, node);
}

QModelIndex ServerTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column < 0 || column >= ColumnCount || row < 0)
        return {};
    const Node *p = nodeOf(parent);
    if (parent.isValid() && parent.column() != 0)
        return {};
    if (std::size_t(row) >= p->children.size())
        return {};
    return createIndex(row, column, p->children[std::size_t(row)].get());
}

QModelIndex ServerTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    Node *node = nodeOf(child);
    return indexOf(node->parent);
}

int ServerTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    return int(nodeOf(parent)->children.size());
}

int ServerTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant ServerTreeModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Node *node = nodeOf(index);
    const int count = int(node->children.size());
    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == NameColumn) {
            switch (node->type) {
            case SocketGroupNode:
                return tr("Sockets (%1)").arg(count);
            case RoomGroupNode:
                return tr("Rooms (%1)").arg(count);
            default:
                return node->key;
            }
        }
        switch (node->type) {
        case NamespaceNode:
            return tr("%n socket(s)", nullptr, int(node->children[socketGroupRow]->children.size()));
        case SocketNode:
            return QStringLiteral("%1 \u00b7 %2")
                .arg(transportName(node->socket->transport), node->socket->remoteAddress);
        case RoomNode:
            return tr("%n member(s)", nullptr, count);
        default:
            return QString();
        }
    case Qt::ToolTipRole:
        if (node->type == SocketNode) {
            return tr("Socket %1\nEngine.IO session %2\n%3, connected since %4")
                .arg(node->key, node->socket->engineSessionId, node->socket->remoteAddress,
                     node->socket->connectedAt.toString(Qt::ISODate));
        }
        return {};
    case Qt::DecorationRole:
        if (index.column() != NameColumn)
            return {};
        switch (node->type) {
        case NamespaceNode:
            return Icons::icon(QStringLiteral("namespace"));
        case SocketNode:
        case MemberNode:
            return Icons::icon(QStringLiteral("socket"));
        case SocketRoomNode:
        case RoomNode:
            return Icons::icon(QStringLiteral("room"));
        default:
            return {};
        }
    case NodeTypeRole:
        return int(node->type);
    case NamespaceRole:
        return const_cast<Node *>(node)->nspNode()->key;
    case SocketIdRole:
        switch (node->type) {
        case SocketNode:
        case MemberNode:
            return node->key;
        case SocketRoomNode:
            return node->parent->key;
        default:
            return QString();
        }
    case SessionIdRole:
        return node->type == SocketNode ? node->socket->engineSessionId : QString();
    case RoomRole:
        switch (node->type) {
        case RoomNode:
        case SocketRoomNode:
            return node->key;
        case MemberNode:
            return node->parent->key;
        default:
            return QString();
        }
    case CountRole:
        switch (node->type) {
        case NamespaceNode:
            return int(node->children[socketGroupRow]->children.size());
        case SocketGroupNode:
        case RoomGroupNode:
        case RoomNode:
            return count;
        default:
            return {};
        }
    default:
        return {};
    }
}

QVariant ServerTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::DisplayRole)
        return section == NameColumn ? tr("Name") : tr("Details");
    return QAbstractItemModel::headerData(section, orientation, role);
}

ServerTreeModel::Node *ServerTreeModel::namespaceNode(const QString &nsp) const
{
    return m_root->child(nsp);
}

ServerTreeModel::Node *ServerTreeModel::appendChild(Node *parent, std::unique_ptr<Node> child)
{
    const int row = int(parent->children.size());
    if (!m_silent)
        beginInsertRows(indexOf(parent), row, row);
    child->parent = parent;
    child->row = row;
    Node *raw = child.get();
    parent->byKey.insert(raw->key, raw);
    parent->children.push_back(std::move(child));
    if (!m_silent)
        endInsertRows();
    return raw;
}

void ServerTreeModel::removeChild(Node *parent, Node *child)
{
    m_touched.remove(child);
    if (m_silent) {
        // Inside a reset: erasing from the middle one by one would cost O(n) each; mark now and
        // compact each parent once at the end of the batch.
        child->dead = true;
        parent->byKey.remove(child->key);
        m_compact.insert(parent);
        return;
    }
    const int row = child->row;
    if (!m_silent)
        beginRemoveRows(indexOf(parent), row, row);
    m_touched.remove(child);
    for (const auto &grandChild : child->children)
        m_touched.remove(grandChild.get());
    parent->byKey.remove(child->key);
    parent->children.erase(parent->children.begin() + row);
    for (std::size_t i = std::size_t(row); i < parent->children.size(); ++i)
        parent->children[i]->row = int(i);
    if (!m_silent)
        endRemoveRows();
}

ServerTreeModel::Node *ServerTreeModel::ensureNamespace(const QString &nsp)
{
    if (Node *existing = namespaceNode(nsp))
        return existing;
    auto node = std::make_unique<Node>();
    node->type = NamespaceNode;
    node->key = nsp;
    for (const NodeType type : { SocketGroupNode, RoomGroupNode }) {
        auto group = std::make_unique<Node>();
        group->type = type;
        group->key = type == SocketGroupNode ? QStringLiteral("#sockets") : QStringLiteral("#rooms");
        group->parent = node.get();
        group->row = int(node->children.size());
        node->byKey.insert(group->key, group.get());
        node->children.push_back(std::move(group));
    }
    return appendChild(m_root.get(), std::move(node));
}

void ServerTreeModel::touch(Node *node)
{
    m_touched.insert(node);
}

void ServerTreeModel::untouchTree(Node *node)
{
    m_touched.remove(node);
    for (const auto &child : node->children)
        untouchTree(child.get());
}

void ServerTreeModel::addMember(Node *nsp, const QString &room, const QString &socketId)
{
    Node *rooms = nsp->children[roomGroupRow].get();
    Node *roomNode = rooms->child(room);
    if (!roomNode) {
        auto node = std::make_unique<Node>();
        node->type = RoomNode;
        node->key = room;
        roomNode = appendChild(rooms, std::move(node));
        touch(rooms);
    }
    if (roomNode->child(socketId))
        return;
    auto member = std::make_unique<Node>();
    member->type = MemberNode;
    member->key = socketId;
    appendChild(roomNode, std::move(member));
    touch(roomNode);
}

void ServerTreeModel::removeMember(Node *nsp, const QString &room, const QString &socketId)
{
    Node *rooms = nsp->children[roomGroupRow].get();
    Node *roomNode = rooms->child(room);
    if (!roomNode)
        return;
    if (Node *member = roomNode->child(socketId)) {
        removeChild(roomNode, member);
        touch(roomNode);
    }
    if (roomNode->byKey.isEmpty()) {
        removeChild(rooms, roomNode);
        touch(rooms);
    }
}

void ServerTreeModel::applyOne(const Op &op)
{
    switch (op.kind) {
    case Op::AddNamespace:
        ensureNamespace(op.nsp);
        return;
    case Op::RemoveNamespace: {
        Node *nsp = namespaceNode(op.nsp);
        if (!nsp)
            return;
        // Its sockets left before it went; any still listed go the usual way first.
        QStringList ids;
        for (const auto &socket : nsp->children[socketGroupRow]->children)
            ids.append(socket->key);
        for (const QString &id : std::as_const(ids))
            applyOne(Op::removeSocket(op.nsp, id));
        untouchTree(nsp);
        removeChild(m_root.get(), nsp);
        return;
    }
    case Op::AddSocket: {
        Node *nsp = ensureNamespace(op.nsp);
        Node *sockets = nsp->children[socketGroupRow].get();
        Node *socket = sockets->child(op.socketId);
        if (socket) {
            *socket->socket = op.snapshot;
            touch(socket);
        } else {
            auto node = std::make_unique<Node>();
            node->type = SocketNode;
            node->key = op.socketId;
            node->socket = std::make_unique<SocketSnapshot>(op.snapshot);
            for (const QString &room : op.snapshot.rooms) {
                if (room == op.socketId)
                    continue;
                auto child = std::make_unique<Node>();
                child->type = SocketRoomNode;
                child->key = room;
                child->parent = node.get();
                child->row = int(node->children.size());
                node->byKey.insert(room, child.get());
                node->children.push_back(std::move(child));
            }
            socket = appendChild(sockets, std::move(node));
            m_socketsBySession.insert(op.snapshot.engineSessionId, socket);
            touch(sockets);
            touch(nsp);
        }
        for (const QString &room : op.snapshot.rooms) {
            if (room != op.socketId)
                addMember(nsp, room, op.socketId);
        }
        return;
    }
    case Op::RemoveSocket: {
        Node *nsp = namespaceNode(op.nsp);
        if (!nsp)
            return;
        Node *sockets = nsp->children[socketGroupRow].get();
        Node *socket = sockets->child(op.socketId);
        if (!socket)
            return;
        const QStringList rooms = socket->byKey.keys();
        for (const QString &room : rooms)
            removeMember(nsp, room, op.socketId);
        m_socketsBySession.remove(socket->socket->engineSessionId, socket);
        removeChild(sockets, socket);
        touch(sockets);
        touch(nsp);
        return;
    }
    case Op::Join: {
        if (op.room == op.socketId)
            return; // the socket's own room
        Node *nsp = ensureNamespace(op.nsp);
        if (Node *socket = nsp->children[socketGroupRow]->child(op.socketId)) {
            if (!socket->child(op.room)) {
                auto child = std::make_unique<Node>();
                child->type = SocketRoomNode;
                child->key = op.room;
                appendChild(socket, std::move(child));
                if (!socket->socket->rooms.contains(op.room)) {
                    socket->socket->rooms.append(op.room);
                    socket->socket->rooms.sort();
                }
            }
            addMember(nsp, op.room, op.socketId);
        }
        return;
    }
    case Op::Leave: {
        Node *nsp = namespaceNode(op.nsp);
        if (!nsp)
            return;
        if (Node *socket = nsp->children[socketGroupRow]->child(op.socketId)) {
            if (Node *child = socket->child(op.room))
                removeChild(socket, child);
            socket->socket->rooms.removeAll(op.room);
        }
        removeMember(nsp, op.room, op.socketId);
        return;
    }
    case Op::SetTransport: {
        const QList<Node *> sockets = m_socketsBySession.values(op.socketId);
        for (Node *socket : sockets) {
            socket->socket->transport = op.snapshot.transport;
            socket->socket->upgraded = op.snapshot.upgraded;
            touch(socket);
        }
        return;
    }
    }
}

void ServerTreeModel::compact()
{
    // Parents that are themselves removed (or inside a removed subtree) go with it: collect the
    // live ones before anything is destroyed.
    std::vector<Node *> live;
    for (Node *parent : std::as_const(m_compact)) {
        bool alive = true;
        for (const Node *n = parent; n && alive; n = n->parent)
            alive = !n->dead;
        if (alive)
            live.push_back(parent);
    }
    for (Node *parent : live) {
        auto &children = parent->children;
        children.erase(
            std::remove_if(children.begin(), children.end(), [](const auto &c) { return c->dead; }),
            children.end());
        for (std::size_t i = 0; i < children.size(); ++i)
            children[i]->row = int(i);
    }
    m_compact.clear();
}

void ServerTreeModel::apply(const QList<Op> &ops)
{
    if (ops.isEmpty())
        return;
    QElapsedTimer timer;
    timer.start();
    if (ops.size() > m_resetThreshold) {
        beginResetModel();
        m_silent = true;
        for (const Op &op : ops)
            applyOne(op);
        m_silent = false;
        compact();
        m_touched.clear();
        endResetModel();
    } else {
        for (const Op &op : ops)
            applyOne(op);
        // Counts are shown in the names of groups and in the info column.
        const QSet<Node *> touched = std::exchange(m_touched, {});
        for (Node *node : touched)
            Q_EMIT dataChanged(indexOf(node, NameColumn), indexOf(node, InfoColumn));
    }
    m_lastApplyNs = timer.nsecsElapsed();
}

void ServerTreeModel::reset(const QList<NamespaceSnapshot> &namespaces)
{
    beginResetModel();
    m_silent = true;
    m_root = std::make_unique<Node>();
    m_socketsBySession.clear();
    m_touched.clear();
    for (const NamespaceSnapshot &nsp : namespaces) {
        ensureNamespace(nsp.name);
        for (const SocketSnapshot &socket : nsp.sockets)
            applyOne(Op::addSocket(socket));
    }
    m_touched.clear();
    m_silent = false;
    compact();
    endResetModel();
}

void ServerTreeModel::clear()
{
    reset({});
}

QStringList ServerTreeModel::namespaces() const
{
    QStringList names;
    for (const auto &child : m_root->children)
        names.append(child->key);
    return names;
}

int ServerTreeModel::socketCount() const
{
    int n = 0;
    for (const auto &child : m_root->children)
        n += int(child->children[socketGroupRow]->children.size());
    return n;
}

int ServerTreeModel::socketCount(const QString &nsp) const
{
    const Node *node = namespaceNode(nsp);
    return node ? int(node->children[socketGroupRow]->children.size()) : 0;
}

std::optional<SocketSnapshot> ServerTreeModel::socket(const QString &nsp, const QString &id) const
{
    const Node *node = namespaceNode(nsp);
    if (!node)
        return std::nullopt;
    const Node *socket = node->children[socketGroupRow]->child(id);
    if (!socket)
        return std::nullopt;
    return *socket->socket;
}

QStringList ServerTreeModel::rooms(const QString &nsp) const
{
    QStringList result;
    if (const Node *node = namespaceNode(nsp)) {
        for (const auto &room : node->children[roomGroupRow]->children)
            result.append(room->key);
    }
    return result;
}

QStringList ServerTreeModel::members(const QString &nsp, const QString &room) const
{
    QStringList result;
    if (const Node *node = namespaceNode(nsp)) {
        if (const Node *roomNode = node->children[roomGroupRow]->child(room)) {
            for (const auto &member : roomNode->children)
                result.append(member->key);
        }
    }
    return result;
}

QModelIndex ServerTreeModel::namespaceIndex(const QString &nsp) const
{
    return indexOf(namespaceNode(nsp));
}

QModelIndex ServerTreeModel::socketIndex(const QString &nsp, const QString &id) const
{
    const Node *node = namespaceNode(nsp);
    return node ? indexOf(node->children[socketGroupRow]->child(id)) : QModelIndex();
}

QModelIndex ServerTreeModel::roomIndex(const QString &nsp, const QString &room) const
{
    const Node *node = namespaceNode(nsp);
    return node ? indexOf(node->children[roomGroupRow]->child(room)) : QModelIndex();
}

// --- ServerTreeBatch ---------------------------------------------------------------------------

ServerTreeBatch::ServerTreeBatch(ServerTreeModel *model, std::function<void()> onApplied)
    : m_model(model)
    , m_onApplied(std::move(onApplied))
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(100);
    QObject::connect(&m_timer, &QTimer::timeout, &m_timer, [this] { flush(); });
}

void ServerTreeBatch::queue(ServerTreeModel::Op op)
{
    m_ops.append(std::move(op));
    if (!m_timer.isActive())
        m_timer.start();
}

void ServerTreeBatch::flush()
{
    m_timer.stop();
    if (m_ops.isEmpty())
        return;
    const QList<ServerTreeModel::Op> ops = std::exchange(m_ops, {});
    m_model->apply(ops);
    if (m_onApplied)
        m_onApplied();
}

} // namespace Inspector
