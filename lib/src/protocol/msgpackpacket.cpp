// SPDX-License-Identifier: MIT
#include "msgpackpacket.h"

#include "arguments.h"
#include "msgpackfloat.h"

#include <QCborArray>
#include <QCborMap>
#include <QCborStreamWriter>
#include <QDateTime>
#include <QUrl>
#include <QUuid>

#include <cmath>
#include <cstring>
#include <limits>
#include <msgpack.hpp>

// socket.io-msgpack-parser 3.0 (index.js: Encoder.encode = notepack.encode(packet), Decoder.add =
// notepack.decode + checkPacket) on notepack.io 2.2 (lib/encode.js, lib/decode.js).

namespace SocketIo::Protocol::Msgpack {

namespace {

using Type = SocketIoPacket::Type;
using Error = SocketIoCodec::Error;

// msgpack-c's packer writes through this.
struct Sink
{
    QByteArray *out;
    void write(const char *data, size_t size) { out->append(data, qsizetype(size)); }
};
using Packer = msgpack::packer<Sink>;

constexpr int maxWriteDepth = 1000;

void packString(Packer &packer, QStringView s)
{
    const QByteArray utf8 = s.toUtf8();
    packer.pack_str(uint32_t(utf8.size()));
    packer.pack_str_body(utf8.constData(), uint32_t(utf8.size()));
}

void packKey(Packer &packer, const char *key)
{
    const auto size = uint32_t(std::strlen(key));
    packer.pack_str(size);
    packer.pack_str_body(key, size);
}

// A JS number as notepack writes it: whole numbers (any size) as the smallest integer format,
// uint for positive ones; the others as float64.
void packNumber(Packer &packer, double d)
{
    if (std::isfinite(d) && std::floor(d) == d) {
        if (d >= 0 && d < 18446744073709551616.0) {
            packer.pack_uint64(uint64_t(d));
            return;
        }
        if (d < 0 && d >= -9223372036854775808.0) {
            packer.pack_int64(int64_t(d));
            return;
        }
    }
    packFloat64(packer, d);
}

void pack(Packer &packer, const QCborValue &value, int depth)
{
    switch (value.type()) {
    case QCborValue::Integer:
        packer.pack_int64(value.toInteger());
        return;
    case QCborValue::Double:
        packNumber(packer, value.toDouble());
        return;
    case QCborValue::String:
        packString(packer, value.toString());
        return;
    case QCborValue::ByteArray: {
        const QByteArray bytes = value.toByteArray();
        packer.pack_bin(uint32_t(bytes.size()));
        packer.pack_bin_body(bytes.constData(), uint32_t(bytes.size()));
        return;
    }
    case QCborValue::True:
        packer.pack_true();
        return;
    case QCborValue::False:
        packer.pack_false();
        return;
    case QCborValue::Array: {
        if (depth > maxWriteDepth) {
            packer.pack_nil();
            return;
        }
        const QCborArray array = value.toArray();
        packer.pack_array(uint32_t(array.size()));
        for (const QCborValue &item : array)
            pack(packer, item, depth + 1);
        return;
    }
    case QCborValue::Map: {
        if (depth > maxWriteDepth) {
            packer.pack_nil();
            return;
        }
        const QCborMap map = value.toMap();
        packer.pack_map(uint32_t(map.size()));
        for (auto it = map.constBegin(); it != map.constEnd(); ++it) {
            const QCborValue key = it.key();
            // JS object keys are strings.
            if (key.isString())
                packString(packer, key.toString());
            else if (key.isInteger())
                packString(packer, QString::number(key.toInteger()));
            else
                packString(packer, key.toVariant().toString());
            pack(packer, it.value(), depth + 1);
        }
        return;
    }
    case QCborValue::DateTime:
        packString(packer, value.toDateTime().toUTC().toString(Qt::ISODateWithMs));
        return;
    case QCborValue::Url:
        packString(packer, value.toUrl().toString());
        return;
    case QCborValue::Uuid:
        packString(packer, value.toUuid().toString(QUuid::WithoutBraces));
        return;
    default:
        // null, undefined (JSON would write null), simple types, other tags
        packer.pack_nil();
        return;
    }
}

// msgpack-c's parser calls this for every item; it writes the same value as CBOR, which
// QCborValue::fromCbor() then reads in one go (building maps by insert() would be quadratic).
// Every length is checked against what is left of the input before anything is written for it,
// so a header announcing four billion items costs nothing.
class ToCbor
{
public:
    ToCbor(QCborStreamWriter &writer, size_t size, int maxDepth)
        : m_writer(writer)
        , m_size(size)
        , m_maxDepth(maxDepth)
    { }

