// SPDX-License-Identifier: MIT
// The Admin UI protocol of @socket.io/admin-ui 0.5 (its dist/index.js is the reference: event
// names, argument order, key order of the serialized socket and stats).
#include "logging_p.h"

#include <SocketIo/admininstrumentation.h>
#include <SocketIo/engineserver.h>
#include <SocketIo/enginesession.h>
#include <SocketIo/namespace.h>
#include <SocketIo/server.h>
#include <SocketIo/socket.h>

#include <QCborArray>
#include <QCoreApplication>
#include <QDateTime>
#include <QHash>
#include <QHostInfo>
#include <QLocale>
#include <QPointer>
#include <QRandomGenerator>
#include <QThreadPool>
#include <QTimeZone>
#include <QTimer>

#include <chrono>
#include <crypt.h>
#include <cstring>
#include <typeinfo>

namespace SocketIo {

namespace {

// When the library was loaded: process.uptime() for a program linking it.
const auto processStart = std::chrono::steady_clock::now();

QString isoNow()
{
    // JSON.stringify(new Date()): toISOString(), UTC with milliseconds.
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
}

QString adminTransportName(Transport transport)
{
    return transport == Transport::WebSocket ? QStringLiteral("websocket") : QStringLiteral("polling");
}

bool isTruthy(const QVariant &v)
{
    if (!v.isValid() || v.isNull())
        return false;
    if (v.typeId() == QMetaType::QString)
        return !v.toString().isEmpty();
    if (v.typeId() == QMetaType::Bool)
        return v.toBool();
    return true;
}

// socket.io's `in(filter)` when filter is truthy, else the whole namespace.
Broadcast target(Namespace *nsp, const QVariant &filter)
{
    return isTruthy(filter) ? nsp->in(filter.toString()) : nsp->all();
}

// The rooms as node lists them ([...socket.rooms]): the socket's own room first.
QCborArray roomList(const QString &id, const QSet<QString> &rooms)
{
    QStringList others;
    for (const QString &room : rooms) {
        if (room != id)
            others.append(room);
    }
    others.sort();
    QCborArray result;
    if (rooms.contains(id))
        result.append(id);
    for (const QString &room : std::as_const(others))
        result.append(room);
    return result;
}

// Aggregated events (node's EventBuffer): counts per second, type and subtype, in the order
// they first occurred, cleared when sent.
class EventBuffer
{
public:
    void push(const QString &type, const QString &subType = {}, qint64 count = 1)
    {
        const qint64 second = QDateTime::currentMSecsSinceEpoch() / 1000 * 1000;
        const QString key = QString::number(second) + QLatin1Char(';') + type + QLatin1Char(';') + subType;
        const auto it = m_index.constFind(key);
        if (it != m_index.cend()) {
            m_entries[*it].count += count;
            return;
        }
        m_index.insert(key, int(m_entries.size()));
        m_entries.append({ second, type, subType, count });
    }
    QCborArray takeValues()
    {
        QCborArray values;
        for (const Entry &e : std::as_const(m_entries)) {
            QCborMap value;
            value.insert(QStringLiteral("timestamp"), e.timestamp);
            value.insert(QStringLiteral("type"), e.type);
            if (!e.subType.isEmpty())
                value.insert(QStringLiteral("subType"), e.subType);
            value.insert(QStringLiteral("count"), e.count);
            values.append(value);
        }
        m_entries.clear();
        m_index.clear();
        return values;
    }

private:
    struct Entry
    {
        qint64 timestamp;
        QString type;
        QString subType;
        qint64 count;
    };
    QList<Entry> m_entries;
    QHash<QString, int> m_index;
};

QCborMap handshakeFromParts(const QString &address, const QCborMap &headers, const QCborMap &query,
                            qint64 issued, bool secure, const QString &time, const QString &url, bool xdomain)
{
    // node: cf-connecting-ip || x-forwarded-for || handshake.address
    QString shown = headers.value(QStringLiteral("cf-connecting-ip")).toString();
    if (shown.isEmpty())
        shown = headers.value(QStringLiteral("x-forwarded-for")).toString();
    if (shown.isEmpty())
        shown = address;
    QCborMap h;
    h.insert(QStringLiteral("address"), shown);
    h.insert(QStringLiteral("headers"), headers);
    h.insert(QStringLiteral("query"), query);
    h.insert(QStringLiteral("issued"), issued);
    h.insert(QStringLiteral("secure"), secure);
    h.insert(QStringLiteral("time"), time);
    h.insert(QStringLiteral("url"), url);
    h.insert(QStringLiteral("xdomain"), xdomain);
    return h;
}

// Our servers' adapters carry handshake.time as RFC 2822; node's as JavaScript writes dates.
QString remoteTime(const QString &time)
{
    const QDateTime parsed = QDateTime::fromString(time, Qt::RFC2822Date);
    return parsed.isValid() ? AdminInstrumentation::javaScriptDateString(parsed) : time;
}

QCborMap dataWithoutAdmin(const QVariantMap &data)
{
    QVariantMap copy = data;
    copy.remove(QStringLiteral("_admin"));
    return QCborMap::fromVariantMap(copy);
}

} // namespace

class AdminInstrumentationPrivate
{
public:
    AdminInstrumentationPrivate(AdminInstrumentation *q, Server *server, const AdminOptions &options)
        : q(q)
        , server(server)
        , options(options)
    { }

