// SPDX-License-Identifier: MIT
#include "json.h"

#include <QCborArray>
#include <QCborMap>
#include <QCborStreamWriter>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QSet>
#include <QStringList>
#include <QVarLengthArray>

#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace SocketIo::Protocol::Json {

namespace {

constexpr double maxSafeInteger = 9007199254740992.0; // 2^53
// A document may repeat keys (JSON.parse keeps the last value); each repetition costs a pass
// over its object when the document is finished, so a document may hold only so many.
constexpr int maxDuplicateKeys = 1000;

bool isJsonSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// The number of leading bytes of [from, end) that a JSON string holds as themselves and that are
// ASCII (printable, or DEL; not '"' or '\\'), sixteen at a time with SSE2.
qsizetype skipPlainAscii(const char *from, const char *end)
{
    const char *p = from;
#ifdef __SSE2__
    const __m128i below = _mm_set1_epi8(0x20);
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    for (; end - p >= 16; p += 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p));
        // Signed: bytes from 0x80 are negative, so "below 0x20" catches them too.
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

// Copies the leading units of [from, end) that a JSON string writes as themselves (printable
// ASCII and DEL, but '"' and '\\') to out as bytes, eight at a time; returns how many it copied.
// Without SSE2 it copies nothing and the caller takes the units one by one.
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

int hexDigit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// A scalar read by the Reader, before it goes into a QVariant or a CBOR stream.
struct Number
{
    bool isInteger = false;
    qint64 integer = 0;
    double real = 0;
};

// The keys of one object being read, to find repeated ones: a list while small, then a hash.
class KeySet
{
public:
    // False when key was there already.
    bool insert(const QString &key)
    {
        if (m_hash.isEmpty()) {
            for (const QString &k : m_list) {
                if (k == key)
                    return false;
            }
            if (m_list.size() < 8) {
                m_list.append(key);
                return true;
            }
            for (const QString &k : m_list)
                m_hash.insert(k);
            m_list.clear();
        }
        const qsizetype before = m_hash.size();
        m_hash.insert(key);
        return m_hash.size() != before;
    }

private:
    QVarLengthArray<QString, 8> m_list;
    QSet<QString> m_hash;
};

class Reader
{
public:
    Reader(const char *begin, const char *end, int maxDepth)
        : m_p(begin)
        , m_end(end)
        , m_maxDepth(maxDepth)
    { }

    bool atEnd()
    {
        skipSpace();
        return m_p == m_end;
    }

    void skipSpace()
    {
        while (m_p < m_end && isJsonSpace(*m_p))
            ++m_p;
    }

    // One value as a QCborValue (containers through a CBOR stream).
    bool cbor(QCborValue *out)
    {
        skipSpace();
        if (m_p == m_end)
            return false;
        const char c = *m_p;
        if (c == '{' || c == '[') {
            QByteArray buffer;
            {
                QCborStreamWriter writer(&buffer);
                m_duplicates = 0;
                m_byteOrderMarks = 0;
                if (!stream(writer))
                    return false;
            }
            QCborParserError error;
            *out = QCborValue::fromCbor(buffer, &error);
            if (error.error != QCborError::NoError)
                return false;
            if (m_byteOrderMarks)
                *out = withByteOrderMarks(*out);
            if (m_duplicates)
                *out = withoutDuplicates(*out);
            return true;
        }
        return scalar(out);
    }

    // One value as a QVariant (arrays as QVariantList, objects as QCborMap).
    bool variant(QVariant *out)
    {
        skipSpace();
        if (m_p == m_end)
            return false;
        switch (*m_p) {
        case '[': {
            QVariantList list;
            if (!variantArray(&list))
                return false;
            *out = std::move(list);
            return true;
        }
        case '{': {
            QCborValue map;
            if (!cbor(&map))
                return false;
            *out = QVariant::fromValue(map.toMap());
            return true;
        }
        case '"': {
            QString s;
            if (!string(&s))
                return false;
            *out = std::move(s);
            return true;
        }
        case 't':
            return literal("true", out, QVariant(true));
        case 'f':
            return literal("false", out, QVariant(false));
        case 'n':
            return literal("null", out, QVariant::fromValue(nullptr));
        default: {
            Number n;
            if (!number(&n))
                return false;
            *out = n.isInteger ? QVariant(qlonglong(n.integer)) : QVariant(n.real);
            return true;
        }
        }
    }

