// SPDX-License-Identifier: MIT
#include "redismessage.h"

#include <QCborArray>
#include <QCborMap>
#include <QCborStreamWriter>
#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>
#include <limits>
#include <msgpack.hpp>
#include <string_view>

namespace SocketIo::Redis {

namespace {

constexpr int maxDepth = 64;

void pack(msgpack::packer<msgpack::sbuffer> &packer, const QVariant &value, int depth)
{
    if (depth > maxDepth) {
        packer.pack_nil();
        return;
    }
    switch (value.typeId()) {
    case QMetaType::UnknownType:
    case QMetaType::Nullptr:
        packer.pack_nil();
        return;
    case QMetaType::Bool:
        value.toBool() ? packer.pack_true() : packer.pack_false();
        return;
    case QMetaType::Int:
    case QMetaType::Long:
    case QMetaType::LongLong:
    case QMetaType::Short:
    case QMetaType::Char:
    case QMetaType::SChar:
        packer.pack_int64(value.toLongLong());
        return;
    case QMetaType::UInt:
    case QMetaType::ULong:
    case QMetaType::ULongLong:
    case QMetaType::UShort:
    case QMetaType::UChar:
        packer.pack_uint64(value.toULongLong());
        return;
    case QMetaType::Float:
    case QMetaType::Double: {
        const double d = value.toDouble();
        // As notepack.io writes JS numbers: whole numbers as integers.
        if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) < 9007199254740992.0) {
            if (d >= 0)
                packer.pack_uint64(quint64(d));
            else
                packer.pack_int64(qint64(d));
        } else {
            packer.pack_double(d);
        }
        return;
    }
    case QMetaType::QByteArray: {
        const QByteArray bytes = value.toByteArray();
        packer.pack_bin(uint32_t(bytes.size()));
        packer.pack_bin_body(bytes.constData(), uint32_t(bytes.size()));
        return;
    }
    case QMetaType::QString: {
        const QByteArray utf8 = value.toString().toUtf8();
        packer.pack_str(uint32_t(utf8.size()));
        packer.pack_str_body(utf8.constData(), uint32_t(utf8.size()));
        return;
    }
    case QMetaType::QDateTime:
        // As JSON would carry it (socket.io-parser turns dates into strings too).
        pack(packer, value.toDateTime().toString(Qt::ISODateWithMs), depth);
        return;
    case QMetaType::QStringList:
    case QMetaType::QVariantList: {
        const QVariantList list = value.toList();
        packer.pack_array(uint32_t(list.size()));
        for (const QVariant &item : list)
            pack(packer, item, depth + 1);
        return;
    }
    case QMetaType::QVariantMap:
    case QMetaType::QVariantHash: {
        const QVariantMap map = value.toMap();
        packer.pack_map(uint32_t(map.size()));
        for (auto it = map.cbegin(); it != map.cend(); ++it) {
            pack(packer, it.key(), depth + 1);
            pack(packer, it.value(), depth + 1);
        }
        return;
    }
    case QMetaType::QCborValue:
    case QMetaType::QCborMap:
    case QMetaType::QCborArray: {
        // Objects keep their members' order (a QCborMap is what clients' objects arrive as).
        const QCborValue cbor = value.value<QCborValue>();
        if (cbor.isMap()) {
            const QCborMap map = cbor.toMap();
            packer.pack_map(uint32_t(map.size()));
            for (auto it = map.cbegin(); it != map.cend(); ++it) {
                pack(packer, it.key().isString() ? it.key().toString() : it.key().toVariant().toString(),
                     depth + 1);
                pack(packer, QVariant::fromValue(QCborValue(it.value())), depth + 1);
            }
        } else if (cbor.isArray()) {
            const QCborArray array = cbor.toArray();
            packer.pack_array(uint32_t(array.size()));
            for (const QCborValue &item : array)
                pack(packer, QVariant::fromValue(item), depth + 1);
        } else if (cbor.isByteArray()) {
            pack(packer, cbor.toByteArray(), depth);
        } else if (cbor.isInteger()) {
            packer.pack_int64(cbor.toInteger());
        } else if (cbor.isNull() || cbor.isUndefined()) {
            packer.pack_nil();
        } else {
            pack(packer, cbor.toVariant(), depth);
        }
        return;
    }
    case QMetaType::QJsonValue:
    case QMetaType::QJsonObject:
    case QMetaType::QJsonArray:
    case QMetaType::QJsonDocument:
        pack(packer, value.value<QJsonValue>().toVariant(), depth);
        return;
    default:
        if (value.canConvert<QString>())
            pack(packer, value.toString(), depth);
        else
            packer.pack_nil();
        return;
    }
}