    void authenticate(Socket *socket, const Next &next);
    void onAdminConnected(Socket *socket);
    void onAdminDisconnected(const QString &id, DisconnectReason reason);
    void registerCommands(Socket *socket);
    void startObserving();
    void stopObserving();
    void observeNamespace(Namespace *nsp);
    void observeSocket(Socket *socket);
    void toAdmins(const QString &event, const QVariantList &args);
    void emitStats();
    void sendAllSockets(Socket *admin);
    void setRawPackets(const QString &adminId, bool enabled);
    void onRawPacket(const TrafficEvent &event);
    void flushRawPackets();
    bool isDevelopment() const { return options.mode == AdminOptions::Mode::Development; }

    AdminInstrumentation *const q;
    Server *const server;
    const AdminOptions options;
    // Null once removed (Server::removeNamespace()): the instrumentation then has no admins.
    QPointer<Namespace> adminNsp;
    QStringList features;
    QSet<QString> admins; // ids of this server's admin sockets
    QSet<QString> sessions; // node's InMemoryStore
    QHash<QString, QString> newSessions; // socket id -> session id to send once connected
    QThreadPool hashing; // bcrypt checks, one at a time, off the server's thread
    int pendingChecks = 0;
    qint64 dropped = 0;
    qint64 reportedDropped = 0; // logged once per stats interval
    QTimer statsTimer;
    EventBuffer events;
    QObject *observing = nullptr; // context of every observation; deleted when the last admin leaves
    QMetaObject::Connection trafficConnection;
    QString hostname = QHostInfo::localHostName();

    // The raw packet stream (our extension)
    QHash<QString, QString> adminSessions; // admin socket id -> its Engine.IO session id
    QSet<QString> rawSubscribers; // admin socket ids
    QCborArray rawBatch;
    qint64 rawBatchDropped = 0; // in the current batch (over the limit)
    qint64 rawDropped = 0; // since construction
    QTimer rawTimer;
    QMetaObject::Connection rawConnection;
};

void AdminInstrumentationPrivate::authenticate(Socket *socket, const Next &next)
{
    const QJsonObject &auth = socket->handshake().auth;
    const QString sessionId = auth.value(QLatin1String("sessionId")).toString();
    if (!sessionId.isEmpty() && sessions.contains(sessionId)) {
        next();
        return;
    }
    // Bounded: a flood of logins waits for nobody and costs one core at most.
    constexpr int maxPendingChecks = 32;
    if (auth.value(QLatin1String("username")).toString() != options.username
        || pendingChecks >= maxPendingChecks) {
        next.reject(QStringLiteral("invalid credentials"));
        return;
    }
    ++pendingChecks;
    const QByteArray password = auth.value(QLatin1String("password")).toString().toUtf8();
    const QByteArray hash = options.passwordHash;
    QPointer<AdminInstrumentation> guard(q);
    QPointer<Socket> socketGuard(socket);
    hashing.start([guard, socketGuard, password, hash, next] {
        const bool ok = AdminInstrumentation::verifyPassword(password, hash);
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [guard, socketGuard, ok, next] {
                if (!guard)
                    return;
                --guard->d->pendingChecks;
                if (!ok || !socketGuard) {
                    next.reject(QStringLiteral("invalid credentials"));
                    return;
                }
                QByteArray raw(8, Qt::Uninitialized);
                QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(raw.data()), 2);
                const QString session = QString::fromLatin1(raw.toHex());
                guard->d->sessions.insert(session);
                guard->d->newSessions.insert(socketGuard->id(), session);
                next();
            },
            Qt::QueuedConnection);
    });
}

