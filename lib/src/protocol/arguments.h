// SPDX-License-Identifier: MIT
#pragma once

#include "socketiopacket.h"

#include <QCborValue>
#include <QVariant>

// Socket.IO arguments: QVariants <-> the JSON of EVENT and ACK packets, keeping objects in the
// sender's order. Incoming arguments are QString, qlonglong (whole numbers up to 2^53), double,
// bool, a null QVariant (std::nullptr_t), QVariantList for arrays, QByteArray for binary
// attachments, and QCborMap for objects, Qt's map that keeps insertion order: everything inside
// an object stays a QCborValue (binary as a byte-array QCborValue). QVariant::toMap() and
// toJsonObject() convert such an object; emitting it again writes its members in their order.
// Outgoing arguments may also be QVariantMap (keys sorted), QVariantHash, QStringList and the
// QJson and QCbor types; a QByteArray anywhere travels as a binary attachment, its place held by
// {"_placeholder":true,"num":N}.
namespace SocketIo::Arguments {

// One argument as a QCborValue (QByteArray as a byte array): for handlers that want QJson or
// QCbor values.
QCborValue toCbor(const QVariant &value);
// A payload element as an argument: the placeholders of attachments resolved.
QVariant fromCbor(const QCborValue &value, const QList<QByteArray> &attachments);
// A decoded packet's payload array as arguments.
QVariantList fromPayload(const QCborValue &array, const QList<QByteArray> &attachments);

// The packet encoding of a connection (socket.io's `parser` option): socket.io-parser's JSON
// text with binary attachments, or socket.io-msgpack-parser's one binary frame, with its map
// keys in the order a server (socket.io) or a client (socket.io-client) writes them.
enum class Format : quint8 { Json, MsgpackServer, MsgpackClient };

// One packet, encoded once and written as is to any number of connections: the text frame
// and its binary attachments; or, when binary is set, one msgpack packet to send as one binary
// message (no attachments).
struct Encoded
{
    QByteArray text;
    QList<QByteArray> attachments;
    bool binary = false;
};
Encoded encode(const Protocol::SocketIoPacket &packet, Format format = Format::Json);
// EVENT (or BINARY_EVENT when args hold binary) for event with args.
Encoded encodeEvent(const QString &nsp, const QString &event, const QVariantList &args, qint64 ackId = -1,
                    Format format = Format::Json);
// ACK (or BINARY_ACK).
Encoded encodeAck(const QString &nsp, qint64 ackId, const QVariantList &args, Format format = Format::Json);

// The common inbound case read straight into QVariants: an EVENT or ACK without binary whose
// event name is a string, for any namespace. False when it is not one (or the text is
// malformed): the text is then for Protocol::SocketIoDecoder, which decides and reports errors.
// When true, args are what fromPayload() makes of the payload SocketIoDecoder would give (the
// event name first, for events), nsp and id as it would decode them.
struct Direct
{
    bool isAck = false;
    QString nsp = QStringLiteral("/");
    qint64 id = -1;
    QVariantList args;
};
bool decodeDirect(QByteArrayView text, Direct *out);

} // namespace SocketIo::Arguments
