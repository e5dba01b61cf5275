// SPDX-License-Identifier: MIT
#pragma once

#include "serveractions.h"
#include "servertreemodel.h"
#include "trafficrow.h"

#include <QCoreApplication>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

#include <memory>

namespace SocketIo {
class ClientSocket;
class Manager;
} // namespace SocketIo

namespace Inspector {

class StatsCollector;

// How to attach to a server through the Socket.IO Admin UI protocol (@socket.io/admin-ui 0.5).
struct AttachOptions
{
    // http(s)://host:port[/admin-namespace]; the path names the admin namespace unless
    // adminNamespace is set.
    QUrl url;
    QString adminNamespace; // empty: the URL's path, else "/admin"
    QString username; // empty: no authentication
    QString password; // never from a command line: the environment or a dialog
    bool rawPackets = true; // ask for the raw packet stream when the server offers it (ours)
    QString enginePath = QStringLiteral("/socket.io/");
    // The server's packet encoding: its admin namespace speaks it too (docs/msgpack.md).
    SocketIo::Parser parser = SocketIo::Parser::Json;

    // "/admin" from the options and the URL.
    QString resolvedNamespace() const;
    // "host:port"
    QString hostPort() const;
};

// One server of a fleet as its last server_stats described it (the Admin UI's Servers page).
struct FleetServer
{
    QString serverId;
    QString hostname;
    qint64 pid = 0;
    double uptimeSeconds = 0;
    int clientsCount = 0;
    int pollingClientsCount = 0;
    QList<std::pair<QString, int>> namespaces; // name, sockets
    qint64 lastSeenMs = 0; // when its stats arrived
};

// The inspector's side of an attachment to a server it did not start: logs in to the admin
// namespace with the library's Qt client (username and password, then the session id the
// server gave, which also serves after a reconnection; after a server restart the password
// again), and turns what the server reports into the inspector's values: a ServerTreeModel of
// every server's namespaces, sockets and rooms (all_sockets and the socket_* / room_* events),
// TrafficRows for event_received / event_sent (or the raw packets of our own servers, when they
// offer RAW_PACKETS), the charts' figures from server_stats and the list of servers of the
// fleet. Acts on the server with the admin commands (emit, join, leave, _disconnect), refused
// here with a message when the server does not offer them (read-only) or the admin is not
// connected.
class AdminAttachment : public QObject
{
    Q_OBJECT
public:
    enum class State { Connecting, Connected, Reconnecting, Failed, Detached };
    Q_ENUM(State)

    explicit AdminAttachment(const AttachOptions &options, QObject *parent = nullptr);
    ~AdminAttachment() override;

    AttachOptions options() const { return m_options; }
    // The traffic rows' source: "attach: host:port"
    QString source() const { return m_source; }
    State state() const { return m_state; }
    QString errorString() const { return m_error; }
    bool isConnected() const { return m_state == State::Connected; }

    void start();
    // Leaves the admin namespace for good (the models keep what they showed).
    void detach();

    ServerTreeModel *tree() const { return m_tree; }
    StatsCollector *stats() const { return m_stats; }
    QList<FleetServer> servers() const;
    QStringList features() const { return m_features; }
    bool hasConfig() const { return m_configured; }
    // No commands offered (node's readonly option, or production mode).
    bool isReadOnly() const;
    // Our servers' raw packet stream was asked for (the server offers RAW_PACKETS) ...
    bool offersRawPackets() const
    {
        return m_options.rawPackets && m_features.contains(QLatin1String("RAW_PACKETS"));
    }
    // ... and the server acknowledged it: the log shows the wire from then on.
    bool isStreamingRawPackets() const { return m_rawActive; }
    qint64 droppedRawPackets() const { return m_rawDropped; }
    // Applies the queued tree operations now (a timer does it otherwise).
    void flushTree() { m_treeBatch.flush(); }

    // Admin commands, answered at once (the protocol has no acknowledgements): ok when sent.
    using Outcome = ServerActions::Outcome;
    Outcome emitEvent(const QString &nsp, const QString &filter, const QString &event,
                      const QVariantList &args);
    Outcome disconnectSocket(const QString &nsp, const QString &socketId, bool wholeClient);
    Outcome joinRoom(const QString &nsp, const QString &socketId, const QString &room);
    Outcome leaveRoom(const QString &nsp, const QString &socketId, const QString &room);
    Outcome emptyRoom(const QString &nsp, const QString &room);
    Outcome disconnectNamespace(const QString &nsp);

    // One serialized socket (admin-ui's serialize()) as the tree's value.
    static SocketIo::SocketSnapshot snapshotFromAdmin(const QVariantMap &socket);

Q_SIGNALS:
    void stateChanged(Inspector::AdminAttachment::State state);
    // Login refused ("invalid credentials") or the server unreachable; the attachment stops
    // (a refused login) or keeps trying (unreachable).
    void errorOccurred(const QString &message);
    void configReceived();
    void rawPacketsStarted();
    void trafficRow(const Inspector::TrafficRow &row);
    // Something that is not a packet: a socket connected, left, joined or left a room.
    void note(const QString &text);
    void serversChanged();
    void treeUpdated();

private:
    void setState(State state);
    QVariant authPayload() const;
    void onConnectError(const QString &message);
    void onEvent(const QString &event, const QVariantList &args);
    void onConfig(const QVariantMap &config);
    void onServerStats(const QVariantMap &stats);
    void onAllSockets(const QVariantList &sockets);
    void onSocketEvent(bool received, const QVariantList &args);
    void onRawPackets(const QVariantMap &batch);
    void queue(const ServerTreeModel::Op &op) { m_treeBatch.queue(op); }
    Outcome command(const QString &feature, const QString &event, const QVariantList &args,
                    const QString &done);

    AttachOptions m_options;
    QString m_source;
    QString m_nsp;
    SocketIo::Manager *m_manager = nullptr;
    SocketIo::ClientSocket *m_socket = nullptr;
    ServerTreeModel *m_tree;
    StatsCollector *m_stats;
    QMap<QString, FleetServer> m_servers; // by "serverId#pid"
    QStringList m_features;
    bool m_configured = false;
    bool m_rawActive = false;
    qint64 m_rawDropped = 0;
    QString m_sessionId;
    bool m_usedSession = false;
    State m_state = State::Detached;
    QString m_error;
    ServerTreeBatch m_treeBatch;
};

} // namespace Inspector