    bool variantArray(QVariantList *out)
    {
        if (m_p == m_end || *m_p != '[' || ++m_depth > m_maxDepth)
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
            if (!variant(&item))
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
        }
        --m_depth;
        return true;
    }

private:
    bool literal(const char *word, QVariant *out, const QVariant &value)
    {
        const qsizetype n = qsizetype(std::strlen(word));
        if (m_end - m_p < n || std::memcmp(m_p, word, size_t(n)) != 0)
            return false;
        m_p += n;
        *out = value;
        return true;
    }

    bool scalar(QCborValue *out)
    {
        QVariant v;
        switch (*m_p) {
        case '"': {
            QString s;
            if (!string(&s))
                return false;
            *out = QCborValue(s);
            return true;
        }
        case 't':
            *out = QCborValue(true);
            return literal("true", &v, v);
        case 'f':
            *out = QCborValue(false);
            return literal("false", &v, v);
        case 'n':
            *out = QCborValue(nullptr);
            return literal("null", &v, v);
        default: {
            Number n;
            if (!number(&n))
                return false;
            *out = n.isInteger ? QCborValue(n.integer) : QCborValue(n.real);
            return true;
        }
        }
    }

    // One value written to a CBOR stream.
    bool stream(QCborStreamWriter &writer)
    {
        skipSpace();
        if (m_p == m_end)
            return false;
        switch (*m_p) {
        case '[':
            if (++m_depth > m_maxDepth)
                return false;
            ++m_p;
            writer.startArray();
            skipSpace();
            if (m_p < m_end && *m_p == ']') {
                ++m_p;
            } else {
                for (;;) {
                    if (!stream(writer))
                        return false;
                    skipSpace();
                    if (m_p == m_end)
                        return false;
                    const char c = *m_p++;
                    if (c == ']')
                        break;
                    if (c != ',')
                        return false;
                }
            }
            writer.endArray();
            --m_depth;
            return true;
        case '{': {
            if (++m_depth > m_maxDepth)
                return false;
            ++m_p;
            writer.startMap();
            skipSpace();
            if (m_p < m_end && *m_p == '}') {
                ++m_p;
            } else {
                KeySet keys;
                for (;;) {
                    skipSpace();
                    QString key;
                    if (m_p == m_end || *m_p != '"' || !string(&key))
                        return false;
                    if (!keys.insert(key) && ++m_duplicates > maxDuplicateKeys)
                        return false;
                    skipSpace();
                    if (m_p == m_end || *m_p++ != ':')
                        return false;
                    if (!appendString(writer, key))
                        return false;
                    if (!stream(writer))
                        return false;
                    skipSpace();
                    if (m_p == m_end)
                        return false;
                    const char c = *m_p++;
                    if (c == '}')
                        break;
                    if (c != ',')
                        return false;
                }
            }
            writer.endMap();
            --m_depth;
            return true;
        }
        case '"': {
            QString s;
            if (!string(&s))
                return false;
            return appendString(writer, s);
        }
        case 't':
        case 'f':
        case 'n': {
            QCborValue v;
            if (!scalar(&v))
                return false;
            if (v.isNull())
                writer.append(nullptr);
            else
                writer.append(v.isTrue());
            return true;
        }
        default: {
            Number n;
            if (!number(&n))
                return false;
            if (n.isInteger)
                writer.append(n.integer);
            else
                writer.append(n.real);
            return true;
        }
        }
    }

    // QString::fromUtf8() drops a leading U+FEFF, and so does QCborValue::toString() for a text
    // string read from CBOR: such a string travels as its UTF-16 units in a tagged byte string,
    // and withByteOrderMarks() makes it a string again. Rare (and bounded, as keys cost a pass).
    bool appendString(QCborStreamWriter &writer, const QString &s)
    {
        if (!s.startsWith(QChar(0xfeff))) {
            writer.append(s);
            return true;
        }
        if (++m_byteOrderMarks > maxDuplicateKeys)
            return false;
        writer.append(bomTag);
        writer.appendByteString(reinterpret_cast<const char *>(s.utf16()), s.size() * 2);
        return true;
    }

