// SPDX-License-Identifier: MIT
#include "arguments.h"

#include <QJsonObject>

namespace SocketIo::Arguments {

using Protocol::SocketIoPacket;

QJsonValue toJson(const QVariant &value, QList<QByteArray> *attachments)
{
    switch (value.typeId()) {
    case QMetaType::QByteArray: {
        QJsonObject placeholder;
        placeholder.insert(QLatin1String("_placeholder"), true);
        placeholder.insert(QLatin1String("num"), qint64(attachments->size()));
        attachments->append(value.toByteArray());
        return placeholder;
    }
    case QMetaType::QVariantList:
        return toJson(value.toList(), attachments);
    case QMetaType::QStringList:
        return QJsonArray::fromStringList(value.toStringList());
    case QMetaType::QVariantMap: {
        QJsonObject object;
        const QVariantMap map = value.toMap();
        for (auto it = map.cbegin(); it != map.cend(); ++it)
            object.insert(it.key(), toJson(it.value(), attachments));
        return object;
    }
    case QMetaType::QVariantHash: {
        QJsonObject object;
        const QVariantHash hash = value.toHash();
        for (auto it = hash.cbegin(); it != hash.cend(); ++it)
            object.insert(it.key(), toJson(it.value(), attachments));
        return object;
    }
    case QMetaType::UnknownType:
    case QMetaType::Nullptr:
        return QJsonValue::Null;
    default:
        return QJsonValue::fromVariant(value);
    }
}

QJsonArray toJson(const QVariantList &args, QList<QByteArray> *attachments)
{
    QJsonArray array;
    for (const QVariant &arg : args)
        array.append(toJson(arg, attachments));
    return array;
}

QVariant fromJson(const QJsonValue &value, const QList<QByteArray> &attachments)
{
    switch (value.type()) {
    case QJsonValue::Array:
        return fromJson(value.toArray(), attachments);
    case QJsonValue::Object: {
        const QJsonObject object = value.toObject();
        // As socket.io-parser: any object whose _placeholder is true stands for an attachment.
        if (object.value(QLatin1String("_placeholder")) == QJsonValue(true)) {
            const qint64 num = object.value(QLatin1String("num")).toInteger(-1);
            if (num >= 0 && num < attachments.size())
                return attachments.at(num);
        }
        QVariantMap map;
        for (auto it = object.constBegin(); it != object.constEnd(); ++it)
            map.insert(it.key(), fromJson(it.value(), attachments));
        return map;
    }
    default:
        return value.toVariant();
    }
}

QVariantList fromJson(const QJsonArray &array, const QList<QByteArray> &attachments)
{
    QVariantList list;
    list.reserve(array.size());
    for (const QJsonValue &value : array)
        list.append(fromJson(value, attachments));
    return list;
}

Encoded encode(const SocketIoPacket &packet)
{
    return { Protocol::SocketIoCodec::encode(packet), packet.attachments };
}

Encoded encodeEvent(const QString &nsp, const QString &event, const QVariantList &args, qint64 ackId)
{
    SocketIoPacket packet;
    packet.nsp = nsp;
    packet.id = ackId;
    QJsonArray data = toJson(args, &packet.attachments);
    data.prepend(event);
    packet.data = data;
    packet.type =
        packet.attachments.isEmpty() ? SocketIoPacket::Type::Event : SocketIoPacket::Type::BinaryEvent;
    return encode(packet);
}

Encoded encodeAck(const QString &nsp, qint64 ackId, const QVariantList &args)
{
    SocketIoPacket packet;
    packet.nsp = nsp;
    packet.id = ackId;
    packet.data = toJson(args, &packet.attachments);
    packet.type = packet.attachments.isEmpty() ? SocketIoPacket::Type::Ack : SocketIoPacket::Type::BinaryAck;
    return encode(packet);
}

} // namespace SocketIo::Arguments