std::optional<QVariant> convert(const msgpack::object &object, int depth)
{
    if (depth > maxDepth)
        return std::nullopt;
    switch (object.type) {
    case msgpack::type::NIL:
        return QVariant::fromValue(nullptr);
    case msgpack::type::BOOLEAN:
        return QVariant(object.via.boolean);
    case msgpack::type::POSITIVE_INTEGER:
        if (object.via.u64 <= quint64(std::numeric_limits<qint64>::max()))
            return QVariant(qint64(object.via.u64));
        return QVariant(quint64(object.via.u64));
    case msgpack::type::NEGATIVE_INTEGER:
        return QVariant(qint64(object.via.i64));
    case msgpack::type::FLOAT32:
    case msgpack::type::FLOAT64:
        return QVariant(double(object.via.f64));
    case msgpack::type::STR:
        return QVariant(QString::fromUtf8(object.via.str.ptr, qsizetype(object.via.str.size)));
    case msgpack::type::BIN:
        return QVariant(QByteArray(object.via.bin.ptr, qsizetype(object.via.bin.size)));
    case msgpack::type::EXT: {
        const auto &ext = object.via.ext;
        if (ext.type() == -1) { // timestamp: what notepack.io makes of a Date
            const auto *p = reinterpret_cast<const unsigned char *>(ext.data());
            const auto be = [p](int from, int n) {
                quint64 v = 0;
                for (int i = 0; i < n; ++i)
                    v = (v << 8) | p[from + i];
                return v;
            };
            qint64 seconds = 0;
            quint64 nanos = 0;
            if (ext.size == 4) {
                seconds = qint64(be(0, 4));
            } else if (ext.size == 8) {
                const quint64 v = be(0, 8);
                nanos = v >> 34;
                seconds = qint64(v & 0x3ffffffffULL);
            } else if (ext.size == 12) {
                nanos = be(0, 4);
                seconds = qint64(be(4, 8));
            } else {
                return std::nullopt;
            }
            if (nanos >= 1000000000ULL || seconds > 253402300799LL || seconds < -62135596800LL)
                return std::nullopt;
            return QVariant(
                QDateTime::fromMSecsSinceEpoch(seconds * 1000 + qint64(nanos / 1000000), Qt::UTC));
        }
        if (ext.type() == 0 && ext.size <= 1) // undefined, as older notepack.io wrote it
            return QVariant::fromValue(nullptr);
        return QVariant(QByteArray(ext.data(), qsizetype(ext.size)));
    }
    case msgpack::type::ARRAY: {
        QVariantList list;
        list.reserve(qsizetype(object.via.array.size));
        for (uint32_t i = 0; i < object.via.array.size; ++i) {
            auto item = convert(object.via.array.ptr[i], depth + 1);
            if (!item)
                return std::nullopt;
            list.append(std::move(*item));
        }
        return QVariant(list);
    }
    case msgpack::type::MAP: {
        QVariantMap map;
        for (uint32_t i = 0; i < object.via.map.size; ++i) {
            const msgpack::object_kv &kv = object.via.map.ptr[i];
            QString key;
            if (kv.key.type == msgpack::type::STR)
                key = QString::fromUtf8(kv.key.via.str.ptr, qsizetype(kv.key.via.str.size));
            else if (kv.key.type == msgpack::type::POSITIVE_INTEGER)
                key = QString::number(kv.key.via.u64);
            else if (kv.key.type == msgpack::type::NEGATIVE_INTEGER)
                key = QString::number(kv.key.via.i64);
            else
                return std::nullopt;
            auto item = convert(kv.val, depth + 1);
            if (!item)
                return std::nullopt;
            map.insert(key, std::move(*item));
        }
        return QVariant(map);
    }
    }
    return std::nullopt;
}

