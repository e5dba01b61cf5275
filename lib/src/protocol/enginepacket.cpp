// SPDX-License-Identifier: MIT
#include "enginepacket.h"

#include <cstring>

// Engine.IO packet and payload codecs, after the engine.io-protocol README (v4) and the
// engine.io-parser 2.x encoding used by Engine.IO v3 clients.

namespace SocketIo::Protocol::EngineCodec {

namespace {

constexpr char RecordSeparator = '\x1e'; // v4 payload separator
constexpr quint8 V3StringMarker = 0; // v3 binary payload: string packet follows
constexpr quint8 V3BinaryMarker = 1; // v3 binary payload: binary packet follows
constexpr quint8 V3LengthEnd = 0xff; // v3 binary payload: end of the decimal length digits
constexpr int MaxLengthDigits = 18; // fits a qint64 without overflow

template<typename T> Result<T> failure(Error error)
{
    Result<T> r;
    r.error = error;
    return r;
}

bool isV3(int protocol)
{
    return protocol == 3;
}

bool isBinaryMessage(const EnginePacket &packet)
{
    // Only messages carry binary data; any other type is always written as text.
    return packet.binary && packet.type == EnginePacket::Type::Message;
}

char typeDigit(EnginePacket::Type type)
{
    return char('0' + int(type));
}

std::optional<EnginePacket::Type> typeFromDigit(char c)
{
    if (c < '0' || c > '6')
        return std::nullopt;
    return EnginePacket::Type(c - '0');
}

QByteArray toByteArray(QByteArrayView view)
{
    return QByteArray(view.data(), view.size());
}

// Standard base64, strict: any character outside the alphabet fails.
Result<EnginePacket> decodeBase64Message(QByteArrayView base64)
{
    // A single leftover character (6 bits) cannot encode a byte: not base64 at all.
    if (base64.size() % 4 == 1)
        return failure<EnginePacket>(Error::BadBase64);
    // The rvalue overload decodes in place, so this is the only allocation.
    auto decoded = QByteArray::fromBase64Encoding(
        toByteArray(base64), QByteArray::Base64Encoding | QByteArray::AbortOnBase64DecodingErrors);
    if (decoded.decodingStatus != QByteArray::Base64DecodingStatus::Ok)
        return failure<EnginePacket>(Error::BadBase64);
    return { EnginePacket::binaryMessage(std::move(decoded.decoded)), Error::None };
}

// "<digit><data>", the text form shared by WebSocket frames and both payload formats.
Result<EnginePacket> decodeTypedText(QByteArrayView text)
{
    if (text.isEmpty())
        return failure<EnginePacket>(Error::Empty);
    const auto type = typeFromDigit(text.front());
    if (!type)
        return failure<EnginePacket>(Error::UnknownType);
    return { EnginePacket::text(*type, toByteArray(text.sliced(1))), Error::None };
}

// One packet inside a v4 payload: "<digit><data>" or "b<base64>".
Result<EnginePacket> decodeV4PayloadPacket(QByteArrayView text)
{
    if (!text.isEmpty() && text.front() == 'b')
        return decodeBase64Message(text.sliced(1));
    return decodeTypedText(text);
}

// One packet inside a v3 payload: "<digit><data>" or "b4<base64>" (only messages are binary).
Result<EnginePacket> decodeV3PayloadPacket(QByteArrayView text)
{
    if (!text.isEmpty() && text.front() == 'b') {
        if (text.size() < 2 || text[1] != typeDigit(EnginePacket::Type::Message))
            return failure<EnginePacket>(Error::UnknownType);
        return decodeBase64Message(text.sliced(2));
    }
    return decodeTypedText(text);
}

// --- UTF-16 length of UTF-8 text (v3 "<len>:" prefixes) ------------------------------------
// Walks whole UTF-8 sequences. A well-formed sequence counts as the UTF-16 code units it
// decodes to (2 for code points above U+FFFF); every byte of a malformed sequence counts as
// one unit (one replacement character). The walk depends only on the bytes of a sequence, so
// the length of a packet measured alone equals the length measured inside a payload.

bool isContinuation(uchar c)
{
    return (c & 0xc0) == 0x80;
}

// Byte length of the sequence at p (avail > 0 bytes available); sets units.
int utf8Sequence(const uchar *p, qsizetype avail, int *units)
{
    const uchar c = p[0];
    *units = 1;
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        return (avail >= 2 && isContinuation(p[1])) ? 2 : 1;
    if (c >= 0xe0 && c <= 0xef) {
        if (avail < 3 || !isContinuation(p[2]))
            return 1;
        const uchar lo = c == 0xe0 ? 0xa0 : 0x80; // no overlongs
        const uchar hi = c == 0xed ? 0x9f : 0xbf; // no surrogates
        return (p[1] >= lo && p[1] <= hi) ? 3 : 1;
    }
    if (c >= 0xf0 && c <= 0xf4) {
        if (avail < 4 || !isContinuation(p[2]) || !isContinuation(p[3]))
            return 1;
        const uchar lo = c == 0xf0 ? 0x90 : 0x80; // no overlongs
        const uchar hi = c == 0xf4 ? 0x8f : 0xbf; // not above U+10FFFF
        if (p[1] < lo || p[1] > hi)
            return 1;
        *units = 2;
        return 4;
    }
    return 1;
}

qsizetype utf16Length(QByteArrayView utf8)
{
    const auto *p = reinterpret_cast<const uchar *>(utf8.data());
    const qsizetype n = utf8.size();
    qsizetype units = 0;
    for (qsizetype i = 0; i < n;) {
        int u;
        i += utf8Sequence(p + i, n - i, &u);
        units += u;
    }
    return units;
}

// Number of bytes at the start of utf8 that hold exactly `units` UTF-16 code units, or -1 when
// the text is shorter or the count ends inside a surrogate pair.
qsizetype utf8BytesForUtf16Units(QByteArrayView utf8, qint64 units)
{
    const auto *p = reinterpret_cast<const uchar *>(utf8.data());
    const qsizetype n = utf8.size();
    qsizetype i = 0;
    while (units > 0) {
        if (i >= n)
            return -1;
        int u;
        i += utf8Sequence(p + i, n - i, &u);
        units -= u;
    }
    return units == 0 ? i : -1;
}

// Decimal digits (ASCII '0'..'9', or raw byte values 0..9 with rawDigits) -> value, or -1.
qint64 parseLength(QByteArrayView digits, bool rawDigits)
{
    if (digits.isEmpty() || digits.size() > MaxLengthDigits)
        return -1;
    qint64 value = 0;
    for (const char ch : digits) {
        const int d = rawDigits ? int(uchar(ch)) : int(uchar(ch)) - '0';
        if (d < 0 || d > 9)
            return -1;
        value = value * 10 + d;
    }
    return value;
}

// v3 text form of a packet: "<digit><data>" or "b4<base64>".
QByteArray encodeV3PayloadPacket(const EnginePacket &packet)
{
    QByteArray out;
    if (isBinaryMessage(packet)) {
        const QByteArray base64 = packet.data.toBase64();
        out.reserve(2 + base64.size());
        out.append("b4", 2);
        out.append(base64);
        return out;
    }
    out.reserve(1 + packet.data.size());
    out.append(typeDigit(packet.type));
    out.append(packet.data);
    return out;
}

void appendV3BinaryEntry(QByteArray &out, quint8 marker, qsizetype length)
{
    out.append(char(marker));
    const QByteArray digits = QByteArray::number(length);
    for (const char d : digits)
        out.append(char(d - '0'));
    out.append(char(V3LengthEnd));
}

} // namespace

const char *errorMessage(Error error)
{
    switch (error) {
    case Error::None:
        return "";
    case Error::Empty:
        return "empty packet";
    case Error::UnknownType:
        return "unknown packet type";
    case Error::BadBase64:
        return "invalid base64 data";
    case Error::BadLength:
        return "invalid packet length";
    case Error::TooManyPackets:
        return "too many packets in payload";
    }
    return "unknown error";
}

// --- WebSocket frames ----------------------------------------------------------------------

Result<EnginePacket> decodeTextFrame(QByteArrayView frame)
{
    // Binary never travels as "b..." text over WebSocket: 'b' is an unknown type here.
    return decodeTypedText(frame);
}

Result<EnginePacket> decodeBinaryFrame(QByteArrayView frame, int protocol)
{
    if (!isV3(protocol)) // v4: the whole frame is the message data (possibly empty)
        return { EnginePacket::binaryMessage(toByteArray(frame)), Error::None };
    // v3: type byte (4 for message, a raw byte, not the digit) then the data.
    if (frame.isEmpty())
        return failure<EnginePacket>(Error::Empty);
    if (uchar(frame.front()) != uchar(EnginePacket::Type::Message))
        return failure<EnginePacket>(Error::UnknownType);
    return { EnginePacket::binaryMessage(toByteArray(frame.sliced(1))), Error::None };
}

QByteArray encodeFrame(const EnginePacket &packet, int protocol)
{
    QByteArray out;
    if (isBinaryMessage(packet)) {
        if (!isV3(protocol))
            return packet.data;
        out.reserve(1 + packet.data.size());
        out.append(char(EnginePacket::Type::Message));
    } else {
        out.reserve(1 + packet.data.size());
        out.append(typeDigit(packet.type));
    }
    out.append(packet.data);
    return out;
}

// --- HTTP long-polling payloads -------------------------------------------------------------

Result<QList<EnginePacket>> decodePayload(QByteArrayView body, int protocol, qsizetype maxPackets)
{
    using PacketList = QList<EnginePacket>;
    if (body.isEmpty())
        return failure<PacketList>(Error::Empty);

    PacketList packets;
    const char *const data = body.data();
    const qsizetype size = body.size();

    if (!isV3(protocol)) {
        // v4: "<packet>\x1e<packet>..."; an empty packet (also a trailing separator) is an error.
        qsizetype pos = 0;
        while (true) {
            const void *sep = std::memchr(data + pos, RecordSeparator, size_t(size - pos));
            const qsizetype end = sep ? static_cast<const char *>(sep) - data : size;
            if (packets.size() >= maxPackets)
                return failure<PacketList>(Error::TooManyPackets);
            auto packet = decodeV4PayloadPacket(body.sliced(pos, end - pos));
            if (!packet)
                return failure<PacketList>(packet.error);
            packets.append(std::move(*packet.value));
            if (!sep)
                break;
            pos = end + 1;
        }
        return { std::move(packets), Error::None };
    }

    // v3: "<len>:<packet><len>:<packet>...", len in UTF-16 code units. "0:" is an empty entry
    // (the reference encodes an empty list that way) and yields no packet.
    qsizetype pos = 0;
    while (pos < size) {
        const void *colon = std::memchr(data + pos, ':', size_t(size - pos));
        if (!colon)
            return failure<PacketList>(Error::BadLength);
        const qsizetype colonPos = static_cast<const char *>(colon) - data;
        const qint64 units = parseLength(body.sliced(pos, colonPos - pos), false);
        if (units < 0)
            return failure<PacketList>(Error::BadLength);
        const qsizetype start = colonPos + 1;
        const qsizetype bytes = utf8BytesForUtf16Units(body.sliced(start), units);
        if (bytes < 0)
            return failure<PacketList>(Error::BadLength);
        if (bytes > 0) {
            if (packets.size() >= maxPackets)
                return failure<PacketList>(Error::TooManyPackets);
            auto packet = decodeV3PayloadPacket(body.sliced(start, bytes));
            if (!packet)
                return failure<PacketList>(packet.error);
            packets.append(std::move(*packet.value));
        }
        pos = start + bytes;
    }
    return { std::move(packets), Error::None };
}

Result<QList<EnginePacket>> decodeBinaryPayloadV3(QByteArrayView body, qsizetype maxPackets)
{
    using PacketList = QList<EnginePacket>;
    if (body.isEmpty())
        return failure<PacketList>(Error::Empty);

    PacketList packets;
    const char *const data = body.data();
    const qsizetype size = body.size();
    qsizetype pos = 0;
    while (pos < size) {
        // <0 string | 1 binary> <length digits as bytes 0..9> 0xFF <packet bytes>
        const quint8 marker = quint8(data[pos]);
        if (marker != V3StringMarker && marker != V3BinaryMarker)
            return failure<PacketList>(Error::BadLength);
        const qsizetype digitsStart = pos + 1;
        const void *end = std::memchr(data + digitsStart, char(V3LengthEnd), size_t(size - digitsStart));
        if (!end)
            return failure<PacketList>(Error::BadLength);
        const qsizetype endPos = static_cast<const char *>(end) - data;
        const qint64 length = parseLength(body.sliced(digitsStart, endPos - digitsStart), true);
        const qsizetype start = endPos + 1;
        if (length < 0 || length > size - start)
            return failure<PacketList>(Error::BadLength);
        if (packets.size() >= maxPackets)
            return failure<PacketList>(Error::TooManyPackets);
        const QByteArrayView bytes = body.sliced(start, qsizetype(length));
        Result<EnginePacket> packet;
        if (marker == V3StringMarker) {
            packet = decodeV3PayloadPacket(bytes);
        } else if (bytes.isEmpty()) {
            packet.error = Error::Empty;
        } else if (uchar(bytes.front()) != uchar(EnginePacket::Type::Message)) {
            packet.error = Error::UnknownType;
        } else {
            packet.value = EnginePacket::binaryMessage(toByteArray(bytes.sliced(1)));
        }
        if (!packet)
            return failure<PacketList>(packet.error);
        packets.append(std::move(*packet.value));
        pos = start + qsizetype(length);
    }
    return { std::move(packets), Error::None };
}

QByteArray encodePayload(const QList<EnginePacket> &packets, int protocol)
{
    QByteArray out;
    if (!isV3(protocol)) {
        qsizetype total = packets.isEmpty() ? 0 : packets.size() - 1;
        for (const EnginePacket &p : packets)
            total += 1 + (isBinaryMessage(p) ? (p.data.size() + 2) / 3 * 4 : p.data.size());
        out.reserve(total);
        for (const EnginePacket &p : packets) {
            if (!out.isEmpty())
                out.append(RecordSeparator);
            if (isBinaryMessage(p)) {
                out.append('b');
                out.append(p.data.toBase64());
            } else {
                out.append(typeDigit(p.type));
                out.append(p.data);
            }
        }
        return out;
    }

    if (packets.isEmpty())
        return QByteArrayLiteral("0:"); // as engine.io-parser 2.x encodes an empty list
    for (const EnginePacket &p : packets) {
        const QByteArray encoded = encodeV3PayloadPacket(p);
        out.append(QByteArray::number(utf16Length(encoded)));
        out.append(':');
        out.append(encoded);
    }
    return out;
}

QByteArray encodeBinaryPayloadV3(const QList<EnginePacket> &packets)
{
    QByteArray out;
    for (const EnginePacket &p : packets) {
        if (isBinaryMessage(p)) {
            appendV3BinaryEntry(out, V3BinaryMarker, 1 + p.data.size());
            out.append(char(EnginePacket::Type::Message));
        } else {
            appendV3BinaryEntry(out, V3StringMarker, 1 + p.data.size());
            out.append(typeDigit(p.type));
        }
        out.append(p.data);
    }
    return out;
}

} // namespace SocketIo::Protocol::EngineCodec