    static bool isBomString(const QCborValue &v) { return v.isTag() && v.tag() == bomTag; }
    static QString bomString(const QCborValue &v)
    {
        const QByteArray units = v.taggedValue().toByteArray();
        return QString(reinterpret_cast<const QChar *>(units.constData()), units.size() / 2);
    }

    static QCborValue withByteOrderMarks(const QCborValue &value)
    {
        if (isBomString(value))
            return QCborValue(bomString(value));
        if (value.isArray()) {
            QCborArray array = value.toArray();
            for (qsizetype i = 0; i < array.size(); ++i) {
                const QCborValue item = array.at(i);
                if (item.isArray() || item.isMap() || item.isTag())
                    array[i] = withByteOrderMarks(item);
            }
            return array;
        }
        if (!value.isMap())
            return value;
        QCborMap map = value.toMap();
        bool keys = false;
        for (auto it = map.begin(); it != map.end(); ++it) {
            keys |= isBomString(it.key());
            const QCborValue item = it.value();
            if (item.isArray() || item.isMap() || item.isTag())
                it.value() = withByteOrderMarks(item);
        }
        if (!keys)
            return map;
        QCborMap rebuilt; // insert() is linear per key: bounded by the count of such strings
        for (auto it = map.cbegin(); it != map.cend(); ++it)
            rebuilt.insert(isBomString(it.key()) ? QCborValue(bomString(it.key())) : it.key(), it.value());
        return rebuilt;
    }

    // JSON.parse keeps a repeated key where it first stood, with the last value.
    static QCborValue withoutDuplicates(const QCborValue &value)
    {
        if (value.isArray()) {
            QCborArray array = value.toArray();
            for (qsizetype i = 0; i < array.size(); ++i) {
                const QCborValue item = array.at(i);
                if (item.isArray() || item.isMap())
                    array[i] = withoutDuplicates(item);
            }
            return array;
        }
        if (!value.isMap())
            return value;
        QCborMap map = value.toMap();
        QHash<QString, qsizetype> first;
        QList<qsizetype> repeated;
        for (qsizetype i = 0; i < map.size(); ++i) {
            auto it = map.begin() + i;
            const QString key = it.key().toString();
            const auto found = first.constFind(key);
            if (found == first.cend()) {
                first.insert(key, i);
            } else {
                (map.begin() + *found).value() = it.value();
                repeated.append(i);
            }
        }
        for (qsizetype i = repeated.size() - 1; i >= 0; --i)
            map.erase(map.begin() + repeated.at(i));
        for (auto it = map.begin(); it != map.end(); ++it) {
            const QCborValue item = it.value();
            if (item.isArray() || item.isMap())
                it.value() = withoutDuplicates(item);
        }
        return map;
    }

