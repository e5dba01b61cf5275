// SPDX-License-Identifier: MIT
#pragma once

#include "servertreemodel.h"
#include "sessioninfo.h"
#include "statscollector.h"
#include "trafficmodel.h"

#include <SocketIo/engineserver.h>
#include <SocketIo/enginesession.h>
#include <SocketIo/server.h>

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <deque>
#include <optional>

namespace Inspector {

// Watches a SocketIo::Server through its public signals and keeps the inspector's models up to
// date: the traffic log (batched by the model), the server tree (operations queued here and
// applied every treeInterval(), never per packet), the charts' figures and what is known about
// each Engine.IO session. Holds values only; live objects are looked up by id when an action
// needs them.
class ServerMonitor : public QObject
{
    Q_OBJECT
public:
    explicit ServerMonitor(SocketIo::Server *server, QObject *parent = nullptr);
    ~ServerMonitor() override;

    SocketIo::Server *server() const { return m_server; }
    TrafficModel *traffic() const { return m_traffic; }
    ServerTreeModel *tree() const { return m_tree; }
    StatsCollector *stats() const { return m_stats; }

    std::optional<SessionInfo> session(const QString &id) const;
    int treeInterval() const { return m_treeBatch.interval(); }
    void setTreeInterval(int ms) { m_treeBatch.setInterval(ms); }
    int pendingTreeOps() const { return m_treeBatch.pending(); }
    // Applies the queued tree operations now (the timer does it otherwise).
    void flushTree() { m_treeBatch.flush(); }
    // Reloads the tree from Server::snapshot().
    void resync();

    // Lookups of live objects for actions; null when gone.
    SocketIo::Namespace *findNamespace(const QString &nsp) const;
    SocketIo::Socket *findSocket(const QString &nsp, const QString &id) const;

Q_SIGNALS:
    void treeUpdated();
    void socketDisconnected(const QString &nsp, const QString &socketId, SocketIo::DisconnectReason reason);

private:
    void watchNamespace(SocketIo::Namespace *nsp);
    void watchSession(SocketIo::EngineSession *session);
    void onTraffic(const SocketIo::TrafficEvent &event);
    void queue(ServerTreeModel::Op op) { m_treeBatch.queue(std::move(op)); }
    void forgetClosedSessions();

    QPointer<SocketIo::Server> m_server;
    TrafficModel *m_traffic;
    ServerTreeModel *m_tree;
    StatsCollector *m_stats;
    ServerTreeBatch m_treeBatch;
    QHash<QString, SessionInfo> m_sessions;
    std::deque<QString> m_closedSessions;
};

} // namespace Inspector