void AdminInstrumentationPrivate::onAdminConnected(Socket *socket)
{
    const QString session = newSessions.take(socket->id());
    if (!session.isEmpty())
        socket->emitEvent(QStringLiteral("session"), { session });
    admins.insert(socket->id());
    adminSessions.insert(socket->id(), socket->engineSessionId());
    registerCommands(socket);
    const bool first = !observing;
    if (first)
        startObserving();
    if (isDevelopment()) {
        // The join of its own room came before we observed: say it as node does, first.
        if (first)
            toAdmins(QStringLiteral("room_joined"),
                     { adminNsp->name(), socket->id(), socket->id(), isoNow() });
        observeSocket(socket);
        toAdmins(QStringLiteral("socket_connected"),
                 { QVariant::fromValue(AdminInstrumentation::serializeSocket(socket)), isoNow() });
    }
    QCborMap config;
    config.insert(QStringLiteral("supportedFeatures"), QCborArray::fromStringList(features));
    socket->emitEvent(QStringLiteral("config"), { QVariant::fromValue(config) });
    if (isDevelopment())
        sendAllSockets(socket);
    Q_EMIT q->adminConnected(socket->id());
}

void AdminInstrumentationPrivate::onAdminDisconnected(const QString &id, DisconnectReason reason)
{
    newSessions.remove(id);
    setRawPackets(id, false);
    adminSessions.remove(id);
    if (!admins.remove(id))
        return;
    if (isDevelopment() && observing) {
        toAdmins(QStringLiteral("socket_disconnected"),
                 { adminNsp->name(), id, disconnectReasonString(reason), isoNow() });
    }
    if (admins.isEmpty())
        stopObserving();
    Q_EMIT q->adminDisconnected(id);
}

void AdminInstrumentationPrivate::registerCommands(Socket *socket)
{
    if (features.contains(QLatin1String("EMIT"))) {
        socket->on(QStringLiteral("emit"), q, [this](const QVariantList &args, const Ack &) {
            if (args.size() < 3)
                return;
            if (Namespace *nsp = server->findNamespace(args.at(0).toString()))
                target(nsp, args.at(1)).emitEvent(args.at(2).toString(), args.mid(3));
        });
    }
    if (features.contains(QLatin1String("JOIN"))) {
        socket->on(QStringLiteral("join"), q, [this](const QVariantList &args, const Ack &) {
            if (args.size() < 2)
                return;
            if (Namespace *nsp = server->findNamespace(args.at(0).toString()))
                target(nsp, args.value(2)).socketsJoin({ args.at(1).toString() });
        });
    }
    if (features.contains(QLatin1String("LEAVE"))) {
        socket->on(QStringLiteral("leave"), q, [this](const QVariantList &args, const Ack &) {
            if (args.size() < 2)
                return;
            if (Namespace *nsp = server->findNamespace(args.at(0).toString()))
                target(nsp, args.value(2)).socketsLeave({ args.at(1).toString() });
        });
    }
    if (features.contains(QLatin1String("RAW_PACKETS"))) {
        const QString id = socket->id();
        socket->on(QStringLiteral("raw_packets"), q, [this, id](const QVariantList &args, const Ack &ack) {
            const bool enabled = args.value(0).toMap().value(QStringLiteral("enabled")).toBool();
            setRawPackets(id, enabled);
            QCborMap reply;
            reply.insert(QStringLiteral("enabled"), enabled);
            ack.send({ QVariant::fromValue(reply) });
        });
    }
    if (features.contains(QLatin1String("DISCONNECT"))) {
        socket->on(QStringLiteral("_disconnect"), q, [this](const QVariantList &args, const Ack &) {
            if (args.isEmpty())
                return;
            Namespace *nsp = server->findNamespace(args.at(0).toString());
            if (!nsp)
                return;
            const bool close = args.value(1).toBool();
            target(nsp, args.value(2))
                .disconnectSockets(close ? DisconnectMode::Close : DisconnectMode::Namespace);
        });
    }
}

