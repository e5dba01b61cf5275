// SPDX-License-Identifier: MIT
#include "connection.h"
#include "engine/id_p.h"
#include "logging_p.h"
#include "namespace_p.h"
#include "server_p.h"
#include "socket_p.h"

#include <SocketIo/server.h>

#include <QJsonArray>
#include <QJsonObject>
#include <QMetaMethod>
#include <QThread>

namespace SocketIo {

using namespace Protocol;

// --- Next ------------------------------------------------------------------------------------

void Next::operator()() const
{
    if (!d || d->called)
        return;
    d->called = true;
    if (d->nsp && d->socket)
        d->nsp->d->runMiddleware(d->socket, d->index + 1);
}

void Next::reject(const QString &message, const QJsonValue &data) const
{
    if (!d || d->called)
        return;
    d->called = true;
    if (d->nsp && d->socket)
        d->nsp->d->reject(d->socket, message, data);
}

// --- Broadcast -------------------------------------------------------------------------------

Broadcast Broadcast::to(const QString &room) const
{
    Broadcast copy = *this;
    copy.m_rooms.insert(room);
    return copy;
}

Broadcast Broadcast::to(const QStringList &rooms) const
{
    Broadcast copy = *this;
    for (const QString &room : rooms)
        copy.m_rooms.insert(room);
    return copy;
}

Broadcast Broadcast::except(const QString &room) const
{
    Broadcast copy = *this;
    copy.m_except.insert(room);
    return copy;
}

Broadcast Broadcast::except(const QStringList &rooms) const
{
    Broadcast copy = *this;
    for (const QString &room : rooms)
        copy.m_except.insert(room);
    return copy;
}

Broadcast Broadcast::asVolatile() const
{
    Broadcast copy = *this;
    copy.m_volatile = true;
    return copy;
}

Broadcast Broadcast::timeout(std::chrono::milliseconds timeout) const
{
    Broadcast copy = *this;
    copy.m_timeout = timeout;
    return copy;
}

void Broadcast::emitEvent(const QString &event, const QVariantList &args) const
{
    Namespace *nsp = m_nsp.data();
    if (!nsp)
        return;
    if (QThread::currentThread() != nsp->thread()) {
        QMetaObject::invokeMethod(
            nsp, [copy = *this, event, args] { copy.emitEvent(event, args); }, Qt::QueuedConnection);
        return;
    }
    nsp->d->broadcast(*this, event, args);
}

void Broadcast::emitEvent(const QString &event, const QVariantList &args, QObject *context,
                          AcksCallback callback) const
{
    Namespace *nsp = m_nsp.data();
    if (!nsp)
        return;
    if (QThread::currentThread() != nsp->thread()) {
        QPointer<QObject> guard(context);
        const bool hasContext = context != nullptr;
        QMetaObject::invokeMethod(
            nsp,
            [copy = *this, event, args, guard, hasContext, callback] {
                if (hasContext && !guard)
                    return;
                copy.emitEvent(event, args, guard.data(), callback);
            },
            Qt::QueuedConnection);
        return;
    }
    nsp->d->broadcastWithAck(*this, event, args, context, std::move(callback));
}

QList<Socket *> Broadcast::fetchSockets() const
{
    return m_nsp ? m_nsp->d->recipients(*this) : QList<Socket *>();
}

void Broadcast::socketsJoin(const QStringList &rooms) const
{
    const auto sockets = fetchSockets();
    for (Socket *socket : sockets)
        socket->join(rooms);
}

void Broadcast::socketsLeave(const QStringList &rooms) const
{
    const auto sockets = fetchSockets();
    for (Socket *socket : sockets) {
        for (const QString &room : rooms)
            socket->leave(room);
    }
}

void Broadcast::disconnectSockets(DisconnectMode mode) const
{
    const auto sockets = fetchSockets();
    for (Socket *socket : sockets)
        socket->disconnect(mode);
}

// --- Namespace -------------------------------------------------------------------------------

Namespace::Namespace(const QString &name, Server *server)
    : QObject(server)
    , d(std::make_unique<NamespacePrivate>(this, name, server))
{ }

Namespace::~Namespace() = default;

QString Namespace::name() const
{
    return d->name;
}

Server *Namespace::server() const
{
    return d->server;
}

void Namespace::use(Middleware middleware)
{
    d->middleware.append(std::move(middleware));
}

void Namespace::addHandler(QObject *handler)
{
    d->handlers.append(handler);
}

QList<Socket *> Namespace::sockets() const
{
    return d->sockets.values();
}

Socket *Namespace::socket(const QString &id) const
{
    return d->sockets.value(id);
}

int Namespace::socketCount() const
{
    return int(d->sockets.size());
}

QStringList Namespace::rooms() const
{
    return d->rooms.keys();
}

int Namespace::roomSize(const QString &room) const
{
    return int(d->rooms.value(room).size());
}

Broadcast Namespace::all() const
{
    Broadcast broadcast;
    broadcast.m_nsp = const_cast<Namespace *>(this);
    return broadcast;
}

Broadcast Namespace::to(const QString &room) const
{
    return all().to(room);
}

Broadcast Namespace::to(const QStringList &rooms) const
{
    return all().to(rooms);
}

Broadcast Namespace::except(const QString &room) const
{
    return all().except(room);
}

void Namespace::emitEvent(const QString &event, const QVariantList &args)
{
    all().emitEvent(event, args);
}

// --- NamespacePrivate ------------------------------------------------------------------------

NamespacePrivate::NamespacePrivate(Namespace *q, const QString &name, Server *server)
    : q(q)
    , name(name)
    , server(server)
{ }

void NamespacePrivate::add(Connection *connection, const QJsonObject &auth)
{
    auto *socket = new Socket(q);
    SocketPrivate *sd = socket->d.get();
    sd->nsp = q;
    sd->connection = connection;
    sd->id = generateId();
    const HttpRequest &request = connection->session()->handshake();
    sd->handshake.request = request;
    sd->handshake.auth = auth;
    sd->handshake.time = QDateTime::currentDateTime();
    sd->handshake.issued = sd->handshake.time.toMSecsSinceEpoch();
    sd->handshake.url = QString::fromUtf8(request.target);
    sd->handshake.secure = request.secure;
    sd->handshake.address = ServerPrivate::addressText(request.remoteAddress);
    connection->socketConnecting(socket);
    runMiddleware(socket, 0);
}

void NamespacePrivate::runMiddleware(Socket *socket, int index)
{
    Connection *connection = socket->d->connection;
    if (!connection || !connection->isOpen()) {
        socket->deleteLater();
        return;
    }
    if (index >= middleware.size()) {
        doConnect(socket);
        return;
    }
    Next next;
    next.d = std::make_shared<Next::State>();
    next.d->nsp = q;
    next.d->socket = socket;
    next.d->index = index;
    middleware.at(index)(socket, next);
}

void NamespacePrivate::reject(Socket *socket, const QString &message, const QJsonValue &data)
{
    qCDebug(lcServer).noquote() << "namespace" << name << "refused socket" << socket->id() << ":" << message;
    if (Connection *connection = socket->d->connection) {
        SocketIoPacket error;
        error.type = SocketIoPacket::Type::ConnectError;
        error.nsp = name;
        if (connection->protocol() == 3) {
            error.data = data.isUndefined() ? QJsonValue(message) : data;
        } else {
            QJsonObject object{ { QStringLiteral("message"), message } };
            if (!data.isUndefined())
                object.insert(QStringLiteral("data"), data);
            error.data = object;
        }
        connection->send(error);
        connection->socketRemoved(socket);
    }
    socket->deleteLater();
}

void NamespacePrivate::doConnect(Socket *socket)
{
    SocketPrivate *sd = socket->d.get();
    Connection *connection = sd->connection;
    sockets.insert(sd->id, socket);
    sd->connected = true;
    addToRoom(socket, sd->id);
    SocketIoPacket reply;
    reply.type = SocketIoPacket::Type::Connect;
    reply.nsp = name;
    if (connection->protocol() != 3)
        reply.data = QJsonObject{ { QStringLiteral("sid"), sd->id } };
    connection->send(reply);
    connection->socketConnected(socket);
    qCDebug(lcServer).noquote() << "socket" << sd->id << "connected to" << name;
    notifyHandlers("on_connect", socket, {});
    if (sd->connected)
        Q_EMIT q->socketConnected(socket);
}

void NamespacePrivate::remove(Socket *socket)
{
    sockets.remove(socket->d->id);
}

void NamespacePrivate::addToRoom(Socket *socket, const QString &room)
{
    QSet<Socket *> &members = rooms[room];
    if (members.contains(socket))
        return;
    const bool created = members.isEmpty();
    members.insert(socket);
    socket->d->rooms.insert(room);
    if (created)
        Q_EMIT q->roomCreated(room);
    Q_EMIT q->roomJoined(room, socket->d->id);
}

void NamespacePrivate::removeFromRoom(Socket *socket, const QString &room)
{
    const auto it = rooms.find(room);
    if (it == rooms.end() || !it->remove(socket))
        return;
    socket->d->rooms.remove(room);
    const bool deleted = it->isEmpty();
    if (deleted)
        rooms.erase(it);
    Q_EMIT q->roomLeft(room, socket->d->id);
    if (deleted)
        Q_EMIT q->roomDeleted(room);
}

QList<Socket *> NamespacePrivate::recipients(const Broadcast &target) const
{
    QSet<Socket *> excluded;
    for (const QString &room : target.m_except) {
        const auto it = rooms.constFind(room);
        if (it != rooms.cend())
            excluded.unite(*it);
    }
    if (!target.m_exceptSocket.isEmpty()) {
        if (Socket *self = sockets.value(target.m_exceptSocket))
            excluded.insert(self);
    }
    QList<Socket *> result;
    const auto accept = [&](Socket *socket) {
        if (socket->d->connected && !excluded.contains(socket))
            result.append(socket);
    };
    if (target.m_rooms.isEmpty()) {
        result.reserve(sockets.size());
        for (Socket *socket : sockets)
            accept(socket);
    } else if (target.m_rooms.size() == 1) {
        const auto it = rooms.constFind(*target.m_rooms.cbegin());
        if (it != rooms.cend()) {
            for (Socket *socket : *it)
                accept(socket);
        }
    } else {
        QSet<Socket *> seen;
        for (const QString &room : target.m_rooms) {
            const auto it = rooms.constFind(room);
            if (it == rooms.cend())
                continue;
            for (Socket *socket : *it) {
                if (!seen.contains(socket)) {
                    seen.insert(socket);
                    accept(socket);
                }
            }
        }
    }
    return result;
}

void NamespacePrivate::broadcast(const Broadcast &target, const QString &event, const QVariantList &args)
{
    const QList<Socket *> targets = recipients(target);
    if (targets.isEmpty())
        return;
    // Encoded once; every recipient gets the same bytes.
    const Arguments::Encoded packet = Arguments::encodeEvent(name, event, args);
    for (Socket *socket : targets) {
        socket->d->notifyOutgoing(event, args);
        socket->d->write(packet, target.m_volatile);
    }
}

namespace {
struct AckCollector
{
    qsizetype expected = 0;
    QList<QVariantList> replies;
    bool done = false;
    QPointer<QObject> context;
    bool hasContext = false;
    Broadcast::AcksCallback callback;
    QTimer *timer = nullptr;

