// SPDX-License-Identifier: MIT
#include "arguments.h"

#include <QJsonObject>
#include <QLocale>

#include <cmath>
#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace SocketIo::Arguments {

using Protocol::SocketIoPacket;

namespace {

constexpr double maxSafeInteger = 9007199254740992.0; // 2^53

// The decimal digits of v (at most 20 characters) at out; returns the end.
char *writeInteger(char *out, qint64 v)
{
    char buffer[24];
    char *const end = buffer + sizeof buffer;
    char *p = end;
    quint64 u = v < 0 ? 0 - quint64(v) : quint64(v);
    do {
        *--p = char('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    std::memcpy(out, p, size_t(end - p));
    return out + (end - p);
}

// Copies the leading units of [from, end) that a JSON string writes as themselves (printable
// ASCII but '"' and '\\') to out as bytes, eight at a time; returns how many it copied. The
// caller takes the rest one by one, so without SSE2 this copies nothing.
qsizetype copyPlainAscii(const char16_t *from, const char16_t *end, char *out)
{
    const char16_t *p = from;
#ifdef __SSE2__
    const __m128i below = _mm_set1_epi16(0x20);
    const __m128i above = _mm_set1_epi16(0x7f);
    const __m128i quote = _mm_set1_epi16('"');
    const __m128i backslash = _mm_set1_epi16('\\');
    for (; end - p >= 8; p += 8, out += 8) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p));
        // Signed compares: units from 0x8000 are negative, so "below 0x20" catches them too.
        const __m128i special =
            _mm_or_si128(_mm_or_si128(_mm_cmplt_epi16(v, below), _mm_cmpgt_epi16(v, above)),
                         _mm_or_si128(_mm_cmpeq_epi16(v, quote), _mm_cmpeq_epi16(v, backslash)));
        if (_mm_movemask_epi8(special))
            break;
        _mm_storel_epi64(reinterpret_cast<__m128i *>(out), _mm_packus_epi16(v, v));
    }
#else
    Q_UNUSED(end);
    Q_UNUSED(out);
#endif
    return p - from;
}

// The number of leading bytes of [from, end) that a JSON string holds as themselves in the
// reader's subset (printable ASCII but '"' and '\\'), sixteen at a time with SSE2.
qsizetype skipPlainAscii(const char *from, const char *end)
{
    const char *p = from;
#ifdef __SSE2__
    const __m128i below = _mm_set1_epi8(0x20);
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    for (; end - p >= 16; p += 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p));
        // Signed: bytes from 0x80 are negative, so "below 0x20" catches them too. 0x7f (DEL)
        // is plain for the reader, as in the scalar loop.
        const int special = _mm_movemask_epi8(_mm_or_si128(
            _mm_cmplt_epi8(v, below), _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash))));
        if (special)
            return (p - from) + qCountTrailingZeroBits(quint32(special));
    }
#endif
    for (; p < end; ++p) {
        const uchar c = uchar(*p);
        if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\')
            break;
    }
    return p - from;
}

// QByteArray::number(v) appended, without the temporary.
void appendInteger(QByteArray &out, qint64 v)
{
    char buffer[24];
    out.append(buffer, writeInteger(buffer, v) - buffer);
}

// Appends a JSON value to a UTF-8 buffer with the exact bytes QJsonDocument::toJson(Compact)
// writes for the QJsonValue toJson() above makes of it, without building that QJsonValue.
// It covers what Socket.IO arguments usually are (strings, numbers, booleans, null, lists,
// maps, binary) and returns false on anything else (a QVariantHash, a QJsonValue, a string
// with surrogates, ...), for the caller to take the QJsonValue path instead.
class JsonWriter
{
public:
    JsonWriter(QByteArray &out, QList<QByteArray> *attachments)
        : m_out(out)
        , m_attachments(attachments)
    { }

