// SPDX-License-Identifier: MIT
// libFuzzer target for Arguments' fast paths (lib/src/protocol/arguments.cpp).
//
// 1. The input is a packet text: when Arguments::decodeDirect() takes it, SocketIoDecoder +
//    Arguments::fromPayload() must give a plain EVENT/ACK with the same namespace, id and
//    type-identical arguments (the event name first, for events).
// 2. The input is also read as a recipe for a QVariantList (strings with any UTF-16 units,
//    integers, doubles from raw bits, booleans, null, invalid, binary, lists, maps, string
//    lists, hashes, QJsonValues, floats, ...): encodeEvent()/encodeAck() must give the bytes and
//    attachments of the QCborValue path (Arguments::toCbor() -> Json::Writer::value()),
//    and the text encodeEvent() writes goes through check 1 as well.
#include "../common/argumentsreference.h"
#include "fuzzcheck.h"
#include "protocol/arguments.h"
#include "protocol/socketiopacket.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QStringList>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

using namespace SocketIo;
using namespace SocketIo::Protocol;
using Type = SocketIoPacket::Type;
using SocketIoTest::describe;
using SocketIoTest::oldEncode;
using SocketIoTest::sameVariant;

namespace {

// Check 1.
void checkDirect(QByteArrayView text)
{
    // An exact-size copy, so that reading past the text is caught by the sanitizer.
    const auto length = size_t(text.size());
    std::unique_ptr<char[]> copy(new char[length ? length : 1]);
    if (length)
        std::memcpy(copy.get(), text.data(), length);
    Arguments::Direct direct;
    if (!Arguments::decodeDirect(QByteArrayView(copy.get(), qsizetype(length)), &direct))
        return;

    const QByteArray shown = text.toByteArray().toPercentEncoding(" []{}\",:/");
    SocketIoDecoder decoder;
    FUZZ_CHECK(decoder.addText(text) == SocketIoDecoder::Status::Packet, "decoder refused: " + shown);
    const SocketIoPacket p = decoder.takePacket();
    FUZZ_CHECK(p.type == (direct.isAck ? Type::Ack : Type::Event), "kind differs: " + shown);
    FUZZ_CHECK(p.nsp == direct.nsp, "nsp " + direct.nsp.toUtf8() + " vs " + p.nsp.toUtf8() + ": " + shown);
    FUZZ_CHECK(p.id == direct.id,
               "id " + QByteArray::number(direct.id) + " vs " + QByteArray::number(p.id) + ": " + shown);
    const QVariantList args = Arguments::fromPayload(p.data, p.attachments);
    FUZZ_CHECK(sameVariant(QVariant(args), QVariant(direct.args)),
               "args " + describe(QVariant(direct.args)) + " vs " + describe(QVariant(args)) + ": " + shown);
}

// The input read as a QVariantList.
class Recipe
{
public:
    Recipe(const uint8_t *data, size_t size)
        : m_p(data)
        , m_end(data + size)
    { }

    QVariantList args()
    {
        QVariantList list;
        const int n = byte() % 6;
        for (int i = 0; i < n && m_p < m_end; ++i)
            list << value(4);
        return list;
    }

    QString string()
    {
        QString s;
        const int n = byte() % 12;
        for (int i = 0; i < n; ++i) {
            const uint8_t b = byte();
            if (b < 0x80) // ASCII, controls included
                s += QChar(char16_t(b));
            else if (b < 0xa0) { // a valid surrogate pair
                const char32_t cp = 0x10000 + ((char32_t(word()) << 4 | (b & 0xf)) % 0x100000);
                s += QChar(QChar::highSurrogate(cp));
                s += QChar(QChar::lowSurrogate(cp));
            } else // any unit: lone surrogates, non-characters, ...
                s += QChar(char16_t(word()));
        }
        return s;
    }

