// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/socketiopacket.h"

#include <QJsonArray>
#include <QVariant>

namespace SocketIo::Arguments {

// QVariant arguments <-> Socket.IO JSON. A QByteArray anywhere in the arguments travels as a
// binary attachment, its place held by {"_placeholder":true,"num":N}.
QJsonValue toJson(const QVariant &value, QList<QByteArray> *attachments);
QJsonArray toJson(const QVariantList &args, QList<QByteArray> *attachments);
QVariant fromJson(const QJsonValue &value, const QList<QByteArray> &attachments);
QVariantList fromJson(const QJsonArray &array, const QList<QByteArray> &attachments);

// One packet, encoded once and written as is to any number of connections: the text frame
// and its binary attachments.
struct Encoded
{
    QByteArray text;
    QList<QByteArray> attachments;
};
Encoded encode(const Protocol::SocketIoPacket &packet);
// EVENT (or BINARY_EVENT when args hold binary) for event with args.
Encoded encodeEvent(const QString &nsp, const QString &event, const QVariantList &args, qint64 ackId = -1);
// ACK (or BINARY_ACK).
Encoded encodeAck(const QString &nsp, qint64 ackId, const QVariantList &args);

// The common inbound case read straight into QVariants: an EVENT or ACK without binary, for
// any namespace, whose payload is plain enough to be read with certainty (see arguments.cpp).
// False when it is not: the text is then for Protocol::SocketIoDecoder, which decides. When
// true, args are what fromJson() makes of the payload SocketIoDecoder would give (the event
// name first, for events), nsp and id as it would decode them.
struct Direct
{
    bool isAck = false;
    QString nsp = QStringLiteral("/");
    qint64 id = -1;
    QVariantList args;
};
bool decodeDirect(QByteArrayView text, Direct *out);

} // namespace SocketIo::Arguments