    bool value(const QVariant &value)
    {
        switch (value.typeId()) {
        case QMetaType::QString:
            return string(*static_cast<const QString *>(value.constData()));
        case QMetaType::LongLong:
            appendInteger(m_out, *static_cast<const qlonglong *>(value.constData()));
            return true;
        case QMetaType::Int:
            appendInteger(m_out, *static_cast<const int *>(value.constData()));
            return true;
        case QMetaType::Double:
            number(*static_cast<const double *>(value.constData()));
            return true;
        case QMetaType::Bool:
            m_out.append(*static_cast<const bool *>(value.constData()) ? "true" : "false");
            return true;
        case QMetaType::UnknownType:
        case QMetaType::Nullptr:
            m_out.append("null");
            return true;
        case QMetaType::QByteArray:
            // QJsonObject keeps its keys sorted: "_placeholder" before "num".
            m_out.append("{\"_placeholder\":true,\"num\":");
            appendInteger(m_out, m_attachments->size());
            m_out.append('}');
            m_attachments->append(*static_cast<const QByteArray *>(value.constData()));
            return true;
        case QMetaType::QVariantList:
            return array(*static_cast<const QVariantList *>(value.constData()));
        case QMetaType::QStringList: {
            const QStringList &list = *static_cast<const QStringList *>(value.constData());
            m_out.append('[');
            for (qsizetype i = 0; i < list.size(); ++i) {
                if (i)
                    m_out.append(',');
                if (!string(list.at(i)))
                    return false;
            }
            m_out.append(']');
            return true;
        }
        case QMetaType::QVariantMap: {
            // QMap order is QJsonObject's order as long as keys are below the surrogates
            // (UTF-16 and code point order agree there); string() refuses the others.
            const QVariantMap &map = *static_cast<const QVariantMap *>(value.constData());
            m_out.append('{');
            bool first = true;
            for (auto it = map.cbegin(); it != map.cend(); ++it) {
                if (!first)
                    m_out.append(',');
                first = false;
                if (!string(it.key()))
                    return false;
                m_out.append(':');
                if (!this->value(it.value()))
                    return false;
            }
            m_out.append('}');
            return true;
        }
        default:
            return false;
        }
    }

    bool array(const QVariantList &list)
    {
        m_out.append('[');
        for (qsizetype i = 0; i < list.size(); ++i) {
            if (i)
                m_out.append(',');
            if (!value(list.at(i)))
                return false;
        }
        m_out.append(']');
        return true;
    }

    // A quoted string, escaped as Qt's JSON writer does: \" \\ \b \f \n \r \t, other control
    // characters as \u00xx (lower-case hex), everything else as UTF-8. Refuses surrogates and
    // non-characters, whose handling is Qt's business.
    bool string(QStringView s)
    {
        const qsizetype start = m_out.size();
        const qsizetype worst = start + 2 + s.size() * 6; // \u00xx for every unit
        if (m_out.capacity() < worst)
            m_out.reserve(worst + 64);
        m_out.resize(worst);
        char *const begin = m_out.data();
        char *cursor = begin + start;
        *cursor++ = '"';
        const char16_t *p = s.utf16();
        const char16_t *const end = p + s.size();
        while (p < end) {
            const qsizetype plain = copyPlainAscii(p, end, cursor);
            p += plain;
            cursor += plain;
            if (p == end)
                break;
            const char16_t u = *p++;
            if (u < 0x80) {
                if (u >= 0x20 && u != '"' && u != '\\') {
                    *cursor++ = char(u);
                    continue;
                }
                *cursor++ = '\\';
                switch (u) {
                case '"':
                    *cursor++ = '"';
                    break;
                case '\\':
                    *cursor++ = '\\';
                    break;
                case '\b':
                    *cursor++ = 'b';
                    break;
                case '\f':
                    *cursor++ = 'f';
                    break;
                case '\n':
                    *cursor++ = 'n';
                    break;
                case '\r':
                    *cursor++ = 'r';
                    break;
                case '\t':
                    *cursor++ = 't';
                    break;
                default:
                    *cursor++ = 'u';
                    *cursor++ = '0';
                    *cursor++ = '0';
                    *cursor++ = "0123456789abcdef"[u >> 4];
                    *cursor++ = "0123456789abcdef"[u & 0xf];
                    break;
                }
            } else if (u < 0x800) {
                *cursor++ = char(0xc0 | (u >> 6));
                *cursor++ = char(0x80 | (u & 0x3f));
            } else if ((u >= 0xd800 && u <= 0xdfff) || (u >= 0xfdd0 && u <= 0xfdef) || u >= 0xfffe) {
                m_out.resize(start);
                return false;
            } else {
                *cursor++ = char(0xe0 | (u >> 12));
                *cursor++ = char(0x80 | ((u >> 6) & 0x3f));
                *cursor++ = char(0x80 | (u & 0x3f));
            }
        }
        *cursor++ = '"';
        m_out.resize(cursor - begin);
        return true;
    }