    // JSON number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
    bool number(Number *out)
    {
        const char *start = m_p;
        const bool negative = m_p < m_end && *m_p == '-';
        if (negative)
            ++m_p;
        const char *digits = m_p;
        while (m_p < m_end && *m_p >= '0' && *m_p <= '9')
            ++m_p;
        const qsizetype count = m_p - digits;
        if (count == 0 || (count > 1 && *digits == '0'))
            return false;
        bool integral = true;
        bool negativeExponent = false;
        if (m_p < m_end && *m_p == '.') {
            integral = false;
            const char *fraction = ++m_p;
            while (m_p < m_end && *m_p >= '0' && *m_p <= '9')
                ++m_p;
            if (m_p == fraction)
                return false;
        }
        if (m_p < m_end && (*m_p == 'e' || *m_p == 'E')) {
            integral = false;
            ++m_p;
            if (m_p < m_end && (*m_p == '+' || *m_p == '-'))
                negativeExponent = *m_p++ == '-';
            const char *exponent = m_p;
            while (m_p < m_end && *m_p >= '0' && *m_p <= '9')
                ++m_p;
            if (m_p == exponent)
                return false;
        }
        if (integral && count <= 19) {
            // Whole numbers stay exact integers as far as qint64 goes (as in QJsonValue).
            quint64 v = 0;
            for (const char *q = digits; q < m_p; ++q)
                v = v * 10 + quint64(*q - '0');
            const quint64 limit = negative ? quint64(std::numeric_limits<qint64>::max()) + 1
                                           : quint64(std::numeric_limits<qint64>::max());
            if (count < 19 || v <= limit) {
                out->isInteger = true;
                out->integer = negative ? qint64(0 - v) : qint64(v);
                return true;
            }
        }
        double d = 0;
        const auto result = std::from_chars(start, m_p, d);
        if (result.ec == std::errc::result_out_of_range) {
            // Too small: zero, as JSON.parse. Too large: JSON.parse makes it Infinity, which no
            // JSON can write back (JSON.stringify writes null): refused, as Qt's parser did.
            if (!negativeExponent)
                return false;
            d = 0.0;
        } else if (result.ec != std::errc() || result.ptr != m_p) {
            return false;
        }
        // A whole number written with a fraction or an exponent (1.0, 1e3) is an integer too,
        // as far as doubles count exactly (QJsonValue does the same).
        if (std::trunc(d) == d && std::fabs(d) <= maxSafeInteger) {
            out->isInteger = true;
            out->integer = qint64(d);
            return true;
        }
        out->isInteger = false;
        out->real = d;
        return true;
    }

    // A JSON string: validated UTF-8, escapes decoded (lone surrogates kept, as JSON.parse does).
    bool string(QString *out)
    {
        ++m_p; // '"'
        const char *start = m_p;
        m_p += skipPlainAscii(m_p, m_end);
        if (m_p < m_end && *m_p == '"') {
            *out = QString::fromLatin1(start, m_p - start);
            ++m_p;
            return true;
        }
        out->reserve((m_p - start) + 16);
        out->append(QLatin1String(start, m_p - start));
        for (;;) {
            if (m_p == m_end)
                return false;
            const uchar c = uchar(*m_p);
            if (c == '"') {
                ++m_p;
                if (m_surrogates) {
                    replaceLoneSurrogates(out);
                    m_surrogates = false;
                }
                return true;
            }
            if (c < 0x20)
                return false;
            if (c == '\\') {
                if (!escape(out))
                    return false;
            } else if (c < 0x80) {
                const char *run = m_p;
                m_p += qMax<qsizetype>(1, skipPlainAscii(m_p, m_end));
                out->append(QLatin1String(run, m_p - run));
            } else if (!utf8(out)) {
                return false;
            }
        }
    }

    bool escape(QString *out)
    {
        if (m_end - m_p < 2)
            return false;
        const char e = m_p[1];
        m_p += 2;
        switch (e) {
        case '"':
        case '\\':
        case '/':
            out->append(QLatin1Char(e));
            return true;
        case 'b':
            out->append(QLatin1Char('\b'));
            return true;
        case 'f':
            out->append(QLatin1Char('\f'));
            return true;
        case 'n':
            out->append(QLatin1Char('\n'));
            return true;
        case 'r':
            out->append(QLatin1Char('\r'));
            return true;
        case 't':
            out->append(QLatin1Char('\t'));
            return true;
        case 'u': {
            if (m_end - m_p < 4)
                return false;
            int unit = 0;
            for (int i = 0; i < 4; ++i) {
                const int h = hexDigit(m_p[i]);
                if (h < 0)
                    return false;
                unit = unit * 16 + h;
            }
            m_p += 4;
            out->append(QChar(char16_t(unit)));
            if (unit >= 0xd800 && unit <= 0xdfff)
                m_surrogates = true;
            return true;
        }
        default:
            return false;
        }
    }

    // Escapes may spell a lone surrogate, which JSON.parse keeps but UTF-8 (and so a CBOR text
    // string) cannot hold: it becomes U+FFFD, everywhere alike.
    static void replaceLoneSurrogates(QString *s)
    {
        char16_t *p = reinterpret_cast<char16_t *>(s->data());
        const qsizetype n = s->size();
        for (qsizetype i = 0; i < n; ++i) {
            if (p[i] >= 0xd800 && p[i] <= 0xdbff && i + 1 < n && p[i + 1] >= 0xdc00 && p[i + 1] <= 0xdfff)
                ++i;
            else if (p[i] >= 0xd800 && p[i] <= 0xdfff)
                p[i] = 0xfffd;
        }
    }

