// SPDX-License-Identifier: MIT
#include "socketiopacket.h"

#include "json.h"

#include <QCborArray>
#include <QCborMap>

#include <cmath>
#include <limits>

// Socket.IO v5 packet codec, after the socket.io-protocol README and the decoder of
// socket.io-parser 4.x (decodeString, isPayloadValid, reconstructPacket).

namespace SocketIo::Protocol {

namespace {

using Type = SocketIoPacket::Type;
using Error = SocketIoCodec::Error;
using Decoded = SocketIoCodec::Decoded;

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

bool isBinaryType(Type type)
{
    return type == Type::BinaryEvent || type == Type::BinaryAck;
}

// Only events and acks take part in acknowledgements, so only they carry an ack id.
bool canCarryId(Type type)
{
    return type == Type::Event || type == Type::Ack || isBinaryType(type);
}

// Reads the decimal digits at text[pos...]; returns the position after them. *value is the
// number, or -1 when it is above max (any digit count is scanned without overflow).
qsizetype scanNumber(QByteArrayView text, qsizetype pos, qint64 max, qint64 *value)
{
    qint64 v = 0;
    bool over = false;
    for (; pos < text.size() && isDigit(text[pos]); ++pos) {
        const int d = text[pos] - '0';
        if (over || d > max || v > (max - d) / 10) // v * 10 + d > max, without overflow
            over = true;
        else
            v = v * 10 + d;
    }
    *value = over ? -1 : v;
    return pos;
}

// JSON.stringify of the payload, compact; null and undefined data write no payload, as
// socket.io-parser does.
QByteArray toJson(const QCborValue &data)
{
    QByteArray json;
    if (data.isNull() || data.isUndefined())
        return json;
    Json::Writer writer(json);
    if (!writer.value(data))
        json.clear();
    return json;
}

// {"_placeholder":true,"num":N}: socket.io-parser's reconstructPacket takes an object whose
// _placeholder is exactly true as a placeholder (other keys ignored) and requires
// 0 <= num < attachment count; we also require num to be an integer.
bool placeholdersValidIn(const QCborValue &value, int attachmentCount)
{
    if (value.isArray()) {
        const QCborArray array = value.toArray();
        for (const QCborValue &item : array) {
            if (!placeholdersValidIn(item, attachmentCount))
                return false;
        }
        return true;
    }
    if (!value.isMap())
        return true;
    const QCborMap object = value.toMap();
    if (object.value(QLatin1String("_placeholder")).isTrue()) {
        const QCborValue num = object.value(QLatin1String("num"));
        if (num.isInteger())
            return num.toInteger() >= 0 && num.toInteger() < attachmentCount;
        if (!num.isDouble())
            return false;
        const double n = num.toDouble();
        return n >= 0 && n < attachmentCount && std::floor(n) == n;
    }
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        if (!placeholdersValidIn(it.value(), attachmentCount))
            return false;
    }
    return true;
}

Decoded failure(Error error)
{
    Decoded result;
    result.error = error;
    return result;
}

// socket.io-parser decodeString: "<type>[<n>-][<nsp>,][<id>][<json>]". A count above
// maxAttachments fails with overLimit (the decoder reports its own limit distinctly).
Decoded decodeText(QByteArrayView text, int maxAttachments, Error overLimit)
{
    if (text.isEmpty())
        return failure(Error::Empty);
    const char typeChar = text.front();
    if (typeChar < '0' || typeChar > '6')
        return failure(Error::UnknownType);

    SocketIoPacket packet;
    packet.type = Type(typeChar - '0');
    const qsizetype size = text.size();
    qsizetype pos = 1;

    // Binary types: "<n>-", n a positive number of attachments.
    qint64 attachments = 0;
    if (isBinaryType(packet.type)) {
        const qsizetype end = scanNumber(text, pos, qMax(maxAttachments, 0), &attachments);
        if (end == pos || end == size || text[end] != '-' || attachments == 0)
            return failure(Error::BadAttachmentCount);
        if (attachments < 0)
            return failure(overLimit);
        pos = end + 1;
    }

    // Namespace: only when the next character is '/'; it runs to ',' or to the end.
    if (pos < size && text[pos] == '/') {
        const qsizetype comma = text.indexOf(',', pos);
        const qsizetype end = comma < 0 ? size : comma;
        const QByteArrayView nsp = text.sliced(pos, end - pos);
        if (nsp.size() != 1) // "/" is the default already
            packet.nsp = QString::fromUtf8(nsp);
        pos = comma < 0 ? size : comma + 1;
    }

    // Ack id: the digits that follow; anything else starts the JSON payload.
    if (pos < size && isDigit(text[pos])) {
        if (!canCarryId(packet.type))
            return failure(Error::BadAckId);
        qint64 id;
        pos = scanNumber(text, pos, std::numeric_limits<qint64>::max(), &id);
        if (id < 0)
            return failure(Error::BadAckId);
        packet.id = id;
    }

    if (pos < size) {
        auto data = Json::parse(text.sliced(pos));
        if (!data)
            return failure(Error::BadJson);
        packet.data = std::move(*data);
    }
    // Unlike socket.io-parser we check the shape also when the payload is missing: an event
    // or ack without one is as unusable as one with a wrong payload.
    if (!SocketIoCodec::isPayloadValid(packet.type, packet.data))
        return failure(Error::InvalidPayload);

    Decoded result;
    result.packet = std::move(packet);
    result.expectedAttachments = int(attachments);
    return result;
}

} // namespace

