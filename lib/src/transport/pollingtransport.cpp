// SPDX-License-Identifier: MIT
#include "pollingtransport.h"

#include "logging_p.h"

#include <zlib.h>

namespace SocketIo {

using namespace Protocol;

namespace {

enum class Encoding { Gzip, Deflate };

// RFC 1952 (gzip) or RFC 1950 (HTTP "deflate" is zlib-wrapped) compression of a whole body.
QByteArray compress(QByteArrayView data, Encoding encoding)
{
    z_stream stream{};
    const int windowBits = encoding == Encoding::Gzip ? 15 + 16 : 15;
    if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return {};
    QByteArray out(qsizetype(deflateBound(&stream, uLong(data.size()))), Qt::Uninitialized);
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.data()));
    stream.avail_in = uInt(data.size());
    stream.next_out = reinterpret_cast<Bytef *>(out.data());
    stream.avail_out = uInt(out.size());
    const int rc = deflate(&stream, Z_FINISH);
    const auto produced = qsizetype(stream.total_out);
    deflateEnd(&stream);
    if (rc != Z_STREAM_END)
        return {};
    out.truncate(produced);
    return out;
}

QByteArray acceptedEncoding(const HttpRequestHead &head)
{
    const QByteArray accept = head.header("accept-encoding").toLower();
    if (accept.contains("gzip"))
        return QByteArrayLiteral("gzip");
    if (accept.contains("deflate"))
        return QByteArrayLiteral("deflate");
    return {};
}

bool queryHasKey(QByteArrayView query, QByteArrayView key)
{
    for (QByteArrayView part : QByteArray::fromRawData(query.data(), query.size()).split('&')) {
        const qsizetype eq = part.indexOf('=');
        if ((eq < 0 ? part : part.first(eq)) == key)
            return true;
    }
    return false;
}

} // namespace

PollingTransport::PollingTransport(int protocol, const Settings &settings, Listener *listener,
                                   QObject *parent)
    : EngineTransport(protocol, listener, parent)
    , m_settings(settings)
{ }

PollingTransport::~PollingTransport()
{
    if (m_poll)
        m_poll->disconnect(this);
}

void PollingTransport::handlePoll(HttpConnection *connection, const HttpRequestHead &head,
                                  HttpHeaders responseHeaders)
{
    if (m_poll) {
        // engine.io: "request overlap". The session closes, which answers the parked GET with a
        // close packet; this one gets 400.
        qCInfo(lcTransport) << "overlapping GET from" << connection->peerAddress();
        connection->respond(400, responseHeaders, {});
        m_listener->transportError(this, QStringLiteral("overlap from client"));
        return;
    }
    if (m_closed) {
        connection->respond(400, responseHeaders, {});
        return;
    }
    m_poll = connection;
    m_pollHeaders = std::move(responseHeaders);
    m_pollEncoding = m_settings.compression ? acceptedEncoding(head) : QByteArray();
    if (m_protocol == 3)
        m_supportsBinary = !queryHasKey(head.query, "b64");
    connect(connection, &HttpConnection::aborted, this, &PollingTransport::onPollAborted);
    m_listener->transportWritable(this);
}

void PollingTransport::handleData(HttpConnection *connection, const HttpRequestHead &head,
                                  const QByteArray &body, HttpHeaders responseHeaders)
{
    const bool binaryPayload =
        m_protocol == 3 && head.header("content-type").startsWith("application/octet-stream");
    auto decoded = binaryPayload ? EngineCodec::decodeBinaryPayloadV3(body)
                                 : EngineCodec::decodePayload(body, m_protocol);
    if (!decoded) {
        responseHeaders.append({ QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json") });
        connection->respond(400, responseHeaders, R"({"code":3,"message":"Bad request"})");
        m_listener->transportParseError(this, QString::fromLatin1(EngineCodec::errorMessage(decoded.error)));
        return;
    }
    responseHeaders.append({ QByteArrayLiteral("Content-Type"), QByteArrayLiteral("text/html") });
    connection->respond(200, responseHeaders, "ok");

    for (EnginePacket &packet : *decoded.value) {
        if (m_closed)
            return;
        if (packet.type == EnginePacket::Type::Close) {
            // The client closes: a parked GET gets a noop so it returns (engine.io polling onClose).
            clientClosed();
            return;
        }
        m_listener->transportPacket(this, std::move(packet));
    }
}

void PollingTransport::send(const QList<EnginePacket> &packets)
{
    if (!isWritable() || packets.isEmpty())
        return;
    const bool binary = m_protocol == 3 && m_supportsBinary
        && std::any_of(packets.cbegin(), packets.cend(), [](const EnginePacket &p) { return p.binary; });
    QByteArray body = binary ? EngineCodec::encodeBinaryPayloadV3(packets)
                             : EngineCodec::encodePayload(packets, m_protocol);
    const qint64 bodySize = body.size();
    respondPoll(std::move(body),
                binary ? QByteArrayLiteral("application/octet-stream")
                       : QByteArrayLiteral("text/plain; charset=UTF-8"));
    // Only now: a listener may react to a close packet by closing this transport.
    for (const EnginePacket &packet : packets) {
        const qint64 size =
            packets.size() == 1 ? bodySize : EngineCodec::encodeFrame(packet, m_protocol).size();
        m_listener->transportSent(this, packet, size);
    }
}

void PollingTransport::respondPoll(QByteArray body, const QByteArray &contentType)
{
    HttpConnection *connection = m_poll;
    m_poll = nullptr;
    connection->disconnect(this);
    HttpHeaders headers = std::exchange(m_pollHeaders, {});
    headers.append({ QByteArrayLiteral("Content-Type"), contentType });
    headers.append({ QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store") });
    if (!m_pollEncoding.isEmpty() && body.size() >= m_settings.compressionThreshold) {
        QByteArray compressed = compress(body, m_pollEncoding == "gzip" ? Encoding::Gzip : Encoding::Deflate);
        if (!compressed.isEmpty()) {
            headers.append({ QByteArrayLiteral("Content-Encoding"), m_pollEncoding });
            body = std::move(compressed);
        }
    }
    headers.append({ QByteArrayLiteral("Vary"), QByteArrayLiteral("Accept-Encoding") });
    connection->respond(200, headers, body);
}

void PollingTransport::discard()
{
    if (isWritable())
        send({ EnginePacket::text(EnginePacket::Type::Noop) });
    m_closed = true;
}

void PollingTransport::close()
{
    if (m_closed)
        return;
    if (isWritable())
        send({ EnginePacket::text(EnginePacket::Type::Close) });
    m_closed = true;
}

void PollingTransport::clientClosed()
{
    if (isWritable())
        send({ EnginePacket::text(EnginePacket::Type::Noop) });
    m_closed = true;
    m_listener->transportClosed(this, {});
}

void PollingTransport::onPollAborted()
{
    m_poll = nullptr;
    if (m_closed)
        return;
    m_listener->transportError(this, QStringLiteral("poll connection closed prematurely"));
}

} // namespace SocketIo