    // One multi-byte UTF-8 sequence (RFC 3629: no overlong forms, no surrogates, at most
    // U+10FFFF) appended as UTF-16.
    bool utf8(QString *out)
    {
        const uchar c = uchar(*m_p);
        int length;
        char32_t cp;
        if (c >= 0xc2 && c <= 0xdf) {
            length = 2;
            cp = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            length = 3;
            cp = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            length = 4;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (m_end - m_p < length)
            return false;
        for (int i = 1; i < length; ++i) {
            const uchar t = uchar(m_p[i]);
            if ((t & 0xc0) != 0x80)
                return false;
            cp = (cp << 6) | (t & 0x3f);
        }
        if ((length == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff)))
            || (length == 4 && (cp < 0x10000 || cp > 0x10ffff)))
            return false;
        m_p += length;
        if (cp >= 0x10000) {
            const char32_t v = cp - 0x10000;
            out->append(QChar(char16_t(0xd800 + (v >> 10))));
            out->append(QChar(char16_t(0xdc00 + (v & 0x3ff))));
        } else {
            out->append(QChar(char16_t(cp)));
        }
        return true;
    }

    const char *m_p;
    const char *const m_end;
    const int m_maxDepth;
    int m_depth = 0;
    int m_duplicates = 0;
    int m_byteOrderMarks = 0;
    static constexpr QCborTag bomTag = QCborTag(55799 + 1000); // private: never leaves the reader
    bool m_surrogates = false; // a \u escape gave a surrogate: pairs to check
};

} // namespace

std::optional<QCborValue> parse(QByteArrayView json, int maxDepth)
{
    Reader reader(json.data(), json.data() + json.size(), maxDepth);
    QCborValue value;
    if (!reader.cbor(&value) || !reader.atEnd())
        return std::nullopt;
    return value;
}

bool parseArguments(QByteArrayView json, QVariantList *out, int maxDepth)
{
    Reader reader(json.data(), json.data() + json.size(), maxDepth);
    reader.skipSpace();
    return reader.variantArray(out) && reader.atEnd();
}

// --- Writer ---------------------------------------------------------------------------------

void Writer::integer(qint64 v)
{
    char buffer[24];
    m_out.append(buffer, writeInteger(buffer, v) - buffer);
}

// ECMAScript Number::toString: the shortest digits that read back as d, in plain notation for
// decimal exponents from -6 to 20 and in exponent notation ("1e+21", "1.5e-7") otherwise.
void Writer::number(double d)
{
    if (!std::isfinite(d)) {
        m_out.append("null");
        return;
    }
    if (std::trunc(d) == d && std::fabs(d) <= maxSafeInteger) {
        integer(qint64(d));
        return;
    }
    // "[-]d[.ddd]e[+-]x": the shortest round-trip digits and the exponent.
    const QByteArray e = QByteArray::number(d, 'e', QLocale::FloatingPointShortest);
    const qsizetype ePos = e.indexOf('e');
    const bool negative = e.startsWith('-');
    QByteArray digits;
    for (qsizetype i = negative ? 1 : 0; i < ePos; ++i) {
        if (e.at(i) != '.')
            digits.append(e.at(i));
    }
    const int k = int(digits.size());
    const int n = e.mid(ePos + 1).toInt() + 1; // the decimal point sits after n digits
    if (negative)
        m_out.append('-');
    if (k <= n && n <= 21) {
        m_out.append(digits);
        m_out.append(QByteArray(n - k, '0'));
    } else if (0 < n && n <= 21) {
        m_out.append(digits.left(n));
        m_out.append('.');
        m_out.append(digits.mid(n));
    } else if (-6 < n && n <= 0) {
        m_out.append("0.");
        m_out.append(QByteArray(-n, '0'));
        m_out.append(digits);
    } else {
        m_out.append(digits.at(0));
        if (k > 1) {
            m_out.append('.');
            m_out.append(digits.mid(1));
        }
        m_out.append(n - 1 >= 0 ? "e+" : "e-");
        integer(n - 1 >= 0 ? n - 1 : 1 - n);
    }
}