    void finish(AckStatus status)
    {
        if (done)
            return;
        done = true;
        if (timer)
            timer->deleteLater();
        callInContext(context, hasContext,
                      [callback = callback, status, replies = replies] { callback(status, replies); });
    }
};
} // namespace

void NamespacePrivate::broadcastWithAck(const Broadcast &target, const QString &event,
                                        const QVariantList &args, QObject *context,
                                        Broadcast::AcksCallback callback)
{
    const QList<Socket *> targets = recipients(target);
    auto collector = std::make_shared<AckCollector>();
    collector->expected = targets.size();
    collector->context = context;
    collector->hasContext = context != nullptr;
    collector->callback = std::move(callback);
    if (targets.isEmpty()) {
        collector->finish(AckStatus::Received);
        return;
    }
    if (target.m_timeout.count() > 0) {
        collector->timer = new QTimer(q);
        collector->timer->setSingleShot(true);
        QObject::connect(collector->timer, &QTimer::timeout, q,
                         [collector] { collector->finish(AckStatus::TimedOut); });
        collector->timer->start(target.m_timeout);
    }
    const qint64 id = nextAckId();
    const Arguments::Encoded packet = Arguments::encodeEvent(name, event, args, id);
    for (Socket *socket : targets) {
        socket->d->expectAck(id, nullptr,
                             [collector](AckStatus status, const QVariantList &reply) {
                                 if (status == AckStatus::Received)
                                     collector->replies.append(reply);
                                 else
                                     --collector->expected; // gone: it will never answer
                                 if (collector->replies.size() >= collector->expected)
                                     collector->finish(AckStatus::Received);
                             },
                             {});
        socket->d->notifyOutgoing(event, args);
        socket->d->write(packet, target.m_volatile);
    }
}

// --- Class-based handlers ----------------------------------------------------------------------

namespace {

QByteArray slotNameFor(const QString &event)
{
    QByteArray name = "on_" + event.toUtf8();
    for (qsizetype i = 3; i < name.size(); ++i) {
        const char c = name.at(i);
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
            name[i] = '_';
    }
    return name;
}

int findMethod(const QMetaObject *meta, const QByteArray &name)
{
    for (int i = meta->methodOffset(); i < meta->methodCount(); ++i) {
        const QMetaMethod method = meta->method(i);
        if (method.name() == name
            && (method.methodType() == QMetaMethod::Slot || method.methodType() == QMetaMethod::Method))
            return i;
    }
    return -1;
}

// Converts an argument to a parameter type; false if it cannot be done faithfully.
bool convertArgument(const QVariant &arg, QMetaType type, QVariant *out)
{
    const int id = type.id();
    if (id == QMetaType::QVariant) {
        *out = arg;
        return true;
    }
    if (id == QMetaType::QJsonValue || id == QMetaType::QJsonObject || id == QMetaType::QJsonArray) {
        QList<QByteArray> ignored;
        const QJsonValue json = Arguments::toJson(arg, &ignored);
        if (id == QMetaType::QJsonValue)
            *out = QVariant::fromValue(json);
        else if (id == QMetaType::QJsonObject && json.isObject())
            *out = QVariant::fromValue(json.toObject());
        else if (id == QMetaType::QJsonArray && json.isArray())
            *out = QVariant::fromValue(json.toArray());
        else
            return false;
        return true;
    }
    if (id == QMetaType::QByteArray && arg.typeId() != QMetaType::QByteArray)
        return false; // binary parameters take binary arguments only
    if (id == QMetaType::QString && arg.typeId() != QMetaType::QString)
        return false;
    if (id == QMetaType::Bool && arg.typeId() != QMetaType::Bool)
        return false;
    const bool isNumber = arg.typeId() == QMetaType::Double || arg.typeId() == QMetaType::LongLong
        || arg.typeId() == QMetaType::Int || arg.typeId() == QMetaType::ULongLong
        || arg.typeId() == QMetaType::UInt;
    const bool wantsInteger = id == QMetaType::Int || id == QMetaType::UInt || id == QMetaType::Long
        || id == QMetaType::ULong || id == QMetaType::LongLong || id == QMetaType::ULongLong
        || id == QMetaType::Short || id == QMetaType::UShort;
    if ((wantsInteger || id == QMetaType::Double || id == QMetaType::Float) && !isNumber)
        return false;
    QVariant copy = arg;
    if (!copy.convert(type))
        return false;
    // A whole number that fits: 2.5 or 1e20 are not an int.
    if (wantsInteger && copy.toDouble() != arg.toDouble())
        return false;
    *out = copy;
    return true;
}

} // namespace

void NamespacePrivate::dispatchToHandlers(Socket *socket, const QString &event, const QVariantList &args,
                                          const Ack &ack)
{
    const QByteArray slot = slotNameFor(event);
    for (const QPointer<QObject> &handler : std::as_const(handlers)) {
        if (!handler)
            continue;
        const int index = findMethod(handler->metaObject(), slot);
        if (index < 0)
            continue;
        const QMetaMethod method = handler->metaObject()->method(index);
        int first = 0;
        if (method.parameterCount() > 0 && method.parameterMetaType(0) == QMetaType::fromType<Socket *>())
            first = 1;
        const int wanted = method.parameterCount() - first;
        QString error;
        if (wanted > 10 - first) {
            error = QStringLiteral("too many parameters");
        } else if (args.size() < wanted) {
            error = QStringLiteral("expected %1 arguments, got %2").arg(wanted).arg(args.size());
        }
        QVariant storage[10];
        Socket *socketArg = socket;
        QGenericArgument generic[10];
        if (first)
            generic[0] = QGenericArgument("SocketIo::Socket*", &socketArg);
        for (int i = 0; error.isEmpty() && i < wanted; ++i) {
            const QMetaType type = method.parameterMetaType(first + i);
            if (!convertArgument(args.at(i), type, &storage[i])) {
                error = QStringLiteral("argument %1 is not a %2")
                            .arg(i + 1)
                            .arg(QString::fromLatin1(type.name()));
                break;
            }
            // A QVariant parameter takes the QVariant itself, any other type its value.
            generic[first + i] = type.id() == QMetaType::QVariant
                ? QGenericArgument("QVariant", &storage[i])
                : QGenericArgument(type.name(), storage[i].constData());
        }
        if (!error.isEmpty()) {
            qCWarning(lcServer).noquote() << "socket" << socket->id() << "event" << event << "does not fit"
                                          << method.methodSignature() << ":" << error;
            ack.send({ QVariantMap{ { QStringLiteral("error"), error } } });
            continue;
        }
        QVariant result;
        QGenericReturnArgument ret;
        if (method.returnMetaType().isValid() && method.returnMetaType().id() != QMetaType::Void) {
            result = QVariant(method.returnMetaType());
            ret = QGenericReturnArgument(method.returnMetaType().name(), result.data());
        }
        const bool invoked =
            method.invoke(handler, Qt::DirectConnection, ret, generic[0], generic[1], generic[2], generic[3],
                          generic[4], generic[5], generic[6], generic[7], generic[8], generic[9]);
        if (!invoked) {
            qCWarning(lcServer).noquote() << "could not call" << method.methodSignature();
            continue;
        }
        if (method.returnMetaType().id() == QMetaType::QVariant) {
            const QVariant inner = *static_cast<const QVariant *>(result.constData()); // unwrap
            result = inner;
        }
        if (result.isValid() || method.returnMetaType().id() == QMetaType::QVariant)
            ack.send({ result });
    }
}

void NamespacePrivate::notifyHandlers(const char *slot, Socket *socket, const QVariantList &args)
{
    for (const QPointer<QObject> &handler : std::as_const(handlers)) {
        if (!handler)
            continue;
        const int index = findMethod(handler->metaObject(), slot);
        if (index < 0)
            continue;
        const QMetaMethod method = handler->metaObject()->method(index);
        Socket *socketArg = socket;
        QString text = args.isEmpty() ? QString() : args.first().toString();
        if (method.parameterCount() == 2)
            method.invoke(handler, Qt::DirectConnection, Q_ARG(SocketIo::Socket *, socketArg),
                          Q_ARG(QString, text));
        else if (method.parameterCount() == 1)
            method.invoke(handler, Qt::DirectConnection, Q_ARG(SocketIo::Socket *, socketArg));
        else
            method.invoke(handler, Qt::DirectConnection);
    }
}

} // namespace SocketIo
