// SPDX-License-Identifier: MIT
#pragma once

#include <SocketIo/socket.h>
#include <SocketIo/socketioglobal.h>
#include <SocketIo/traffic.h>

#include <QFuture>
#include <QList>
#include <QObject>
#include <QPair>
#include <QSslConfiguration>
#include <QUrl>
#include <QUrlQuery>
#include <QVariant>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

/// \file
/// \brief The Qt Socket.IO client: Manager (one Engine.IO connection), ClientSocket (one
/// namespace on it), ManagerOptions, ClientAck and AckReply.

namespace SocketIo {

class ClientSocket;
class ClientSocketPrivate;
class ManagerPrivate;

/// \brief Options of a Manager: socket.io-client's ManagerOptions, as a value.
struct SOCKETIO_EXPORT ManagerOptions
{
    QString path = QStringLiteral("/socket.io/"); ///< the server's path
    /// \brief The transports to use. With both, polling opens the connection and it upgrades to
    /// WebSocket (probe, pause, flush) when the server offers it; with one, only that one.
    Transports transports = Transport::Polling | Transport::WebSocket;
    bool upgrade = true; ///< try the upgrade to WebSocket after a polling handshake
    QUrlQuery query; ///< added to every request's query
    QList<QPair<QByteArray, QByteArray>>
        extraHeaders; ///< added to every HTTP request (and the WebSocket handshake)
    bool reconnection = true; ///< reconnect after a connection loss (not after "io server disconnect")
    int reconnectionAttempts = -1; ///< attempts before reconnectFailed(); -1: unlimited
    std::chrono::milliseconds reconnectionDelay{ 1000 }; ///< first delay of the exponential backoff
    std::chrono::milliseconds reconnectionDelayMax{ 5000 }; ///< largest delay of the backoff
    double randomizationFactor = 0.5; ///< jitter of each delay, 0 to 1
    std::chrono::milliseconds timeout{ 20000 }; ///< a connection attempt fails after this long
    /// \brief Engine.IO protocol revision: 4 (socket.io 3 and 4 servers) or 3 (socket.io 2.x).
    int engineIoProtocol = 4;
    /// \brief TLS for https/wss (peer verification as configured); unset: Qt's default.
    std::optional<QSslConfiguration> sslConfiguration;
    QString caFile; ///< a PEM file of certificates to trust in addition (https/wss)
    /// \brief Accept any certificate. Dangerous (no authentication of the server): for tests only.
    bool ignoreSslErrors = false;
    /// \brief The largest polling response or WebSocket message accepted from the server;
    /// beyond it the connection closes with "transport error".
    qint64 maxIncomingBytes = 100 * 1000 * 1000;
    /// \brief At most this many outgoing packets wait while the connection is down (buffered
    /// emits, socket.io-client's sendBuffer); beyond it the oldest are dropped with a log line.
    int maxBufferedPackets = 10000;
    /// \brief The packet encoding (socket.io-client's `parser`): Parser::MsgPack for servers
    /// configured with npm socket.io-msgpack-parser. Ignored with engineIoProtocol 3 (JSON).
    Parser parser = Parser::Json;
};

/// \brief How an acknowledgement asked with ClientSocket::emitWithAck() ended: a value.
struct SOCKETIO_EXPORT AckReply
{
    AckStatus status = AckStatus::Disconnected; ///< Received, TimedOut or Disconnected
    QVariantList args; ///< the server's answer when status is Received
};

/// \brief The acknowledgement the server asked for with an event: answer it once.
///
/// A copyable value handed to ClientSocket handlers; send() after the first call, or after the
/// socket is gone, does nothing. send() may be called from any thread (queued to the socket's).
class SOCKETIO_EXPORT ClientAck
{
public:
    /// \brief An ack nobody asked for: isRequested() is false and send() does nothing.
    ClientAck();
    /// \brief Whether the server asked for an acknowledgement.
    bool isRequested() const;
    /// \brief Whether send() has been called.
    bool isAnswered() const;
    /// \brief The packet's ack id; -1 when not requested.
    qint64 id() const;
    /// \brief Answers the server with \a args (ACK, or BINARY_ACK when they hold binaries).
    void send(const QVariantList &args = {}) const;

private:
    friend class ClientSocketPrivate;
    struct State;
    std::shared_ptr<State> d;
};

/// \brief One Engine.IO connection to a server, multiplexing namespace sockets: socket.io-client's
/// Manager.
///
/// Lives in the thread that created it; the sockets it returns are its children. It connects
/// when the first socket opens (or with open()) and reconnects after a connection loss with an
/// exponential backoff (ManagerOptions). Thread safety: ClientSocket::emitEvent() may be called
/// from any thread; everything else in the manager's thread.
class SOCKETIO_EXPORT Manager : public QObject
{
    Q_OBJECT
public:
    /// \brief The connection state.
    enum class State {
        Closed, ///< not connected and not trying
        Opening, ///< connecting (or reconnecting)
        Open, ///< the Engine.IO connection is up
    };
    Q_ENUM(State)

