// SPDX-License-Identifier: MIT
#pragma once

#include <SocketIo/httpmessage.h>
#include <SocketIo/socketioglobal.h>

#include <QDateTime>
#include <QFuture>
#include <QJsonObject>
#include <QObject>
#include <QSet>
#include <QVariant>

#include <chrono>
#include <functional>
#include <memory>

/// \file
/// \brief Socket: a client's connection to one namespace; Ack, EmitOptions, Handshake.

namespace SocketIo {

class Broadcast;
class Namespace;
class NamespaceMailbox;
class SocketPrivate;

/// \brief How an emit with an acknowledgement ended: called with the client's reply (args)
/// when status is Received.
using AckCallback = std::function<void(SocketIo::AckStatus status, const QVariantList &args)>;

/// \brief How an emit with an acknowledgement ended, as a value: what Socket::emitWithAck()'s
/// future holds.
struct SOCKETIO_EXPORT AckResult
{
    /// \brief Received (args holds the client's reply), TimedOut (EmitOptions::ackTimeout
    /// passed), Disconnected (the socket, its namespace or the server went first) or Refused
    /// (not sent: ServerOptions::maxPendingAcks).
    AckStatus status = AckStatus::Disconnected;
    QVariantList args; ///< the client's reply when status is Received
    /// \brief Whether the client answered.
    bool isReceived() const { return status == AckStatus::Received; }
};

/// \brief Per-emit options (Socket::emitEvent()).
struct SOCKETIO_EXPORT EmitOptions
{
    bool isVolatile = false; ///< drop instead of queueing when the transport is not writable
    bool compress = true; ///< kept for API parity; compression of polling responses applies
    std::chrono::milliseconds ackTimeout{ 0 }; ///< 0: wait until the socket disconnects
};

/// The acknowledgement a client asked for with an event: answer it now or later, once.
/// A copyable value; answering a second time, or after the socket is gone, does nothing.
///
/// Thread safety: copies may be kept and send() called from any thread (queued to the server's
/// thread); the first send() of any copy, in any thread, is the only one.
class SOCKETIO_EXPORT Ack
{
public:
    /// \brief An ack nobody asked for: isRequested() is false and send() does nothing.
    Ack();
    /// \brief Whether the client asked for an ack.
    bool isRequested() const; // the client asked for an ack
    bool isAnswered() const; ///< the answer went out (from another thread: once it got there)
    /// \brief The packet's ack id; -1 when not requested.
    qint64 id() const; // -1 when not requested
    /// \brief Answers the client with \a args (an ACK, or a BINARY_ACK when they hold binaries).
    void send(const QVariantList &args = {}) const;

private:
    friend class SocketPrivate;
    struct State;
    std::shared_ptr<State> d;
};

/// \brief What a client sent when it connected: socket.io's socket.handshake. A value.
struct SOCKETIO_EXPORT Handshake
{
    HttpRequest request; ///< headers, query, remote address of the first HTTP request
    QJsonObject auth; ///< the CONNECT packet's payload ({} if none)
    QDateTime time; ///< when the socket connected
    qint64 issued = 0; ///< the same, in milliseconds since the epoch
    QString url; ///< the request target
    /// \brief Whether the first request arrived over TLS (HttpRequest::secure).
    bool secure = false;
    QString address; ///< remote address as text
};

/// One socket named by value (its namespace and id), for other threads: a copyable value that
/// never points at the Socket, so it cannot dangle. Every call is queued to the server's thread
/// (or runs at once when made there), where the socket is looked up by id; once the socket has
/// left (or its namespace, or the server, is gone) calls do nothing. Reserved event names are
/// refused in the caller's thread (see Socket::emitEvent()).
///
/// Get one with Socket::handle() in the server's thread, or Namespace::socketHandle(id) in any.
///
/// Thread safety: every member may be called from any thread, on one copy or several.
class SOCKETIO_EXPORT SocketHandle
{
public:
    SocketHandle(); ///< null: every call does nothing
    /// \brief Whether this is a null handle (default-constructed).
    bool isNull() const;
    /// \brief The socket's id.
    QString id() const;

