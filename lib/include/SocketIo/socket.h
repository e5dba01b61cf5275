// SPDX-License-Identifier: MIT
#pragma once

#include <SocketIo/httpmessage.h>
#include <SocketIo/socketioglobal.h>

#include <QDateTime>
#include <QJsonObject>
#include <QObject>
#include <QSet>
#include <QVariant>

#include <chrono>
#include <functional>
#include <memory>

namespace SocketIo {

class Broadcast;
class Namespace;
class NamespaceMailbox;
class SocketPrivate;

// Called with the client's reply (args) when status is Received.
using AckCallback = std::function<void(SocketIo::AckStatus status, const QVariantList &args)>;

// Per-emit options.
struct SOCKETIO_EXPORT EmitOptions
{
    bool isVolatile = false; // drop instead of queueing when the transport is not writable
    bool compress = true; // kept for API parity; compression of polling responses applies
    std::chrono::milliseconds ackTimeout{ 0 }; // 0: wait until the socket disconnects
};

// The acknowledgement a client asked for with an event: answer it now or later, once.
// A copyable value; answering a second time, or after the socket is gone, does nothing.
//
// Thread safety: copies may be kept and send() called from any thread (queued to the server's
// thread); the first send() of any copy, in any thread, is the only one.
class SOCKETIO_EXPORT Ack
{
public:
    Ack();
    bool isRequested() const; // the client asked for an ack
    bool isAnswered() const; // the answer went out (from another thread: once it got there)
    qint64 id() const; // -1 when not requested
    void send(const QVariantList &args = {}) const;

private:
    friend class SocketPrivate;
    struct State;
    std::shared_ptr<State> d;
};

// What a client sent when it connected: socket.io's socket.handshake.
struct SOCKETIO_EXPORT Handshake
{
    HttpRequest request; // headers, query, remote address of the first HTTP request
    QJsonObject auth; // the CONNECT packet's payload ({} if none)
    QDateTime time; // when the socket connected
    qint64 issued = 0; // the same, in milliseconds since the epoch
    QString url; // the request target
    bool secure = false;
    QString address; // remote address as text
};

// One socket named by value (its namespace and id), for other threads: a copyable value that
// never points at the Socket, so it cannot dangle. Every call is queued to the server's thread
// (or runs at once when made there), where the socket is looked up by id; once the socket has
// left (or its namespace, or the server, is gone) calls do nothing. Reserved event names are
// refused in the caller's thread (see Socket::emitEvent()).
//
// Get one with Socket::handle() in the server's thread, or Namespace::socketHandle(id) in any.
//
// Thread safety: every member may be called from any thread, on one copy or several.
class SOCKETIO_EXPORT SocketHandle
{
public:
    SocketHandle(); // null: every call does nothing
    bool isNull() const;
    QString id() const;

    void emitEvent(const QString &event, const QVariantList &args = {},
                   const EmitOptions &options = {}) const;
    // callback runs in context's thread, at most once: with Disconnected when the socket is gone
    // by the time the call reaches the server's thread; never once the server is destroyed.
    void emitEvent(const QString &event, const QVariantList &args, QObject *context, AckCallback callback,
                   const EmitOptions &options = {}) const;
    void join(const QString &room) const;
    void join(const QStringList &rooms) const;
    void leave(const QString &room) const;
    void close(SocketIo::DisconnectMode mode = SocketIo::DisconnectMode::Namespace) const;

private:
    friend class Socket;
    friend class Namespace;
    std::shared_ptr<NamespaceMailbox> m_mailbox;
    QString m_id;
};

// A client's connection to one namespace (socket.io's Socket). Owned by its Namespace; deleted
// after disconnected() has been emitted, by the server's thread, at a moment no other thread
// can know.
//
// Thread safety: the server's thread only. Other threads use handle(), a value that stays valid
// (and harmless) after the socket is gone; a Socket* must not be used there, not even to call a
// method that would queue itself. For compatibility emitEvent(), join() and leave() called from
// another thread still forward to handle() (with a warning in debug builds): that is only
// correct when the caller knows the socket outlives the call.
class SOCKETIO_EXPORT Socket : public QObject
{
    Q_OBJECT
public:
    using EventHandler = std::function<void(const QVariantList &args, const SocketIo::Ack &ack)>;
    using AnyHandler = std::function<void(const QString &event, const QVariantList &args)>;
    using PacketMiddleware = std::function<bool(const QString &event, QVariantList &args)>;