    /// \brief A manager for the server at \a url (http, https, ws or wss; its path is ignored,
    /// see ManagerOptions::path). It does not connect until open() or ClientSocket::open().
    explicit Manager(const QUrl &url, const ManagerOptions &options = {}, QObject *parent = nullptr);
    ~Manager() override;

    /// \brief The server URL given to the constructor.
    QUrl url() const;
    /// \brief The options given to the constructor.
    ManagerOptions options() const;
    /// \brief The connection state.
    State state() const;
    /// \brief The transport in use (meaningful while state() is Open).
    Transport transport() const;
    /// \brief The Engine.IO session id; empty when not open.
    QString engineId() const;

    /// \brief The socket of namespace \a nsp ("/" if empty), created on first call and then the
    /// same. Owned by the manager (a child), alive until the manager is deleted. Not opened: call
    /// ClientSocket::open().
    ClientSocket *socket(const QString &nsp = QStringLiteral("/"));

    /// \brief Opens the Engine.IO connection (sockets that are open connect their namespace).
    void open();
    /// \brief Closes the connection without reconnecting; open sockets see "io client disconnect".
    void close();

Q_SIGNALS:
    /// \brief The Engine.IO connection is open.
    void opened();
    /// \brief The Engine.IO connection closed, with engine.io-client's reason ("transport
    /// close", "transport error", "ping timeout", "parse error", "forced close").
    void closed(const QString &reason);
    /// \brief A connection attempt failed (the server unreachable, a refused handshake, timeout).
    void errorOccurred(const QString &message);
    /// \brief Reconnection attempt number \a attempt starts (socket.io's reconnect_attempt).
    void reconnectAttempted(int attempt);
    /// \brief Reconnection attempt \a attempt failed (socket.io's reconnect_error).
    void reconnectErrorOccurred(const QString &message);
    /// \brief The connection is back after \a attempt attempts (socket.io's reconnect).
    void reconnected(int attempt);
    /// \brief ManagerOptions::reconnectionAttempts attempts failed; no more tries.
    void reconnectFailed();
    /// \brief The connection moved to \a transport (after a successful upgrade).
    void transportUpgraded(SocketIo::Transport transport);
    /// \brief One Engine.IO packet written or read by this connection (upgrade probes, pings
    /// and pongs included), with its Socket.IO fields decoded and the socket id of its namespace:
    /// what the inspector's client connections log. \c Outgoing is what this client sent,
    /// \c Incoming what it received. Nothing is built while nothing is connected.
    void trafficObserved(const SocketIo::TrafficEvent &event);

private:
    friend class ClientSocket;
    friend class ClientSocketPrivate;
    friend class ManagerPrivate;
    const std::unique_ptr<ManagerPrivate> d;
};

/// \brief The client side of one namespace on a Manager's connection: socket.io-client's Socket.
///
/// Owned by its Manager. Emits made while it is not connected are buffered and sent once it
/// connects (volatile ones are dropped). Thread safety: emitEvent() and emitVolatile() may be
/// called from any thread (queued to the manager's thread, and dropped if the socket is gone by
/// then); everything else in the manager's thread.
class SOCKETIO_EXPORT ClientSocket : public QObject
{
    Q_OBJECT
public:
    /// \brief A handler for an event: its arguments and the ack the server may have asked for.
    using EventHandler = std::function<void(const QVariantList &args, const SocketIo::ClientAck &ack)>;
    /// \brief A handler whose return value answers the server's ack (when it asked for one).
    using ReplyHandler = std::function<QVariantList(const QVariantList &args)>;
    /// \brief A handler for every event (incoming with onAny(), outgoing with onAnyOutgoing()).
    using AnyHandler = std::function<void(const QString &event, const QVariantList &args)>;
    /// \brief Asked at every connect and reconnect for the CONNECT packet's auth payload.
    using AuthProvider = std::function<QVariant()>;

    ~ClientSocket() override;

