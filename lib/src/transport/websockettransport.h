// SPDX-License-Identifier: MIT
#pragma once

#include "transport.h"

QT_BEGIN_NAMESPACE
class QWebSocket;
QT_END_NAMESPACE

namespace SocketIo {

// Engine.IO over one QWebSocket: a text frame per text packet, a binary frame per binary message.
class WebSocketTransport final : public EngineTransport
{
    Q_OBJECT
public:
    // Takes ownership of socket.
    WebSocketTransport(QWebSocket *socket, int protocol, qint64 maxMessageSize, Listener *listener,
                       QObject *parent);
    ~WebSocketTransport() override;

    SocketIo::Transport type() const override { return SocketIo::Transport::WebSocket; }
    bool isWritable() const override;
    void send(const QList<Protocol::EnginePacket> &packets) override;
    void send(const Protocol::EnginePacket &packet) override;
    qint64 bufferedBytes() const override;
    qint64 writtenBytes() const override { return m_written; }
    void flush() override;
    void close() override;
    void abort() override;

private:
    void onText(const QString &message);
    void onBinary(const QByteArray &message);
    void onDisconnected();

    QWebSocket *m_socket;
    qint64 m_maxMessageSize;
    qint64 m_written = 0;
};

} // namespace SocketIo