    ~Socket() override;

    QString id() const; // socket.io socket id (not the Engine.IO session id)
    // This socket by value, for other threads (see SocketHandle).
    SocketHandle handle() const;
    QString engineSessionId() const; // the connection's Engine.IO sid, shared across namespaces
    Namespace *nsp() const; // owns this socket
    const Handshake &handshake() const;
    Transport transport() const;
    bool isConnected() const;

    QVariantMap data() const; // free-form user data (socket.data)
    void setData(const QVariantMap &data);

    QSet<QString> rooms() const; // includes the socket's own id room
    void join(const QString &room);
    void join(const QStringList &rooms);
    void leave(const QString &room);

    // Reserved event names (connect, connect_error, disconnect, disconnecting, newListener,
    // removeListener) are refused on every emit path here, in Namespace and in Broadcast: a
    // warning is logged, nothing is sent and an ack callback is never called (socket.io throws).
    void emitEvent(const QString &event, const QVariantList &args = {}, const EmitOptions &options = {});
    // With an acknowledgement: callback runs in context's thread, at most once.
    void emitEvent(const QString &event, const QVariantList &args, QObject *context, AckCallback callback,
                   const EmitOptions &options = {});

    Broadcast to(const QString &room) const; // everyone in room but this socket
    Broadcast to(const QStringList &rooms) const;
    Broadcast except(const QString &room) const;
    Broadcast broadcast() const; // everyone in the namespace but this socket

    // Handlers for one event, called in registration order; the context ends the handler's life.
    void on(const QString &event, QObject *context, EventHandler handler);
    void onAny(QObject *context, AnyHandler handler);
    void onAnyOutgoing(QObject *context, AnyHandler handler);
    // Runs before handlers for every incoming event; return false to drop the event.
    void use(PacketMiddleware middleware);

    // Leaves the namespace, telling the client (socket.io's socket.disconnect()): a DISCONNECT
    // packet, then disconnecting() and disconnected() with ServerNamespaceDisconnect. With
    // DisconnectMode::Close every socket of the connection does so and the connection closes
    // (socket.disconnect(true)). Does nothing once disconnected.
    //
    // Named close() as in QWebSocket and QAbstractSocket (and socket.io-client, where close() is
    // disconnect()): a method called disconnect() would sit next to QObject::disconnect(), and
    // socket->disconnect() would compile as QObject's, cutting every signal connection of the
    // socket and telling the client nothing. socket->disconnect() is QObject's, nothing else.
    void close(SocketIo::DisconnectMode mode = SocketIo::DisconnectMode::Namespace);

Q_SIGNALS:
    // Every incoming event, after the middleware, besides the handlers registered with on().
    void eventReceived(const QString &event, const QVariantList &args, const SocketIo::Ack &ack);
    // About to leave: rooms() is still valid.
    void disconnecting(SocketIo::DisconnectReason reason);
    void disconnected(SocketIo::DisconnectReason reason);

private:
    friend class SocketPrivate;
    friend class NamespacePrivate;
    friend class InMemoryAdapter;
    friend class Connection;
    friend class Server;
    friend class Ack;
    explicit Socket(Namespace *nsp);
    const std::unique_ptr<SocketPrivate> d;
};

} // namespace SocketIo

Q_DECLARE_METATYPE(SocketIo::Ack)
