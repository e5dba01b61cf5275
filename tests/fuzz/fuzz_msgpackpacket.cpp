// SPDX-License-Identifier: MIT
// libFuzzer target for the msgpack parser's codec (protocol/msgpackpacket.h): the input is one
// Engine.IO binary message. Invariants: decode() either fails with an error or gives a packet
// of type 0..4 whose payload has its type's shape, an id only on events and acks; encode() of
// it (both key orders) decodes back to the same type, nsp and id, and encoding is stable from
// then on (integral doubles become integers, undefined nil, once). readValue() agrees with
// decode() on what is msgpack, and the arguments conversion takes every payload.
#include "fuzzcheck.h"
#include "protocol/arguments.h"
#include "protocol/msgpackpacket.h"

#include <cstring>
#include <memory>

using namespace SocketIo::Protocol;
using Type = SocketIoPacket::Type;
using Side = Msgpack::Side;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    // An exact-size copy, so that reading past the message is caught by the sanitizer.
    std::unique_ptr<char[]> copy(new char[size ? size : 1]);
    std::memcpy(copy.get(), data, size);
    const QByteArrayView bytes(copy.get(), qsizetype(size));

    const auto value = Msgpack::readValue(bytes);
    const auto decoded = Msgpack::decode(bytes);
    FUZZ_CHECK(bool(decoded) == (decoded.error == SocketIoCodec::Error::None));
    if (!decoded) {
        FUZZ_CHECK(*SocketIoCodec::errorMessage(decoded.error) != '\0');
        if (decoded.error == SocketIoCodec::Error::BadMsgpack || decoded.error == SocketIoCodec::Error::Empty)
            FUZZ_CHECK(!value);
        else
            FUZZ_CHECK(value.has_value());
        return 0;
    }
    FUZZ_CHECK(value && value->isMap());
    const SocketIoPacket &p = *decoded.packet;
    FUZZ_CHECK(int(p.type) <= int(Type::ConnectError));
    FUZZ_CHECK(p.id >= -1);
    FUZZ_CHECK(p.id == -1 || p.type == Type::Event || p.type == Type::Ack);
    FUZZ_CHECK(SocketIoCodec::isPayloadValid(p.type, p.data));
    FUZZ_CHECK(p.attachments.isEmpty());
    if (p.type == Type::Event || p.type == Type::Ack)
        (void)SocketIo::Arguments::fromPayload(p.data, {});

    for (const Side side : { Side::Server, Side::Client }) {
        const QByteArray once = Msgpack::encode(p, side);
        const auto again = Msgpack::decode(once);
        FUZZ_CHECK(again, QByteArray(SocketIoCodec::errorMessage(again.error)) + ' ' + once.toHex());
        FUZZ_CHECK(again.packet->type == p.type && again.packet->nsp == p.nsp && again.packet->id == p.id);
        const QByteArray twice = Msgpack::encode(*again.packet, side);
        const auto third = Msgpack::decode(twice);
        FUZZ_CHECK(third);
        FUZZ_CHECK(Msgpack::encode(*third.packet, side) == twice, once.toHex() + ' ' + twice.toHex());
    }
    return 0;
}
