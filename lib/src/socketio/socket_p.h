// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/arguments.h"
#include "roomset.h"

#include <SocketIo/socket.h>

#include <QHash>
#include <QPointer>
#include <QPromise>
#include <QThread>
#include <QTimer>

#include <atomic>
#include <vector>

namespace SocketIo {

class Connection;

// socket.io throws when asked to emit a reserved event name (connect, disconnect...): every
// emit path calls this first; true means "refused, logged, send nothing".
bool refuseReservedEvent(const QString &event);

// Runs f in the context object's thread (queued when that is another thread), or not at all
// once a context that was given is gone. Without a context: here and now.
inline void callInContext(QObject *context, bool hasContext, std::function<void()> f)
{
    if (!hasContext) {
        f();
        return;
    }
    if (!context)
        return;
    if (context->thread() == QThread::currentThread())
        f();
    else
        QMetaObject::invokeMethod(context, std::move(f), Qt::QueuedConnection);
}

// The promise behind an emitWithAck() future, shared by the callbacks that may settle it: the
// first finish() counts; destroyed unsettled (its emit was dropped, its socket or namespace
// went without calling back), the future finishes with the default result (Disconnected).
template<typename Result> class SharedPromise
{
public:
    SharedPromise() { m_promise.start(); }
    ~SharedPromise() { finish(Result()); }
    SharedPromise(const SharedPromise &) = delete;
    SharedPromise &operator=(const SharedPromise &) = delete;
    QFuture<Result> future() { return m_promise.future(); }
    void finish(Result result)
    {
        if (m_done.exchange(true))
            return;
        m_promise.addResult(std::move(result));
        m_promise.finish();
    }
    void cancel()
    {
        if (m_done.exchange(true))
            return;
        m_promise.future().cancel();
        m_promise.finish();
    }

private:
    QPromise<Result> m_promise;
    std::atomic<bool> m_done{ false };
};

// emitWithAck() of Socket, SocketHandle and Broadcast: the future of an emit with an ack.
// Canceled for a reserved event name; else emit is given the callback that settles it with
// (status, reply); unsettled (the call never reached the server's thread, or whatever held the
// callback went first) it finishes with Result(), Disconnected, when the last copy goes.
template<typename Result, typename Emit> QFuture<Result> ackFuture(const QString &event, Emit emit)
{
    const auto promise = std::make_shared<SharedPromise<Result>>();
    QFuture<Result> future = promise->future();
    if (refuseReservedEvent(event)) {
        promise->cancel();
        return future;
    }
    emit([promise](AckStatus status, const auto &reply) { promise->finish({ status, reply }); });
    return future;
}

struct Ack::State
{
    QPointer<Socket> socket; // read in the server's thread only
    std::shared_ptr<NamespaceMailbox> nsp; // how send() from another thread gets there
    qint64 id = -1;
    std::atomic<bool> claimed{ false }; // the first send() of any copy, in any thread
    std::atomic<bool> answered{ false }; // the answer went out (set in the server's thread)
};

class SocketPrivate
{
public:
    explicit SocketPrivate(Socket *q);

    Ack makeAck(qint64 id);
    void sendAck(qint64 id, const QVariantList &args);
    // ServerOptions::eventRate: false when this event is over the socket's rate (dropped, or the
    // client disconnected).
    bool admitEvent();
    void onEvent(Protocol::SocketIoPacket packet);
    void onEvent(qint64 ackId, QVariantList args); // args: the event name first
    void dispatchEvent(qint64 ackId, QVariantList args); // after admitEvent()
    void onAck(Protocol::SocketIoPacket packet);
    void onAck(qint64 ackId, QVariantList args);
    // Sends an already encoded packet to this socket's connection.
    void write(const Arguments::Encoded &packet, bool isVolatile = false);
    void notifyOutgoing(const QString &event, const QVariantList &args);
    // Expects an ack with id from this socket's client.
    // ServerOptions::maxPendingAcks: true (counted, logged once) when no other ack may be awaited.
    bool refuseAck();
    void expectAck(qint64 id, QObject *context, std::function<void(AckStatus, const QVariantList &)> callback,
                   std::chrono::milliseconds timeout);
    void onClose(DisconnectReason reason);

    struct PendingAck
    {
        QPointer<QObject> context;
        bool hasContext = false;
        std::function<void(AckStatus, const QVariantList &)> callback;
        QTimer *timer = nullptr;
    };
    struct Handler
    {
        QPointer<QObject> context;
        bool hasContext = false;
        Socket::EventHandler handler;
    };
    struct AnyHandler
    {
        QPointer<QObject> context;
        bool hasContext = false;
        Socket::AnyHandler handler;
        qint64 id = 0; // for offAny()
    };

    Socket *const q;
    Namespace *nsp = nullptr;
    QPointer<Connection> connection;
    // The connection's packet encoding (Connection::format()), set with connection.
    Arguments::Format format = Arguments::Format::Json;
    QString id;
    Handshake handshake;
    QVariantMap data;
    RoomSet rooms; // small while a socket is in a few rooms, O(1) however many
    bool connected = false;
    double eventTokens = -1; // ServerOptions::eventRate's bucket; < 0: full, not yet used
    qint64 eventRefillMs = 0;
    qint64 droppedEvents = 0;
    qint64 refusedAcks = 0; // ServerOptions::maxPendingAcks
    bool roomLimitLogged = false; // a refused join is logged once per socket
    bool closing = false; // in onClose(): disconnecting/disconnected slots may call close()
    // Connection state recovery: the private session id (empty when off), whether this socket
    // recovered one, the rooms and missed packets restored (until it connects), and the store's
    // last sequence number when it connected (RecoveryStore::Session::base).
    QString pid;
    bool recovered = false;
    QStringList restoredRooms;
    QList<Arguments::Encoded> missedPackets;
    qint64 recoveryBase = 0;
    QHash<qint64, PendingAck> acks;
    // Handlers by event: a flat list in registration order of the events (a socket has a few;
    // a QHash costs more than a kilobyte before its first entry's data).
    struct EventHandlers
    {
        QString event;
        QList<Handler> handlers;
    };
    std::vector<EventHandlers> handlers;
    QList<AnyHandler> anyHandlers;
    QList<AnyHandler> anyOutgoingHandlers;
    qint64 lastAnyHandlerId = 0;
    qint64 addAnyHandler(QList<AnyHandler> &list, QObject *context, Socket::AnyHandler handler, bool prepend);
    QList<Socket::PacketMiddleware> middleware;
};

} // namespace SocketIo
