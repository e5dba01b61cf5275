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
class SOCKETIO_EXPORT Ack
{
public:
    Ack();
    bool isRequested() const; // the client asked for an ack
    bool isAnswered() const;
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

// A client's connection to one namespace (socket.io's Socket). Owned by its Namespace; deleted
// after disconnected() has been emitted.
//
// Thread safety: emitEvent(), join() and leave() may be called from any thread; calls from
// another thread are queued to the server's thread. Everything else: the server's thread only.
class SOCKETIO_EXPORT Socket : public QObject
{
    Q_OBJECT
public:
    using EventHandler = std::function<void(const QVariantList &args, const SocketIo::Ack &ack)>;
    using AnyHandler = std::function<void(const QString &event, const QVariantList &args)>;
    using PacketMiddleware = std::function<bool(const QString &event, QVariantList &args)>;

    ~Socket() override;

    QString id() const; // socket.io socket id (not the Engine.IO session id)
    QString engineSessionId() const; // the connection's Engine.IO sid, shared across namespaces
    Namespace *nsp() const; // owns this socket
    const Handshake &handshake() const;
    Transport transport() const;
    bool isConnected() const;

    QVariantMap data() const; // free-form user data (socket.data)
    void setData(const QVariantMap &data);

    QSet<QString> rooms() const; // includes the socket's own id room
    // Returns false if a room was refused: the socket is already in
    // ServerOptions::maxRoomsPerSocket rooms (logged once per socket; its other rooms and the
    // connection are untouched), or it is not connected. From another thread the join is queued
    // and true returned (a refusal is then only logged).
    bool join(const QString &room);
    bool join(const QStringList &rooms);
    void leave(const QString &room);

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

    using QObject::disconnect;
    void disconnect(SocketIo::DisconnectMode mode);

Q_SIGNALS:
    // Every incoming event, after the middleware, besides the handlers registered with on().
    void eventReceived(const QString &event, const QVariantList &args, const SocketIo::Ack &ack);
    // About to leave: rooms() is still valid.
    void disconnecting(SocketIo::DisconnectReason reason);
    void disconnected(SocketIo::DisconnectReason reason);

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