    bool visit_nil()
    {
        if (m_inKey)
            return key(QStringLiteral("null"));
        m_writer.append(nullptr);
        return true;
    }
    bool visit_boolean(bool v)
    {
        if (m_inKey)
            return key(v ? QStringLiteral("true") : QStringLiteral("false"));
        m_writer.append(v);
        return true;
    }
    bool visit_positive_integer(uint64_t v)
    {
        if (m_inKey)
            return key(QString::number(v));
        if (v <= uint64_t(std::numeric_limits<qint64>::max()))
            m_writer.append(qint64(v));
        else
            m_writer.append(double(v)); // a JS number, as notepack reads it
        return true;
    }
    bool visit_negative_integer(int64_t v)
    {
        if (m_inKey)
            return key(QString::number(v));
        m_writer.append(qint64(v));
        return true;
    }
    bool visit_float32(float v) { return visit_float64(double(v)); }
    bool visit_float64(double v)
    {
        if (m_inKey)
            return key(QString::number(v, 'g', QLocale::FloatingPointShortest));
        m_writer.append(v);
        return true;
    }
    bool visit_str(const char *v, uint32_t size)
    {
        // notepack reads strings leniently (Buffer.toString replaces invalid sequences).
        for (uint32_t i = 0; i < size; ++i) {
            if (static_cast<unsigned char>(v[i]) >= 0x80) {
                m_writer.append(QString::fromUtf8(v, qsizetype(size)));
                return true;
            }
        }
        m_writer.appendTextString(v, qsizetype(size));
        return true;
    }
    bool visit_bin(const char *v, uint32_t size)
    {
        if (m_inKey)
            return false;
        m_writer.appendByteString(v, qsizetype(size));
        return true;
    }
    // v: the type byte, then the data (size counts both).
    bool visit_ext(const char *v, uint32_t size)
    {
        if (m_inKey || size == 0)
            return false;
        const auto type = qint8(v[0]);
        const char *data = v + 1;
        const qsizetype length = qsizetype(size) - 1;
        if (type == 0) {
            // notepack: fixext 1 (0xd4) type 0 is undefined, fixext 8 (0xd7) type 0 a Date,
            // ext 8/16/32 type 0 an ArrayBuffer (other fixext: [0, Buffer] as below). The byte
            // before the type is the fixext format byte, or the last byte of an ext length:
            // where both could be the same byte, the lengths tell them apart (0xd4 = 212 != 1).
            const auto before = static_cast<unsigned char>(v[-1]);
            const bool fixext = (before == 0xd4 && length == 1) || (before == 0xd5 && length == 2)
                || (before == 0xd6 && length == 4) || (before == 0xd7 && length == 8)
                || (before == 0xd8 && length == 16);
            if (fixext && before == 0xd4) {
                m_writer.append(QCborSimpleType::Undefined);
                return true;
            }
            if (fixext && before == 0xd7) {
                const auto word = [data](int at) {
                    return quint32(quint8(data[at])) << 24 | quint32(quint8(data[at + 1])) << 16
                        | quint32(quint8(data[at + 2])) << 8 | quint32(quint8(data[at + 3]));
                };
                const qint64 ms = qint64(qint32(word(0))) * 4294967296LL + qint64(word(4));
                const QDateTime time = QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
                if (!time.isValid())
                    return false;
                m_writer.append(time.toString(Qt::ISODateWithMs));
                return true;
            }
            if (!fixext) {
                m_writer.appendByteString(data, length);
                return true;
            }
        }
        // notepack: [type, Buffer]
        m_writer.startArray(2);
        m_writer.append(qint64(type));
        m_writer.appendByteString(data, length);
        m_writer.endArray();
        return true;
    }
    bool start_array(uint32_t n)
    {
        if (m_inKey || n > m_size || ++m_depth > m_maxDepth)
            return false;
        m_writer.startArray(n);
        return true;
    }
    bool start_array_item() { return true; }
    bool end_array_item() { return true; }
    bool end_array()
    {
        --m_depth;
        return m_writer.endArray();
    }
    bool start_map(uint32_t n)
    {
        if (m_inKey || n > m_size / 2 || ++m_depth > m_maxDepth)
            return false;
        m_writer.startMap(n);
        return true;
    }
    bool start_map_key()
    {
        m_inKey = true;
        return true;
    }
    bool end_map_key()
    {
        m_inKey = false;
        return true;
    }
    bool start_map_value() { return true; }
    bool end_map_value() { return true; }
    bool end_map()
    {
        --m_depth;
        return m_writer.endMap();
    }
    void parse_error(size_t, size_t) { }
    void insufficient_bytes(size_t, size_t) { }
    bool referenced() const { return false; }
    void set_referenced(bool) { }

private:
    bool key(const QString &text)
    {
        m_writer.append(text);
        return true;
    }

