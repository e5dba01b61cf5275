// SPDX-License-Identifier: MIT
#include "redismessage.h"

#include "../protocol/msgpackfloat.h"

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
            SocketIo::Protocol::packFloat64(packer, d);
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

std::optional<QVariantMap> decodeObject(const QByteArray &data)
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

namespace {

// Rooms and ids as the adapter reads them: numbers (JSON gives doubles) as their text, anything
// else through QVariant::toString.
QStringList roomList(const QVariant &value)
{
    QStringList result;
    const QVariantList list = value.toList();
    result.reserve(list.size());
    for (const QVariant &item : list)
        result.append(item.typeId() == QMetaType::Double ? QString::number(item.toDouble())
                                                         : item.toString());
    return result;
}

RequestOptions optionsFromMap(const QVariantMap &map)
{
    RequestOptions opts;
    opts.rooms = roomList(map.value(QStringLiteral("rooms")));
    opts.except = roomList(map.value(QStringLiteral("except")));
    const QVariantMap flags = map.value(QStringLiteral("flags")).toMap();
    opts.isVolatile = flags.value(QStringLiteral("volatile")).toBool();
    if (flags.contains(QStringLiteral("compress")))
        opts.compress = flags.value(QStringLiteral("compress")).toBool();
    opts.timeout = flags.value(QStringLiteral("timeout")).toLongLong();
    return opts;
}

QVariantMap optionsToMap(const RequestOptions &opts, bool withFlags)
{
    QVariantMap map{
        { QStringLiteral("rooms"), opts.rooms },
        { QStringLiteral("except"), opts.except },
    };
    if (withFlags)
        map.insert(QStringLiteral("flags"), encodeFlags(opts));
    return map;
}

SocketRecord socketFromVariant(const QVariant &value)
{
    const QVariantMap map = value.toMap();
    SocketRecord socket;
    socket.id = map.value(QStringLiteral("id")).toString();
    socket.handshake = map.value(QStringLiteral("handshake")).toMap();
    socket.rooms = roomList(map.value(QStringLiteral("rooms")));
    socket.data = map.value(QStringLiteral("data")).toMap();
    return socket;
}

QVariantList eventData(const QString &event, const QVariantList &args)
{
    QVariantList data;
    data.reserve(args.size() + 1);
    data.append(event);
    data.append(args);
    return data;
}

} // namespace

QVariantMap encodeFlags(const RequestOptions &opts)
{
    QVariantMap flags;
    if (opts.isVolatile)
        flags.insert(QStringLiteral("volatile"), true);
    if (opts.compress.has_value() && !*opts.compress)
        flags.insert(QStringLiteral("compress"), false);
    if (opts.timeout > 0)
        flags.insert(QStringLiteral("timeout"), opts.timeout);
    return flags;
}

QByteArray encodeRequest(const RequestMessage &request)
{
    QVariantMap map{
        { QStringLiteral("uid"), request.uid },
        { QStringLiteral("type"), int(request.type) },
    };
    if (request.requestId)
        map.insert(QStringLiteral("requestId"), *request.requestId);
    if (request.opts)
        map.insert(QStringLiteral("opts"),
                   optionsToMap(*request.opts, request.type == RequestType::Broadcast));
    switch (request.type) {
    case RequestType::Sockets:
        map.insert(QStringLiteral("rooms"), request.rooms);
        break;
    case RequestType::RemoteJoin:
    case RequestType::RemoteLeave:
        if (request.opts) {
            map.insert(QStringLiteral("rooms"), request.rooms);
        } else {
            map.insert(QStringLiteral("sid"), request.sid);
            map.insert(QStringLiteral("room"), request.room);
        }
        break;
    case RequestType::RemoteDisconnect:
        if (!request.opts)
            map.insert(QStringLiteral("sid"), request.sid);
        map.insert(QStringLiteral("close"), request.close);
        break;
    case RequestType::ServerSideEmit:
        map.insert(QStringLiteral("data"), eventData(request.event, request.args));
        break;
    case RequestType::Broadcast:
        map.insert(QStringLiteral("packet"),
                   QVariantMap{ { QStringLiteral("type"), 2 },
                                { QStringLiteral("data"), eventData(request.event, request.args) },
                                { QStringLiteral("nsp"), request.nsp } });
        // msgpack: the arguments may hold binary.
        return packMsgpack(map);
    default:
        break;
    }
    return encodeJson(map);
}

