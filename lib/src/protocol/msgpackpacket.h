// SPDX-License-Identifier: MIT
#pragma once

#include "socketiopacket.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QCborValue>
#include <QVariant>

#include <optional>

// The Socket.IO packet codec of socket.io-msgpack-parser 3 (npm), wire-compatible with it: every
// packet is one msgpack map {type, data, nsp, id?} that travels as one Engine.IO binary message
// (base64 "b..." in polling payloads). Binaries stay inline as msgpack bin (no placeholders,
// no attachments, no BINARY_* types). Values are encoded as notepack.io (the npm parser's msgpack)
// encodes JS values: whole numbers as the smallest int (uint for positive), other numbers as
// float64, strings as str, binaries as bin, objects as maps in their order. Reading and writing
// go through msgpack-c (its C++ parser with a visitor, and its packer).
//
// Decoding accepts what any msgpack encoder writes and mirrors how notepack.io reads it:
// float32, uint64/int64 (above 2^63 as a double), ext -1.. (the timestamp), notepack's ext 0
// kinds (fixext 1 type 0 = undefined, fixext 8 type 0 = Date, other ext 0 = ArrayBuffer, here
// bytes; a Date becomes its ISO string, as JSON would carry it), other extensions as
// [type, bytes] (notepack's form); map keys become strings as in JS (numbers, true, false, null;
// containers, bin and ext keys are refused). Then the packet is checked as the npm parser's
// checkPacket() does: type an integer 0..4, nsp a string, id absent or an integer (here also
// >= 0 and only on events and acks, as the JSON codec), data the shape of SocketIoCodec's
// isPayloadValid (events: a non-empty array naming a string or number event).
namespace SocketIo::Protocol::Msgpack {

// Who writes: decides the order of the map's keys, as socket.io 4.8 and socket.io-client 4.8
// produce them (ACK: server id,type,data,nsp; client type,id,data,nsp). The other packets:
// EVENT type,data,id?,nsp; CONNECT type,data?,nsp; CONNECT_ERROR type,nsp,data;
// DISCONNECT type,nsp. (socket.io's own CONNECT reply also writes pid: undefined; we leave it
// out, and the client's "options" member of events, which servers ignore.)
enum class Side : quint8 { Server, Client };

// Appends one value as notepack.io encodes the JS value it stands for. Byte arrays are bin,
// Undefined and null nil, integral doubles that fit int64/uint64 integers, other doubles float64
// (NaN and infinities too), tags (dates...) their string form.
void writeValue(QByteArray &out, const QCborValue &value);

// One msgpack value filling all of bytes, read as notepack.io reads it (see above); nullopt when
// malformed, truncated, followed by more bytes or nested deeper than maxDepth.
std::optional<QCborValue> readValue(QByteArrayView bytes, int maxDepth = 256);

// The packet as one msgpack map. BinaryEvent/BinaryAck are written as EVENT/ACK (binaries are
// inline; attachments are ignored, placeholders would be written as the maps they are).
QByteArray encode(const SocketIoPacket &packet, Side side);
// EVENT with data [event, ...args] / ACK with data args, straight from arguments (the types
// Arguments::toCbor() takes).
QByteArray encodeEvent(const QString &nsp, const QString &event, const QVariantList &args, qint64 ackId);
QByteArray encodeAck(const QString &nsp, qint64 ackId, const QVariantList &args, Side side);

struct Decoded
{
    std::optional<SocketIoPacket> packet;
    SocketIoCodec::Error error = SocketIoCodec::Error::None;
    explicit operator bool() const { return packet.has_value(); }
};
// One binary message. Errors: BadMsgpack (not one well-formed msgpack value, trailing bytes,
// too deep), NotAMap, UnknownType, BadNamespace, BadAckId, InvalidPayload.
Decoded decode(QByteArrayView bytes, int maxDepth = 256);

} // namespace SocketIo::Protocol::Msgpack