void AdminInstrumentationPrivate::setRawPackets(const QString &adminId, bool enabled)
{
    const bool was = !rawSubscribers.isEmpty();
    if (enabled && admins.contains(adminId))
        rawSubscribers.insert(adminId);
    else
        rawSubscribers.remove(adminId);
    const bool now = !rawSubscribers.isEmpty();
    if (now == was)
        return;
    if (now) {
        // Server::trafficObserved decodes packets only while something is connected to it.
        rawConnection = QObject::connect(server, &Server::trafficObserved, q,
                                         [this](const TrafficEvent &event) { onRawPacket(event); });
        rawTimer.start();
    } else {
        QObject::disconnect(rawConnection);
        rawTimer.stop();
        rawBatch = {};
        rawBatchDropped = 0;
    }
}

void AdminInstrumentationPrivate::onRawPacket(const TrafficEvent &event)
{
    // The admins' own packets (this stream among them) are not part of it.
    for (const QString &sid : std::as_const(adminSessions)) {
        if (sid == event.sessionId)
            return;
    }
    if (rawBatch.size() >= options.rawPacketsBatchLimit) {
        ++rawBatchDropped;
        return;
    }
    QCborMap packet;
    packet.insert(QStringLiteral("timestamp"), event.timestampMs);
    packet.insert(QStringLiteral("sessionId"), event.sessionId);
    packet.insert(QStringLiteral("transport"), adminTransportName(event.transport));
    packet.insert(QStringLiteral("direction"),
                  event.direction == TrafficEvent::Direction::Incoming ? QStringLiteral("in")
                                                                       : QStringLiteral("out"));
    packet.insert(QStringLiteral("type"), int(event.type));
    packet.insert(QStringLiteral("binary"), event.binary);
    packet.insert(QStringLiteral("size"), event.size);
    const bool truncated = event.data.size() > options.rawPacketsMaxDataBytes;
    const QByteArray data = truncated ? event.data.left(options.rawPacketsMaxDataBytes) : event.data;
    packet.insert(QStringLiteral("data"),
                  event.binary ? QString::fromLatin1(data.toBase64()) : QString::fromUtf8(data));
    packet.insert(QStringLiteral("socketId"), event.socketId);
    if (event.binary && event.socketIoType != SocketIoPacketType::None)
        packet.insert(QStringLiteral("msgpack"), true); // a packet of the msgpack parser
    if (truncated)
        packet.insert(QStringLiteral("truncated"), true);
    rawBatch.append(packet);
}

void AdminInstrumentationPrivate::flushRawPackets()
{
    if (rawBatch.isEmpty() && rawBatchDropped == 0)
        return;
    const qint64 count = rawBatch.size();
    QCborMap batch;
    batch.insert(QStringLiteral("packets"), rawBatch);
    batch.insert(QStringLiteral("dropped"), rawBatchDropped);
    rawDropped += rawBatchDropped;
    rawBatch = {};
    rawBatchDropped = 0;
    const QVariantList args{ QVariant::fromValue(batch) };
    EmitOptions volatileEmit;
    volatileEmit.isVolatile = true;
    for (const QString &id : std::as_const(rawSubscribers)) {
        Socket *admin = adminNsp ? adminNsp->socket(id) : nullptr;
        const EngineSession *session = admin ? server->engine()->session(admin->engineSessionId()) : nullptr;
        if (!session || !session->isWritable()) {
            rawDropped += count; // busy: this batch is lost for it, never queued
            continue;
        }
        admin->emitEvent(QStringLiteral("raw_packets"), args, volatileEmit);
    }
}

void AdminInstrumentationPrivate::startObserving()
{
    observing = new QObject(q);
    EngineServer *engine = server->engine();
    QObject::connect(engine, &EngineServer::sessionOpened, observing,
                     [this](EngineSession *) { events.push(QStringLiteral("rawConnection")); });
    QObject::connect(engine, &EngineServer::sessionClosed, observing,
                     [this](const QString &, CloseReason reason, const QString &) {
                         events.push(QStringLiteral("rawDisconnection"), closeReasonString(reason));
                     });
    // node counts engine packets that carry data ("packet" / "packetCreate" events).
    trafficConnection = QObject::connect(
        engine, &EngineServer::trafficObserved, observing, [this](const TrafficEvent &event) {
            if (event.data.isEmpty())
                return;
            const bool in = event.direction == TrafficEvent::Direction::Incoming;
            events.push(in ? QStringLiteral("packetsIn") : QStringLiteral("packetsOut"));
            events.push(in ? QStringLiteral("bytesIn") : QStringLiteral("bytesOut"), {}, event.data.size());
        });
    if (isDevelopment()) {
        const QList<Namespace *> namespaces = server->namespaces();
        for (Namespace *nsp : namespaces)
            observeNamespace(nsp);
    }
}