// A msgpack value written to a CBOR stream, maps in their order: what objects of event
// arguments become (QCborMap keeps the order; building one by insert() is quadratic).
bool writeCbor(QCborStreamWriter &writer, const msgpack::object &object, int depth)
{
    if (depth > maxDepth)
        return false;
    switch (object.type) {
    case msgpack::type::NIL:
        writer.append(nullptr);
        return true;
    case msgpack::type::BOOLEAN:
        writer.append(object.via.boolean);
        return true;
    case msgpack::type::POSITIVE_INTEGER:
        if (object.via.u64 <= quint64(std::numeric_limits<qint64>::max()))
            writer.append(qint64(object.via.u64));
        else
            writer.append(double(object.via.u64));
        return true;
    case msgpack::type::NEGATIVE_INTEGER:
        writer.append(qint64(object.via.i64));
        return true;
    case msgpack::type::FLOAT32:
    case msgpack::type::FLOAT64:
        writer.append(double(object.via.f64));
        return true;
    case msgpack::type::STR:
        writer.appendTextString(object.via.str.ptr, qsizetype(object.via.str.size));
        return true;
    case msgpack::type::BIN:
        writer.appendByteString(object.via.bin.ptr, qsizetype(object.via.bin.size));
        return true;
    case msgpack::type::EXT: {
        // A date as JSON carries it; other extensions as bytes (as convert() does).
        const auto v = convert(object, depth);
        if (!v)
            return false;
        if (v->typeId() == QMetaType::QDateTime)
            writer.append(v->toDateTime().toString(Qt::ISODateWithMs));
        else if (v->typeId() == QMetaType::QByteArray)
            writer.append(v->toByteArray());
        else
            writer.append(nullptr);
        return true;
    }
    case msgpack::type::ARRAY:
        writer.startArray(quint64(object.via.array.size));
        for (uint32_t i = 0; i < object.via.array.size; ++i) {
            if (!writeCbor(writer, object.via.array.ptr[i], depth + 1))
                return false;
        }
        writer.endArray();
        return true;
    case msgpack::type::MAP:
        writer.startMap(quint64(object.via.map.size));
        for (uint32_t i = 0; i < object.via.map.size; ++i) {
            const msgpack::object_kv &kv = object.via.map.ptr[i];
            if (kv.key.type == msgpack::type::STR)
                writer.appendTextString(kv.key.via.str.ptr, qsizetype(kv.key.via.str.size));
            else if (kv.key.type == msgpack::type::POSITIVE_INTEGER)
                writer.append(QString::number(kv.key.via.u64));
            else if (kv.key.type == msgpack::type::NEGATIVE_INTEGER)
                writer.append(QString::number(kv.key.via.i64));
            else
                return false;
            if (!writeCbor(writer, kv.val, depth + 1))
                return false;
        }
        writer.endMap();
        return true;
    }
    return false;
}

// One event argument: as convert() but objects become QCborMaps that keep their members' order,
// with everything inside them as QCborValues (the types the server gives a client's arguments).
std::optional<QVariant> convertArgument(const msgpack::object &object, int depth)
{
    if (object.type == msgpack::type::ARRAY) {
        QVariantList list;
        list.reserve(qsizetype(object.via.array.size));
        for (uint32_t i = 0; i < object.via.array.size; ++i) {
            auto item = convertArgument(object.via.array.ptr[i], depth + 1);
            if (!item)
                return std::nullopt;
            list.append(std::move(*item));
        }
        return QVariant(list);
    }
    if (object.type != msgpack::type::MAP)
        return convert(object, depth);
    QByteArray buffer;
    {
        QCborStreamWriter writer(&buffer);
        if (!writeCbor(writer, object, depth))
            return std::nullopt;
    }
    QCborParserError error;
    const QCborValue value = QCborValue::fromCbor(buffer, &error);
    if (error.error != QCborError::NoError || !value.isMap())
        return std::nullopt;
    return QVariant::fromValue(value.toMap());
}