    QVariant value(int depth)
    {
        const uint8_t kind = byte() % (depth > 0 ? 18 : 15);
        switch (kind) {
        case 0:
        case 1:
            return string();
        case 2:
            return QVariant(qlonglong(quint64(word()) << (byte() % 49) ^ -qlonglong(byte() & 1)));
        case 3:
            return QVariant(int(qint16(word())));
        case 4:
        case 5: {
            quint64 bits = 0;
            for (int i = 0; i < 8; ++i)
                bits = bits << 8 | byte();
            double d;
            std::memcpy(&d, &bits, sizeof d);
            return QVariant(d);
        }
        case 6: // a small whole or simple double, near 2^53 sometimes
            return QVariant(byte() & 1 ? 9007199254740992.0 + double(int(byte()) - 128)
                                       : double(qint16(word())) / double(1 + byte()));
        case 7:
            return QVariant(bool(byte() & 1));
        case 8:
            return byte() & 1 ? QVariant::fromValue(nullptr) : QVariant();
        case 9:
            return QVariant(QByteArray(byte() % 4, 'b'));
        case 10:
            return QVariant(QStringList{ string(), string() });
        case 11: {
            quint64 bits = 0;
            for (int i = 0; i < 8; ++i)
                bits = bits << 8 | byte();
            double d;
            std::memcpy(&d, &bits, sizeof d);
            return QVariant(QJsonValue(d));
        }
        case 12:
            return byte() & 1 ? QVariant(float(qint16(word())) / 8) : QVariant(uint(word()) << 16);
        case 13:
            return QVariant(QJsonValue(string()));
        case 14:
            return QVariant(QVariantHash{ { string(), value(0) } });
        case 15:
        case 16: {
            QVariantList list;
            const int n = byte() % 4;
            for (int i = 0; i < n; ++i)
                list << value(depth - 1);
            return list;
        }
        default: {
            QVariantMap map;
            const int n = byte() % 4;
            for (int i = 0; i < n; ++i)
                map.insert(string(), value(depth - 1));
            return map;
        }
        }
    }

    uint8_t byte() { return m_p < m_end ? *m_p++ : 0; }
    quint16 word() { return quint16(byte() << 8 | byte()); }

private:
    const uint8_t *m_p;
    const uint8_t *const m_end;
};

// Check 2.
void checkWriter(const uint8_t *data, size_t size)
{
    Recipe recipe(data, size);
    static const char *const namespaces[] = { "/", "", "/admin", "/\xc3\xb1" };
    const QString nsp = QString::fromUtf8(namespaces[recipe.byte() % 4]);
    const qint64 id = recipe.byte() % 3 == 0 ? -1 : qint64(recipe.word()) << (recipe.byte() % 40);
    const QString event = recipe.string();
    const QVariantList args = recipe.args();

    const Arguments::Encoded event1 = Arguments::encodeEvent(nsp, event, args, id);
    const Arguments::Encoded event0 = oldEncode(nsp, &event, id, args);
    FUZZ_CHECK(event1.text == event0.text,
               "event " + event1.text + " vs old " + event0.text + " for " + describe(QVariant(args))
                   + " name " + event.toUtf8().toHex());
    FUZZ_CHECK(event1.attachments == event0.attachments, "event attachments differ");

    const qint64 ackId = id < 0 ? 0 : id;
    const Arguments::Encoded ack1 = Arguments::encodeAck(nsp, ackId, args);
    const Arguments::Encoded ack0 = oldEncode(nsp, nullptr, ackId, args);
    FUZZ_CHECK(ack1.text == ack0.text,
               "ack " + ack1.text + " vs old " + ack0.text + " for " + describe(QVariant(args)));
    FUZZ_CHECK(ack1.attachments == ack0.attachments, "ack attachments differ");

    checkDirect(event1.text);
    checkDirect(ack1.text);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    checkDirect(QByteArrayView(reinterpret_cast<const char *>(data), qsizetype(size)));
    checkWriter(data, size);
    return 0;
}
