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

} // namespace SocketIo::Arguments
