// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include <optional>

namespace SocketIo::Protocol {

// One Engine.IO packet. For Message, `binary` tells whether data is binary (a QByteArray of
// raw bytes) or text (UTF-8). Other types carry text data (e.g. "probe" for ping/pong, JSON
// for open).
struct EnginePacket
{
    enum class Type : quint8 { Open = 0, Close = 1, Ping = 2, Pong = 3, Message = 4, Upgrade = 5, Noop = 6 };

    Type type = Type::Noop;
    QByteArray data;
    bool binary = false;

    static EnginePacket text(Type type, QByteArray data = {}) { return { type, std::move(data), false }; }
    static EnginePacket message(QByteArray utf8) { return { Type::Message, std::move(utf8), false }; }
    static EnginePacket binaryMessage(QByteArray bytes) { return { Type::Message, std::move(bytes), true }; }

    friend bool operator==(const EnginePacket &a, const EnginePacket &b)
    {
        return a.type == b.type && a.binary == b.binary && a.data == b.data;
    }
    friend bool operator!=(const EnginePacket &a, const EnginePacket &b) { return !(a == b); }
};

// Engine.IO v4 and v3 encodings (https://github.com/socketio/engine.io-protocol).
namespace EngineCodec {

enum class Error {
    None,
    Empty, // no bytes where a packet was expected
    UnknownType, // first character not '0'..'6' (or not a valid 'b' prefix)
    BadBase64, // "b..." with invalid base64
    BadLength, // v3 payload: length prefix missing, not a number, or past the end
    TooManyPackets, // payload holds more packets than allowed
};
const char *errorMessage(Error error);

template<typename T> struct Result
{
    std::optional<T> value;
    Error error = Error::None;
    explicit operator bool() const { return value.has_value(); }
};

// --- WebSocket frames ----------------------------------------------------------------------
// A text frame: "<type digit><data>", e.g. "4hello", "2probe". Not "b...": binary travels
// in binary frames over WebSocket.
Result<EnginePacket> decodeTextFrame(QByteArrayView frame);
// A binary frame. v4: the frame is the message data. v3: the first byte is the packet type
// (4), the rest is the data.
Result<EnginePacket> decodeBinaryFrame(QByteArrayView frame, int protocol);
// Text packets -> "<digit><data>". Binary messages -> raw bytes (v4) or 0x04 + bytes (v3);
// the caller sends those as a binary frame.
QByteArray encodeFrame(const EnginePacket &packet, int protocol);

// --- HTTP long-polling payloads -------------------------------------------------------------
// v4: packets joined by '\x1e'; a binary message is "b" + base64(data).
// v3 text payload: each packet as "<length>:<packet>", length counted in UTF-16 code units of
//   the packet string; binary message inside it "b4" + base64(data).
// v3 binary payload (Content-Type application/octet-stream, sent by clients that support
//   binary): each packet as <0 for string | 1 for binary> <length as decimal digit bytes 0..9>
//   <0xFF> <packet bytes>, where a string packet is "<digit><data>" and a binary one is
//   0x04 + data.
Result<QList<EnginePacket>> decodePayload(QByteArrayView body, int protocol, qsizetype maxPackets = 10000);
Result<QList<EnginePacket>> decodeBinaryPayloadV3(QByteArrayView body, qsizetype maxPackets = 10000);
QByteArray encodePayload(const QList<EnginePacket> &packets, int protocol);
QByteArray encodeBinaryPayloadV3(const QList<EnginePacket> &packets);

} // namespace EngineCodec
} // namespace SocketIo::Protocol