std::optional<RequestMessage> decodeRequest(const QByteArray &data)
{
    const auto decoded = decodeObject(data);
    if (!decoded)
        return std::nullopt;
    const QVariantMap &map = *decoded;
    RequestMessage request;
    request.type = RequestType(map.value(QStringLiteral("type")).toInt());
    request.uid = map.value(QStringLiteral("uid")).toString();
    if (map.contains(QStringLiteral("requestId")))
        request.requestId = map.value(QStringLiteral("requestId")).toString();
    if (map.contains(QStringLiteral("opts")))
        request.opts = optionsFromMap(map.value(QStringLiteral("opts")).toMap());
    request.rooms = roomList(map.value(QStringLiteral("rooms")));
    request.close = map.value(QStringLiteral("close")).toBool();
    request.sid = map.value(QStringLiteral("sid")).toString();
    request.room = map.value(QStringLiteral("room")).toString();
    if (request.type == RequestType::ServerSideEmit) {
        QVariantList data = map.value(QStringLiteral("data")).toList();
        if (data.isEmpty())
            return std::nullopt;
        request.event = data.takeFirst().toString();
        request.args = std::move(data);
    } else if (request.type == RequestType::Broadcast) {
        const QVariantMap packet = map.value(QStringLiteral("packet")).toMap();
        QVariantList data = packet.value(QStringLiteral("data")).toList();
        if (data.isEmpty() || data.first().typeId() != QMetaType::QString)
            return std::nullopt;
        request.event = data.takeFirst().toString();
        request.args = std::move(data);
        const QVariant nsp = packet.value(QStringLiteral("nsp"));
        if (nsp.typeId() == QMetaType::QString)
            request.nsp = nsp.toString();
    }
    return request;
}

QByteArray encodeResponse(const ResponseMessage &response)
{
    QVariantMap map{ { QStringLiteral("requestId"), response.requestId } };
    if (response.type)
        map.insert(QStringLiteral("type"), int(*response.type));
    if (response.socketIds) {
        map.insert(QStringLiteral("sockets"), *response.socketIds);
    } else if (response.sockets) {
        QVariantList list;
        list.reserve(response.sockets->size());
        for (const SocketRecord &socket : *response.sockets) {
            list.append(QVariantMap{
                { QStringLiteral("id"), socket.id },
                { QStringLiteral("handshake"), socket.handshake },
                { QStringLiteral("rooms"), socket.rooms },
                { QStringLiteral("data"), socket.data },
            });
        }
        map.insert(QStringLiteral("sockets"), list);
    }
    if (response.rooms)
        map.insert(QStringLiteral("rooms"), *response.rooms);
    switch (response.type.value_or(RequestType::Sockets)) {
    case RequestType::ServerSideEmit:
        map.insert(QStringLiteral("data"), response.data);
        break;
    case RequestType::BroadcastClientCount:
        map.insert(QStringLiteral("clientCount"), response.clientCount);
        break;
    case RequestType::BroadcastAck:
        map.insert(QStringLiteral("packet"), response.packet);
        // msgpack: the client's answer may hold binary.
        return packMsgpack(map);
    default:
        break;
    }
    return encodeJson(map);
}

std::optional<ResponseMessage> decodeResponse(const QByteArray &data)
{
    const auto decoded = decodeObject(data);
    if (!decoded)
        return std::nullopt;
    const QVariantMap &map = *decoded;
    ResponseMessage response;
    if (map.contains(QStringLiteral("type")))
        response.type = RequestType(map.value(QStringLiteral("type")).toInt());
    response.requestId = map.value(QStringLiteral("requestId")).toString();
    const QVariant sockets = map.value(QStringLiteral("sockets"));
    if (sockets.typeId() == QMetaType::QVariantList) {
        response.socketIds = roomList(sockets);
        QList<SocketRecord> records;
        const QVariantList list = sockets.toList();
        records.reserve(list.size());
        for (const QVariant &socket : list)
            records.append(socketFromVariant(socket));
        response.sockets = std::move(records);
    }
    const QVariant rooms = map.value(QStringLiteral("rooms"));
    if (rooms.typeId() == QMetaType::QVariantList)
        response.rooms = roomList(rooms);
    response.data = map.value(QStringLiteral("data"));
    response.clientCount = map.value(QStringLiteral("clientCount")).toInt();
    response.packet = map.value(QStringLiteral("packet"));
    return response;
}

Channels::Channels(const QString &key, const QString &nsp)
    : broadcast((key + QLatin1Char('#') + nsp + QLatin1Char('#')).toUtf8())
    , request((key + QStringLiteral("-request#") + nsp + QLatin1Char('#')).toUtf8())
    , response((key + QStringLiteral("-response#") + nsp + QLatin1Char('#')).toUtf8())
{ }

} // namespace SocketIo::Redis
