// SPDX-License-Identifier: MIT
#include "servermonitor.h"

#include <SocketIo/engineserver.h>
#include <SocketIo/enginesession.h>

#include <QDateTime>

using namespace SocketIo;

namespace Inspector {

namespace {
constexpr std::size_t maxClosedSessions = 20000;
}

ServerMonitor::ServerMonitor(Server *server, QObject *parent)
    : QObject(parent)
    , m_server(server)
    , m_traffic(new TrafficModel(this))
    , m_tree(new ServerTreeModel(this))
    , m_stats(new StatsCollector(this))
    , m_treeBatch(m_tree, [this] { Q_EMIT treeUpdated(); })
{
    m_stats->setConnectionCounter([this] { return m_tree->socketCount(); });
    connect(m_traffic, &TrafficModel::ackPaired, m_stats, &StatsCollector::addAckRoundTrip);

    connect(server, &Server::trafficObserved, this, &ServerMonitor::onTraffic);
    connect(server, &Server::namespaceCreated, this, &ServerMonitor::watchNamespace);
    connect(server, &Server::namespaceRemoved, this,
            [this](const QString &name) { queue(ServerTreeModel::Op::removeNamespace(name)); });
    EngineServer *engine = server->engine();
    connect(engine, &EngineServer::sessionOpened, this, &ServerMonitor::watchSession);
    connect(engine, &EngineServer::sessionClosed, this,
            [this](const QString &id, CloseReason reason, const QString &) {
                auto it = m_sessions.find(id);
                if (it == m_sessions.end())
                    return;
                it->closedMs = QDateTime::currentMSecsSinceEpoch();
                it->closeReason = closeReasonString(reason);
                m_closedSessions.push_back(id);
                forgetClosedSessions();
            });
    const auto sessions = engine->sessions();
    for (EngineSession *session : sessions)
        watchSession(session);
    const auto namespaces = server->namespaces();
    for (Namespace *nsp : namespaces)
        watchNamespace(nsp);
    resync();
}

ServerMonitor::~ServerMonitor() = default;

void ServerMonitor::resync()
{
    m_treeBatch.clear();
    if (m_server)
        m_tree->reset(m_server->snapshot());
    Q_EMIT treeUpdated();
}

void ServerMonitor::watchNamespace(Namespace *nsp)
{
    const QString name = nsp->name();
    queue(ServerTreeModel::Op::addNamespace(name));
    connect(nsp, &Namespace::socketConnected, this, [this](Socket *socket) {
        // A value taken now: the socket may be gone when the batch is applied.
        queue(ServerTreeModel::Op::addSocket(m_server->socketSnapshot(socket)));
        m_stats->addConnect();
    });
    connect(nsp, &Namespace::socketDisconnected, this,
            [this, name](const QString &id, DisconnectReason reason) {
                queue(ServerTreeModel::Op::removeSocket(name, id));
                m_stats->addDisconnect(disconnectReasonString(reason));
                Q_EMIT socketDisconnected(name, id, reason);
            });
    connect(nsp, &Namespace::roomJoined, this, [this, name](const QString &room, const QString &id) {
        queue(ServerTreeModel::Op::join(name, room, id));
    });
    connect(nsp, &Namespace::roomLeft, this, [this, name](const QString &room, const QString &id) {
        queue(ServerTreeModel::Op::leave(name, room, id));
    });
}

void ServerMonitor::watchSession(EngineSession *session)
{
    SessionInfo info;
    info.id = session->id();
    info.handshake = session->handshake();
    info.openedMs = QDateTime::currentMSecsSinceEpoch();
    info.transport = session->transport();
    info.upgraded = session->isUpgraded();
    m_sessions.insert(info.id, info);
    const QString id = info.id;
    connect(session, &EngineSession::upgraded, this, [this, id](Transport to) {
        auto it = m_sessions.find(id);
        if (it != m_sessions.end()) {
            it->transport = to;
            it->upgraded = true;
        }
        queue(ServerTreeModel::Op::setTransport(id, to, true));
    });
}

void ServerMonitor::forgetClosedSessions()
{
    while (m_closedSessions.size() > maxClosedSessions) {
        m_sessions.remove(m_closedSessions.front());
        m_closedSessions.pop_front();
    }
}

void ServerMonitor::onTraffic(const TrafficEvent &event)
{
    m_traffic->addEvent(event);
    m_stats->addPacket(event.direction, event.size);
    // Heartbeat round trip: our ping, the client's pong (probes during upgrades excluded).
    if (event.data.isEmpty()
        && (event.type == EnginePacketType::Ping || event.type == EnginePacketType::Pong)) {
        auto it = m_sessions.find(event.sessionId);
        if (it == m_sessions.end())
            return;
        if (event.type == EnginePacketType::Ping && event.direction == TrafficEvent::Direction::Outgoing) {
            it->pingSentMs = event.timestampMs;
        } else if (event.type == EnginePacketType::Pong
                   && event.direction == TrafficEvent::Direction::Incoming && it->pingSentMs >= 0) {
            it->lastPingRoundTripMs = event.timestampMs - it->pingSentMs;
            it->pingSentMs = -1;
        }
    }
}

std::optional<SessionInfo> ServerMonitor::session(const QString &id) const
{
    const auto it = m_sessions.constFind(id);
    if (it == m_sessions.cend())
        return std::nullopt;
    return *it;
}

Namespace *ServerMonitor::findNamespace(const QString &nsp) const
{
    return m_server ? m_server->findNamespace(nsp) : nullptr;
}

Socket *ServerMonitor::findSocket(const QString &nsp, const QString &id) const
{
    Namespace *n = findNamespace(nsp);
    return n ? n->socket(id) : nullptr;
}

} // namespace Inspector
