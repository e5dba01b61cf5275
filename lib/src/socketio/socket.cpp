// SPDX-License-Identifier: MIT
#include "adapter/recoverystore.h"
#include "connection.h"
#include "logging_p.h"
#include "namespace_p.h"
#include "socket_p.h"

#include <SocketIo/namespace.h>

#include <QCborArray>
#include <QCborMap>
#include <QElapsedTimer>
#include <QThread>

#include <algorithm>

namespace SocketIo {

using namespace Protocol;

QString disconnectReasonString(DisconnectReason reason)
{
    switch (reason) {
    case DisconnectReason::ServerNamespaceDisconnect:
        return QStringLiteral("server namespace disconnect");
    case DisconnectReason::ClientNamespaceDisconnect:
        return QStringLiteral("client namespace disconnect");
    case DisconnectReason::ServerShuttingDown:
        return QStringLiteral("server shutting down");
    case DisconnectReason::PingTimeout:
        return QStringLiteral("ping timeout");
    case DisconnectReason::TransportClose:
        return QStringLiteral("transport close");
    case DisconnectReason::TransportError:
        return QStringLiteral("transport error");
    case DisconnectReason::ParseError:
        return QStringLiteral("parse error");
    case DisconnectReason::ForcedClose:
        return QStringLiteral("forced close");
    case DisconnectReason::ForcedServerClose:
        return QStringLiteral("forced server close");
    case DisconnectReason::SendBufferFull:
        return QStringLiteral("send buffer full");
    case DisconnectReason::SendTimeout:
        return QStringLiteral("send timeout");
    }
    return {};
}

bool refuseReservedEvent(const QString &event)
{
    if (!SocketIoCodec::isReservedEventName(event))
        return false;
    qCWarning(lcServer).noquote() << "refused to emit" << event << "(a reserved event name)";
    return true;
}

// --- Ack -------------------------------------------------------------------------------------

Ack::Ack() = default;

bool Ack::isRequested() const
{
    return d && d->id >= 0;
}

bool Ack::isAnswered() const
{
    return d && d->answered.load();
}

qint64 Ack::id() const
{
    return d ? d->id : -1;
}

void Ack::send(const QVariantList &args) const
{
    if (!d || d->id < 0 || !d->nsp || d->claimed.load())
        return;
    if (d->claimed.exchange(true))
        return; // another copy, maybe in another thread, was first
    // In the server's thread (now, or queued there): the QPointer is read only there.
    d->nsp->run([state = d, args](Namespace *) {
        if (Socket *socket = state->socket.data()) {
            state->answered = true;
            socket->d->sendAck(state->id, args);
        }
    });
}

// --- SocketHandle ----------------------------------------------------------------------------

SocketHandle::SocketHandle() = default;

bool SocketHandle::isNull() const
{
    return !m_mailbox;
}

QString SocketHandle::id() const
{
    return m_id;
}

void SocketHandle::emitEvent(const QString &event, const QVariantList &args, const EmitOptions &options) const
{
    if (refuseReservedEvent(event) || !m_mailbox)
        return;
    m_mailbox->run([id = m_id, event, args, options](Namespace *nsp) {
        if (Socket *socket = nsp->socket(id))
            socket->emitEvent(event, args, options);
    });
}

void SocketHandle::emitEvent(const QString &event, const QVariantList &args, QObject *context,
                             AckCallback callback, const EmitOptions &options) const
{
    if (refuseReservedEvent(event) || !m_mailbox)
        return; // socket.io throws: the callback is never called
    QPointer<QObject> guard(context);
    const bool hasContext = context != nullptr;
    m_mailbox->run([id = m_id, event, args, guard, hasContext, callback, options](Namespace *nsp) {
        if (hasContext && !guard)
            return;
        if (Socket *socket = nsp->socket(id)) {
            socket->emitEvent(event, args, guard.data(), callback, options);
        } else if (callback) {
            callInContext(guard.data(), hasContext, [callback] { callback(AckStatus::Disconnected, {}); });
        }
    });
}

void SocketHandle::join(const QString &room) const
{
    join(QStringList{ room });
}

void SocketHandle::join(const QStringList &rooms) const
{
    if (!m_mailbox)
        return;
    m_mailbox->run([id = m_id, rooms](Namespace *nsp) {
        if (Socket *socket = nsp->socket(id))
            socket->join(rooms);
    });
}

void SocketHandle::leave(const QString &room) const
{
    if (!m_mailbox)
        return;
    m_mailbox->run([id = m_id, room](Namespace *nsp) {
        if (Socket *socket = nsp->socket(id))
            socket->leave(room);
    });
}

void SocketHandle::close(DisconnectMode mode) const
{
    if (!m_mailbox)
        return;
    m_mailbox->run([id = m_id, mode](Namespace *nsp) {
        if (Socket *socket = nsp->socket(id))
            socket->close(mode);
    });
}

QFuture<AckResult> SocketHandle::emitWithAck(const QString &event, const QVariantList &args,
                                             const EmitOptions &options) const
{
    // No context: the callback settles the future in the server's thread.
    return ackFuture<AckResult>(
        event, [&](AckCallback settle) { emitEvent(event, args, nullptr, std::move(settle), options); });
}

// --- Socket ----------------------------------------------------------------------------------

Socket::Socket(Namespace *nsp)
    : QObject(nsp)
    , d(std::make_unique<SocketPrivate>(this))
{ }

Socket::~Socket()
{
    for (auto &pending : d->acks)
        delete pending.timer;
}

QString Socket::id() const
{
    return d->id;
}

SocketHandle Socket::handle() const
{
    return d->nsp->socketHandle(d->id);
}

namespace {
// A Socket* used from another thread: only correct while the caller knows the socket lives.
void warnOtherThread(const char *what)
{
#ifndef QT_NO_DEBUG
    qCWarning(lcServer, "Socket::%s called from another thread: use Socket::handle() there", what);
#else
    Q_UNUSED(what)
#endif
}
} // namespace

QString Socket::engineSessionId() const
{
    return d->connection ? d->connection->session()->id() : QString();
}

Namespace *Socket::nsp() const
{
    return d->nsp;
}

const Handshake &Socket::handshake() const
{
    return d->handshake;
}

Transport Socket::transport() const
{
    return d->connection ? d->connection->session()->transport() : Transport::Polling;
}

bool Socket::isRecovered() const
{
    return d->recovered;
}

bool Socket::isConnected() const
{
    return d->connected;
}

qint64 Socket::droppedEventCount() const
{
    return d->droppedEvents;
}

qint64 Socket::refusedAckCount() const
{
    return d->refusedAcks;
}

QVariantMap Socket::data() const
{
    return d->data;
}

void Socket::setData(const QVariantMap &data)
{
    if (d->data == data)
        return;
    d->data = data;
    Q_EMIT dataChanged(d->data);
}

QSet<QString> Socket::rooms() const
{
    return d->rooms.toSet();
}

bool Socket::join(const QString &room)
{
    return join(QStringList{ room });
}

bool Socket::join(const QStringList &rooms)
{
    if (QThread::currentThread() != thread()) {
        warnOtherThread("join");
        handle().join(rooms);
        return true;
    }
    if (!d->connected)
        return false;
    bool all = true;
    for (const QString &room : rooms)
        all = d->nsp->d->addToRoom(this, room) && all;
    return all;
}

void Socket::leave(const QString &room)
{
    if (QThread::currentThread() != thread()) {
        warnOtherThread("leave");
        handle().leave(room);
        return;
    }
    d->nsp->d->removeFromRoom(this, room);
}

void Socket::emitEvent(const QString &event, const QVariantList &args, const EmitOptions &options)
{
    if (refuseReservedEvent(event))
        return;
    if (QThread::currentThread() != thread()) {
        warnOtherThread("emitEvent");
        handle().emitEvent(event, args, options);
        return;
    }
    if (!d->connected)
        return;
    if (RecoveryStore *store = options.isVolatile ? nullptr : d->nsp->d->usableRecovery()) {
        // socket.io emits through the adapter when recovery is on: stored for this socket's
        // own room, with its offset as last argument.
        QVariantList stored = args;
        stored.append(store->nextOffset());
        const Arguments::Encoded encoded =
            Arguments::encodeEvent(d->nsp->name(), event, stored, -1, d->format);
        store->append(encoded, { d->id }, {}, RecoveryStore::now());
        d->notifyOutgoing(event, stored);
        d->write(encoded);
        return;
    }
    d->notifyOutgoing(event, args);
    d->write(Arguments::encodeEvent(d->nsp->name(), event, args, -1, d->format), options.isVolatile);
}

void Socket::emitEvent(const QString &event, const QVariantList &args, QObject *context, AckCallback callback,
                       const EmitOptions &options)
{
    if (refuseReservedEvent(event))
        return; // socket.io throws: the callback is never called
    if (QThread::currentThread() != thread()) {
        warnOtherThread("emitEvent");
        handle().emitEvent(event, args, context, std::move(callback), options);
        return;
    }
    if (!d->connected) {
        if (callback)
            callInContext(context, context != nullptr, [callback] { callback(AckStatus::Disconnected, {}); });
        return;
    }
    if (d->refuseAck()) {
        if (callback)
            callInContext(context, context != nullptr, [callback] { callback(AckStatus::Refused, {}); });
        return;
    }
    const qint64 id = d->nsp->d->nextAckId();
    d->expectAck(id, context, std::move(callback), options.ackTimeout);
    d->notifyOutgoing(event, args);
    d->write(Arguments::encodeEvent(d->nsp->name(), event, args, id, d->format), options.isVolatile);
}

QFuture<AckResult> Socket::emitWithAck(const QString &event, const QVariantList &args,
                                       const EmitOptions &options)
{
    return ackFuture<AckResult>(
        event, [&](AckCallback settle) { emitEvent(event, args, nullptr, std::move(settle), options); });
}

Broadcast Socket::broadcast() const
{
    Broadcast broadcast = d->nsp->all();
    broadcast.m_exceptSocket = d->id;
    return broadcast;
}

Broadcast Socket::to(const QString &room) const
{
    return broadcast().to(room);
}

Broadcast Socket::to(const QStringList &rooms) const
{
    return broadcast().to(rooms);
}

Broadcast Socket::except(const QString &room) const
{
    return broadcast().except(room);
}

void Socket::on(const QString &event, QObject *context, EventHandler handler)
{
    SocketPrivate::Handler entry{ context, context != nullptr, std::move(handler) };
    for (SocketPrivate::EventHandlers &list : d->handlers) {
        if (list.event == event) {
            list.handlers.append(std::move(entry));
            return;
        }
    }
    d->handlers.push_back({ event, { std::move(entry) } });
}

// Handlers whose context is gone are removed when it goes, so that an observer that comes and
// goes (the admin instrumentation) leaves no per-event work and no memory behind.
static void removeDeadHandlers(QList<SocketPrivate::AnyHandler> &handlers)
{
    handlers.removeIf([](const SocketPrivate::AnyHandler &h) { return h.hasContext && !h.context; });
}

qint64 SocketPrivate::addAnyHandler(QList<AnyHandler> &list, QObject *context, Socket::AnyHandler handler,
                                    bool prepend)
{
    AnyHandler entry{ context, context != nullptr, std::move(handler), ++lastAnyHandlerId };
    if (prepend)
        list.prepend(std::move(entry));
    else
        list.append(std::move(entry));
    if (context) {
        QObject::connect(context, &QObject::destroyed, q, [&list] { removeDeadHandlers(list); });
    }
    return lastAnyHandlerId;
}

qint64 Socket::onAny(QObject *context, AnyHandler handler)
{
    return d->addAnyHandler(d->anyHandlers, context, std::move(handler), false);
}

qint64 Socket::prependAny(QObject *context, AnyHandler handler)
{
    return d->addAnyHandler(d->anyHandlers, context, std::move(handler), true);
}

void Socket::offAny(qint64 id)
{
    d->anyHandlers.removeIf([id](const SocketPrivate::AnyHandler &h) { return h.id == id; });
}

void Socket::offAny()
{
    d->anyHandlers.clear();
}

qint64 Socket::onAnyOutgoing(QObject *context, AnyHandler handler)
{
    return d->addAnyHandler(d->anyOutgoingHandlers, context, std::move(handler), false);
}

qint64 Socket::prependAnyOutgoing(QObject *context, AnyHandler handler)
{
    return d->addAnyHandler(d->anyOutgoingHandlers, context, std::move(handler), true);
}

void Socket::offAnyOutgoing(qint64 id)
{
    d->anyOutgoingHandlers.removeIf([id](const SocketPrivate::AnyHandler &h) { return h.id == id; });
}

void Socket::offAnyOutgoing()
{
    d->anyOutgoingHandlers.clear();
}

void Socket::use(PacketMiddleware middleware)
{
    d->middleware.append(std::move(middleware));
}

void Socket::close(DisconnectMode mode)
{
    if (!d->connected)
        return;
    if (mode == DisconnectMode::Close) {
        // socket.disconnect(true): every socket of the connection leaves, then it closes.
        if (Connection *connection = d->connection)
            connection->disconnectAll();
        return;
    }
    if (d->closing) // called from a disconnecting() or disconnected() slot: leaving already
        return;
    SocketIoPacket packet;
    packet.type = SocketIoPacket::Type::Disconnect;
    packet.nsp = d->nsp->name();
    d->write(Arguments::encode(packet, d->format));
    d->onClose(DisconnectReason::ServerNamespaceDisconnect);
}

// --- SocketPrivate ---------------------------------------------------------------------------

SocketPrivate::SocketPrivate(Socket *q)
    : q(q)
{ }

Ack SocketPrivate::makeAck(qint64 ackId)
{
    Ack ack;
    ack.d = std::make_shared<Ack::State>();
    ack.d->socket = q;
    ack.d->nsp = nsp->d->mailbox;
    ack.d->id = ackId;
    return ack;
}

void SocketPrivate::sendAck(qint64 ackId, const QVariantList &args)
{
    if (!connected)
        return;
    write(Arguments::encodeAck(nsp->name(), ackId, args, format));
}

void SocketPrivate::write(const Arguments::Encoded &packet, bool isVolatile)
{
    if (connection)
        connection->send(packet, isVolatile);
}

void SocketPrivate::notifyOutgoing(const QString &event, const QVariantList &args)
{
    // A copy (shared, not allocated): a handler may add or remove handlers.
    const QList<AnyHandler> list = anyOutgoingHandlers;
    for (const AnyHandler &handler : list) {
        if (!handler.hasContext || handler.context)
            handler.handler(event, args);
    }
}

bool SocketPrivate::refuseAck()
{
    const int cap = nsp->d->maxPendingAcks;
    if (cap <= 0 || acks.size() < cap)
        return false;
    if (refusedAcks++ == 0) {
        qCWarning(lcServer).noquote()
            << "socket" << id << "in" << nsp->name() << "already awaits" << cap
            << "acks (ServerOptions::maxPendingAcks): emits with an ack are refused until it answers;"
            << "further refusals are not logged";
    }
    return true;
}

void SocketPrivate::expectAck(qint64 ackId, QObject *context,
                              std::function<void(AckStatus, const QVariantList &)> callback,
                              std::chrono::milliseconds timeout)
{
    PendingAck pending;
    pending.context = context;
    pending.hasContext = context != nullptr;
    pending.callback = std::move(callback);
    if (timeout.count() > 0) {
        pending.timer = new QTimer;
        pending.timer->setSingleShot(true);
        QObject::connect(pending.timer, &QTimer::timeout, q, [this, ackId] {
            PendingAck expired = acks.take(ackId);
            expired.timer->deleteLater();
            if (expired.callback) {
                callInContext(expired.context, expired.hasContext,
                              [callback = expired.callback] { callback(AckStatus::TimedOut, {}); });
            }
        });
        pending.timer->start(timeout);
    }
    acks.insert(ackId, std::move(pending));
}

bool SocketPrivate::admitEvent()
{
    const EventRateLimit &limit = nsp->d->eventRate;
    if (limit.eventsPerSecond <= 0)
        return true;
    static const QElapsedTimer clock = [] {
        QElapsedTimer timer;
        timer.start();
        return timer;
    }();
    const qint64 now = clock.elapsed();
    const double burst = qMax(1.0, limit.eventsPerSecond * limit.burstSeconds);
    eventTokens = eventTokens < 0
        ? burst
        : qMin(burst, eventTokens + double(now - eventRefillMs) * limit.eventsPerSecond / 1000.0);
    eventRefillMs = now;
    if (eventTokens >= 1.0) {
        eventTokens -= 1.0;
        return true;
    }
    if (droppedEvents++ == 0) {
        qCWarning(lcServer).noquote()
            << "socket" << id << "in" << nsp->name() << "sends more than" << limit.eventsPerSecond
            << "events a second (ServerOptions::eventRate):"
            << (limit.action == EventRateLimit::Action::Drop
                    ? "dropping events over the rate; further drops are not logged"
                    : "disconnecting the client");
    }
    if (limit.action == EventRateLimit::Action::Disconnect && connected)
        q->close(DisconnectMode::Close);
    return false;
}

void SocketPrivate::onEvent(SocketIoPacket packet)
{
    if (!admitEvent())
        return;
    dispatchEvent(packet.id, Arguments::fromPayload(packet.data, packet.attachments));
}

void SocketPrivate::onEvent(qint64 ackId, QVariantList args)
{
    if (admitEvent())
        dispatchEvent(ackId, std::move(args));
}

void SocketPrivate::dispatchEvent(qint64 ackId, QVariantList args)
{
    const QVariant first = args.takeFirst();
    const QString event = first.typeId() == QMetaType::QString ? first.toString() : first.toString();
    const Ack ack = ackId >= 0 ? makeAck(ackId) : Ack();
    for (const Socket::PacketMiddleware &m : std::as_const(middleware)) {
        if (!m(event, args))
            return;
    }
    const QList<AnyHandler> anyList = anyHandlers; // shared: a handler may add or remove handlers
    for (const AnyHandler &handler : anyList) {
        if (!connected)
            return;
        if (!handler.hasContext || handler.context)
            handler.handler(event, args);
    }
    const auto it = std::find_if(handlers.cbegin(), handlers.cend(),
                                 [&](const EventHandlers &entry) { return entry.event == event; });
    if (it != handlers.cend()) {
        const QList<Handler> list = it->handlers; // a handler may register more
        for (const Handler &handler : list) {
            if (!connected)
                return;
            if (!handler.hasContext || handler.context)
                handler.handler(args, ack);
        }
    }
    if (!connected)
        return;
    Q_EMIT q->eventReceived(event, args, ack);
    if (connected && !nsp->d->handlers.isEmpty())
        nsp->d->dispatchToHandlers(q, event, args, ack);
}

void SocketPrivate::onAck(SocketIoPacket packet)
{
    if (!acks.contains(packet.id)) {
        qCDebug(lcServer).noquote() << "socket" << id << "unknown ack id" << packet.id;
        return;
    }
    onAck(packet.id, Arguments::fromPayload(packet.data, packet.attachments));
}

void SocketPrivate::onAck(qint64 ackId, QVariantList args)
{
    const auto it = acks.find(ackId);
    if (it == acks.end()) {
        qCDebug(lcServer).noquote() << "socket" << id << "unknown ack id" << ackId;
        return;
    }
    PendingAck pending = std::move(*it);
    acks.erase(it);
    delete pending.timer;
    if (pending.callback) {
        callInContext(pending.context, pending.hasContext,
                      [callback = pending.callback, args] { callback(AckStatus::Received, args); });
    }
}

void SocketPrivate::onClose(DisconnectReason reason)
{
    if (!connected) {
        // Still in the middleware: it never connected, nobody was told about it.
        if (connection)
            connection->socketRemoved(q);
        q->deleteLater();
        return;
    }
    if (closing)
        return; // a slot below closed the connection: this socket is leaving already
    closing = true;
    Q_EMIT q->disconnecting(reason);
    if (!pid.isEmpty()) {
        // socket.io's RECOVERABLE_DISCONNECT_REASONS: not when either side left the namespace
        // on purpose, nor after a parse error (nor ours, a full send buffer: a client that
        // cannot keep up would be sent it all again).
        const bool recoverable = reason == DisconnectReason::TransportError
            || reason == DisconnectReason::TransportClose || reason == DisconnectReason::ForcedClose
            || reason == DisconnectReason::PingTimeout || reason == DisconnectReason::ServerShuttingDown
            || reason == DisconnectReason::ForcedServerClose;
        if (RecoveryStore *store = recoverable ? nsp->d->usableRecovery() : nullptr) {
            qCDebug(lcServer).noquote() << "socket" << id << "in" << nsp->name() << "may recover its session";
            store->persist({ id, pid, rooms.toList(), data, recoveryBase, 0 }, RecoveryStore::now());
        }
    }
    const QStringList joined = rooms.toList();
    for (const QString &room : joined)
        nsp->d->removeFromRoom(q, room);
    nsp->d->remove(q);
    if (connection)
        connection->socketRemoved(q);
    connected = false;
    const auto pending = std::exchange(acks, {});
    for (const PendingAck &ack : pending) {
        delete ack.timer;
        if (ack.callback) {
            callInContext(ack.context, ack.hasContext,
                          [callback = ack.callback] { callback(AckStatus::Disconnected, {}); });
        }
    }
    qCDebug(lcServer).noquote() << "socket" << id << "left" << nsp->name() << ":"
                                << disconnectReasonString(reason);
    nsp->d->notifyHandlers("on_disconnect", q, { disconnectReasonString(reason) });
    Q_EMIT q->disconnected(reason);
    Q_EMIT nsp->socketDisconnected(id, reason);
    q->deleteLater();
}

} // namespace SocketIo