    // QJsonValue(double) keeps a whole number up to 2^53 as an integer, written without
    // exponent; other finite numbers go through QByteArray::number(d, 'g', shortest) and
    // non-finite ones become null, as in Qt's writer.
    void number(double d)
    {
        if (!std::isfinite(d)) {
            m_out.append("null");
        } else if (std::trunc(d) == d && std::fabs(d) <= maxSafeInteger) {
            appendInteger(m_out, qint64(d));
        } else {
            m_out.append(QByteArray::number(d, 'g', QLocale::FloatingPointShortest));
        }
    }

private:
    QByteArray &m_out;
    QList<QByteArray> *m_attachments;
};

} // namespace

QJsonValue toJson(const QVariant &value, QList<QByteArray> *attachments)
{
    switch (value.typeId()) {
    case QMetaType::QByteArray: {
        QJsonObject placeholder;
        placeholder.insert(QLatin1String("_placeholder"), true);
        placeholder.insert(QLatin1String("num"), qint64(attachments->size()));
        attachments->append(value.toByteArray());
        return placeholder;
    }
    case QMetaType::QVariantList:
        return toJson(value.toList(), attachments);
    case QMetaType::QStringList:
        return QJsonArray::fromStringList(value.toStringList());
    case QMetaType::QVariantMap: {
        QJsonObject object;
        const QVariantMap map = value.toMap();
        for (auto it = map.cbegin(); it != map.cend(); ++it)
            object.insert(it.key(), toJson(it.value(), attachments));
        return object;
    }
    case QMetaType::QVariantHash: {
        QJsonObject object;
        const QVariantHash hash = value.toHash();
        for (auto it = hash.cbegin(); it != hash.cend(); ++it)
            object.insert(it.key(), toJson(it.value(), attachments));
        return object;
    }
    case QMetaType::UnknownType:
    case QMetaType::Nullptr:
        return QJsonValue::Null;
    default:
        return QJsonValue::fromVariant(value);
    }
}

QJsonArray toJson(const QVariantList &args, QList<QByteArray> *attachments)
{
    QJsonArray array;
    for (const QVariant &arg : args)
        array.append(toJson(arg, attachments));
    return array;
}

QVariant fromJson(const QJsonValue &value, const QList<QByteArray> &attachments)
{
    switch (value.type()) {
    case QJsonValue::Array:
        return fromJson(value.toArray(), attachments);
    case QJsonValue::Object: {
        const QJsonObject object = value.toObject();
        // As socket.io-parser: any object whose _placeholder is true stands for an attachment.
        if (object.value(QLatin1String("_placeholder")) == QJsonValue(true)) {
            const qint64 num = object.value(QLatin1String("num")).toInteger(-1);
            if (num >= 0 && num < attachments.size())
                return attachments.at(num);
        }
        QVariantMap map;
        for (auto it = object.constBegin(); it != object.constEnd(); ++it)
            map.insert(it.key(), fromJson(it.value(), attachments));
        return map;
    }
    default:
        return value.toVariant();
    }
}

QVariantList fromJson(const QJsonArray &array, const QList<QByteArray> &attachments)
{
    QVariantList list;
    list.reserve(array.size());
    for (const QJsonValue &value : array)
        list.append(fromJson(value, attachments));
    return list;
}

Encoded encode(const SocketIoPacket &packet)
{
    return { Protocol::SocketIoCodec::encode(packet), packet.attachments };
}

