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
    connect(m_socket, &QWebSocket::bytesWritten, this, [this](qint64 bytes) { m_written += bytes; });
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

namespace {
// The allocation behind a QByteArray; null for raw data and the shared empty array. (data_ptr()
// has no const overload in Qt 6.4; it does not detach.)
const void *bufferOf(const QByteArray &bytes)
{
    return const_cast<QByteArray &>(bytes).data_ptr().d_ptr();
}

// The last text frame converted for QWebSocket (which takes text as QString). A broadcast hands
// every recipient the same implicitly shared QByteArray, so all but the first recipient reuse
// the conversion. Keyed by the shared buffer itself: the cache holds a reference to it, so while
// the key is cached its bytes cannot change (a write would detach) nor its memory be reused.
struct TextFrameCache
{
    QByteArray source; // packet data (shared with the packets that carry it)
    EnginePacket::Type type = EnginePacket::Type::Noop;
    int protocol = 0;
    QString frame;
    qsizetype size = 0; // UTF-8 bytes of the frame

    bool matches(const EnginePacket &packet, int protocol_) const
    {
        return bufferOf(packet.data) && bufferOf(packet.data) == bufferOf(source)
            && packet.data.size() == source.size() && packet.type == type && protocol == protocol_;
    }
};
thread_local TextFrameCache textFrameCache;
} // namespace

void WebSocketTransport::send(const QList<EnginePacket> &packets)
{
    for (const EnginePacket &packet : packets) {
        if (!isWritable())
            return;
        send(packet);
    }
}

void WebSocketTransport::send(const EnginePacket &packet)
{
    if (!isWritable())
        return;
    if (packet.type == EnginePacket::Type::Message && packet.binary) {
        const QByteArray frame = EngineCodec::encodeFrame(packet, m_protocol);
        m_socket->sendBinaryMessage(frame);
        m_listener->transportSent(this, packet, frame.size());
        return;
    }
    TextFrameCache &cache = textFrameCache;
    if (!cache.matches(packet, m_protocol)) {
        const QByteArray frame = EngineCodec::encodeFrame(packet, m_protocol);
        cache.frame = QString::fromUtf8(frame);
        cache.size = frame.size();
        // Only data with its own shared buffer can be a key (not fromRawData, not empty).
        cache.source = bufferOf(packet.data) ? packet.data : QByteArray();
        cache.type = packet.type;
        cache.protocol = m_protocol;
    }
    const qsizetype size = cache.size;
    m_socket->sendTextMessage(cache.frame);
    m_listener->transportSent(this, packet, size);
}

qint64 WebSocketTransport::bufferedBytes() const
{
    return m_socket->bytesToWrite();
}

void WebSocketTransport::flush()
{
    m_socket->flush();
}

void WebSocketTransport::abort()
{
    m_listener = nullListener();
    m_closed = true;
    setParent(nullptr);
    m_socket->abort();
    deleteLater();
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