    /// \brief Sends \a event with \a args to the socket's client (see Socket::emitEvent()).
    void emitEvent(const QString &event, const QVariantList &args = {},
                   const EmitOptions &options = {}) const;
    /// callback runs in context's thread, at most once: with Disconnected when the socket is gone
    /// by the time the call reaches the server's thread; never once the server is destroyed.
    void emitEvent(const QString &event, const QVariantList &args, QObject *context, AckCallback callback,
                   const EmitOptions &options = {}) const;
    /// \brief Sends \a event and returns the client's acknowledgement as a future (see
    /// Socket::emitWithAck()); it also resolves, with Disconnected, when the socket is gone
    /// by the time the call reaches the server's thread or the server is destroyed first.
    QFuture<SocketIo::AckResult> emitWithAck(const QString &event, const QVariantList &args = {},
                                             const EmitOptions &options = {}) const;
    /// \brief The socket joins \a room (refusals are logged, see Socket::join()).
    void join(const QString &room) const;
    /// \brief The socket joins each of \a rooms.
    void join(const QStringList &rooms) const;
    /// \brief The socket leaves \a room.
    void leave(const QString &room) const;
    /// \brief Socket::close() on the socket.
    void close(SocketIo::DisconnectMode mode = SocketIo::DisconnectMode::Namespace) const;

private:
    friend class Socket;
    friend class Namespace;
    std::shared_ptr<NamespaceMailbox> m_mailbox;
    QString m_id;
};

/// A client's connection to one namespace (socket.io's Socket). Owned by its Namespace; deleted
/// after disconnected() has been emitted, by the server's thread, at a moment no other thread
/// can know.
///
/// Thread safety: the server's thread only. Other threads use handle(), a value that stays valid
/// (and harmless) after the socket is gone; a Socket* must not be used there, not even to call a
/// method that would queue itself. For compatibility emitEvent(), join() and leave() called from
/// another thread still forward to handle() (with a warning in debug builds): that is only
/// correct when the caller knows the socket outlives the call.
class SOCKETIO_EXPORT Socket : public QObject
{
    Q_OBJECT
public:
    /// \brief Handles one event: its arguments and the ack the client may have asked for.
    using EventHandler = std::function<void(const QVariantList &args, const SocketIo::Ack &ack)>;
    /// \brief Sees any event (onAny(), onAnyOutgoing()): its name and arguments.
    using AnyHandler = std::function<void(const QString &event, const QVariantList &args)>;
    /// \brief Sees every incoming event before the handlers and may change its arguments;
    /// returns false to drop the event.
    using PacketMiddleware = std::function<bool(const QString &event, QVariantList &args)>;

    /// \brief Destroys the socket; its namespace does it after disconnected().
    ~Socket() override;

    /// \brief The socket.io socket id (not the Engine.IO session id).
    QString id() const; // socket.io socket id (not the Engine.IO session id)
    /// This socket by value, for other threads (see SocketHandle).
    SocketHandle handle() const;
    /// \brief The connection's Engine.IO sid, shared by its sockets in every namespace.
    QString engineSessionId() const; // the connection's Engine.IO sid, shared across namespaces
    /// \brief The namespace, which owns this socket.
    Namespace *nsp() const; // owns this socket
    /// \brief What the client sent when it connected.
    const Handshake &handshake() const;
    /// \brief The connection's current transport.
    Transport transport() const;
    /// \brief Events dropped (or refused before the client was disconnected) because the socket
    /// went over ServerOptions::eventRate.
    qint64 droppedEventCount() const;
    /// \brief Emits with an ack refused (AckStatus::Refused) because the socket already awaited
    /// ServerOptions::maxPendingAcks answers.
    qint64 refusedAckCount() const;
    /// \brief Whether this socket recovered a disconnected session (socket.io's
    /// socket.recovered; ServerOptions::connectionStateRecovery): same id, rooms and data, and
    /// the events it missed were sent again before the CONNECT reply.
    bool isRecovered() const;
    /// \brief Whether the socket is in its namespace: true from Namespace::socketConnected()
    /// through disconnecting(), false by disconnected().
    bool isConnected() const;

    /// \brief Free-form user data (socket.data), also seen by fetchSockets() on other servers.
    QVariantMap data() const; // free-form user data (socket.data)
    /// \brief Replaces data(); emits dataChanged() when it differs.
    void setData(const QVariantMap &data);

    /// \brief The rooms the socket is in, including its own id room.
    QSet<QString> rooms() const; // includes the socket's own id room
    /// \brief Joins \a room (any thread).
    ///
    /// Returns false if a room was refused: the socket is already in
    /// ServerOptions::maxRoomsPerSocket rooms (logged once per socket; its other rooms and the
    /// connection are untouched), or it is not connected. From another thread the join is queued
    /// and true returned (a refusal is then only logged).
    bool join(const QString &room);
    /// \brief Joins each of \a rooms (any thread); false if one was refused (see above).
    bool join(const QStringList &rooms);
    /// \brief Leaves \a room (any thread).
    void leave(const QString &room);

    /// Reserved event names (connect, connect_error, disconnect, disconnecting, newListener,
    /// removeListener) are refused on every emit path here, in Namespace and in Broadcast: a
    /// warning is logged, nothing is sent and an ack callback is never called (socket.io throws).
    void emitEvent(const QString &event, const QVariantList &args = {}, const EmitOptions &options = {});
    /// \brief With an acknowledgement: callback runs in context's thread, at most once (with
    /// AckStatus::TimedOut after options.ackTimeout, AckStatus::Disconnected if the socket
    /// goes first, AckStatus::Refused and nothing sent if it already awaits
    /// ServerOptions::maxPendingAcks answers).
    void emitEvent(const QString &event, const QVariantList &args, QObject *context, AckCallback callback,
                   const EmitOptions &options = {});

