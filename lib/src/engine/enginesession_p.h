// SPDX-License-Identifier: MIT
#pragma once

#include "transport/transport.h"

#include <SocketIo/engineoptions.h>
#include <SocketIo/enginesession.h>

#include <QPointer>
#include <QTimer>

#include <memory>

QT_BEGIN_NAMESPACE
class QWebSocket;
QT_END_NAMESPACE

namespace SocketIo {

class EngineServerPrivate;
class PollingTransport;

// The session logic (engine.io's Socket): write buffer, heartbeat, upgrade, close.
class EngineSessionPrivate final : public EngineTransport::Listener
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
    void flush();
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
    bool flushScheduled = false;
    bool upgrading = false;
    bool upgraded = false;
    QTimer pingIntervalTimer;
    QTimer pingTimeoutTimer;
    QTimer upgradeTimeoutTimer;
    QTimer closeTimer; // a graceful close over polling waits this long for the next GET

private:
    void onUpgradePacket(Protocol::EnginePacket packet);
    void abortUpgrade(const QString &why);
    void schedulePing();
    void resetPingTimeout();
    void scheduleFlush();
    void observe(EngineTransport *transport, const Protocol::EnginePacket &packet, bool outgoing,
                 qint64 size);
};

} // namespace SocketIo
