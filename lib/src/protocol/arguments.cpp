// SPDX-License-Identifier: MIT
#include "arguments.h"

#include "json.h"
#include "msgpackpacket.h"

#include <QCborArray>
#include <QCborMap>

#include <cstring>

namespace SocketIo::Arguments {

using Protocol::SocketIoPacket;

namespace {

// socket.io-parser's reconstructPacket: any object whose _placeholder is true stands for an
// attachment (the decoder has checked num already).
const QByteArray *placeholderBytes(const QCborMap &map, const QList<QByteArray> &attachments)
{
    if (!map.value(QLatin1String("_placeholder")).isTrue())
        return nullptr;
    const qint64 num = map.value(QLatin1String("num")).toInteger(-1);
    return num >= 0 && num < attachments.size() ? &attachments.at(num) : nullptr;
}

// Inside an object: placeholders become byte-array QCborValues.
QCborValue resolved(const QCborValue &value, const QList<QByteArray> &attachments)
{
    if (value.isArray()) {
        QCborArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            const QCborValue item = array.at(i);
            if (item.isArray() || item.isMap())
                array[i] = resolved(item, attachments);
        }
        return array;
    }
    if (!value.isMap())
        return value;
    const QCborMap map = value.toMap();
    if (const QByteArray *bytes = placeholderBytes(map, attachments))
        return QCborValue(*bytes);
    QCborMap copy = map;
    for (auto it = copy.begin(); it != copy.end(); ++it) {
        const QCborValue item = it.value();
        if (item.isArray() || item.isMap())
            it.value() = resolved(item, attachments);
    }
    return copy;
}

// "<type>[<nsp>,][<id>][" of an EVENT or ACK, then the JSON of the event name and arguments.
// Binary arguments turn it into BINARY_EVENT/BINARY_ACK with "<n>-" after the type.
bool encodeText(const QString &nsp, qint64 ackId, const QString *event, const QVariantList &args,
                Encoded *out)
{
    QByteArray &text = out->text;
    const bool writeNsp = !nsp.isEmpty() && nsp != QLatin1String("/");
    // Room for the usual case in one allocation: strings take at most 6 bytes per unit.
    qsizetype estimate = 32 + (writeNsp ? nsp.size() * 3 : 0) + (event ? event->size() * 6 : 0);
    for (const QVariant &arg : args) {
        estimate += arg.typeId() == QMetaType::QString
            ? 3 + static_cast<const QString *>(arg.constData())->size() * 6
            : 24;
    }
    text.reserve(estimate);
    text.append(event ? '2' : '3');
    if (writeNsp) {
        text.append(nsp.toUtf8());
        text.append(',');
    }
    if (ackId >= 0)
        text.append(QByteArray::number(ackId));
    text.append('[');
    Protocol::Json::Writer writer(text, &out->attachments);
    if (event)
        writer.string(*event);
    for (qsizetype i = 0; i < args.size(); ++i) {
        if (i || event)
            text.append(',');
        if (!writer.variant(args.at(i)))
            return false;
    }
    text.append(']');
    if (!out->attachments.isEmpty()) {
        text[0] = event ? '5' : '6';
        text.insert(1, QByteArray::number(out->attachments.size()).append('-'));
    }
    return true;
}

} // namespace

QCborValue toCbor(const QVariant &value)
{
    switch (value.typeId()) {
    case QMetaType::QByteArray:
        return QCborValue(value.toByteArray());
    case QMetaType::QVariantList: {
        QCborArray array;
        for (const QVariant &item : *static_cast<const QVariantList *>(value.constData()))
            array.append(toCbor(item));
        return array;
    }
    case QMetaType::QVariantMap: {
        QCborMap map;
        const QVariantMap &source = *static_cast<const QVariantMap *>(value.constData());
        for (auto it = source.cbegin(); it != source.cend(); ++it)
            map.insert(it.key(), toCbor(it.value()));
        return map;
    }
    case QMetaType::QVariantHash: {
        // Keys sorted, as the writer puts them.
        const QVariantHash &hash = *static_cast<const QVariantHash *>(value.constData());
        QVariantMap sorted;
        for (auto it = hash.cbegin(); it != hash.cend(); ++it)
            sorted.insert(it.key(), it.value());
        return toCbor(sorted);
    }
    case QMetaType::UnknownType:
    case QMetaType::Nullptr:
        return QCborValue(nullptr);
    default:
        return QCborValue::fromVariant(value);
    }
}

