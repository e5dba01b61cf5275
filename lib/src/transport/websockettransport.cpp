// SPDX-License-Identifier: MIT
#include "websockettransport.h"

#include "logging_p.h"

#include <QTimer>
#include <QWebSocket>

namespace SocketIo {

using namespace Protocol;

WebSocketTransport::WebSocketTransport(QWebSocket *socket, int protocol, qint64 maxMessageSize,
                                       Listener *listener, QObject *parent)
    : EngineTransport(protocol, listener, parent)
    , m_socket(socket)
    , m_maxMessageSize(maxMessageSize)
{
    m_socket->setParent(this);
    // A message larger than this closes the connection with 1009 (CloseCodeTooMuchData).
    m_socket->setMaxAllowedIncomingMessageSize(quint64(maxMessageSize));
    m_socket->setMaxAllowedIncomingFrameSize(quint64(maxMessageSize));
    connect(m_socket, &QWebSocket::textMessageReceived, this, &WebSocketTransport::onText);
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, &WebSocketTransport::onBinary);
    connect(m_socket, &QWebSocket::disconnected, this, &WebSocketTransport::onDisconnected);
}

WebSocketTransport::~WebSocketTransport()
{
    if (m_socket)
        m_socket->disconnect(this);
}

bool WebSocketTransport::isWritable() const
{
    return !m_closed && m_socket->state() == QAbstractSocket::ConnectedState;
}

void WebSocketTransport::send(const QList<EnginePacket> &packets)
{
    for (const EnginePacket &packet : packets) {
        if (!isWritable())
            return;
        const QByteArray frame = EngineCodec::encodeFrame(packet, m_protocol);
        if (packet.type == EnginePacket::Type::Message && packet.binary)
            m_socket->sendBinaryMessage(frame);
        else
            m_socket->sendTextMessage(QString::fromUtf8(frame));
        m_listener->transportSent(this, packet, frame.size());
    }
}

void WebSocketTransport::close()
{
    m_listener = nullListener();
    if (m_closed) {
        deleteLater();
        return;
    }
    m_closed = true;
    // Outlive the session until the close handshake is done, so queued frames still go out.
    setParent(nullptr);
    if (m_socket->state() == QAbstractSocket::UnconnectedState) {
        deleteLater();
        return;
    }
    connect(m_socket, &QWebSocket::disconnected, this, &QObject::deleteLater);
    QTimer::singleShot(std::chrono::seconds(5), this, [this] {
        m_socket->abort();
        deleteLater();
    });
    m_socket->close(QWebSocketProtocol::CloseCodeNormal);
}

void WebSocketTransport::onText(const QString &message)
{
    if (m_closed)
        return;
    const QByteArray frame = message.toUtf8();
    auto result = EngineCodec::decodeTextFrame(frame);
    if (!result) {
        m_listener->transportParseError(this, QString::fromLatin1(EngineCodec::errorMessage(result.error)));
        return;
    }
    m_listener->transportPacket(this, std::move(*result.value));
}

void WebSocketTransport::onBinary(const QByteArray &message)
{
    if (m_closed)
        return;
    auto result = EngineCodec::decodeBinaryFrame(message, m_protocol);
    if (!result) {
        m_listener->transportParseError(this, QString::fromLatin1(EngineCodec::errorMessage(result.error)));
        return;
    }
    m_listener->transportPacket(this, std::move(*result.value));
}

void WebSocketTransport::onDisconnected()
{
    if (m_closed)
        return;
    m_closed = true;
    QString description;
    const auto code = m_socket->closeCode();
    if (code == QWebSocketProtocol::CloseCodeTooMuchData)
        description =
            QStringLiteral("message larger than maxHttpBufferSize (%1 bytes)").arg(m_maxMessageSize);
    else if (code != QWebSocketProtocol::CloseCodeNormal && !m_socket->closeReason().isEmpty())
        description = m_socket->closeReason();
    if (code == QWebSocketProtocol::CloseCodeTooMuchData)
        m_listener->transportError(this, description);
    else
        m_listener->transportClosed(this, description);
}

} // namespace SocketIo