void Writer::string(QStringView s)
{
    const qsizetype start = m_out.size();
    const qsizetype worst = start + 2 + s.size() * 6; // \uxxxx for every unit
    if (m_out.capacity() < worst)
        m_out.reserve(worst + 64);
    m_out.resize(worst);
    char *const begin = m_out.data();
    char *cursor = begin + start;
    *cursor++ = '"';
    const char16_t *p = s.utf16();
    const char16_t *const end = p + s.size();
    static const char hex[] = "0123456789abcdef";
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
                *cursor++ = hex[u >> 4];
                *cursor++ = hex[u & 0xf];
                break;
            }
        } else if (u < 0x800) {
            *cursor++ = char(0xc0 | (u >> 6));
            *cursor++ = char(0x80 | (u & 0x3f));
        } else if (u >= 0xd800 && u <= 0xdbff && p < end && *p >= 0xdc00 && *p <= 0xdfff) {
            const char32_t cp = 0x10000 + ((char32_t(u) - 0xd800) << 10) + (char32_t(*p++) - 0xdc00);
            *cursor++ = char(0xf0 | (cp >> 18));
            *cursor++ = char(0x80 | ((cp >> 12) & 0x3f));
            *cursor++ = char(0x80 | ((cp >> 6) & 0x3f));
            *cursor++ = char(0x80 | (cp & 0x3f));
        } else if (u >= 0xd800 && u <= 0xdfff) {
            // A lone surrogate: JSON.stringify escapes it (well-formed JSON.stringify).
            *cursor++ = '\\';
            *cursor++ = 'u';
            *cursor++ = hex[u >> 12];
            *cursor++ = hex[(u >> 8) & 0xf];
            *cursor++ = hex[(u >> 4) & 0xf];
            *cursor++ = hex[u & 0xf];
        } else {
            *cursor++ = char(0xe0 | (u >> 12));
            *cursor++ = char(0x80 | ((u >> 6) & 0x3f));
            *cursor++ = char(0x80 | (u & 0x3f));
        }
    }
    *cursor++ = '"';
    m_out.resize(cursor - begin);
}

void Writer::placeholder(const QByteArray &bytes)
{
    if (!m_attachments) {
        m_out.append("{\"$binary\":\"");
        m_out.append(bytes.toBase64());
        m_out.append("\"}");
        return;
    }
    m_out.append("{\"_placeholder\":true,\"num\":");
    integer(m_attachments->size());
    m_out.append('}');
    m_attachments->append(bytes);
}

bool Writer::value(const QCborValue &value)
{
    switch (value.type()) {
    case QCborValue::Integer:
        integer(value.toInteger());
        return true;
    case QCborValue::Double:
        number(value.toDouble());
        return true;
    case QCborValue::String:
        string(value.toString());
        return true;
    case QCborValue::True:
        m_out.append("true");
        return true;
    case QCborValue::False:
        m_out.append("false");
        return true;
    case QCborValue::Null:
    case QCborValue::Undefined:
        m_out.append("null");
        return true;
    case QCborValue::ByteArray:
        if (!m_attachments && !m_binaryObjects)
            return false;
        placeholder(value.toByteArray());
        return true;
    case QCborValue::Array: {
        if (++m_depth > 1000)
            return false;
        const QCborArray array = value.toArray();
        m_out.append('[');
        for (qsizetype i = 0; i < array.size(); ++i) {
            if (i)
                m_out.append(',');
            if (!this->value(array.at(i)))
                return false;
        }
        m_out.append(']');
        --m_depth;
        return true;
    }
    case QCborValue::Map: {
        if (++m_depth > 1000)
            return false;
        const QCborMap map = value.toMap();
        m_out.append('{');
        bool first = true;
        for (auto it = map.cbegin(); it != map.cend(); ++it) {
            if (!first)
                m_out.append(',');
            first = false;
            const QCborValue key = it.key();
            string(key.isString() ? key.toString() : key.toVariant().toString());
            m_out.append(':');
            if (!this->value(it.value()))
                return false;
        }
        m_out.append('}');
        --m_depth;
        return true;
    }
    default:
        // Tags (dates, URLs, ...) and simple types: as QJsonValue converts them.
        return this->value(QCborValue::fromJsonValue(value.toJsonValue()));
    }
}

