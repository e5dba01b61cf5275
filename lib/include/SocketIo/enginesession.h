// SPDX-License-Identifier: MIT
#pragma once

#include <SocketIo/httpmessage.h>
#include <SocketIo/socketioglobal.h>

#include <QObject>

#include <memory>

namespace SocketIo {

class EngineServer;
class EngineSessionPrivate;

// One Engine.IO client connection (engine.io's Socket), whatever its transport. Created and
// owned by EngineServer; deleted after closed() has been emitted.
class SOCKETIO_EXPORT EngineSession : public QObject
{
    Q_OBJECT
public:
    enum class State { Opening, Open, Closing, Closed };
    Q_ENUM(State)

    ~EngineSession() override;

    QString id() const;
    int protocolVersion() const; // 4, or 3 for EIO=3 clients
    Transport transport() const; // the current one
    bool isUpgraded() const; // moved from polling to WebSocket
    State state() const;
    // The request that opened the session (headers, query, remote address).
    const HttpRequest &handshake() const;
    QHostAddress remoteAddress() const;
    // Whether a message sent now goes out at once (WebSocket, or a poll is waiting) and the
    // client keeps up: false while more than a quarter of EngineOptions::maxSendBufferSize
    // waits for it.
    bool isWritable() const;
    // Bytes waiting to be written to this client: its WebSocket's write buffer, or the packets
    // waiting for its next poll. Bounded by EngineOptions::maxSendBufferSize (plus one message).
    qint64 bytesToWrite() const;
    // Volatile messages dropped by sendVolatileText() since the session opened.
    qint64 droppedVolatileCount() const;

    // Queue a message; packets are flushed in order at the next event-loop turn. Ignored once
    // closing.
    void sendText(const QByteArray &utf8);
    void sendText(const QString &text) { sendText(text.toUtf8()); }
    void sendBinary(const QByteArray &data);
    // As sendText(), unless isWritable() is false: then the message is dropped, counted in
    // droppedVolatileCount() and false returned (socket.io's volatile emits).
    bool sendVolatileText(const QByteArray &utf8);

    // Flushes what is queued, then closes the session (reason ForcedClose).
    void close();

Q_SIGNALS:
    void textMessageReceived(const QByteArray &utf8);
    void binaryMessageReceived(const QByteArray &data);
    void upgrading(SocketIo::Transport to);
    void upgraded(SocketIo::Transport to);
    void heartbeat(); // a pong (v4) or ping (v3) arrived
    // Emitted once. Do not delete the session yourself; the server does. A session whose client
    // stopped reading closes with CloseReason::SendBufferFull (see EngineOptions::maxSendBufferSize).
    void closed(SocketIo::CloseReason reason, const QString &description);

private:
    friend class EngineServerPrivate;
    friend class EngineSessionPrivate;
    explicit EngineSession(QObject *parent);
    const std::unique_ptr<EngineSessionPrivate> d;
};

} // namespace SocketIo