    /// \brief Sends \a event and returns the client's acknowledgement as a future (socket.io's
    /// emitWithAck()).
    ///
    /// The future always finishes with one AckResult: Received with the reply, TimedOut after
    /// options.ackTimeout (0: no timeout), Disconnected when the socket leaves first, or is not
    /// connected, or the server is destroyed. The result is set in the server's thread: use
    /// QFuture::then() with a context object, or a QFutureWatcher, to get it in yours (never
    /// wait() on it in the server's thread: it would block the answer). A reserved event name
    /// is refused (see emitEvent()): the future is then canceled, without a result.
    QFuture<SocketIo::AckResult> emitWithAck(const QString &event, const QVariantList &args = {},
                                             const EmitOptions &options = {});

    /// \brief Everyone in \a room but this socket.
    Broadcast to(const QString &room) const; // everyone in room but this socket
    /// \brief Everyone in any of \a rooms but this socket.
    Broadcast to(const QStringList &rooms) const;
    /// \brief Everyone in the namespace but this socket and the members of \a room.
    Broadcast except(const QString &room) const;
    /// \brief Everyone in the namespace but this socket.
    Broadcast broadcast() const; // everyone in the namespace but this socket

    /// \brief Adds a handler for \a event. Handlers for one event are called in registration
    /// order; the context ends the handler's life.
    void on(const QString &event, QObject *context, EventHandler handler);
    /// \brief Adds a handler for every incoming event (after the middleware), called after
    /// those added before; the context ends its life. Returns its id for offAny() (> 0).
    qint64 onAny(QObject *context, AnyHandler handler);
    /// \brief Adds a handler for every incoming event, called before those added before
    /// (socket.io's prependAny()). Returns its id for offAny().
    qint64 prependAny(QObject *context, AnyHandler handler);
    /// \brief Removes the onAny()/prependAny() handler with id \a id (socket.io's
    /// offAny(listener)). An event being dispatched still reaches it.
    void offAny(qint64 id);
    /// \brief Removes every onAny()/prependAny() handler, including those of others (the
    /// Admin UI instrumentation's too), as socket.io's offAny().
    void offAny();
    /// \brief Adds a handler for every event sent to this client; the context ends its life.
    /// Returns its id for offAnyOutgoing() (> 0).
    qint64 onAnyOutgoing(QObject *context, AnyHandler handler);
    /// \brief Adds a handler for every event sent to this client, called before those added
    /// before (socket.io's prependAnyOutgoing()). Returns its id for offAnyOutgoing().
    qint64 prependAnyOutgoing(QObject *context, AnyHandler handler);
    /// \brief Removes the onAnyOutgoing()/prependAnyOutgoing() handler with id \a id.
    void offAnyOutgoing(qint64 id);
    /// \brief Removes every outgoing handler, including those of others (see offAny()).
    void offAnyOutgoing();
    /// \brief Adds a middleware that runs before handlers for every incoming event; it returns
    /// false to drop the event.
    void use(PacketMiddleware middleware);

    /// Leaves the namespace, telling the client (socket.io's socket.disconnect()): a DISCONNECT
    /// packet, then disconnecting() and disconnected() with ServerNamespaceDisconnect. With
    /// DisconnectMode::Close every socket of the connection does so and the connection closes
    /// (socket.disconnect(true)). Does nothing once disconnected.
    ///
    /// Named close() as in QWebSocket and QAbstractSocket (and socket.io-client, where close() is
    /// disconnect()): a method called disconnect() would sit next to QObject::disconnect(), and
    /// socket->disconnect() would compile as QObject's, cutting every signal connection of the
    /// socket and telling the client nothing. socket->disconnect() is QObject's, nothing else.
    void close(SocketIo::DisconnectMode mode = SocketIo::DisconnectMode::Namespace);

Q_SIGNALS:
    /// \brief Every incoming event, after the middleware, besides the handlers registered with
    /// on().
    void eventReceived(const QString &event, const QVariantList &args, const SocketIo::Ack &ack);
    /// \brief About to leave: rooms() is still valid.
    void disconnecting(SocketIo::DisconnectReason reason);
    /// \brief The socket left its namespace; it is deleted later.
    void disconnected(SocketIo::DisconnectReason reason);
    /// \brief setData() changed data() (the Admin UI instrumentation reports it as
    /// `socket_updated`).
    void dataChanged(const QVariantMap &data);

private:
    friend class SocketPrivate;
    friend class NamespacePrivate;
    friend class Connection;
    friend class Server;
    friend class Ack;
    explicit Socket(Namespace *nsp);
    const std::unique_ptr<SocketPrivate> d;
};

} // namespace SocketIo

Q_DECLARE_METATYPE(SocketIo::Ack)