    QCborStreamWriter &m_writer;
    size_t m_size;
    int m_maxDepth;
    int m_depth = 0;
    bool m_inKey = false;
};

Decoded failure(Error error)
{
    Decoded result;
    result.error = error;
    return result;
}

// Number.isInteger
bool isInteger(const QCborValue &value)
{
    if (value.isInteger())
        return true;
    if (!value.isDouble())
        return false;
    const double d = value.toDouble();
    return std::isfinite(d) && std::floor(d) == d;
}

void packHeader(Packer &packer, Type type)
{
    packKey(packer, "type");
    packer.pack_uint64(uint64_t(type == Type::BinaryEvent     ? Type::Event
                                    : type == Type::BinaryAck ? Type::Ack
                                                              : type));
}

void packNsp(Packer &packer, const QString &nsp)
{
    packKey(packer, "nsp");
    packString(packer, nsp.isEmpty() ? QStringLiteral("/") : nsp);
}

void packId(Packer &packer, qint64 id)
{
    packKey(packer, "id");
    packer.pack_int64(id);
}

void packArguments(Packer &packer, const QString *event, const QVariantList &args)
{
    packKey(packer, "data");
    packer.pack_array(uint32_t(args.size() + (event ? 1 : 0)));
    if (event)
        packString(packer, *event);
    for (const QVariant &arg : args) {
        switch (arg.typeId()) {
        case QMetaType::QString:
            packString(packer, *static_cast<const QString *>(arg.constData()));
            break;
        case QMetaType::QByteArray: {
            const auto *bytes = static_cast<const QByteArray *>(arg.constData());
            packer.pack_bin(uint32_t(bytes->size()));
            packer.pack_bin_body(bytes->constData(), uint32_t(bytes->size()));
            break;
        }
        default:
            pack(packer, Arguments::toCbor(arg), 1);
        }
    }
}

} // namespace

void writeValue(QByteArray &out, const QCborValue &value)
{
    Sink sink{ &out };
    Packer packer(sink);
    pack(packer, value, 0);
}

std::optional<QCborValue> readValue(QByteArrayView bytes, int maxDepth)
{
    QByteArray cbor;
    {
        QCborStreamWriter writer(&cbor);
        ToCbor visitor(writer, size_t(bytes.size()), maxDepth);
        std::size_t offset = 0;
        try {
            if (!msgpack::parse(bytes.data(), size_t(bytes.size()), offset, visitor))
                return std::nullopt;
        } catch (const std::exception &) {
            return std::nullopt; // msgpack-c throws on an ext of size 0xffffffff
        }
        if (offset != size_t(bytes.size()))
            return std::nullopt; // notepack: "N trailing bytes"
    }
    QCborParserError error;
    QCborValue value = QCborValue::fromCbor(cbor, &error);
    if (error.error != QCborError::NoError)
        return std::nullopt;
    return value;
}

QByteArray encode(const SocketIoPacket &packet, Side side)
{
    QByteArray out;
    out.reserve(32 + packet.nsp.size());
    Sink sink{ &out };
    Packer packer(sink);
    const bool hasData = !packet.data.isUndefined();
    switch (packet.type) {
    case Type::Connect:
        packer.pack_map(hasData ? 3 : 2);
        packHeader(packer, packet.type);
        if (hasData) {
            packKey(packer, "data");
            pack(packer, packet.data, 0);
        }
        packNsp(packer, packet.nsp);
        break;
    case Type::Disconnect:
        packer.pack_map(2);
        packHeader(packer, packet.type);
        packNsp(packer, packet.nsp);
        break;
    case Type::ConnectError:
        packer.pack_map(3);
        packHeader(packer, packet.type);
        packNsp(packer, packet.nsp);
        packKey(packer, "data");
        pack(packer, packet.data, 0);
        break;
    case Type::Event:
    case Type::BinaryEvent:
        packer.pack_map(packet.hasId() ? 4 : 3);
        packHeader(packer, packet.type);
        packKey(packer, "data");
        pack(packer, packet.data, 0);
        if (packet.hasId())
            packId(packer, packet.id);
        packNsp(packer, packet.nsp);
        break;
    case Type::Ack:
    case Type::BinaryAck:
        // (an ACK without id decodes, as in the npm parser, and is written back without one)
        packer.pack_map(packet.hasId() ? 4 : 3);
        if (side == Side::Server && packet.hasId())
            packId(packer, packet.id);
        packHeader(packer, packet.type);
        if (side == Side::Client && packet.hasId())
            packId(packer, packet.id);
        packKey(packer, "data");
        pack(packer, packet.data, 0);
        packNsp(packer, packet.nsp);
        break;
    }
    return out;
}

QByteArray encodeEvent(const QString &nsp, const QString &event, const QVariantList &args, qint64 ackId)
{
    QByteArray out;
    out.reserve(48 + nsp.size() + event.size() * 3 + args.size() * 16);
    Sink sink{ &out };
    Packer packer(sink);
    packer.pack_map(ackId >= 0 ? 4 : 3);
    packHeader(packer, Type::Event);
    packArguments(packer, &event, args);
    if (ackId >= 0)
        packId(packer, ackId);
    packNsp(packer, nsp);
    return out;
}

QByteArray encodeAck(const QString &nsp, qint64 ackId, const QVariantList &args, Side side)
{
    QByteArray out;
    out.reserve(48 + nsp.size() + args.size() * 16);
    Sink sink{ &out };
    Packer packer(sink);
    packer.pack_map(4);
    if (side == Side::Server) {
        packId(packer, ackId);
        packHeader(packer, Type::Ack);
    } else {
        packHeader(packer, Type::Ack);
        packId(packer, ackId);
    }
    packArguments(packer, nullptr, args);
    packNsp(packer, nsp);
    return out;
}

Decoded decode(QByteArrayView bytes, int maxDepth)
{
    if (bytes.isEmpty())
        return failure(Error::Empty);
    const std::optional<QCborValue> root = readValue(bytes, maxDepth);
    if (!root)
        return failure(Error::BadMsgpack);
    if (!root->isMap())
        return failure(Error::NotAMap);
    // As a JS object: a repeated key takes the last value.
    QCborValue type, nsp, id, data;
    const QCborMap map = root->toMap();
    for (auto it = map.constBegin(); it != map.constEnd(); ++it) {
        const QString key = it.key().toString();
        if (key == QLatin1String("type"))
            type = it.value();
        else if (key == QLatin1String("nsp"))
            nsp = it.value();
        else if (key == QLatin1String("id"))
            id = it.value();
        else if (key == QLatin1String("data"))
            data = it.value();
    }
    // checkPacket(): the type first, then nsp, data and id.
    if (!isInteger(type) || type.toDouble() < 0 || type.toDouble() > double(Type::ConnectError))
        return failure(Error::UnknownType);
    SocketIoPacket packet;
    packet.type = Type(type.toInteger(qint64(type.toDouble())));
    if (!nsp.isString())
        return failure(Error::BadNamespace);
    packet.nsp = nsp.toString();
    if (!SocketIoCodec::isPayloadValid(packet.type, data))
        return failure(Error::InvalidPayload);
    packet.data = std::move(data);
    if (!id.isUndefined()) {
        if (!isInteger(id) || (packet.type != Type::Event && packet.type != Type::Ack))
            return failure(Error::BadAckId);
        const double d = id.toDouble();
        const qint64 value =
            id.isInteger() ? id.toInteger() : (d >= 0 && d <= 9007199254740992.0 ? qint64(d) : -1);
        if (value < 0)
            return failure(Error::BadAckId);
        packet.id = value;
    }
    Decoded result;
    result.packet = std::move(packet);
    return result;
}

} // namespace SocketIo::Protocol::Msgpack