bool Writer::variant(const QVariant &value)
{
    const void *data = value.constData();
    switch (value.typeId()) {
    case QMetaType::QString:
        string(*static_cast<const QString *>(data));
        return true;
    case QMetaType::LongLong:
        integer(*static_cast<const qlonglong *>(data));
        return true;
    case QMetaType::Int:
        integer(*static_cast<const int *>(data));
        return true;
    case QMetaType::UInt:
        integer(*static_cast<const uint *>(data));
        return true;
    case QMetaType::ULongLong: {
        const qulonglong v = *static_cast<const qulonglong *>(data);
        if (v <= qulonglong(std::numeric_limits<qint64>::max()))
            integer(qint64(v));
        else
            number(double(v)); // as a JS number
        return true;
    }
    case QMetaType::Double:
        number(*static_cast<const double *>(data));
        return true;
    case QMetaType::Float:
        number(double(*static_cast<const float *>(data)));
        return true;
    case QMetaType::Bool:
        m_out.append(*static_cast<const bool *>(data) ? "true" : "false");
        return true;
    case QMetaType::UnknownType:
    case QMetaType::Nullptr:
        m_out.append("null");
        return true;
    case QMetaType::QByteArray:
        if (!m_attachments && !m_binaryObjects)
            return false;
        placeholder(*static_cast<const QByteArray *>(data));
        return true;
    case QMetaType::QVariantList: {
        if (++m_depth > 1000)
            return false;
        const QVariantList &list = *static_cast<const QVariantList *>(data);
        m_out.append('[');
        for (qsizetype i = 0; i < list.size(); ++i) {
            if (i)
                m_out.append(',');
            if (!variant(list.at(i)))
                return false;
        }
        m_out.append(']');
        --m_depth;
        return true;
    }
    case QMetaType::QStringList: {
        const QStringList &list = *static_cast<const QStringList *>(data);
        m_out.append('[');
        for (qsizetype i = 0; i < list.size(); ++i) {
            if (i)
                m_out.append(',');
            string(list.at(i));
        }
        m_out.append(']');
        return true;
    }
    case QMetaType::QVariantMap: {
        if (++m_depth > 1000)
            return false;
        const QVariantMap &map = *static_cast<const QVariantMap *>(data);
        m_out.append('{');
        bool first = true;
        for (auto it = map.cbegin(); it != map.cend(); ++it) {
            if (!first)
                m_out.append(',');
            first = false;
            string(it.key());
            m_out.append(':');
            if (!variant(it.value()))
                return false;
        }
        m_out.append('}');
        --m_depth;
        return true;
    }
    case QMetaType::QVariantHash: {
        // A hash has no order of its own: its keys sorted, as a QVariantMap's.
        const QVariantHash &hash = *static_cast<const QVariantHash *>(data);
        QVariantMap map;
        for (auto it = hash.cbegin(); it != hash.cend(); ++it)
            map.insert(it.key(), it.value());
        return variant(map);
    }
    case QMetaType::QCborValue:
        return this->value(*static_cast<const QCborValue *>(data));
    case QMetaType::QCborMap:
        return this->value(QCborValue(*static_cast<const QCborMap *>(data)));
    case QMetaType::QCborArray:
        return this->value(QCborValue(*static_cast<const QCborArray *>(data)));
    case QMetaType::QJsonValue:
        return this->value(QCborValue::fromJsonValue(*static_cast<const QJsonValue *>(data)));
    case QMetaType::QJsonObject:
        return this->value(QCborMap::fromJsonObject(*static_cast<const QJsonObject *>(data)));
    case QMetaType::QJsonArray:
        return this->value(QCborArray::fromJsonArray(*static_cast<const QJsonArray *>(data)));
    default:
        // Anything else as QJsonValue converts it (null when it cannot).
        return this->value(QCborValue::fromJsonValue(QJsonValue::fromVariant(value)));
    }
}

} // namespace SocketIo::Protocol::Json
