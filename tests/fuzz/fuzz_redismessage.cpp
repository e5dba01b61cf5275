// SPDX-License-Identifier: MIT
// libFuzzer target for the Redis adapter's wire codec (lib/src/redis/redismessage.cpp): the
// msgpack decoder, broadcast messages, and requests and responses (as objects and as the typed
// RequestMessage/ResponseMessage) as they arrive from Redis, i.e. from any process that can
// publish there.
//
// Invariants: nothing crashes or allocates what a header claims; every accepted broadcast
// message encodes and decodes back to the same message; every msgpack value accepted packs
// and unpacks to the same value (maps with integer keys aside, as they come back as strings).
#include "fuzzcheck.h"
#include "redismessage.h"

#include <cstdio>
#include <cstdlib>

using namespace SocketIo::Redis;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));

    if (const auto message = decodeBroadcast(input)) {
        FUZZ_CHECK(!message->event.isNull());
        const auto again = decodeBroadcast(encodeBroadcast(*message));
        FUZZ_CHECK(again);
        FUZZ_CHECK(again->uid == message->uid);
        FUZZ_CHECK(again->nsp == message->nsp);
        FUZZ_CHECK(again->event == message->event);
        FUZZ_CHECK(again->rooms == message->rooms);
        FUZZ_CHECK(again->except == message->except);
        FUZZ_CHECK(again->args.size() == message->args.size());
    }

    if (const auto value = unpackMsgpack(input)) {
        const QByteArray packed = packMsgpack(*value);
        const auto back = unpackMsgpack(packed);
        FUZZ_CHECK(back);
        FUZZ_CHECK(packMsgpack(*back) == packed); // stable after one round
    }

    if (const auto object = decodeObject(input))
        (void)encodeJson(*object);
    if (const auto request = decodeRequest(input))
        (void)encodeRequest(*request);
    if (const auto response = decodeResponse(input))
        (void)encodeResponse(*response);
    return 0;
}
