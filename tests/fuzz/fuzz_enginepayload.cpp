// SPDX-License-Identifier: MIT
// libFuzzer target for the Engine.IO codecs.
//
// Input: one control byte (odd: a small packet limit), then the bytes given to every decoder.
// Checked invariants, where they hold by construction of the formats:
// - frames: a decoded frame encodes back to the identical bytes;
// - payloads: decoded packets encode (v4, v3 text, v3 binary) and decode back to the same
//   packets. Not byte-identical: base64 may be non-canonical, v3 lengths may have leading zeros
//   or empty "0:" entries.
#include "protocol/enginepacket.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace SocketIo::Protocol;
using namespace SocketIo::Protocol::EngineCodec;

namespace {

[[noreturn]] void fail(const char *what)
{
    std::fprintf(stderr, "invariant violated: %s\n", what);
    std::abort();
}

void check(bool condition, const char *what)
{
    if (!condition)
        fail(what);
}

void checkResult(bool ok, Error error, const char *what)
{
    check(ok == (error == Error::None), what);
    check((error == Error::None) == (errorMessage(error)[0] == '\0'), "error message");
}

void checkPackets(const QList<EnginePacket> &packets, qsizetype maxPackets)
{
    check(packets.size() <= maxPackets, "more packets than allowed");
    for (const EnginePacket &p : packets) {
        check(quint8(p.type) <= quint8(EnginePacket::Type::Noop), "packet type out of range");
        check(!p.binary || p.type == EnginePacket::Type::Message, "binary non-message");
    }
}

// Encoded by each payload format, the packets decode back unchanged. v4 cannot carry text
// holding its separator 0x1e (possible in packets decoded from v3), and an empty list is not a
// valid v4 or v3 binary body.
void checkPayloadRoundTrips(const QList<EnginePacket> &packets)
{
    const qsizetype unlimited = packets.size() + 1;
    bool v4Safe = !packets.isEmpty();
    for (const EnginePacket &p : packets) {
        if (!p.binary && p.data.contains('\x1e'))
            v4Safe = false;
    }
    if (v4Safe) {
        const auto v4 = decodePayload(encodePayload(packets, 4), 4, unlimited);
        check(v4 && *v4.value == packets, "v4 payload round trip");
    }
    if (!packets.isEmpty()) {
        const auto binary = decodeBinaryPayloadV3(encodeBinaryPayloadV3(packets), unlimited);
        check(binary && *binary.value == packets, "v3 binary payload round trip");
    }
    const auto v3 = decodePayload(encodePayload(packets, 3), 3, unlimited);
    check(v3 && *v3.value == packets, "v3 payload round trip");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const uint8_t control = data[0];
    const QByteArrayView input(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    const qsizetype maxPackets = (control & 1) ? qsizetype(control >> 4) : 10000;

    // WebSocket frames
    const auto text = decodeTextFrame(input);
    checkResult(bool(text), text.error, "text frame result");
    if (text) {
        check(!text.value->binary, "text frame gave binary");
        check(encodeFrame(*text.value, 4) == input, "text frame round trip");
    }
    for (const int protocol : { 3, 4 }) {
        const auto binary = decodeBinaryFrame(input, protocol);
        checkResult(bool(binary), binary.error, "binary frame result");
        if (binary) {
            check(binary.value->binary && binary.value->type == EnginePacket::Type::Message,
                  "binary frame type");
            check(encodeFrame(*binary.value, protocol) == input, "binary frame round trip");
        }
    }

    // Polling payloads
    for (const int protocol : { 3, 4 }) {
        const auto payload = decodePayload(input, protocol, maxPackets);
        checkResult(bool(payload), payload.error, "payload result");
        if (!payload)
            continue;
        check(protocol == 3 || !payload.value->isEmpty(), "empty v4 payload decoded");
        if (protocol == 4) {
            for (const EnginePacket &p : *payload.value)
                check(p.binary || !p.data.contains('\x1e'), "v4 text packet holds a separator");
        }
        checkPackets(*payload.value, maxPackets);
        checkPayloadRoundTrips(*payload.value);
    }
    const auto binaryPayload = decodeBinaryPayloadV3(input, maxPackets);
    checkResult(bool(binaryPayload), binaryPayload.error, "binary payload result");
    if (binaryPayload) {
        check(!binaryPayload.value->isEmpty(), "empty binary payload decoded");
        checkPackets(*binaryPayload.value, maxPackets);
        checkPayloadRoundTrips(*binaryPayload.value);
    }
    return 0;
}