void AdminInstrumentationPrivate::stopObserving()
{
    // Explicitly, so that the engine knows nobody observes its traffic any more.
    QObject::disconnect(trafficConnection);
    delete observing; // its connections and the sockets' onAny handlers go with it
    observing = nullptr;
}

void AdminInstrumentationPrivate::observeNamespace(Namespace *nsp)
{
    const QString name = nsp->name();
    if (nsp != adminNsp) { // the admin namespace's own arrivals are handled by onAdminConnected
        QObject::connect(nsp, &Namespace::socketConnected, observing, [this](Socket *socket) {
            observeSocket(socket);
            toAdmins(QStringLiteral("socket_connected"),
                     { QVariant::fromValue(AdminInstrumentation::serializeSocket(socket)), isoNow() });
        });
        QObject::connect(nsp, &Namespace::socketDisconnected, observing,
                         [this, name](const QString &id, DisconnectReason reason) {
                             toAdmins(QStringLiteral("socket_disconnected"),
                                      { name, id, disconnectReasonString(reason), isoNow() });
                         });
    }
    QObject::connect(nsp, &Namespace::roomJoined, observing,
                     [this, name](const QString &room, const QString &id) {
                         toAdmins(QStringLiteral("room_joined"), { name, room, id, isoNow() });
                     });
    QObject::connect(nsp, &Namespace::roomLeft, observing,
                     [this, name](const QString &room, const QString &id) {
                         toAdmins(QStringLiteral("room_left"), { name, room, id, isoNow() });
                     });
    const QList<Socket *> sockets = nsp->sockets();
    for (Socket *socket : sockets)
        observeSocket(socket);
}

void AdminInstrumentationPrivate::observeSocket(Socket *socket)
{
    const QString id = socket->id();
    const QString name = socket->nsp()->name();
    if (socket->nsp() != adminNsp) {
        socket->onAny(observing, [this, id, name](const QString &event, const QVariantList &args) {
            QVariantList all;
            all.reserve(args.size() + 1);
            all.append(event);
            all.append(args);
            toAdmins(QStringLiteral("event_received"), { name, id, all, isoNow() });
        });
        socket->onAnyOutgoing(observing, [this, id, name](const QString &event, const QVariantList &args) {
            QVariantList all;
            all.reserve(args.size() + 1);
            all.append(event);
            all.append(args);
            toAdmins(QStringLiteral("event_sent"), { name, id, all, isoNow() });
        });
    }
    // node proxies socket.data: every change is a socket_updated with the data.
    QObject::connect(socket, &Socket::dataChanged, observing, [this, id, name](const QVariantMap &data) {
        QCborMap update;
        update.insert(QStringLiteral("id"), id);
        update.insert(QStringLiteral("nsp"), name);
        update.insert(QStringLiteral("data"), dataWithoutAdmin(data));
        toAdmins(QStringLiteral("socket_updated"), { QVariant::fromValue(update) });
    });
    EngineSession *session = server->engine()->session(socket->engineSessionId());
    if (session && !session->isUpgraded()) {
        QObject::connect(session, &EngineSession::upgraded, observing, [this, id, name](Transport to) {
            QCborMap update;
            update.insert(QStringLiteral("id"), id);
            update.insert(QStringLiteral("nsp"), name);
            update.insert(QStringLiteral("transport"), adminTransportName(to));
            toAdmins(QStringLiteral("socket_updated"), { QVariant::fromValue(update) });
        });
    }
}