namespace {

// EVENT/ACK text written directly: "<type>[<n>-][<nsp>,][<id>][<event>,<args...>]", the same
// bytes SocketIoCodec::encode() makes of the packet encodeEvent()/encodeAck() used to build.
// False when the writer refuses an argument; out is then to be thrown away.
bool encodeDirect(const QString &nsp, qint64 ackId, const QString *event, const QVariantList &args,
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
    // "<type>[<nsp>,][<id>][" in one append when the namespace is "/".
    char head[32];
    char *h = head;
    *h++ = event ? '2' : '3';
    if (writeNsp) {
        text.append(head, 1);
        text.append(nsp.toUtf8());
        text.append(',');
        h = head;
    }
    if (ackId >= 0)
        h = writeInteger(h, ackId);
    *h++ = '[';
    text.append(head, h - head);
    JsonWriter writer(text, &out->attachments);
    if (event && !writer.string(*event))
        return false;
    for (qsizetype i = 0; i < args.size(); ++i) {
        if (i || event)
            text.append(',');
        if (!writer.value(args.at(i)))
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

Encoded encodeEvent(const QString &nsp, const QString &event, const QVariantList &args, qint64 ackId)
{
    Encoded direct;
    if (encodeDirect(nsp, ackId, &event, args, &direct))
        return direct;
    SocketIoPacket packet;
    packet.nsp = nsp;
    packet.id = ackId;
    QJsonArray data = toJson(args, &packet.attachments);
    data.prepend(event);
    packet.data = data;
    packet.type =
        packet.attachments.isEmpty() ? SocketIoPacket::Type::Event : SocketIoPacket::Type::BinaryEvent;
    return encode(packet);
}

Encoded encodeAck(const QString &nsp, qint64 ackId, const QVariantList &args)
{
    Encoded direct;
    if (encodeDirect(nsp, ackId, nullptr, args, &direct))
        return direct;
    SocketIoPacket packet;
    packet.nsp = nsp;
    packet.id = ackId;
    packet.data = toJson(args, &packet.attachments);
    packet.type = packet.attachments.isEmpty() ? SocketIoPacket::Type::Ack : SocketIoPacket::Type::BinaryAck;
    return encode(packet);
}

// --- The direct reader ------------------------------------------------------------------------

namespace {

bool isJsonSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// Reads the JSON QJsonDocument::fromJson() would accept into the QVariants fromJson() above
// makes of it, for a subset where the result is certain: ASCII strings with the short escapes,
// integers of up to 15 digits, true, false, null, arrays and objects with distinct keys, not
// nested deeper than 32. Anything else (a fraction, an exponent, \u escapes, non-ASCII or
// control characters, a duplicate key, ...) returns false, and the caller decodes the text
// the full way, which also reports the errors.
class JsonReader
{
public:
    JsonReader(const char *begin, const char *end)
        : m_p(begin)
        , m_end(end)
    { }

    bool atEnd()
    {
        skipSpace();
        return m_p == m_end;
    }

    bool array(QVariantList *out)
    {
        if (m_p == m_end || *m_p != '[' || ++m_depth > 32)
            return false;
        ++m_p;
        skipSpace();
        if (m_p < m_end && *m_p == ']') {
            ++m_p;
            --m_depth;
            return true;
        }
        for (;;) {
            QVariant item;
            if (!value(&item))
                return false;
            out->append(std::move(item));
            skipSpace();
            if (m_p == m_end)
                return false;
            const char c = *m_p++;
            if (c == ']')
                break;
            if (c != ',')
                return false;
            skipSpace();
        }
        --m_depth;
        return true;
    }

private:
    void skipSpace()
    {
        while (m_p < m_end && isJsonSpace(*m_p))
            ++m_p;
    }

    bool value(QVariant *out)
    {
        if (m_p == m_end)
            return false;
        switch (*m_p) {
        case '"': {
            QString s;
            if (!string(&s))
                return false;
            *out = std::move(s);
            return true;
        }
        case '[': {
            QVariantList list;
            if (!array(&list))
                return false;
            *out = std::move(list);
            return true;
        }
        case '{': {
            QVariantMap map;
            if (!object(&map))
                return false;
            *out = std::move(map);
            return true;
        }
        case 't':
            return literal("true", QVariant(true), out);
        case 'f':
            return literal("false", QVariant(false), out);
        case 'n':
            return literal("null", QVariant::fromValue(nullptr), out);
        default:
            return number(out);
        }
    }

    bool literal(const char *word, const QVariant &result, QVariant *out)
    {
        const qsizetype n = qsizetype(qstrlen(word));
        if (m_end - m_p < n || std::memcmp(m_p, word, size_t(n)) != 0)
            return false;
        m_p += n;
        *out = result;
        return true;
    }

    // -?(0|[1-9][0-9]*), at most 15 digits: exactly a qlonglong, as QJsonValue::toVariant()
    // gives for an integer.
    bool number(QVariant *out)
    {
        const bool negative = *m_p == '-';
        if (negative)
            ++m_p;
        const char *digits = m_p;
        qint64 v = 0;
        while (m_p < m_end && *m_p >= '0' && *m_p <= '9') {
            if (m_p - digits == 15) // more than 15 digits: for the full decoder (and no overflow)
                return false;
            v = v * 10 + (*m_p++ - '0');
        }
        const qsizetype count = m_p - digits;
        if (count == 0 || count > 15 || (count > 1 && *digits == '0'))
            return false;
        if (m_p < m_end && (*m_p == '.' || *m_p == 'e' || *m_p == 'E'))
            return false;
        *out = QVariant(qlonglong(negative ? -v : v));
        return true;
    }

    bool string(QString *out)
    {
        ++m_p; // '"'
        const char *start = m_p;
        bool escaped = false;
        for (;; ++m_p) {
            m_p += skipPlainAscii(m_p, m_end);
            if (m_p == m_end)
                return false;
            const uchar c = uchar(*m_p);
            if (c == '"')
                break;
            if (c < 0x20 || c >= 0x80)
                return false;
            if (c == '\\') {
                escaped = true;
                if (++m_p == m_end)
                    return false;
            }
        }
        const char *stop = m_p++;
        if (!escaped) {
            *out = QString::fromLatin1(start, stop - start);
            return true;
        }
        out->reserve(stop - start);
        for (const char *q = start; q < stop; ++q) {
            if (*q != '\\') {
                out->append(QLatin1Char(*q));
                continue;
            }
            switch (*++q) {
            case '"':
            case '\\':
            case '/':
                out->append(QLatin1Char(*q));
                break;
            case 'b':
                out->append(QLatin1Char('\b'));
                break;
            case 'f':
                out->append(QLatin1Char('\f'));
                break;
            case 'n':
                out->append(QLatin1Char('\n'));
                break;
            case 'r':
                out->append(QLatin1Char('\r'));
                break;
            case 't':
                out->append(QLatin1Char('\t'));
                break;
            default: // \u, or not an escape at all
                return false;
            }
        }
        return true;
    }

    bool object(QVariantMap *out)
    {
        if (++m_depth > 32)
            return false;
        ++m_p; // '{'
        skipSpace();
        if (m_p < m_end && *m_p == '}') {
            ++m_p;
            --m_depth;
            return true;
        }
        for (;;) {
            QString key;
            if (m_p == m_end || *m_p != '"' || !string(&key))
                return false;
            skipSpace();
            if (m_p == m_end || *m_p++ != ':')
                return false;
            skipSpace();
            QVariant item;
            if (!value(&item) || out->contains(key))
                return false;
            out->insert(key, std::move(item));
            skipSpace();
            if (m_p == m_end)
                return false;
            const char c = *m_p++;
            if (c == '}')
                break;
            if (c != ',')
                return false;
            skipSpace();
        }
        --m_depth;
        return true;
    }

    const char *m_p;
    const char *const m_end;
    int m_depth = 0;
};

} // namespace

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
    JsonReader reader(text.data() + pos, text.data() + size);
    if (!reader.array(&out->args) || !reader.atEnd())
        return false;
    if (!out->isAck) {
        // An event names itself with a string that is not reserved (numbers: the full way).
        if (out->args.isEmpty() || out->args.first().typeId() != QMetaType::QString
            || Protocol::SocketIoCodec::isReservedEventName(*static_cast<const QString *>(out->args.first().constData())))
            return false;
    }
    return true;
}

} // namespace SocketIo::Arguments