namespace SocketIoCodec {

const char *errorMessage(Error error)
{
    switch (error) {
    case Error::None:
        return "";
    case Error::Empty:
        return "empty packet";
    case Error::UnknownType:
        return "unknown packet type";
    case Error::BadAttachmentCount:
        return "illegal attachments";
    case Error::BadNamespace:
        return "invalid namespace";
    case Error::BadAckId:
        return "invalid ack id";
    case Error::BadJson:
        return "invalid JSON payload";
    case Error::InvalidPayload:
        return "invalid payload";
    case Error::UnexpectedBinary:
        return "got binary data when not reconstructing a packet";
    case Error::TooManyAttachments:
        return "too many attachments";
    case Error::AttachmentTooLarge:
        return "attachments too large";
    case Error::BadPlaceholder:
        return "invalid attachment placeholder";
    case Error::BadMsgpack:
        return "invalid msgpack";
    case Error::NotAMap:
        return "packet is not a map";
    case Error::UnexpectedText:
        return "got a text frame, the msgpack parser expects binary frames";
    }
    return "unknown error";
}

QByteArray encode(const SocketIoPacket &packet)
{
    const bool binary = isBinaryType(packet.type);
    const bool writeNsp = !packet.nsp.isEmpty() && packet.nsp != QLatin1String("/");
    const QByteArray json = toJson(packet.data);

    QByteArray out;
    out.reserve(1 + (binary ? 12 : 0) + (writeNsp ? packet.nsp.size() * 3 + 1 : 0) + (packet.hasId() ? 20 : 0)
                + json.size());
    out.append(char('0' + int(packet.type)));
    if (binary) {
        out.append(QByteArray::number(packet.attachments.size()));
        out.append('-');
    }
    if (writeNsp) {
        out.append(packet.nsp.toUtf8());
        out.append(',');
    }
    if (packet.hasId())
        out.append(QByteArray::number(packet.id));
    out.append(json);
    return out;
}

Decoded decode(QByteArrayView text, int maxAttachments)
{
    return decodeText(text, maxAttachments, Error::BadAttachmentCount);
}

bool isReservedEventName(QStringView name)
{
    // socket.io-parser RESERVED_EVENTS
    return name == QLatin1String("connect") || name == QLatin1String("connect_error")
        || name == QLatin1String("disconnect") || name == QLatin1String("disconnecting")
        || name == QLatin1String("newListener") || name == QLatin1String("removeListener");
}

bool isPayloadValid(SocketIoPacket::Type type, const QCborValue &data)
{
    switch (type) {
    case Type::Connect:
        return data.isMap() || data.isUndefined();
    case Type::Disconnect:
        return data.isUndefined();
    case Type::ConnectError:
        return data.isMap() || data.isString();
    case Type::Event:
    case Type::BinaryEvent: {
        if (!data.isArray())
            return false;
        const QCborArray args = data.toArray();
        if (args.isEmpty())
            return false;
        const QCborValue name = args.first();
        return name.isInteger() || name.isDouble()
            || (name.isString() && !SocketIoCodec::isReservedEventName(name.toString()));
    }
    case Type::Ack:
    case Type::BinaryAck:
        return data.isArray();
    }
    return false;
}

bool placeholdersValid(const QCborValue &data, int attachmentCount)
{
    return placeholdersValidIn(data, attachmentCount);
}

} // namespace SocketIoCodec