QVariant fromCbor(const QCborValue &value, const QList<QByteArray> &attachments)
{
    switch (value.type()) {
    case QCborValue::Array:
        return fromPayload(value, attachments);
    case QCborValue::Map: {
        const QCborMap map = value.toMap();
        if (const QByteArray *bytes = placeholderBytes(map, attachments))
            return *bytes;
        return QVariant::fromValue(attachments.isEmpty() ? map : resolved(map, attachments).toMap());
    }
    case QCborValue::Integer:
        return qlonglong(value.toInteger());
    case QCborValue::Double:
        return value.toDouble();
    case QCborValue::String:
        return value.toString();
    case QCborValue::True:
        return true;
    case QCborValue::False:
        return false;
    case QCborValue::ByteArray:
        return value.toByteArray();
    default:
        return QVariant::fromValue(nullptr);
    }
}

QVariantList fromPayload(const QCborValue &array, const QList<QByteArray> &attachments)
{
    const QCborArray items = array.toArray();
    QVariantList list;
    list.reserve(items.size());
    for (const QCborValue &item : items)
        list.append(fromCbor(item, attachments));
    return list;
}

namespace {
Protocol::Msgpack::Side side(Format format)
{
    return format == Format::MsgpackClient ? Protocol::Msgpack::Side::Client
                                           : Protocol::Msgpack::Side::Server;
}
} // namespace

Encoded encode(const SocketIoPacket &packet, Format format)
{
    if (format != Format::Json)
        return { Protocol::Msgpack::encode(packet, side(format)), {}, true };
    return { Protocol::SocketIoCodec::encode(packet), packet.attachments };
}

Encoded encodeEvent(const QString &nsp, const QString &event, const QVariantList &args, qint64 ackId,
                    Format format)
{
    if (format != Format::Json)
        return { Protocol::Msgpack::encodeEvent(nsp, event, args, ackId), {}, true };
    Encoded encoded;
    if (!encodeText(nsp, ackId, &event, args, &encoded)) {
        // Nothing the writer refuses reaches here (it writes null for what JSON cannot hold).
        encoded = {};
    }
    return encoded;
}

Encoded encodeAck(const QString &nsp, qint64 ackId, const QVariantList &args, Format format)
{
    if (format != Format::Json)
        return { Protocol::Msgpack::encodeAck(nsp, ackId, args, side(format)), {}, true };
    Encoded encoded;
    if (!encodeText(nsp, ackId, nullptr, args, &encoded))
        encoded = {};
    return encoded;
}

bool decodeDirect(QByteArrayView text, Direct *out)
{
    const qsizetype size = text.size();
    if (size < 3 || (text[0] != '2' && text[0] != '3'))
        return false;
    out->isAck = text[0] == '3';
    qsizetype pos = 1;
    if (text[pos] == '/') {
        const qsizetype comma = text.indexOf(',', pos);
        if (comma < 0)
            return false;
        if (comma - pos != 1)
            out->nsp = QString::fromUtf8(text.sliced(pos, comma - pos));
        pos = comma + 1;
    }
    const qsizetype digits = pos;
    qint64 id = 0;
    while (pos < size && text[pos] >= '0' && text[pos] <= '9') {
        if (pos - digits == 15) // more than 15 digits: for the full decoder (and no overflow)
            return false;
        id = id * 10 + (text[pos++] - '0');
    }
    out->id = pos > digits ? id : -1;
    if (out->isAck && out->id < 0)
        return false;
    out->args.reserve(4);
    if (!Protocol::Json::parseArguments(text.sliced(pos), &out->args))
        return false;
    if (!out->isAck) {
        // An event names itself with a string that is not reserved (numbers: the full way).
        if (out->args.isEmpty() || out->args.first().typeId() != QMetaType::QString
            || Protocol::SocketIoCodec::isReservedEventName(
                *static_cast<const QString *>(out->args.first().constData())))
            return false;
    }
    return true;
}

} // namespace SocketIo::Arguments
