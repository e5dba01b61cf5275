// SPDX-License-Identifier: MIT
// The client side of the Admin UI protocol (@socket.io/admin-ui 0.5: its dist/index.js is the
// server, ui/src the reference client): events in, commands out.
#include "adminattachment.h"

#include "statscollector.h"

#include <SocketIo/client.h>
#include <SocketIo/traffic.h>

#include <QCborArray>
#include <QCborMap>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QUrlQuery>

using namespace SocketIo;

namespace Inspector {

namespace {

constexpr auto invalidCredentials = "invalid credentials";

qint64 parseTimestamp(const QVariant &value)
{
    // JSON.stringify(new Date()) is ISO 8601 with milliseconds
    const QDateTime time = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
    return time.isValid() ? time.toMSecsSinceEpoch() : QDateTime::currentMSecsSinceEpoch();
}

// QCborMap / QJsonObject / QVariantMap arguments, as a QVariantMap.
QVariantMap toMap(const QVariant &value)
{
    if (value.typeId() == QMetaType::QCborMap)
        return value.value<QCborMap>().toVariantMap();
    if (value.typeId() == QMetaType::QJsonObject)
        return value.toJsonObject().toVariantMap();
    return value.toMap();
}

QVariantList toList(const QVariant &value)
{
    if (value.typeId() == QMetaType::QCborArray)
        return value.value<QCborArray>().toVariantList();
    if (value.typeId() == QMetaType::QJsonArray)
        return value.toJsonArray().toVariantList();
    return value.toList();
}

} // namespace

QString AttachOptions::resolvedNamespace() const
{
    if (!adminNamespace.isEmpty())
        return adminNamespace.startsWith(QLatin1Char('/')) ? adminNamespace
                                                           : QLatin1Char('/') + adminNamespace;
    const QString path = url.path();
    if (!path.isEmpty() && path != QLatin1String("/"))
        return path.endsWith(QLatin1Char('/')) ? path.chopped(1) : path;
    return QStringLiteral("/admin");
}

QString AttachOptions::hostPort() const
{
    const int defaultPort =
        url.scheme() == QLatin1String("https") || url.scheme() == QLatin1String("wss") ? 443 : 80;
    return QStringLiteral("%1:%2").arg(url.host()).arg(url.port(defaultPort));
}

AdminAttachment::AdminAttachment(const AttachOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_source(QStringLiteral("attach: ") + options.hostPort())
    , m_nsp(options.resolvedNamespace())
    , m_tree(new ServerTreeModel(this))
    , m_stats(new StatsCollector(this))
    , m_treeBatch(m_tree, [this] { Q_EMIT treeUpdated(); })
{
    m_stats->setConnectionCounter([this] {
        int count = 0;
        for (const FleetServer &server : std::as_const(m_servers))
            count += server.clientsCount;
        return count;
    });
}

AdminAttachment::~AdminAttachment() = default;

void AdminAttachment::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

QVariant AdminAttachment::authPayload() const
{
    QVariantMap auth;
    if (!m_sessionId.isEmpty()) {
        auth.insert(QStringLiteral("sessionId"), m_sessionId);
    } else if (!m_options.username.isEmpty()) {
        auth.insert(QStringLiteral("username"), m_options.username);
        auth.insert(QStringLiteral("password"), m_options.password);
    }
    return auth;
}

void AdminAttachment::start()
{
    if (m_manager)
        return;
    QUrl server = m_options.url;
    server.setPath(QString());
    ManagerOptions managerOptions;
    managerOptions.path = m_options.enginePath;
    // As the Admin UI does by default: WebSocket only. The server's admin events are volatile,
    // and a polling admin between two requests would miss them.
    managerOptions.transports = Transport::WebSocket;
    managerOptions.parser = m_options.parser;
    m_manager = new Manager(server, managerOptions, this);
    m_socket = m_manager->socket(m_nsp);
    m_socket->setAuthProvider([this] {
        m_usedSession = !m_sessionId.isEmpty(); // a refusal then means: the server forgot it
        return authPayload();
    });
    connect(m_socket, &ClientSocket::connected, this, [this] {
        m_error.clear();
        setState(State::Connected);
    });
    connect(m_socket, &ClientSocket::disconnected, this, [this](const QString &reason) {
        m_rawActive = false;
        if (m_state == State::Detached)
            return;
        if (reason == QLatin1String("io server disconnect")) {
            // Kicked out by the server: socket.io-client does not reconnect then.
            m_error = tr("disconnected by the server");
            setState(State::Failed);
            Q_EMIT errorOccurred(m_error);
            return;
        }
        Q_EMIT note(tr("--- connection lost (%1), reconnecting").arg(reason));
        setState(State::Reconnecting);
    });
    connect(m_socket, &ClientSocket::connectErrorOccurred, this,
            [this](const QString &message, const QVariant &) { onConnectError(message); });
    connect(m_manager, &Manager::reconnectAttempted, this, [this] { setState(State::Reconnecting); });
    m_socket->onAny(this, [this](const QString &event, const QVariantList &args) { onEvent(event, args); });
    setState(State::Connecting);
    m_socket->open();
}

void AdminAttachment::onConnectError(const QString &message)
{
    if (m_state == State::Detached)
        return;
    if (message == QLatin1String(invalidCredentials)) {
        if (m_usedSession) {
            // The server forgot our session (it restarted): the password again.
            m_sessionId.clear();
            m_socket->open();
            return;
        }
        m_error = tr("invalid credentials");
        setState(State::Failed);
        Q_EMIT errorOccurred(m_error);
        m_manager->close();
        return;
    }
    m_error = message;
    Q_EMIT errorOccurred(message);
    if (!m_socket->isActive()) {
        // Refused by a middleware for another reason: no retry.
        setState(State::Failed);
        m_manager->close();
    } else {
        setState(State::Reconnecting);
    }
}

void AdminAttachment::detach()
{
    setState(State::Detached);
    if (m_socket)
        m_socket->close();
    if (m_manager)
        m_manager->close();
    m_rawActive = false;
}

void AdminAttachment::onEvent(const QString &event, const QVariantList &args)
{
    if (event == QLatin1String("session")) {
        m_sessionId = args.value(0).toString();
    } else if (event == QLatin1String("config")) {
        onConfig(toMap(args.value(0)));
    } else if (event == QLatin1String("server_stats")) {
        onServerStats(toMap(args.value(0)));
    } else if (event == QLatin1String("all_sockets")) {
        onAllSockets(toList(args.value(0)));
    } else if (event == QLatin1String("socket_connected")) {
        const SocketSnapshot s = snapshotFromAdmin(toMap(args.value(0)));
        queue(ServerTreeModel::Op::addSocket(s));
        if (s.nsp != m_nsp) // admins (this one among them) are in the tree, not in the notes
            Q_EMIT note(tr("--- %1 %2 connected (%3)")
                            .arg(s.nsp.leftJustified(8), s.id,
                                 s.transport == Transport::WebSocket ? QStringLiteral("websocket")
                                                                     : QStringLiteral("polling")));
    } else if (event == QLatin1String("socket_updated")) {
        const QVariantMap update = toMap(args.value(0));
        const QString nsp = update.value(QStringLiteral("nsp")).toString();
        const QString id = update.value(QStringLiteral("id")).toString();
        flushTree();
        std::optional<SocketSnapshot> s = m_tree->socket(nsp, id);
        if (!s)
            return;
        if (update.contains(QStringLiteral("transport"))) {
            const bool ws =
                update.value(QStringLiteral("transport")).toString() == QLatin1String("websocket");
            s->upgraded = s->upgraded || (ws && s->transport == Transport::Polling);
            s->transport = ws ? Transport::WebSocket : Transport::Polling;
        }
        if (update.contains(QStringLiteral("data")))
            s->data = toMap(update.value(QStringLiteral("data")));
        queue(ServerTreeModel::Op::addSocket(*s));
    } else if (event == QLatin1String("socket_disconnected")) {
        const QString nsp = args.value(0).toString();
        const QString id = args.value(1).toString();
        queue(ServerTreeModel::Op::removeSocket(nsp, id));
        if (nsp != m_nsp)
            Q_EMIT note(
                tr("--- %1 %2 disconnected (%3)").arg(nsp.leftJustified(8), id, args.value(2).toString()));
    } else if (event == QLatin1String("room_joined") || event == QLatin1String("room_left")) {
        const bool joined = event == QLatin1String("room_joined");
        const QString nsp = args.value(0).toString();
        const QString room = args.value(1).toString();
        const QString id = args.value(2).toString();
        queue(joined ? ServerTreeModel::Op::join(nsp, room, id) : ServerTreeModel::Op::leave(nsp, room, id));
        if (room != id && nsp != m_nsp) {
            Q_EMIT note(joined ? tr("--- %1 %2 joined room %3").arg(nsp.leftJustified(8), id, room)
                               : tr("--- %1 %2 left room %3").arg(nsp.leftJustified(8), id, room));
        }
    } else if (event == QLatin1String("event_received") || event == QLatin1String("event_sent")) {
        onSocketEvent(event == QLatin1String("event_received"), args);
    } else if (event == QLatin1String("raw_packets")) {
        onRawPackets(toMap(args.value(0)));
    }
}

void AdminAttachment::onConfig(const QVariantMap &config)
{
    m_features.clear();
    const QVariantList features = toList(config.value(QStringLiteral("supportedFeatures")));
    for (const QVariant &feature : features)
        m_features.append(feature.toString());
    m_configured = true;
    m_rawActive = false;
    if (m_options.rawPackets && m_features.contains(QLatin1String("RAW_PACKETS"))) {
        QVariantMap enable;
        enable.insert(QStringLiteral("enabled"), true);
        // From the ack on, the stream has every packet: the events reported before it are
        // still logged from event_received / event_sent, those after only from the stream.
        m_socket->emitEvent(QStringLiteral("raw_packets"), { enable }, this,
                            [this](AckStatus status, const QVariantList &reply) {
                                m_rawActive = status == AckStatus::Received
                                    && toMap(reply.value(0)).value(QStringLiteral("enabled")).toBool();
                                if (m_rawActive)
                                    Q_EMIT rawPacketsStarted();
                            });
    }
    Q_EMIT configReceived();
}

void AdminAttachment::onServerStats(const QVariantMap &stats)
{
    FleetServer server;
    server.serverId = stats.value(QStringLiteral("serverId")).toString();
    server.hostname = stats.value(QStringLiteral("hostname")).toString();
    server.pid = stats.value(QStringLiteral("pid")).toLongLong();
    server.uptimeSeconds = stats.value(QStringLiteral("uptime")).toDouble();
    server.clientsCount = stats.value(QStringLiteral("clientsCount")).toInt();
    server.pollingClientsCount = stats.value(QStringLiteral("pollingClientsCount")).toInt();
    server.lastSeenMs = QDateTime::currentMSecsSinceEpoch();
    const QVariantList namespaces = toList(stats.value(QStringLiteral("namespaces")));
    for (const QVariant &value : namespaces) {
        const QVariantMap nsp = toMap(value);
        const QString name = nsp.value(QStringLiteral("name")).toString();
        server.namespaces.append({ name, nsp.value(QStringLiteral("socketsCount")).toInt() });
        if (!m_tree->namespaceIndex(name).isValid())
            queue(ServerTreeModel::Op::addNamespace(name));
    }
    // The aggregated events (counts per second since the last stats) feed the charts.
    const QVariantList events = toList(stats.value(QStringLiteral("aggregatedEvents")));
    for (const QVariant &value : events) {
        const QVariantMap e = toMap(value);
        const QString type = e.value(QStringLiteral("type")).toString();
        const qint64 count = e.value(QStringLiteral("count")).toLongLong();
        if (type == QLatin1String("rawConnection")) {
            for (qint64 i = 0; i < count; ++i)
                m_stats->addConnect();
        } else if (type == QLatin1String("rawDisconnection")) {
            for (qint64 i = 0; i < count; ++i)
                m_stats->addDisconnect(e.value(QStringLiteral("subType")).toString());
        } else if (type == QLatin1String("packetsIn")) {
            m_stats->addPackets(TrafficEvent::Direction::Incoming, count, 0);
        } else if (type == QLatin1String("packetsOut")) {
            m_stats->addPackets(TrafficEvent::Direction::Outgoing, count, 0);
        } else if (type == QLatin1String("bytesIn")) {
            m_stats->addPackets(TrafficEvent::Direction::Incoming, 0, count);
        } else if (type == QLatin1String("bytesOut")) {
            m_stats->addPackets(TrafficEvent::Direction::Outgoing, 0, count);
        }
    }
    // node's serverId defaults to the host name: servers of one host differ by their pid.
    const QString key = server.serverId + QLatin1Char('#') + QString::number(server.pid);
    if (!m_servers.contains(key)) {
        Q_EMIT note(tr("--- server %1 on %2 (pid %3): %n client(s)", nullptr, server.clientsCount)
                        .arg(server.serverId, server.hostname)
                        .arg(server.pid));
    }
    m_servers.insert(key, server);
    // A server that stopped reporting a minute ago is gone (restarted, scaled down).
    for (auto it = m_servers.begin(); it != m_servers.end();) {
        if (it->lastSeenMs < server.lastSeenMs - 60000)
            it = m_servers.erase(it);
        else
            ++it;
    }
    Q_EMIT serversChanged();
}

QList<FleetServer> AdminAttachment::servers() const
{
    return m_servers.values();
}

void AdminAttachment::onAllSockets(const QVariantList &sockets)
{
    // The whole fleet's sockets: the tree starts again from them.
    m_treeBatch.clear();
    QMap<QString, NamespaceSnapshot> byNsp;
    for (const QString &nsp : m_tree->namespaces())
        byNsp[nsp].name = nsp;
    for (const FleetServer &server : std::as_const(m_servers)) {
        for (const auto &[name, count] : server.namespaces)
            byNsp[name].name = name;
    }
    for (const QVariant &value : sockets) {
        const SocketSnapshot s = snapshotFromAdmin(toMap(value));
        NamespaceSnapshot &nsp = byNsp[s.nsp];
        nsp.name = s.nsp;
        nsp.sockets.append(s);
    }
    m_tree->reset(byNsp.values());
    Q_EMIT treeUpdated();
}

void AdminAttachment::onSocketEvent(bool received, const QVariantList &args)
{
    // Our servers' raw packets already carry these events, as the wire had them.
    if (m_rawActive)
        return;
    const QString nsp = args.value(0).toString();
    const QString id = args.value(1).toString();
    const QVariantList eventArgs = toList(args.value(2));
    TrafficRow row;
    row.source = m_source;
    row.timestampMs = parseTimestamp(args.value(3));
    row.direction = received ? TrafficEvent::Direction::Incoming : TrafficEvent::Direction::Outgoing;
    row.engineType = EnginePacketType::Message;
    row.socketIoType = SocketIoPacketType::Event;
    row.nsp = nsp;
    row.socketId = id;
    row.event = eventArgs.value(0).toString();
    row.payload = QJsonArray::fromVariantList(eventArgs);
    if (const auto s = m_tree->socket(nsp, id)) {
        row.sessionId = s->engineSessionId;
        row.transport = s->transport;
    }
    QByteArray data = "2";
    if (nsp != QLatin1String("/"))
        data += nsp.toUtf8() + ',';
    data += QJsonDocument(row.payload.toArray()).toJson(QJsonDocument::Compact);
    row.data = data;
    row.size = data.size() + 1;
    row.finish();
    Q_EMIT trafficRow(row);
}

void AdminAttachment::onRawPackets(const QVariantMap &batch)
{
    m_rawDropped += batch.value(QStringLiteral("dropped")).toLongLong();
    const QVariantList packets = toList(batch.value(QStringLiteral("packets")));
    for (const QVariant &value : packets) {
        const QVariantMap p = toMap(value);
        TrafficEvent event;
        event.timestampMs = p.value(QStringLiteral("timestamp")).toLongLong();
        event.sessionId = p.value(QStringLiteral("sessionId")).toString();
        event.transport = p.value(QStringLiteral("transport")).toString() == QLatin1String("websocket")
            ? Transport::WebSocket
            : Transport::Polling;
        event.direction = p.value(QStringLiteral("direction")).toString() == QLatin1String("out")
            ? TrafficEvent::Direction::Outgoing
            : TrafficEvent::Direction::Incoming;
        event.type = EnginePacketType(p.value(QStringLiteral("type")).toInt());
        event.binary = p.value(QStringLiteral("binary")).toBool();
        event.size = p.value(QStringLiteral("size")).toLongLong();
        const QString data = p.value(QStringLiteral("data")).toString();
        event.data = event.binary ? QByteArray::fromBase64(data.toLatin1()) : data.toUtf8();
        event.socketId = p.value(QStringLiteral("socketId")).toString();
        decodeSocketIoFields(event,
                             p.value(QStringLiteral("msgpack")).toBool() ? Parser::MsgPack : Parser::Json);
        TrafficRow row = TrafficRow::fromEvent(event);
        row.source = m_source;
        Q_EMIT trafficRow(row);
    }
}

bool AdminAttachment::isReadOnly() const
{
    return m_configured && !m_features.contains(QLatin1String("EMIT"))
        && !m_features.contains(QLatin1String("DISCONNECT")) && !m_features.contains(QLatin1String("JOIN"));
}

AdminAttachment::Outcome AdminAttachment::command(const QString &feature, const QString &event,
                                                  const QVariantList &args, const QString &done)
{
    if (!m_socket || !m_socket->isConnected())
        return { false, tr("Not connected to %1.").arg(m_options.hostPort()) };
    if (!m_features.contains(feature)) {
        return { false,
                 isReadOnly() ? tr("%1 is read-only: it accepts no admin commands.").arg(m_options.hostPort())
                              : tr("%1 does not offer the command %2.").arg(m_options.hostPort(), event) };
    }
    if (!m_socket->emitEvent(event, args))
        return { false, tr("Cannot send the command %1.").arg(event) };
    return { true, done };
}

AdminAttachment::Outcome AdminAttachment::emitEvent(const QString &nsp, const QString &filter,
                                                    const QString &event, const QVariantList &args)
{
    QVariantList all{ nsp, filter.isEmpty() ? QVariant() : QVariant(filter), event };
    all.append(args);
    return command(QStringLiteral("EMIT"), QStringLiteral("emit"), all,
                   filter.isEmpty()
                       ? tr("Emitted %1 to %2 on %3").arg(event, nsp, m_options.hostPort())
                       : tr("Emitted %1 to %2 in %3 on %4").arg(event, filter, nsp, m_options.hostPort()));
}

AdminAttachment::Outcome AdminAttachment::disconnectSocket(const QString &nsp, const QString &socketId,
                                                           bool wholeClient)
{
    return command(QStringLiteral("DISCONNECT"), QStringLiteral("_disconnect"),
                   { nsp, wholeClient, socketId },
                   wholeClient ? tr("Closed the connection of socket %1").arg(socketId)
                               : tr("Disconnected socket %1 from %2").arg(socketId, nsp));
}

AdminAttachment::Outcome AdminAttachment::joinRoom(const QString &nsp, const QString &socketId,
                                                   const QString &room)
{
    return command(QStringLiteral("JOIN"), QStringLiteral("join"), { nsp, room, socketId },
                   tr("Socket %1 joined %2").arg(socketId, room));
}

AdminAttachment::Outcome AdminAttachment::leaveRoom(const QString &nsp, const QString &socketId,
                                                    const QString &room)
{
    return command(QStringLiteral("LEAVE"), QStringLiteral("leave"), { nsp, room, socketId },
                   tr("Socket %1 left %2").arg(socketId, room));
}

AdminAttachment::Outcome AdminAttachment::emptyRoom(const QString &nsp, const QString &room)
{
    return command(QStringLiteral("LEAVE"), QStringLiteral("leave"), { nsp, room, room },
                   tr("Emptied room %1").arg(room));
}

AdminAttachment::Outcome AdminAttachment::disconnectNamespace(const QString &nsp)
{
    return command(QStringLiteral("DISCONNECT"), QStringLiteral("_disconnect"), { nsp, false, QVariant() },
                   tr("Disconnected every socket of %1").arg(nsp));
}

SocketSnapshot AdminAttachment::snapshotFromAdmin(const QVariantMap &socket)
{
    SocketSnapshot s;
    s.id = socket.value(QStringLiteral("id")).toString();
    s.nsp = socket.value(QStringLiteral("nsp")).toString();
    s.engineSessionId = socket.value(QStringLiteral("clientId")).toString();
    const bool ws = socket.value(QStringLiteral("transport")).toString() == QLatin1String("websocket");
    s.transport = ws ? Transport::WebSocket : Transport::Polling;
    s.data = toMap(socket.value(QStringLiteral("data")));
    const QVariantMap hs = toMap(socket.value(QStringLiteral("handshake")));
    s.remoteAddress = hs.value(QStringLiteral("address")).toString();
    const qint64 issued = hs.value(QStringLiteral("issued")).toLongLong();
    if (issued > 0)
        s.connectedAt = QDateTime::fromMSecsSinceEpoch(issued);
    s.auth = QJsonObject::fromVariantMap(toMap(hs.value(QStringLiteral("auth"))));
    const QVariantMap headers = toMap(hs.value(QStringLiteral("headers")));
    for (auto it = headers.cbegin(); it != headers.cend(); ++it)
        s.headers.append({ it.key().toUtf8(), it.value().toString().toUtf8() });
    const QVariantMap query = toMap(hs.value(QStringLiteral("query")));
    QUrlQuery q;
    for (auto it = query.cbegin(); it != query.cend(); ++it)
        q.addQueryItem(it.key(), it.value().toString());
    s.query = q.toString(QUrl::FullyEncoded);
    const QVariantList rooms = toList(socket.value(QStringLiteral("rooms")));
    for (const QVariant &room : rooms)
        s.rooms.append(room.toString());
    s.rooms.sort();
    return s;
}

} // namespace Inspector