// --- SocketIoDecoder --------------------------------------------------------------------------
// socket.io-parser Decoder.add + BinaryReconstructor: a Binary* text frame announces n
// attachments, the next n binary frames are they. After an error the decoder is idle again
// (any pending packet is dropped); the caller is expected to close the connection.

SocketIoDecoder::SocketIoDecoder() = default;

SocketIoDecoder::SocketIoDecoder(Limits limits)
    : m_limits(limits)
{ }

SocketIoDecoder::Status SocketIoDecoder::addText(QByteArrayView text)
{
    m_ready.reset();
    m_error = SocketIoCodec::Error::None;
    if (m_pending) {
        // "got plaintext data when reconstructing a packet": the announced count was wrong.
        reset();
        m_error = SocketIoCodec::Error::BadAttachmentCount;
        return Status::Error;
    }
    auto decoded = decodeText(text, m_limits.maxAttachments, SocketIoCodec::Error::TooManyAttachments);
    if (!decoded) {
        m_error = decoded.error;
        return Status::Error;
    }
    if (decoded.expectedAttachments == 0) {
        m_ready = std::move(decoded.packet);
        return Status::Packet;
    }
    // Placeholders depend only on the count, so check them now rather than after buffering
    // the attachments (reconstructPacket would fail on them at the end).
    if (!SocketIoCodec::placeholdersValid(decoded.packet->data, decoded.expectedAttachments)) {
        m_error = SocketIoCodec::Error::BadPlaceholder;
        return Status::Error;
    }
    m_pending = std::move(decoded.packet);
    m_expected = decoded.expectedAttachments;
    m_attachmentBytes = 0;
    // The count comes from the peer: never reserve more than a few entries on its word.
    m_pending->attachments.reserve(qMin(m_expected, 16));
    return Status::NeedMore;
}

SocketIoDecoder::Status SocketIoDecoder::addBinary(const QByteArray &data)
{
    m_ready.reset();
    m_error = SocketIoCodec::Error::None;
    if (!m_pending) {
        m_error = SocketIoCodec::Error::UnexpectedBinary;
        return Status::Error;
    }
    if (data.size() > m_limits.maxAttachmentBytes - m_attachmentBytes) {
        reset();
        m_error = SocketIoCodec::Error::AttachmentTooLarge;
        return Status::Error;
    }
    m_attachmentBytes += data.size();
    m_pending->attachments.append(data);
    if (m_pending->attachments.size() < m_expected)
        return Status::NeedMore;
    m_ready = std::move(m_pending);
    m_pending.reset();
    m_expected = 0;
    m_attachmentBytes = 0;
    return Status::Packet;
}

SocketIoPacket SocketIoDecoder::takePacket()
{
    SocketIoPacket packet = m_ready ? std::move(*m_ready) : SocketIoPacket();
    m_ready.reset();
    return packet;
}

void SocketIoDecoder::reset()
{
    m_pending.reset();
    m_ready.reset();
    m_expected = 0;
    m_attachmentBytes = 0;
    m_error = SocketIoCodec::Error::None;
}

} // namespace SocketIo::Protocol
