// SPDX-License-Identifier: MIT
// libFuzzer target for the Socket.IO packet codec and the binary attachment decoder.
//
// Input: frames separated by '\n'. A frame starting with 'b' is a binary frame (the rest of
// it is the attachment), any other frame is a text frame (the rest of it is the packet text;
// the first byte only picks the kind). Every frame goes to two decoders (default limits and
// tight ones); every text frame also goes to SocketIoCodec::decode. For every packet decoded:
// the payload has the shape its type requires, and encode() then decode/reassembly gives an
// equal packet back (the codec's round-trip invariant, which holds for every packet the
// decoder accepts), with encode() stable on that result.
#include "fuzzcheck.h"
#include "protocol/socketiopacket.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

using namespace SocketIo::Protocol;
using Type = SocketIoPacket::Type;
using Status = SocketIoDecoder::Status;

namespace {

bool isBinaryType(Type type)
{
    return type == Type::BinaryEvent || type == Type::BinaryAck;
}

// Properties of every packet the codec hands out (attachments not yet counted).
void checkDecodedPacket(const SocketIoPacket &p, int expectedAttachments)
{
    FUZZ_CHECK(int(p.type) <= int(Type::BinaryAck));
    FUZZ_CHECK(p.nsp.startsWith(u'/'));
    FUZZ_CHECK(!p.nsp.contains(u','));
    FUZZ_CHECK(p.id >= -1);
    FUZZ_CHECK(SocketIoCodec::isPayloadValid(p.type, p.data));
    FUZZ_CHECK((expectedAttachments > 0) == isBinaryType(p.type));
}

// encode(p) decodes back to p (the same JSON): through decode() (attachments announced, not carried) and,
// when its placeholders are valid (the decoder checks them, decode() does not), through a
// fresh decoder fed the attachments.
void checkRoundTrip(const SocketIoPacket &p)
{
    const QByteArray text = SocketIoCodec::encode(p);

    const auto again = SocketIoCodec::decode(text, int(p.attachments.size()));
    FUZZ_CHECK(again);
    FUZZ_CHECK(again.expectedAttachments == int(p.attachments.size()));
    SocketIoPacket withoutAttachments = p;
    withoutAttachments.attachments.clear();
    // The same packet, written the same: numbers compare by their JSON (a double above 2^53
    // written as digits reads back as the exact integer, as JS has one number type).
    FUZZ_CHECK(again.packet->type == p.type && again.packet->nsp == p.nsp && again.packet->id == p.id);
    FUZZ_CHECK(SocketIoCodec::encode(*again.packet) == SocketIoCodec::encode(withoutAttachments));

    if (!p.attachments.isEmpty() && !SocketIoCodec::placeholdersValid(p.data, int(p.attachments.size())))
        return;
    SocketIoDecoder::Limits limits;
    limits.maxAttachments = int(p.attachments.size());
    limits.maxAttachmentBytes = 1 << 30;
    SocketIoDecoder decoder(limits);
    Status status = decoder.addText(text);
    for (const QByteArray &attachment : p.attachments) {
        FUZZ_CHECK(status == Status::NeedMore);
        status = decoder.addBinary(attachment);
    }
    FUZZ_CHECK(status == Status::Packet);
    const SocketIoPacket reassembled = decoder.takePacket();
    // As above: the same packet, compared by its JSON (numbers above 2^53 change type only).
    FUZZ_CHECK(reassembled.type == p.type && reassembled.nsp == p.nsp && reassembled.id == p.id);
    FUZZ_CHECK(reassembled.attachments == p.attachments);
    FUZZ_CHECK(SocketIoCodec::encode(reassembled) == text);
}

void checkDecode(QByteArrayView text)
{
    for (const int maxAttachments : { 10, 1 }) {
        const auto result = SocketIoCodec::decode(text, maxAttachments);
        FUZZ_CHECK(bool(result) == (result.error == SocketIoCodec::Error::None));
        if (!result) {
            FUZZ_CHECK(result.expectedAttachments == 0);
            FUZZ_CHECK(*SocketIoCodec::errorMessage(result.error) != '\0');
            continue;
        }
        FUZZ_CHECK(result.expectedAttachments <= maxAttachments);
        checkDecodedPacket(*result.packet, result.expectedAttachments);
        FUZZ_CHECK(result.packet->attachments.isEmpty());
        // Stand-in attachments so encode() writes the announced count.
        SocketIoPacket p = *result.packet;
        for (int i = 0; i < result.expectedAttachments; ++i)
            p.attachments.append(QByteArray(i, char(i)));
        checkRoundTrip(p);
    }
}

void feed(SocketIoDecoder &decoder, const SocketIoDecoder::Limits &limits, bool binary, QByteArrayView frame)
{
    const Status status = binary ? decoder.addBinary(frame.toByteArray()) : decoder.addText(frame);
    switch (status) {
    case Status::Packet: {
        FUZZ_CHECK(decoder.error() == SocketIoCodec::Error::None);
        FUZZ_CHECK(!decoder.isAwaitingAttachments());
        const SocketIoPacket p = decoder.takePacket();
        checkDecodedPacket(p, int(p.attachments.size()));
        FUZZ_CHECK(p.attachments.size() <= limits.maxAttachments);
        qint64 bytes = 0;
        for (const QByteArray &a : p.attachments)
            bytes += a.size();
        FUZZ_CHECK(bytes <= limits.maxAttachmentBytes);
        // Only Binary* packets have their placeholders checked (as socket.io-parser).
        if (isBinaryType(p.type))
            FUZZ_CHECK(SocketIoCodec::placeholdersValid(p.data, int(p.attachments.size())));
        checkRoundTrip(p);
        FUZZ_CHECK(decoder.takePacket() == SocketIoPacket());
        break;
    }
    case Status::NeedMore:
        FUZZ_CHECK(decoder.error() == SocketIoCodec::Error::None);
        FUZZ_CHECK(decoder.isAwaitingAttachments());
        break;
    case Status::Error:
        FUZZ_CHECK(decoder.error() != SocketIoCodec::Error::None);
        FUZZ_CHECK(!decoder.isAwaitingAttachments());
        break;
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    SocketIoDecoder::Limits tight;
    tight.maxAttachments = 2;
    tight.maxAttachmentBytes = 8;
    const SocketIoDecoder::Limits defaults;
    SocketIoDecoder byDefault(defaults);
    SocketIoDecoder small(tight);

    const char *const begin = reinterpret_cast<const char *>(data);
    const char *const end = begin + size;
    for (const char *pos = begin; pos < end;) {
        const void *sep = std::memchr(pos, '\n', size_t(end - pos));
        const char *const frameEnd = sep ? static_cast<const char *>(sep) : end;
        if (frameEnd > pos) {
            const bool binary = *pos == 'b';
            // An exact-size copy, so that reading past the frame is caught by the sanitizer.
            const auto length = size_t(frameEnd - pos - 1);
            std::unique_ptr<char[]> copy(new char[length ? length : 1]);
            std::memcpy(copy.get(), pos + 1, length);
            const QByteArrayView frame(copy.get(), qsizetype(length));
            if (!binary)
                checkDecode(frame);
            feed(byDefault, defaults, binary, frame);
            feed(small, tight, binary, frame);
        }
        pos = frameEnd + 1;
    }
    return 0;
}
