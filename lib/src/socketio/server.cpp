// SPDX-License-Identifier: MIT
#include "connection.h"
#include "logging_p.h"
#include "namespace_p.h"
#include "server_p.h"
#include "socket_p.h"

#include <SocketIo/enginesession.h>

#include <QCborArray>
#include <QCborMap>
#include <QElapsedTimer>
#include <QJsonObject>
#include <QMetaMethod>
#include <QRandomGenerator>

namespace SocketIo {

namespace {
// What the namespaces' recovery stores encode in: the server's parser (ServerOptions::parser).
Arguments::Format parserFormat(Parser parser)
{
    return parser == Parser::MsgPack ? Arguments::Format::MsgpackServer : Arguments::Format::Json;
}
} // namespace

ServerOptions::ServerOptions()
{
    engine.path = QStringLiteral("/socket.io/");
}

Server::Server(QObject *parent)
    : Server(ServerOptions(), parent)
{ }

Server::Server(const ServerOptions &options, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<ServerPrivate>(this, options))
{
    connect(d->engine, &EngineServer::sessionOpened, this, [this](EngineSession *session) {
        auto *connection = new Connection(d.get(), session);
        d->connections.insert(session->id(), connection); // removed by ~Connection
    });
    // The engine's traffic hook, as any client would use it: snapshots are built only while
    // something is connected to Server::trafficObserved.
    d->engine->addTrafficObserver(&d->trafficObserver);
    d->mainNamespace = of(QStringLiteral("/"));
}

Server::~Server()
{
    close();
    d->engine->removeTrafficObserver(&d->trafficObserver); // the engine, a child, outlives d
}

ServerOptions Server::options() const
{
    return d->options;
}

void Server::setOptions(const ServerOptions &options)
{
    d->options = options;
    d->engine->setOptions(options.engine);
    for (Namespace *nsp : std::as_const(d->namespaces)) {
        nsp->d->maxRoomsPerSocket = options.maxRoomsPerSocket;
        nsp->d->eventRate = options.eventRate;
        nsp->d->maxPendingAcks = options.maxPendingAcks;
        nsp->d->parserFormat = parserFormat(options.parser);
        nsp->d->setRecovery(options.connectionStateRecovery);
    }
}

bool Server::listen(const QHostAddress &address, quint16 port)
{
    const bool was = isListening();
    const bool ok = d->engine->listen(address, port);
    if (isListening() != was)
        Q_EMIT listeningChanged(isListening());
    return ok;
}

bool Server::bind(QTcpServer *server)
{
    return d->engine->bind(server);
}

void Server::close()
{
    const auto all = d->namespaces.values();
    for (Namespace *nsp : all) {
        const auto sockets = nsp->sockets();
        for (Socket *socket : sockets)
            socket->d->onClose(DisconnectReason::ServerShuttingDown);
    }
    const bool was = isListening();
    d->engine->close();
    d->releaseHeldConnect();
    if (was && !isListening())
        Q_EMIT listeningChanged(false);
}

bool Server::isListening() const
{
    return d->engine->isListening();
}

QHostAddress Server::serverAddress() const
{
    return d->engine->serverAddress();
}

quint16 Server::serverPort() const
{
    return d->engine->serverPort();
}

QString Server::errorString() const
{
    return d->engine->errorString();
}

EngineServer *Server::engine() const
{
    return d->engine;
}

void Server::connectNotify(const QMetaMethod &signal)
{
    // Counted (as EngineServer does) so that every packet asks an integer, not the connection
    // list. Nothing here may call back into QObject: Qt may hold the signal/slot lock.
    if (d && signal == d->trafficSignal && d->trafficConnections.loadRelaxed() >= 0)
        d->trafficConnections.ref();
}

void Server::disconnectNotify(const QMetaMethod &signal)
{
    if (!d)
        return;
    if (!signal.isValid()) // a wildcard disconnect: the count is unknown from now on
        d->trafficConnections.storeRelaxed(-1);
    else if (signal == d->trafficSignal && d->trafficConnections.loadRelaxed() > 0)
        d->trafficConnections.deref();
}

Namespace *Server::mainNamespace() const
{
    return d->mainNamespace; // set once by the constructor: any thread may read it
}

Namespace *Server::of(const QString &name)
{
    const QString normalized = name.startsWith(QLatin1Char('/')) ? name : QLatin1Char('/') + name;
    if (Namespace *existing = d->namespaces.value(normalized))
        return existing;
    auto *nsp = new Namespace(normalized, this);
    nsp->d->maxRoomsPerSocket = d->options.maxRoomsPerSocket;
    nsp->d->eventRate = d->options.eventRate;
    nsp->d->maxPendingAcks = d->options.maxPendingAcks;
    if (d->adapterFactory) {
        if (Adapter *adapter = d->adapterFactory(nsp))
            nsp->d->setAdapter(adapter);
    }
    nsp->d->parserFormat = parserFormat(d->options.parser);
    nsp->d->setRecovery(d->options.connectionStateRecovery);
    d->namespaces.insert(normalized, nsp);
    Q_EMIT namespaceCreated(nsp);
    return nsp;
}

void Server::setAdapterFactory(AdapterFactory factory)
{
    d->adapterFactory = std::move(factory);
    for (Namespace *nsp : std::as_const(d->namespaces)) {
        Adapter *adapter = d->adapterFactory ? d->adapterFactory(nsp) : nullptr;
        nsp->d->setAdapter(adapter ? adapter : new InMemoryAdapter(nsp));
    }
}

Namespace *Server::findNamespace(const QString &name) const
{
    return d->namespaces.value(name);
}

QList<Namespace *> Server::namespaces() const
{
    return d->namespaces.values();
}

bool Server::removeNamespace(const QString &name)
{
    Namespace *nsp = d->namespaces.value(name);
    return nsp && d->removeNamespace(nsp);
}

QList<NamespaceSnapshot> Server::snapshot() const
{
    QList<NamespaceSnapshot> result;
    QStringList names = d->namespaces.keys();
    names.sort();
    for (const QString &name : std::as_const(names)) {
        const Namespace *nsp = d->namespaces.value(name);
        NamespaceSnapshot snapshot;
        snapshot.name = name;
        QStringList ids = nsp->d->sockets.keys();
        ids.sort();
        for (const QString &id : std::as_const(ids))
            snapshot.sockets.append(socketSnapshot(nsp->d->sockets.value(id)));
        const QStringList rooms = nsp->d->adapter->rooms();
        for (const QString &room : rooms) {
            const QSet<QString> ids = nsp->d->adapter->sockets({ room });
            QStringList members(ids.cbegin(), ids.cend());
            members.sort();
            snapshot.rooms.insert(room, members);
        }
        result.append(snapshot);
    }
    return result;
}

SocketSnapshot Server::socketSnapshot(const Socket *socket) const
{
    SocketSnapshot snapshot;
    if (!socket)
        return snapshot;
    const SocketPrivate *sd = socket->d.get();
    snapshot.id = sd->id;
    snapshot.nsp = sd->nsp->name();
    if (const Connection *connection = sd->connection) {
        snapshot.engineSessionId = connection->session()->id();
        snapshot.transport = connection->session()->transport();
        snapshot.upgraded = connection->session()->isUpgraded();
    }
    snapshot.remoteAddress = sd->handshake.address;
    snapshot.connectedAt = sd->handshake.time;
    snapshot.rooms = sd->rooms.toList();
    snapshot.rooms.sort();
    snapshot.auth = sd->handshake.auth;
    snapshot.headers = sd->handshake.request.headers;
    snapshot.query = sd->handshake.request.query.toString(QUrl::FullyDecoded);
    snapshot.data = sd->data;
    return snapshot;
}

void Server::addDynamicNamespace(const QRegularExpression &pattern)
{
    d->dynamicPatterns.append(pattern);
}

void Server::addDynamicNamespace(NamespaceFilter filter)
{
    d->dynamicFilters.append(std::move(filter));
}

// --- ServerPrivate ---------------------------------------------------------------------------

bool ServerPrivate::TrafficRelay::isObserving() const
{
    // Without a receiver: an atomic load, no lock (isSignalConnected() takes one).
    return d->trafficConnections.loadRelaxed() != 0 && d->q->isSignalConnected(d->trafficSignal);
}

void ServerPrivate::TrafficRelay::observe(const TrafficEvent &event)
{
    d->observe(event);
}

ServerPrivate::ServerPrivate(Server *q, const ServerOptions &options)
    : q(q)
    , options(options)
    , engine(new EngineServer(options.engine, q))
    , trafficSignal(QMetaMethod::fromSignal(&Server::trafficObserved))
    , trafficObserver(this)
{
    qRegisterMetaType<SocketIo::Ack>();
    qRegisterMetaType<SocketIo::DisconnectReason>();
    qRegisterMetaType<SocketIo::SocketSnapshot>();
    qRegisterMetaType<SocketIo::NamespaceSnapshot>();
}

Namespace *ServerPrivate::namespaceFor(const QString &name, const QJsonObject &auth, bool *overLimit)
{
    *overLimit = false;
    if (Namespace *existing = namespaces.value(name))
        return existing;
    bool matched = false;
    for (const QRegularExpression &pattern : std::as_const(dynamicPatterns)) {
        if (pattern.match(name).hasMatch()) {
            matched = true;
            break;
        }
    }
    for (qsizetype i = 0; !matched && i < dynamicFilters.size(); ++i)
        matched = dynamicFilters.at(i)(name, auth);
    if (!matched)
        return nullptr;
    if (options.maxNamespaces <= 0 || namespaces.size() < options.maxNamespaces) {
        Namespace *nsp = q->of(name);
        nsp->d->dynamic = true; // socket.io's child namespace (cleanupEmptyChildNamespaces)
        return nsp;
    }
    *overLimit = true;
    ++refusedNamespaces;
    // At most one line a second, with the number of refusals it stands for.
    static const QElapsedTimer clock = [] {
        QElapsedTimer timer;
        timer.start();
        return timer;
    }();
    const qint64 now = clock.elapsed();
    if (namespaceLogMs >= 0 && now - namespaceLogMs < 1000) {
        ++namespaceLogSuppressed;
        return nullptr;
    }
    namespaceLogMs = now;
    QString line = QStringLiteral("refused to create namespace %1 for a client: %2 namespaces exist "
                                  "(ServerOptions::maxNamespaces)")
                       .arg(name)
                       .arg(namespaces.size());
    if (namespaceLogSuppressed > 0)
        line += QStringLiteral("; %1 more refused since the last line").arg(namespaceLogSuppressed);
    qCWarning(lcServer).noquote() << line;
    namespaceLogSuppressed = 0;
    return nullptr;
}

qint64 Server::refusedNamespaceCount() const
{
    return d->refusedNamespaces;
}

bool ServerPrivate::removeNamespace(Namespace *nsp)
{
    if (nsp == mainNamespace || nsp->d->removed)
        return false;
    NamespacePrivate *nd = nsp->d.get();
    nd->removed = true; // a middleware that answers from now on changes nothing
    const QString name = nd->name;
    if (namespaces.value(name) == nsp)
        namespaces.remove(name);
    qCDebug(lcServer).noquote() << "removing namespace" << name;
    // Clients still in the middleware: refused as if the namespace had never existed.
    const QList<Socket *> children = nsp->findChildren<Socket *>(Qt::FindDirectChildrenOnly);
    for (Socket *socket : children) {
        if (nd->isConnecting(socket))
            nd->reject(socket, QStringLiteral("Invalid namespace"), QJsonValue::Undefined);
    }
    const QList<Socket *> sockets = nd->sockets.values();
    for (Socket *socket : sockets)
        socket->close(DisconnectMode::Namespace); // a DISCONNECT, "server namespace disconnect"
    nd->mailbox->close(); // other threads' Broadcasts and SocketHandles do nothing from now on
    Q_EMIT q->namespaceRemoved(name);
    nsp->deleteLater();
    return true;
}

void ServerPrivate::cleanupIfEmpty(Namespace *nsp)
{
    const NamespacePrivate *nd = nsp->d.get();
    if (!options.cleanupEmptyChildNamespaces || !nd->dynamic || nd->removed || !nd->sockets.isEmpty())
        return;
    const QList<Socket *> children = nsp->findChildren<Socket *>(Qt::FindDirectChildrenOnly);
    for (Socket *socket : children) {
        if (nd->isConnecting(socket))
            return;
    }
    qCDebug(lcServer).noquote() << "dynamic namespace" << nd->name << "is empty: removing it";
    removeNamespace(nsp);
}

void ServerPrivate::observe(TrafficEvent event)
{
    releaseHeldConnect(); // whatever happens next comes after it
    if (decodeSocketIoFields(event, options.parser, options.maxAttachments)) {
        if (const Connection *connection = connections.value(event.sessionId)) {
            if (const Socket *socket = connection->socket(event.nsp))
                event.socketId = socket->id();
        }
        if (event.socketIoType == SocketIoPacketType::Connect && event.socketId.isEmpty()) {
            if (event.direction == TrafficEvent::Direction::Incoming) {
                // Reported once the connection has handled it, with the socket it created.
                heldConnect = std::move(event);
                return;
            }
            event.socketId = event.payload.toObject().value(QLatin1String("sid")).toString();
        }
    }
    Q_EMIT q->trafficObserved(event);
}

void ServerPrivate::releaseHeldConnect()
{
    if (!heldConnect)
        return;
    TrafficEvent event = std::move(*heldConnect);
    heldConnect.reset();
    if (const Connection *connection = connections.value(event.sessionId)) {
        if (const Socket *socket = connection->socket(event.nsp))
            event.socketId = socket->id();
    }
    Q_EMIT q->trafficObserved(event);
}

QString ServerPrivate::addressText(const QHostAddress &address)
{
    bool mapped = false;
    const quint32 ipv4 = address.toIPv4Address(&mapped);
    if (mapped && address.protocol() == QAbstractSocket::IPv6Protocol)
        return QHostAddress(ipv4).toString();
    return address.toString();
}

} // namespace SocketIo
