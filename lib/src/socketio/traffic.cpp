// SPDX-License-Identifier: MIT
#include "protocol/msgpackpacket.h"
#include "protocol/socketiopacket.h"

#include <SocketIo/traffic.h>

#include <QCborArray>
#include <QCborMap>

namespace SocketIo {

// The codec's packet type (pure, QtCore only) and the public one (a Q_ENUM of the library's
// meta-object namespace, which the codec library cannot carry) are one enum in two places: the
// values must agree, and the compiler checks that they do.
using CodecType = Protocol::SocketIoPacket::Type;
static_assert(int(SocketIoPacketType::Connect) == int(CodecType::Connect)
              && int(SocketIoPacketType::Disconnect) == int(CodecType::Disconnect)
              && int(SocketIoPacketType::Event) == int(CodecType::Event)
              && int(SocketIoPacketType::Ack) == int(CodecType::Ack)
              && int(SocketIoPacketType::ConnectError) == int(CodecType::ConnectError)
              && int(SocketIoPacketType::BinaryEvent) == int(CodecType::BinaryEvent)
              && int(SocketIoPacketType::BinaryAck) == int(CodecType::BinaryAck));

bool decodeSocketIoFields(TrafficEvent &event, int maxAttachments)
{
    if (event.type != EnginePacketType::Message || event.binary)
        return false;
    const auto decoded = Protocol::SocketIoCodec::decode(event.data, maxAttachments);
    if (!decoded)
        return false;
    const Protocol::SocketIoPacket &packet = *decoded.packet;
    event.socketIoType = SocketIoPacketType(packet.type);
    event.nsp = packet.nsp;
    event.ackId = packet.id;
    event.attachments = decoded.expectedAttachments;
    event.payload = packet.data.toJsonValue();
    event.event.clear();
    if (packet.type == Protocol::SocketIoPacket::Type::Event
        || packet.type == Protocol::SocketIoPacket::Type::BinaryEvent) {
        const QCborValue name = packet.data.toArray().first();
        event.event = name.isString() ? name.toString() : QString::number(name.toDouble());
    }
    return true;
}

namespace {

// Inline binaries as the placeholders the JSON parser would have written, the bytes to binaries.
QCborValue withPlaceholders(const QCborValue &value, QList<QByteArray> *binaries)
{
    switch (value.type()) {
    case QCborValue::ByteArray: {
        const QCborMap placeholder{ { QStringLiteral("_placeholder"), true },
                                    { QStringLiteral("num"), qint64(binaries->size()) } };
        binaries->append(value.toByteArray());
        return placeholder;
    }
    case QCborValue::Array: {
        QCborArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i)
            array[i] = withPlaceholders(array.at(i), binaries);
        return array;
    }
    case QCborValue::Map: {
        QCborMap map = value.toMap();
        for (auto it = map.begin(); it != map.end(); ++it)
            it.value() = withPlaceholders(it.value(), binaries);
        return map;
    }
    default:
        return value;
    }
}

} // namespace

bool decodeSocketIoFields(TrafficEvent &event, Parser parser, int maxAttachments)
{
    if (parser == Parser::Json || !event.binary)
        return decodeSocketIoFields(event, maxAttachments);
    if (event.type != EnginePacketType::Message)
        return false;
    const auto decoded = Protocol::Msgpack::decode(event.data);
    if (!decoded)
        return false;
    const Protocol::SocketIoPacket &packet = *decoded.packet;
    event.socketIoType = SocketIoPacketType(packet.type);
    event.nsp = packet.nsp;
    event.ackId = packet.id;
    event.attachments = 0;
    event.binaries.clear();
    event.payload = withPlaceholders(packet.data, &event.binaries).toJsonValue();
    event.event.clear();
    if (packet.type == Protocol::SocketIoPacket::Type::Event) {
        const QCborValue name = packet.data.toArray().first();
        event.event = name.isString() ? name.toString() : QString::number(name.toDouble());
    }
    return true;
}

} // namespace SocketIo