void AdminInstrumentationPrivate::toAdmins(const QString &event, const QVariantList &args)
{
    if (!adminNsp)
        return;
    // Volatile: an admin that does not keep up misses events instead of piling them up.
    const QList<Socket *> admins = adminNsp->sockets();
    for (Socket *admin : admins) {
        const EngineSession *session = server->engine()->session(admin->engineSessionId());
        if (!session || !session->isWritable())
            ++dropped;
    }
    adminNsp->all().asVolatile().emitEvent(event, args);
}

void AdminInstrumentationPrivate::emitStats()
{
    if (dropped > reportedDropped) {
        qCWarning(lcServer, "AdminInstrumentation: %lld events not sent to admins that could not keep up",
                  dropped - reportedDropped);
        reportedDropped = dropped;
    }
    if (!adminNsp)
        return;
    // Another server's admins get them through the adapter; without any, nothing to do.
    const Adapter *adapter = adminNsp->adapter();
    // Exactly the in-memory adapter (a Redis adapter derives from it): no other server's admins.
    const bool alone = adapter && typeid(*adapter) == typeid(InMemoryAdapter);
    if (admins.isEmpty() && alone)
        return;
    const QList<EngineSession *> sessions = server->engine()->sessions();
    int polling = 0;
    for (const EngineSession *session : sessions) {
        if (session->transport() == Transport::Polling)
            ++polling;
    }
    QCborArray namespaces;
    QList<Namespace *> all = server->namespaces();
    std::sort(all.begin(), all.end(), [](Namespace *a, Namespace *b) { return a->name() < b->name(); });
    for (Namespace *nsp : std::as_const(all)) {
        QCborMap entry;
        entry.insert(QStringLiteral("name"), nsp->name());
        entry.insert(QStringLiteral("socketsCount"), nsp->socketCount());
        namespaces.append(entry);
    }
    const std::chrono::duration<double> uptime = std::chrono::steady_clock::now() - processStart;
    QCborMap stats;
    stats.insert(QStringLiteral("serverId"), options.serverId.isEmpty() ? hostname : options.serverId);
    stats.insert(QStringLiteral("hostname"), hostname);
    stats.insert(QStringLiteral("pid"), QCoreApplication::applicationPid());
    stats.insert(QStringLiteral("uptime"), uptime.count());
    stats.insert(QStringLiteral("clientsCount"), qint64(sessions.size()));
    stats.insert(QStringLiteral("pollingClientsCount"), polling);
    stats.insert(QStringLiteral("aggregatedEvents"), events.takeValues());
    stats.insert(QStringLiteral("namespaces"), namespaces);
    toAdmins(QStringLiteral("server_stats"), { QVariant::fromValue(stats) });
}

void AdminInstrumentationPrivate::sendAllSockets(Socket *admin)
{
    // Every namespace's sockets on every server sharing the adapter (node's fetchSockets()).
    struct Collect
    {
        int pending = 0;
        QList<QCborArray> parts;
    };
    QList<Namespace *> all = server->namespaces();
    std::sort(all.begin(), all.end(), [](Namespace *a, Namespace *b) { return a->name() < b->name(); });
    auto collect = std::make_shared<Collect>();
    collect->pending = int(all.size());
    collect->parts.resize(all.size());
    QPointer<Socket> guard(admin);
    for (int i = 0; i < all.size(); ++i) {
        Namespace *nsp = all.at(i);
        const QString name = nsp->name();
        QPointer<Namespace> nspGuard(nsp);
        nsp->all().fetchSockets(q, [collect, i, name, nspGuard, guard](const QList<RemoteSocket> &sockets) {
            QCborArray part;
            for (const RemoteSocket &remote : sockets) {
                Socket *local = remote.local && nspGuard ? nspGuard->socket(remote.id) : nullptr;
                part.append(local ? AdminInstrumentation::serializeSocket(local)
                                  : AdminInstrumentation::serializeSocket(remote, name));
            }
            collect->parts[i] = part;
            if (--collect->pending > 0 || !guard)
                return;
            QCborArray result;
            for (const QCborArray &p : std::as_const(collect->parts)) {
                for (const QCborValue &v : p)
                    result.append(v);
            }
            guard->emitEvent(QStringLiteral("all_sockets"), { QVariant::fromValue(result) });
        });
    }
}

