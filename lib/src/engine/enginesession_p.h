// SPDX-License-Identifier: MIT
#pragma once

#include "sessiontimers_p.h"
#include "transport/transport.h"

#include <SocketIo/engineoptions.h>
#include <SocketIo/enginesession.h>

#include <memory>

QT_BEGIN_NAMESPACE
class QWebSocket;
QT_END_NAMESPACE

namespace SocketIo {

class EngineServerPrivate;
class PollingTransport;

// The session logic (engine.io's Socket): write buffer, heartbeat, upgrade, close.
class EngineSessionPrivate final : public EngineTransport::Listener, public SessionTimers::Client
{
public:
    EngineSessionPrivate(EngineSession *q);
    ~EngineSessionPrivate() override;

    void open(EngineServerPrivate *server, std::shared_ptr<const EngineOptions> options, QString id,
              int protocol, HttpRequest handshake, EngineTransport *transport);
    PollingTransport *pollingTransport() const;
    bool canUpgrade() const;
    void beginUpgrade(QWebSocket *socket);

    void sendPacket(Protocol::EnginePacket packet);
    qint64 bufferedBytes() const { return writeBufferBytes + (transport ? transport->bufferedBytes() : 0); }
    // Whether packet fits under maxSendBufferSize; if not, the session is closing (overflowed).
    bool admit(const Protocol::EnginePacket &packet);
    qint64 volatileThreshold() const;
    // Hands the transport's buffered bytes to the network if more came since the last try (a
    // burst written in one event-loop turn has not gone out yet; a stalled client's has no
    // chance to, and is not tried again for every message).
    void catchUp();
    void flush();
    // EngineOptions::sendTimeout, every half of it (the server's check): closes the session when
    // output has waited since the last check without any of it going out.
    void checkSendProgress(qint64 nowMs, qint64 timeoutMs);
    void closeGracefully();
    void onClose(CloseReason reason, const QString &description);

    // EngineTransport::Listener
    void transportPacket(EngineTransport *transport, Protocol::EnginePacket packet) override;
    void transportWritable(EngineTransport *transport) override;
    void transportParseError(EngineTransport *transport, const QString &description) override;
    void transportError(EngineTransport *transport, const QString &description) override;
    void transportClosed(EngineTransport *transport, const QString &description) override;
    void transportSent(EngineTransport *transport, const Protocol::EnginePacket &packet,
                       qint64 encodedSize) override;

    EngineSession *const q;
    EngineServerPrivate *server = nullptr;
    std::shared_ptr<const EngineOptions> options;
    QString id;
    int protocol = 4;
    HttpRequest handshake;
    EngineSession::State state = EngineSession::State::Opening;
    EngineTransport *transport = nullptr; // null once closed
    SocketIo::Transport transportType = SocketIo::Transport::Polling;
    EngineTransport *upgradeTransport = nullptr; // the WebSocket being probed
    QList<Protocol::EnginePacket> writeBuffer;
    qint64 writeBufferBytes = 0; // their encoded size, about
    qint64 droppedVolatile = 0;
    bool overflowed = false; // past maxSendBufferSize: closing at the next turn, sending nothing
    QString overflowDescription;
    qint64 droppedAtClose = 0; // output that never went out, freed by the close (the heap trim)
    qint64 flushedAt = -1; // bufferedBytes() after the last catchUp()
    bool flushScheduled = false;
    qint64 flushes = 0; // writeBuffer handed to the transport (a poll took it)
    qint64 progressMark = -1; // flushes + the transport's writtenBytes() at the last check
    qint64 stalledSinceMs = -1; // output waiting without progress since; -1: not stalled
    bool upgrading = false;
    bool upgraded = false;
    // On the server's SessionTimers. The heartbeat timer waits for the next ping (v4) or for the
    // peer's pong (v4) or ping (v3): one at a time.
    enum TimerKind { PingInterval, PingTimeout, UpgradeTimeout, CloseTimeout };
    SessionTimers::Timer heartbeatTimer;
    SessionTimers::Timer upgradeTimeoutTimer;
    SessionTimers::Timer closeTimer; // a graceful close over polling waits this long for the next GET

    // SessionTimers::Client
    void timerExpired(int kind) override;

private:
    void onUpgradePacket(Protocol::EnginePacket packet);
    void abortUpgrade(const QString &why);
    void schedulePing();
    void resetPingTimeout();
    void startTimer(SessionTimers::Timer &timer, std::chrono::milliseconds interval, TimerKind kind);
    void stopTimer(SessionTimers::Timer &timer);
    void scheduleFlush();
    void observe(EngineTransport *transport, const Protocol::EnginePacket &packet, bool outgoing,
                 qint64 size);
};

} // namespace SocketIo
