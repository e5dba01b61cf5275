// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QCborValue>
#include <QList>
#include <QString>

#include <optional>

namespace SocketIo::Protocol {

// One Socket.IO v5 packet (https://github.com/socketio/socket.io-protocol), as it travels:
// the JSON payload still holds {"_placeholder":true,"num":N} objects where binary attachments
// go; `attachments` holds those buffers in order. The payload is a QCborValue so that objects
// keep their members in the sender's order (see json.h): QJsonObject would sort them.
struct SocketIoPacket
{
    enum class Type : quint8 {
        Connect = 0,
        Disconnect = 1,
        Event = 2,
        Ack = 3,
        ConnectError = 4,
        BinaryEvent = 5,
        BinaryAck = 6,
    };

    Type type = Type::Event;
    QString nsp = QStringLiteral("/");
    qint64 id = -1; // ack id; -1 when none
    QCborValue data; // Undefined when the packet has no payload
    QList<QByteArray> attachments;

    bool hasId() const { return id >= 0; }
    friend bool operator==(const SocketIoPacket &a, const SocketIoPacket &b)
    {
        return a.type == b.type && a.nsp == b.nsp && a.id == b.id && a.data == b.data
            && a.attachments == b.attachments;
    }
};

namespace SocketIoCodec {

enum class Error {
    None,
    Empty,
    UnknownType, // first character not '0'..'6'
    BadAttachmentCount, // BINARY_* without "<n>-", or n not a number, or above the limit
    BadNamespace, // namespace not starting with '/' (after the optional "<n>-")
    BadAckId, // digits that overflow, or an id on a packet type that cannot carry one
    BadJson, // payload is not valid JSON
    InvalidPayload, // JSON of the wrong shape for the type (see socket.io-parser isPayloadValid)
    UnexpectedBinary, // a binary frame when no attachment is expected
    TooManyAttachments, // more attachments than the decoder allows
    AttachmentTooLarge, // the attachments' total size is above the decoder's limit
    BadPlaceholder, // a placeholder num out of range when reconstructing
    BadMsgpack, // msgpack parser: not one well-formed msgpack value (or nested too deep)
    NotAMap, // msgpack parser: the value is not a map {type, data, nsp, id?}
    UnexpectedText, // msgpack parser: a text frame (every packet is a binary frame)
};
const char *errorMessage(Error error);

// Encodes the text part: "<type>[<n>-][<nsp>,][<id>][<json>]". The namespace is written only
// when it is not "/". For BinaryEvent/BinaryAck, n is attachments.size(). Payload validity is
// the caller's business.
QByteArray encode(const SocketIoPacket &packet);

// Decodes a text frame. For Binary* packets, the result carries the expected attachment count
// in expectedAttachments and no attachments yet.
struct Decoded
{
    std::optional<SocketIoPacket> packet;
    int expectedAttachments = 0;
    Error error = Error::None;
    explicit operator bool() const { return packet.has_value(); }
};
Decoded decode(QByteArrayView text, int maxAttachments = 10);

// Payload shape rules of socket.io-parser 4 (isPayloadValid):
//   Connect: object or no payload; Disconnect: no payload; ConnectError: object or string;
//   Event/BinaryEvent: non-empty array whose first element is a string (not a reserved event
//   name: connect, connect_error, disconnect, disconnecting, newListener, removeListener) or a
//   number; Ack/BinaryAck: array.
bool isPayloadValid(SocketIoPacket::Type type, const QCborValue &data);

// The event names socket.io reserves (socket.io-parser RESERVED_EVENTS): connect,
// connect_error, disconnect, disconnecting, newListener, removeListener. An EVENT carrying one
// does not decode, and the server refuses to emit one on every path (socket.io throws; we log).
// The one list of the project: every check calls this.
bool isReservedEventName(QStringView name);

// Binary cannot live in a QJsonValue, so packets keep the {"_placeholder":true,"num":N}
// objects and the library resolves them when it converts arguments. This checks that every
// Packets keep the {"_placeholder":true,"num":N} objects as they travelled, and the library
// resolves them when it converts arguments. This checks that every
// placeholder in data is well formed and refers to one of attachmentCount attachments.
bool placeholdersValid(const QCborValue &data, int attachmentCount);

} // namespace SocketIoCodec

// Reassembles a Binary* packet from its text frame and the binary frames that follow.
// Pure and incremental; one per Engine.IO session.
class SocketIoDecoder
{
public:
    struct Limits
    {
        int maxAttachments = 10;
        qint64 maxAttachmentBytes = 1000000; // sum over one packet
    };
    enum class Status { Packet, NeedMore, Error };

    // Two constructors: a `Limits limits = {}` default argument does not compile, as Limits'
    // member initializers are not usable before the end of this class (C++17 [class.mem]).
    SocketIoDecoder();
    explicit SocketIoDecoder(Limits limits);

    // A text frame. Packet: take it with takePacket(). NeedMore: binary frames must follow.
    // A text frame while attachments are awaited is an error (as in socket.io-parser).
    Status addText(QByteArrayView text);
    // A binary frame (an attachment).
    Status addBinary(const QByteArray &data);

    SocketIoPacket takePacket();
    SocketIoCodec::Error error() const { return m_error; }
    bool isAwaitingAttachments() const { return m_pending.has_value(); }
    void reset();

private:
    Limits m_limits;
    std::optional<SocketIoPacket> m_pending;
    std::optional<SocketIoPacket> m_ready;
    int m_expected = 0;
    qint64 m_attachmentBytes = 0;
    SocketIoCodec::Error m_error = SocketIoCodec::Error::None;
};

} // namespace SocketIo::Protocol
