// SPDX-License-Identifier: MIT
// What tst_arguments and fuzz_socketioarguments check Arguments' direct JSON paths against: the
// old QJsonDocument encoder, and a type-identical QVariant comparison (same types, doubles bit
// for bit) with a readable dump for failures. Include after socketio/arguments.h.
#pragma once

#include "protocol/socketiopacket.h"
#include "socketio/arguments.h"

#include <QByteArray>
#include <QJsonArray>
#include <QVariant>
#include <QVariantList>
#include <QVariantMap>

#include <cstring>

namespace SocketIoTest {

// The type and value of v, recursively, for failure messages.
inline QByteArray describe(const QVariant &v)
{
    QByteArray out = v.metaType().name() ? QByteArray(v.metaType().name()) : QByteArray("<invalid>");
    switch (v.typeId()) {
    case QMetaType::QVariantList: {
        out += '[';
        const QVariantList list = v.toList();
        for (qsizetype i = 0; i < list.size(); ++i)
            out += (i ? ", " : "") + describe(list.at(i));
        return out + ']';
    }
    case QMetaType::QVariantMap: {
        out += '{';
        const QVariantMap map = v.toMap();
        bool first = true;
        for (auto it = map.cbegin(); it != map.cend(); ++it) {
            out += (first ? "" : ", ") + it.key().toUtf8().toHex() + ": " + describe(it.value());
            first = false;
        }
        return out + '}';
    }
    case QMetaType::Double:
        return out + '(' + QByteArray::number(v.toDouble(), 'g', 17) + ')';
    case QMetaType::QString:
        return out + "(\"" + v.toString().toUtf8().toPercentEncoding(" ") + "\")";
    case QMetaType::QByteArray:
        return out + '(' + v.toByteArray().toHex() + ')';
    default:
        return out + '(' + v.toString().toUtf8() + ')';
    }
}

// Same type and value, recursively; doubles bit for bit.
inline bool sameVariant(const QVariant &a, const QVariant &b)
{
    if (a.typeId() != b.typeId())
        return false;
    switch (a.typeId()) {
    case QMetaType::UnknownType:
    case QMetaType::Nullptr:
        return true;
    case QMetaType::Double: {
        const double x = a.toDouble();
        const double y = b.toDouble();
        return std::memcmp(&x, &y, sizeof x) == 0;
    }
    case QMetaType::QString:
        return a.toString() == b.toString();
    case QMetaType::QVariantList: {
        const QVariantList x = a.toList();
        const QVariantList y = b.toList();
        if (x.size() != y.size())
            return false;
        for (qsizetype i = 0; i < x.size(); ++i) {
            if (!sameVariant(x.at(i), y.at(i)))
                return false;
        }
        return true;
    }
    case QMetaType::QVariantMap: {
        const QVariantMap x = a.toMap();
        const QVariantMap y = b.toMap();
        if (x.keys() != y.keys())
            return false;
        for (auto it = x.cbegin(); it != x.cend(); ++it) {
            if (!sameVariant(it.value(), y.value(it.key())))
                return false;
        }
        return true;
    }
    default:
        return a == b;
    }
}

// The bytes and attachments the old path gives: toJson() -> SocketIoCodec::encode, i.e.
// QJsonDocument Compact (an ACK when event is null).
inline SocketIo::Arguments::Encoded oldEncode(const QString &nsp, const QString *event, qint64 id,
                                              const QVariantList &args)
{
    using SocketIo::Protocol::SocketIoPacket;
    SocketIoPacket packet;
    packet.nsp = nsp;
    packet.id = id;
    QJsonArray data = SocketIo::Arguments::toJson(args, &packet.attachments);
    if (event)
        data.prepend(*event);
    packet.data = data;
    if (event)
        packet.type =
            packet.attachments.isEmpty() ? SocketIoPacket::Type::Event : SocketIoPacket::Type::BinaryEvent;
    else
        packet.type =
            packet.attachments.isEmpty() ? SocketIoPacket::Type::Ack : SocketIoPacket::Type::BinaryAck;
    return { SocketIo::Protocol::SocketIoCodec::encode(packet), packet.attachments };
}

} // namespace SocketIoTest