// The event arguments of a broadcast, read again from the message with their objects in order:
// [uid, {data: [event, ...args], ...}, opts].
std::optional<QVariantList> orderedEventArguments(const QByteArray &data)
{
    const std::size_t size = std::size_t(data.size());
    const msgpack::unpack_limit limit(size, size, size, size, size, maxDepth);
    std::size_t offset = 0;
    try {
        const msgpack::object_handle handle =
            msgpack::unpack(data.constData(), size, offset, nullptr, nullptr, limit);
        const msgpack::object &root = handle.get();
        if (root.type != msgpack::type::ARRAY || root.via.array.size < 2
            || root.via.array.ptr[1].type != msgpack::type::MAP)
            return std::nullopt;
        const msgpack::object_map &packet = root.via.array.ptr[1].via.map;
        for (uint32_t i = 0; i < packet.size; ++i) {
            const msgpack::object_kv &kv = packet.ptr[i];
            if (kv.key.type != msgpack::type::STR
                || std::string_view(kv.key.via.str.ptr, kv.key.via.str.size) != "data"
                || kv.val.type != msgpack::type::ARRAY || kv.val.via.array.size == 0)
                continue;
            QVariantList args;
            for (uint32_t j = 1; j < kv.val.via.array.size; ++j) {
                auto item = convertArgument(kv.val.via.array.ptr[j], 2);
                if (!item)
                    return std::nullopt;
                args.append(std::move(*item));
            }
            return args;
        }
    } catch (const std::exception &) { }
    return std::nullopt;
}

QStringList stringList(const QVariant &value, bool *ok)
{
    QStringList result;
    if (!value.isValid() || value.typeId() == QMetaType::Nullptr)
        return result; // absent: none
    if (value.typeId() != QMetaType::QVariantList) {
        *ok = false;
        return result;
    }
    const QVariantList list = value.toList();
    for (const QVariant &item : list) {
        // Rooms are strings; socket.io allows numbers too.
        if (item.typeId() == QMetaType::QString)
            result.append(item.toString());
        else if (item.typeId() == QMetaType::LongLong || item.typeId() == QMetaType::ULongLong)
            result.append(item.toString());
        else if (item.typeId() == QMetaType::Double)
            result.append(QString::number(item.toDouble()));
        else
            *ok = false;
    }
    return result;
}

} // namespace

QByteArray packMsgpack(const QVariant &value)
{
    msgpack::sbuffer buffer;
    msgpack::packer<msgpack::sbuffer> packer(buffer);
    pack(packer, value, 0);
    return QByteArray(buffer.data(), qsizetype(buffer.size()));
}

std::optional<QVariant> unpackMsgpack(const QByteArray &data)
{
    if (data.isEmpty())
        return std::nullopt;
    const std::size_t size = std::size_t(data.size());
    // No count may exceed the bytes there are: a 5-byte header cannot make it allocate 4G items.
    const msgpack::unpack_limit limit(size, size, size, size, size, maxDepth);
    std::size_t offset = 0;
    try {
        const msgpack::object_handle handle =
            msgpack::unpack(data.constData(), size, offset, nullptr, nullptr, limit);
        if (offset != size)
            return std::nullopt;
        return convert(handle.get(), 0);
    } catch (const std::exception &) {
        return std::nullopt;
    }
}