AdminInstrumentation::AdminInstrumentation(Server *server, const AdminOptions &options, QObject *parent)
    : QObject(parent ? parent : server)
    , d(std::make_unique<AdminInstrumentationPrivate>(this, server, options))
{
    d->hashing.setMaxThreadCount(1);
    if (!options.readOnly) {
        d->features = { QStringLiteral("EMIT"),       QStringLiteral("JOIN"),  QStringLiteral("LEAVE"),
                        QStringLiteral("DISCONNECT"), QStringLiteral("MJOIN"), QStringLiteral("MLEAVE"),
                        QStringLiteral("MDISCONNECT") };
    }
    d->features.append(QStringLiteral("AGGREGATED_EVENTS"));
    if (d->isDevelopment())
        d->features.append(QStringLiteral("ALL_EVENTS"));
    if (d->isDevelopment() && options.rawPackets)
        d->features.append(QStringLiteral("RAW_PACKETS"));
    d->rawTimer.setInterval(options.rawPacketsInterval);
    connect(&d->rawTimer, &QTimer::timeout, this, [this] { d->flushRawPackets(); });

    d->adminNsp = server->of(options.namespaceName);
    if (!options.username.isEmpty()) {
        if (!isPasswordHash(options.passwordHash))
            qCWarning(lcServer, "AdminInstrumentation: the password is not a bcrypt hash; every login fails");
        // The namespace outlives us: once we are gone, nobody logs in.
        d->adminNsp->use([guard = QPointer<AdminInstrumentation>(this)](Socket *socket, const Next &next) {
            if (guard)
                guard->d->authenticate(socket, next);
            else
                next.reject(QStringLiteral("invalid credentials"));
        });
    } else {
        qCWarning(lcServer, "AdminInstrumentation: authentication is disabled, please use with caution");
    }
    connect(d->adminNsp, &Namespace::socketConnected, this, [this](Socket *s) { d->onAdminConnected(s); });
    connect(d->adminNsp, &Namespace::socketDisconnected, this,
            [this](const QString &id, DisconnectReason reason) { d->onAdminDisconnected(id, reason); });
    connect(server, &Server::namespaceCreated, this, [this](Namespace *nsp) {
        if (d->observing && d->isDevelopment())
            d->observeNamespace(nsp);
    });
    d->statsTimer.setInterval(options.statsInterval);
    connect(&d->statsTimer, &QTimer::timeout, this, [this] { d->emitStats(); });
    d->statsTimer.start();
}

AdminInstrumentation::~AdminInstrumentation()
{
    QObject::disconnect(d->rawConnection);
    d->stopObserving();
    d->hashing.waitForDone();
}

AdminOptions AdminInstrumentation::options() const
{
    return d->options;
}

Namespace *AdminInstrumentation::adminNamespace() const
{
    return d->adminNsp;
}

int AdminInstrumentation::adminCount() const
{
    return int(d->admins.size());
}

qint64 AdminInstrumentation::droppedEventCount() const
{
    return d->dropped;
}

int AdminInstrumentation::rawPacketSubscriberCount() const
{
    return int(d->rawSubscribers.size());
}

qint64 AdminInstrumentation::droppedRawPacketCount() const
{
    return d->rawDropped;
}

QStringList AdminInstrumentation::supportedFeatures() const
{
    return d->features;
}

bool AdminInstrumentation::isPasswordHash(const QByteArray &hash)
{
    // $2b$10$ + 22 characters of salt + 31 of digest
    if (hash.size() != 60 || hash.at(0) != '$' || hash.at(1) != '2' || hash.at(3) != '$' || hash.at(6) != '$')
        return false;
    const char variant = hash.at(2);
    if (variant != 'a' && variant != 'b' && variant != 'y')
        return false;
    const int cost = hash.mid(4, 2).toInt();
    return cost >= 4 && cost <= 31;
}

bool AdminInstrumentation::verifyPassword(const QByteArray &password, const QByteArray &bcryptHash)
{
    if (!isPasswordHash(bcryptHash))
        return false;
    auto data = std::make_unique<crypt_data>();
    std::memset(data.get(), 0, sizeof(crypt_data));
    const char *result = crypt_r(password.constData(), bcryptHash.constData(), data.get());
    if (!result || result[0] == '*')
        return false;
    const size_t length = std::strlen(result);
    if (length != size_t(bcryptHash.size()))
        return false;
    unsigned char diff = 0; // constant time
    for (size_t i = 0; i < length; ++i)
        diff |= static_cast<unsigned char>(result[i] ^ bcryptHash.at(qsizetype(i)));
    return diff == 0;
}

