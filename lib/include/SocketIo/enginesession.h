// SPDX-License-Identifier: MIT
#pragma once

#include <SocketIo/httpmessage.h>
#include <SocketIo/socketioglobal.h>

#include <QObject>

#include <memory>

/// \file
/// \brief EngineSession: one Engine.IO client connection.

namespace SocketIo {

class EngineServer;
class EngineSessionPrivate;

/// \brief One Engine.IO client connection (engine.io's Socket), whatever its transport.
///
/// Created and owned by EngineServer; deleted after closed() has been emitted.
///
/// Thread safety: it lives in its server's thread; call it from that thread only.
class SOCKETIO_EXPORT EngineSession : public QObject
{
    Q_OBJECT
public:
    /// \brief The session's life cycle.
    /// - `Opening`: being set up, before EngineServer::sessionOpened()
    /// - `Open`: messages flow
    /// - `Closing`: close() was called; what was queued is being sent
    /// - `Closed`: over; closed() has been emitted
    enum class State { Opening, Open, Closing, Closed };
    Q_ENUM(State)

    /// \brief Destroys the session; the server does it after closed().
    ~EngineSession() override;

    /// \brief The session id (`sid`), unique in the server.
    QString id() const;
    /// \brief The Engine.IO protocol version: 4, or 3 for EIO=3 clients.
    int protocolVersion() const; // 4, or 3 for EIO=3 clients
    /// \brief The current transport.
    Transport transport() const; // the current one
    /// \brief Whether the session moved from polling to WebSocket.
    bool isUpgraded() const; // moved from polling to WebSocket
    /// \brief The current State.
    State state() const;
    /// \brief The request that opened the session (headers, query, remote address).
    const HttpRequest &handshake() const;
    /// \brief The client's address (that of the handshake request).
    QHostAddress remoteAddress() const;
    /// \brief Whether a message sent now goes out at once (WebSocket, or a poll is waiting) and the
    /// client keeps up: false while more than a quarter of EngineOptions::maxSendBufferSize
    /// waits for it.
    bool isWritable() const;
    /// \brief Bytes waiting to be written to this client: its WebSocket's write buffer, or the
    /// packets waiting for its next poll. Bounded by EngineOptions::maxSendBufferSize (plus one
    /// message).
    qint64 bytesToWrite() const;
    /// \brief Volatile messages dropped by sendVolatileText() since the session opened.
    qint64 droppedVolatileCount() const;

    /// \brief Sends a text message (UTF-8). Packets go out in order: over WebSocket at once,
    /// in polling those of one event-loop turn in one response. Ignored unless the session is
    /// Open.
    void sendText(const QByteArray &utf8);
    /// \overload
    void sendText(const QString &text) { sendText(text.toUtf8()); }
    /// \brief Sends a binary message, as sendText() does.
    void sendBinary(const QByteArray &data);
    /// \brief As sendText(), unless isWritable() is false: then the message is dropped, counted
    /// in droppedVolatileCount() and false returned (socket.io's volatile emits).
    bool sendVolatileText(const QByteArray &utf8);
    /// \brief As sendBinary(), dropped as sendVolatileText() drops text (the msgpack parser's
    /// volatile emits).
    bool sendVolatileBinary(const QByteArray &data);

    /// \brief Flushes what is queued, then closes the session (reason ForcedClose).
    void close();

Q_SIGNALS:
    /// \brief A text message arrived (its UTF-8 bytes).
    void textMessageReceived(const QByteArray &utf8);
    /// \brief A binary message arrived.
    void binaryMessageReceived(const QByteArray &data);
    /// \brief The client probed the WebSocket transport (`2probe`); the upgrade is under way.
    void upgrading(SocketIo::Transport to);
    /// \brief The upgrade completed: the session now uses \a to.
    void upgraded(SocketIo::Transport to);
    /// \brief A pong (v4) or ping (v3) arrived.
    void heartbeat(); // a pong (v4) or ping (v3) arrived
    /// \brief The session ended, with the reason and a description (may be empty). Emitted
    /// once. Do not delete the session yourself; the server does. A session whose client
    /// stopped reading closes with CloseReason::SendBufferFull (see
    /// EngineOptions::maxSendBufferSize).
    void closed(SocketIo::CloseReason reason, const QString &description);

private:
    friend class EngineServerPrivate;
    friend class EngineSessionPrivate;
    explicit EngineSession(QObject *parent);
    const std::unique_ptr<EngineSessionPrivate> d;
};

} // namespace SocketIo