    /// \brief The manager this socket belongs to (its parent).
    Manager *manager() const;
    /// \brief The namespace, e.g. "/" or "/admin".
    QString nsp() const;
    /// \brief The socket id the server gave at connect; empty when not connected.
    QString id() const;
    /// \brief Whether the namespace is connected.
    bool isConnected() const;
    /// \brief Whether the last connect recovered the previous session (socket.io-client's
    /// socket.recovered): the server has connection state recovery on, kept the same id and
    /// rooms, and sent the events missed meanwhile (handled before connected()).
    ///
    /// As socket.io-client, the socket remembers the server's private session id and the last
    /// event's offset (a server that recovers appends it to every stored event: it stays the
    /// last argument handlers see) and sends both in the CONNECT packet's auth when it
    /// reconnects.
    bool isRecovered() const;
    /// \brief Whether the socket wants to be connected (open() called, not closed or refused):
    /// it reconnects with the manager.
    bool isActive() const;

    /// \brief The auth payload of the CONNECT packet (an object: QVariantMap, QCborMap, QJsonObject).
    void setAuth(const QVariant &auth);
    /// \brief Auth asked from \a provider at every connect and reconnect (replaces setAuth()).
    void setAuthProvider(AuthProvider provider);

    /// \brief Connects the namespace (and the manager when needed).
    void open();
    /// \brief Leaves the namespace ("io client disconnect"); the manager closes when it was
    /// its last open socket.
    void close();

    /// \brief Emits \a event with \a args (QVariant JSON values; QByteArray anywhere travels as
    /// binary). False for a reserved event name (connect, connect_error, disconnect, ...).
    bool emitEvent(const QString &event, const QVariantList &args = {});
    /// \brief Emits \a event asking for an acknowledgement: \a callback runs in \a context's
    /// thread with AckStatus::Received and the server's answer, TimedOut after \a timeout (0:
    /// no timeout), or Disconnected when the socket disconnects before the answer.
    bool emitEvent(const QString &event, const QVariantList &args, QObject *context,
                   SocketIo::AckCallback callback,
                   std::chrono::milliseconds timeout = std::chrono::milliseconds(0));
    /// \brief Emits \a event asking for an acknowledgement; the future finishes with the reply.
    /// Call from the manager's thread.
    QFuture<SocketIo::AckReply> emitWithAck(const QString &event, const QVariantList &args = {},
                                            std::chrono::milliseconds timeout = std::chrono::milliseconds(0));
    /// \brief Emits \a event only if the transport can take it now: never buffered.
    bool emitVolatile(const QString &event, const QVariantList &args = {});

    /// \brief Adds \a handler for \a event, called in registration order while \a context lives.
    void on(const QString &event, QObject *context, EventHandler handler);
    /// \brief Adds \a handler for \a event; what it returns answers the ack the server asked for.
    void onRequest(const QString &event, QObject *context, ReplyHandler handler);
    /// \brief Removes every handler of \a event.
    void off(const QString &event);
    /// \brief Adds a handler for every incoming event (called before the event's handlers).
    void onAny(QObject *context, AnyHandler handler);
    /// \brief Adds a handler for every outgoing event (called when the packet is sent).
    void onAnyOutgoing(QObject *context, AnyHandler handler);

Q_SIGNALS:
    /// \brief The namespace is connected (id() is set).
    void connected();
    /// \brief The namespace is disconnected with socket.io-client's \a reason: "io server
    /// disconnect", "io client disconnect", "ping timeout", "transport close", "transport error",
    /// "parse error".
    void disconnected(const QString &reason);
    /// \brief The namespace was refused (CONNECT_ERROR: the server's \a message and \a data), or
    /// the connection failed; after a refusal the socket is inactive.
    void connectErrorOccurred(const QString &message, const QVariant &data);
    /// \brief An event arrived (after its handlers ran); \a ackId >= 0 when the server asked for
    /// an ack that no handler answered yet (answer it with sendAck()).
    void eventReceived(const QString &event, const QVariantList &args, qint64 ackId);

public:
    /// \brief Answers the server's ack \a ackId with \a args (for events seen by eventReceived()).
    void sendAck(qint64 ackId, const QVariantList &args = {});

private:
    friend class Manager;
    friend class ManagerPrivate;
    friend class ClientSocketPrivate;
    ClientSocket(Manager *manager, const QString &nsp);
    const std::unique_ptr<ClientSocketPrivate> d;
};

} // namespace SocketIo

Q_DECLARE_METATYPE(SocketIo::AckReply)