QString AdminInstrumentation::javaScriptDateString(const QDateTime &time)
{
    const QDateTime local = time.toLocalTime();
    const int offset = local.offsetFromUtc() / 60;
    const QChar sign = offset < 0 ? QLatin1Char('-') : QLatin1Char('+');
    const int abs = offset < 0 ? -offset : offset;
    QString zone = local.timeZone().displayName(local, QTimeZone::LongName, QLocale::c());
    if (zone.isEmpty() || zone == QLatin1String("UTC"))
        zone = offset == 0 ? QStringLiteral("Coordinated Universal Time") : local.timeZoneAbbreviation();
    return QLocale::c().toString(local, QStringLiteral("ddd MMM dd yyyy HH:mm:ss")) + QStringLiteral(" GMT")
        + sign
        + QStringLiteral("%1%2").arg(abs / 60, 2, 10, QLatin1Char('0')).arg(abs % 60, 2, 10, QLatin1Char('0'))
        + QStringLiteral(" (") + zone + QLatin1Char(')');
}

QCborMap AdminInstrumentation::serializeSocket(const Socket *socket)
{
    QCborMap result;
    if (!socket)
        return result;
    const Handshake &hs = socket->handshake();
    // node's request.headers: lower-case names, repeated fields joined with ", "
    QCborMap headers;
    for (const auto &[name, value] : hs.request.headers) {
        const QString key = QString::fromLatin1(name).toLower();
        const QString text = QString::fromUtf8(value);
        if (headers.contains(key))
            headers.insert(key, QString(headers.value(key).toString() + QStringLiteral(", ") + text));
        else
            headers.insert(key, text);
    }
    QCborMap query;
    const auto items = hs.request.query.queryItems(QUrl::FullyDecoded);
    for (const auto &[key, value] : items)
        query.insert(key, value);
    const QString sid = socket->engineSessionId();
    result.insert(QStringLiteral("id"), socket->id());
    result.insert(QStringLiteral("clientId"), sid.left(12));
    result.insert(QStringLiteral("transport"), adminTransportName(socket->transport()));
    result.insert(QStringLiteral("nsp"), socket->nsp()->name());
    result.insert(QStringLiteral("data"), dataWithoutAdmin(socket->data()));
    result.insert(QStringLiteral("handshake"),
                  handshakeFromParts(hs.address, headers, query, hs.issued, hs.secure,
                                     javaScriptDateString(hs.time), hs.url,
                                     !hs.request.header("origin").isEmpty()));
    result.insert(QStringLiteral("rooms"), roomList(socket->id(), socket->rooms()));
    return result;
}

QCborMap AdminInstrumentation::serializeSocket(const RemoteSocket &socket, const QString &nsp)
{
    const QVariantMap admin = socket.data.value(QStringLiteral("_admin")).toMap(); // node's peers
    const QVariantMap &hs = socket.handshake;
    QCborMap result;
    result.insert(QStringLiteral("id"), socket.id);
    if (admin.contains(QStringLiteral("clientId")))
        result.insert(QStringLiteral("clientId"), admin.value(QStringLiteral("clientId")).toString());
    if (admin.contains(QStringLiteral("transport")))
        result.insert(QStringLiteral("transport"), admin.value(QStringLiteral("transport")).toString());
    result.insert(QStringLiteral("nsp"), nsp);
    result.insert(QStringLiteral("data"), dataWithoutAdmin(socket.data));
    result.insert(QStringLiteral("handshake"),
                  handshakeFromParts(hs.value(QStringLiteral("address")).toString(),
                                     QCborMap::fromVariantMap(hs.value(QStringLiteral("headers")).toMap()),
                                     QCborMap::fromVariantMap(hs.value(QStringLiteral("query")).toMap()),
                                     hs.value(QStringLiteral("issued")).toLongLong(),
                                     hs.value(QStringLiteral("secure")).toBool(),
                                     remoteTime(hs.value(QStringLiteral("time")).toString()),
                                     hs.value(QStringLiteral("url")).toString(),
                                     hs.value(QStringLiteral("xdomain")).toBool()));
    result.insert(QStringLiteral("rooms"), roomList(socket.id, socket.rooms));
    return result;
}

} // namespace SocketIo
