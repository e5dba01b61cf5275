// SPDX-License-Identifier: MIT
// What tst_arguments and fuzz_socketioarguments check Arguments' direct JSON paths against: the
// old QJsonDocument encoder, and a type-identical QVariant comparison (same types, doubles bit
// for bit) with a readable dump for failures. Include after socketio/arguments.h.
#pragma once

#include "protocol/arguments.h"
#include "protocol/json.h"
#include "protocol/socketiopacket.h"

#include <QByteArray>
#include <QCborArray>
#include <QCborMap>
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
    case QMetaType::QCborMap: {
        QByteArray json;
        SocketIo::Protocol::Json::Writer(json).value(v.value<QCborMap>());
        return out + json;
    }
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
    case QMetaType::QCborMap:
        // Order-sensitive: members must come in the same order.
        return a.value<QCborMap>() == b.value<QCborMap>();
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

// The bytes and attachments of the QCborValue path: the arguments as QCborValues
// (Arguments::toCbor), written by Json::Writer::value() into SocketIoCodec's frame (an ACK when
// event is null). The direct path (Json::Writer::variant()) must give the same.
inline SocketIo::Arguments::Encoded oldEncode(const QString &nsp, const QString *event, qint64 id,
                                              const QVariantList &args)
{
    using SocketIo::Protocol::SocketIoPacket;
    QCborArray data;
    if (event)
        data.append(*event);
    for (const QVariant &arg : args)
        data.append(SocketIo::Arguments::toCbor(arg));
    SocketIo::Arguments::Encoded out;
    QByteArray json;
    SocketIo::Protocol::Json::Writer(json, &out.attachments).value(data);
    const bool binary = !out.attachments.isEmpty();
    out.text = QByteArray::number(event ? (binary ? 5 : 2) : (binary ? 6 : 3));
    if (binary)
        out.text += QByteArray::number(out.attachments.size()) + '-';
    if (!nsp.isEmpty() && nsp != QLatin1String("/"))
        out.text += nsp.toUtf8() + ',';
    if (id >= 0)
        out.text += QByteArray::number(id);
    out.text += json;
    return out;
}

} // namespace SocketIoTest