QByteArray encodeBroadcast(const BroadcastMessage &message)
{
    QVariantList data;
    data.reserve(message.args.size() + 1);
    data.append(message.event);
    data.append(message.args);
    const QVariantMap packet{
        { QStringLiteral("type"), message.type },
        { QStringLiteral("data"), data },
        { QStringLiteral("nsp"), message.nsp },
    };
    const QVariantMap opts{
        { QStringLiteral("rooms"), message.rooms },
        { QStringLiteral("except"), message.except },
        { QStringLiteral("flags"), message.flags },
    };
    return packMsgpack(QVariantList{ message.uid, packet, opts });
}

std::optional<BroadcastMessage> decodeBroadcast(const QByteArray &data)
{
    const auto value = unpackMsgpack(data);
    if (!value || value->typeId() != QMetaType::QVariantList)
        return std::nullopt;
    const QVariantList parts = value->toList();
    if (parts.size() < 2 || parts.at(1).typeId() != QMetaType::QVariantMap)
        return std::nullopt;
    BroadcastMessage message;
    // The emitter's uid is "emitter"; a node's is a random string. Anything else: not ours.
    if (parts.at(0).typeId() == QMetaType::QString)
        message.uid = parts.at(0).toString();
    const QVariantMap packet = parts.at(1).toMap();
    const QVariant nsp = packet.value(QStringLiteral("nsp"));
    if (nsp.isValid() && nsp.typeId() != QMetaType::Nullptr) {
        if (nsp.typeId() != QMetaType::QString)
            return std::nullopt;
        message.nsp = nsp.toString();
    }
    const QVariant type = packet.value(QStringLiteral("type"));
    if (type.typeId() != QMetaType::LongLong)
        return std::nullopt;
    message.type = int(type.toLongLong());
    // socket.io broadcasts events only (EVENT, or BINARY_EVENT from a parser that counted).
    if (message.type != 2 && message.type != 5)
        return std::nullopt;
    QVariantList eventData = packet.value(QStringLiteral("data")).toList();
    if (packet.value(QStringLiteral("data")).typeId() != QMetaType::QVariantList || eventData.isEmpty()
        || eventData.first().typeId() != QMetaType::QString)
        return std::nullopt;
    message.event = eventData.takeFirst().toString();
    // Objects in the arguments keep their members' order, as they reach clients.
    const auto ordered = orderedEventArguments(data);
    if (!ordered)
        return std::nullopt;
    message.args = *ordered;
    if (parts.size() > 2) {
        const QVariant optsValue = parts.at(2);
        if (optsValue.typeId() == QMetaType::QVariantMap) {
            const QVariantMap opts = optsValue.toMap();
            bool ok = true;
            message.rooms = stringList(opts.value(QStringLiteral("rooms")), &ok);
            message.except = stringList(opts.value(QStringLiteral("except")), &ok);
            if (!ok)
                return std::nullopt;
            message.flags = opts.value(QStringLiteral("flags")).toMap();
        } else if (optsValue.typeId() != QMetaType::Nullptr) {
            return std::nullopt;
        }
    }
    return message;
}

std::optional<QVariantMap> decodeRequest(const QByteArray &data)
{
    if (data.startsWith('{')) {
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(data, &error);
        if (error.error != QJsonParseError::NoError || !document.isObject())
            return std::nullopt;
        return document.object().toVariantMap();
    }
    const auto value = unpackMsgpack(data);
    if (!value || value->typeId() != QMetaType::QVariantMap)
        return std::nullopt;
    return value->toMap();
}

QByteArray encodeJson(const QVariantMap &object)
{
    return QJsonDocument(QJsonObject::fromVariantMap(object)).toJson(QJsonDocument::Compact);
}

Channels::Channels(const QString &key, const QString &nsp)
    : broadcast((key + QLatin1Char('#') + nsp + QLatin1Char('#')).toUtf8())
    , request((key + QStringLiteral("-request#") + nsp + QLatin1Char('#')).toUtf8())
    , response((key + QStringLiteral("-response#") + nsp + QLatin1Char('#')).toUtf8())
{ }

} // namespace SocketIo::Redis
