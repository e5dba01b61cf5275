// SPDX-License-Identifier: MIT
#include "httprequestparser.h"

#include <cstring>
#include <limits>

// HTTP/1.1 message syntax after RFC 9112 (request line, fields, chunked coding) and
// RFC 9110 (field values, Connection). Strict where leniency enables request smuggling.

namespace SocketIo::Protocol {

namespace {

enum ChunkState {
    ChunkSizeLine, // "<hex>[;ext]" CRLF
    ChunkData,
    ChunkDataCr, // the CRLF after chunk data
    ChunkDataLf, // the LF of that CRLF
    ChunkTrailer, // trailer fields until an empty line
};

constexpr qsizetype MaxChunkLineBytes = 4096; // size line incl. extensions and CRLF

// tchar (RFC 9110 5.6.2), as a lookup table.
struct TokenChars
{
    bool allowed[256] = {};
    constexpr TokenChars()
    {
        for (int c = '0'; c <= '9'; ++c)
            allowed[c] = true;
        for (int c = 'a'; c <= 'z'; ++c)
            allowed[c] = allowed[c - 'a' + 'A'] = true;
        for (const char c : { '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~' })
            allowed[uchar(c)] = true;
    }
};
constexpr TokenChars tokenChars;

bool isTokenChar(uchar c)
{
    return tokenChars.allowed[c];
}

bool isToken(QByteArrayView s)
{
    if (s.isEmpty())
        return false;
    for (const char c : s) {
        if (!isTokenChar(uchar(c)))
            return false;
    }
    return true;
}

// field-vchar / SP / HTAB (RFC 9110 5.5); obs-text allowed, CTLs (CR, LF, NUL, ...) not.
bool isFieldValue(QByteArrayView s)
{
    for (const char ch : s) {
        const uchar c = uchar(ch);
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            return false;
    }
    return true;
}

bool isOws(char c)
{
    return c == ' ' || c == '\t';
}

QByteArrayView trimOws(QByteArrayView s)
{
    while (!s.isEmpty() && isOws(s.front()))
        s = s.sliced(1);
    while (!s.isEmpty() && isOws(s.back()))
        s.chop(1);
    return s;
}

char asciiLower(char c)
{
    return (c >= 'A' && c <= 'Z') ? char(c + ('a' - 'A')) : c;
}

bool equalsIgnoreCase(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (asciiLower(a[i]) != asciiLower(b[i]))
            return false;
    }
    return true;
}

// Calls f(element) for each OWS-trimmed element of a comma-separated list (RFC 9110 5.6.1),
// empty elements included.
template<typename F> void forEachListElement(QByteArrayView list, F f)
{
    while (true) {
        const qsizetype comma = list.indexOf(',');
        f(trimOws(comma < 0 ? list : list.first(comma)));
        if (comma < 0)
            return;
        list = list.sliced(comma + 1);
    }
}

// 1*DIGIT -> value (saturating at qint64 max), -1 if not all digits or empty.
qint64 parseDecimal(QByteArrayView s)
{
    if (s.isEmpty())
        return -1;
    constexpr qint64 max = std::numeric_limits<qint64>::max();
    qint64 value = 0;
    for (const char c : s) {
        if (c < '0' || c > '9')
            return -1;
        const int d = c - '0';
        value = value > (max - d) / 10 ? max : value * 10 + d;
    }
    return value;
}

// Bytes from pos up to and including the next LF, or to the end of data: what the current
// line grows by.
qsizetype bytesToLineEnd(QByteArrayView data, qsizetype pos)
{
    const qsizetype avail = data.size() - pos;
    const void *lf = std::memchr(data.data() + pos, '\n', size_t(avail));
    return lf ? static_cast<const char *>(lf) - (data.data() + pos) + 1 : avail;
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

} // namespace

QByteArray headerValue(const HttpHeaders &headers, QByteArrayView name)
{
    for (const HttpHeader &h : headers) {
        if (equalsIgnoreCase(h.first, name))
            return h.second;
    }
    return {};
}

bool HttpRequestHead::hasHeader(QByteArrayView name) const
{
    for (const HttpHeader &h : headers) {
        if (equalsIgnoreCase(h.first, name))
            return true;
    }
    return false;
}

HttpRequestParser::HttpRequestParser(HttpLimits limits)
    : m_limits(limits)
{ }

void HttpRequestParser::reset()
{
    m_state = State::Head;
    m_error = Error::None;
    m_errorText = "";
    m_headDone = false;
    m_head = {};
    m_body = {};
    m_line.truncate(0); // keeps the capacity for the next request
    m_headBytes = 0;
    m_lineBytes = 0;
    m_remaining = 0;
    m_chunkState = ChunkSizeLine;
}

int HttpRequestParser::errorStatus() const
{
    switch (m_error) {
    case Error::None:
        return 0;
    case Error::BadRequest:
        return 400;
    case Error::HeadTooLarge:
    case Error::TooManyHeaders:
        return 431;
    case Error::LengthRequired:
        return 411;
    case Error::BodyTooLarge:
        return 413;
    case Error::VersionNotSupported:
        return 505;
    case Error::NotImplemented:
        return 501;
    }
    return 400;
}

const char *HttpRequestParser::errorMessage() const
{
    return m_errorText;
}

void HttpRequestParser::fail(Error error, const char *text)
{
    m_state = State::Error;
    m_error = error;
    m_errorText = text;
}

qsizetype HttpRequestParser::feed(QByteArrayView data)
{
    qsizetype pos = 0;
    while (pos < data.size()) {
        switch (m_state) {
        case State::Head:
            pos = feedHead(data, pos);
            break;
        case State::Body:
            pos = m_head.chunked ? feedChunked(data, pos) : feedFixedBody(data, pos);
            break;
        case State::Complete:
        case State::Error:
            return pos;
        }
    }
    return pos;
}

// Appends data[pos, pos + take) to the current line, where take comes from bytesToLineEnd().
// Returns true when that completes the line, with *line set to it without its CRLF (or bare
// LF, which RFC 9112 2.2 allows accepting). The view points into data or m_line and stays
// valid until m_line changes.
bool HttpRequestParser::takeLine(QByteArrayView data, qsizetype pos, qsizetype take, QByteArrayView *line)
{
    const char *begin = data.data() + pos;
    if (begin[take - 1] != '\n') {
        m_line.append(begin, take);
        return false;
    }
    QByteArrayView view(begin, take - 1);
    if (!m_line.isEmpty()) { // the line began in an earlier feed()
        m_line.append(view.data(), view.size());
        view = m_line;
    }
    if (view.endsWith('\r'))
        view.chop(1);
    *line = view;
    return true;
}

qsizetype HttpRequestParser::feedHead(QByteArrayView data, qsizetype pos)
{
    // The whole head, request line to the empty line, must fit in maxHeadBytes. Counting
    // before parsing a line makes the outcome independent of how the input is split.
    const qsizetype take = bytesToLineEnd(data, pos);
    if (take > m_limits.maxHeadBytes - m_headBytes) {
        fail(Error::HeadTooLarge, "request head too large");
        return pos + take;
    }
    m_headBytes += take;

    QByteArrayView line;
    if (takeLine(data, pos, take, &line)) {
        processHeadLine(line);
        m_line.truncate(0);
    }
    return pos + take;
}

void HttpRequestParser::processHeadLine(QByteArrayView line)
{
    if (m_head.method.isEmpty()) {
        // Empty lines before the request line are ignored (RFC 9112 2.2), which also absorbs
        // a stray CRLF that old clients send after a POST body.
        if (!line.isEmpty())
            parseRequestLine(line);
        return;
    }
    if (line.isEmpty()) {
        finishHead();
        return;
    }
    if (isOws(line.front())) {
        fail(Error::BadRequest, "obsolete header line folding");
        return;
    }
    parseHeaderLine(line);
}

// request-line = method SP request-target SP HTTP-version (RFC 9112 3)
void HttpRequestParser::parseRequestLine(QByteArrayView line)
{
    const qsizetype sp1 = line.indexOf(' ');
    const qsizetype sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
    if (sp2 < 0) {
        fail(Error::BadRequest, "malformed request line");
        return;
    }
    const QByteArrayView method = line.first(sp1);
    const QByteArrayView target = line.sliced(sp1 + 1, sp2 - sp1 - 1);
    const QByteArrayView version = line.sliced(sp2 + 1);
    if (!isToken(method)) {
        fail(Error::BadRequest, "invalid method");
        return;
    }
    if (target.isEmpty()) {
        fail(Error::BadRequest, "empty request target");
        return;
    }
    for (const char ch : target) {
        const uchar c = uchar(ch);
        if (c <= 0x20 || c == 0x7f) {
            fail(Error::BadRequest, "invalid character in request target");
            return;
        }
    }
    // HTTP-version = "HTTP/" DIGIT "." DIGIT, case-sensitive
    auto isDigit = [](char c) {
        return c >= '0' && c <= '9';
    };
    if (version.size() != 8 || !version.startsWith("HTTP/") || !isDigit(version[5]) || version[6] != '.'
        || !isDigit(version[7])) {
        fail(Error::BadRequest, "malformed HTTP version");
        return;
    }
    if (version[5] != '1' || (version[7] != '0' && version[7] != '1')) {
        fail(Error::VersionNotSupported, "HTTP version not supported");
        return;
    }

    m_head.method = method.toByteArray();
    m_head.target = target.toByteArray();
    const qsizetype question = target.indexOf('?');
    if (question < 0) {
        m_head.path = m_head.target;
    } else {
        m_head.path = target.first(question).toByteArray();
        m_head.query = target.sliced(question + 1).toByteArray();
    }
    m_head.versionMinor = version[7] - '0';
}

// field-line = field-name ":" OWS field-value OWS (RFC 9112 5)
void HttpRequestParser::parseHeaderLine(QByteArrayView line)
{
    const qsizetype colon = line.indexOf(':');
    if (colon < 0) {
        fail(Error::BadRequest, "malformed header line");
        return;
    }
    const QByteArrayView name = line.first(colon);
    if (!isToken(name)) { // also rejects whitespace before the colon (RFC 9112 5.1)
        fail(Error::BadRequest, "invalid header name");
        return;
    }
    const QByteArrayView value = trimOws(line.sliced(colon + 1));
    if (!isFieldValue(value)) {
        fail(Error::BadRequest, "invalid character in header value");
        return;
    }
    if (m_head.headers.size() >= m_limits.maxHeaderCount) {
        fail(Error::TooManyHeaders, "too many header fields");
        return;
    }
    m_head.headers.append({ name.toByteArray(), value.toByteArray() });
}

// Message framing (RFC 9112 6), keep-alive and upgrade, once all fields are known.
void HttpRequestParser::finishHead()
{
    m_headDone = true;

    bool hasTransferEncoding = false;
    bool hasContentLength = false;
    bool badContentLength = false;
    qint64 contentLength = -1;
    int codings = 0;
    bool onlyChunked = true;
    bool connectionClose = false;
    bool connectionKeepAlive = false;
    bool connectionUpgrade = false;
    bool hasUpgrade = false;

    for (const HttpHeader &h : std::as_const(m_head.headers)) {
        const QByteArrayView name = h.first;
        if (equalsIgnoreCase(name, "content-length")) {
            // Repeated or list values are allowed only when all are the same number.
            hasContentLength = true;
            forEachListElement(h.second, [&](QByteArrayView element) {
                const qint64 value = parseDecimal(element);
                if (value < 0 || (contentLength >= 0 && value != contentLength))
                    badContentLength = true;
                else
                    contentLength = value;
            });
        } else if (equalsIgnoreCase(name, "transfer-encoding")) {
            hasTransferEncoding = true;
            forEachListElement(h.second, [&](QByteArrayView element) {
                if (element.isEmpty())
                    return;
                ++codings;
                if (!equalsIgnoreCase(element, "chunked"))
                    onlyChunked = false;
            });
        } else if (equalsIgnoreCase(name, "connection")) {
            forEachListElement(h.second, [&](QByteArrayView token) {
                if (equalsIgnoreCase(token, "close"))
                    connectionClose = true;
                else if (equalsIgnoreCase(token, "keep-alive"))
                    connectionKeepAlive = true;
                else if (equalsIgnoreCase(token, "upgrade"))
                    connectionUpgrade = true;
            });
        } else if (equalsIgnoreCase(name, "upgrade")) {
            hasUpgrade = true;
        }
    }

    m_head.keepAlive =
        m_head.versionMinor >= 1 ? !connectionClose : (connectionKeepAlive && !connectionClose);
    m_head.upgrade = connectionUpgrade && hasUpgrade;

    if (hasTransferEncoding) {
        // Both framings at once is the classic smuggling vector: refuse (RFC 9112 6.1 allows it).
        if (hasContentLength) {
            fail(Error::BadRequest, "both Transfer-Encoding and Content-Length");
            return;
        }
        if (m_head.versionMinor == 0) { // RFC 9112 6.1: faulty framing in HTTP/1.0
            fail(Error::BadRequest, "Transfer-Encoding in an HTTP/1.0 request");
            return;
        }
        if (codings == 0) {
            fail(Error::BadRequest, "empty Transfer-Encoding");
            return;
        }
        if (codings != 1 || !onlyChunked) {
            fail(Error::NotImplemented, "unsupported transfer coding");
            return;
        }
        m_head.chunked = true;
        m_chunkState = ChunkSizeLine;
        m_lineBytes = 0;
        m_state = State::Body;
        return;
    }

    if (hasContentLength) {
        if (badContentLength || contentLength < 0) {
            fail(Error::BadRequest, "invalid Content-Length");
            return;
        }
        m_head.contentLength = contentLength;
        if (contentLength > m_limits.maxBodyBytes) {
            fail(Error::BodyTooLarge, "request body too large");
            return;
        }
        if (contentLength == 0) {
            m_state = State::Complete;
            return;
        }
        // Reserve modestly: a client's claim alone should not cost much memory.
        m_body.reserve(qsizetype(qMin<qint64>(contentLength, 64 * 1024)));
        m_remaining = contentLength;
        m_state = State::Body;
        return;
    }

    const QByteArrayView method = m_head.method;
    if (method == "POST" || method == "PUT" || method == "PATCH") {
        fail(Error::LengthRequired, "request body without length");
        return;
    }
    m_state = State::Complete; // no body
}

qsizetype HttpRequestParser::feedFixedBody(QByteArrayView data, qsizetype pos)
{
    const qsizetype take = qsizetype(qMin<qint64>(m_remaining, data.size() - pos));
    m_body.append(data.data() + pos, take);
    m_remaining -= take;
    if (m_remaining == 0)
        m_state = State::Complete;
    return pos + take;
}

// chunked-body = *chunk last-chunk trailer-section CRLF (RFC 9112 7.1)
qsizetype HttpRequestParser::feedChunked(QByteArrayView data, qsizetype pos)
{
    switch (ChunkState(m_chunkState)) {
    case ChunkData: {
        const qsizetype take = qsizetype(qMin<qint64>(m_remaining, data.size() - pos));
        m_body.append(data.data() + pos, take);
        m_remaining -= take;
        if (m_remaining == 0)
            m_chunkState = ChunkDataCr;
        return pos + take;
    }
    case ChunkDataCr:
        if (data[pos] == '\r') {
            m_chunkState = ChunkDataLf;
        } else if (data[pos] == '\n') {
            m_chunkState = ChunkSizeLine;
        } else {
            fail(Error::BadRequest, "missing CRLF after chunk data");
            return pos;
        }
        return pos + 1;
    case ChunkDataLf:
        if (data[pos] != '\n') {
            fail(Error::BadRequest, "missing CRLF after chunk data");
            return pos;
        }
        m_chunkState = ChunkSizeLine;
        return pos + 1;
    case ChunkSizeLine:
    case ChunkTrailer:
        break;
    }

    // A size line or a trailer line. Size lines are bounded each; the trailer section as a
    // whole is bounded like the head.
    const qsizetype take = bytesToLineEnd(data, pos);
    if (m_chunkState == ChunkSizeLine) {
        if (take > MaxChunkLineBytes - m_lineBytes) {
            fail(Error::BadRequest, "chunk size line too long");
            return pos + take;
        }
        m_lineBytes += take;
    } else {
        if (take > m_limits.maxHeadBytes - m_headBytes) {
            fail(Error::HeadTooLarge, "trailer section too large");
            return pos + take;
        }
        m_headBytes += take;
    }

    QByteArrayView line;
    if (takeLine(data, pos, take, &line)) {
        if (m_chunkState == ChunkSizeLine)
            processChunkSizeLine(line);
        else if (line.isEmpty())
            m_state = State::Complete; // trailer fields themselves are skipped
        m_line.truncate(0);
        m_lineBytes = 0;
    }
    return pos + take;
}

// chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF; chunk-size = 1*HEXDIG
void HttpRequestParser::processChunkSizeLine(QByteArrayView line)
{
    qint64 size = 0;
    qsizetype i = 0;
    for (; i < line.size(); ++i) {
        const int d = hexValue(line[i]);
        if (d < 0)
            break;
        if (size > (std::numeric_limits<qint64>::max() >> 4)) {
            fail(Error::BadRequest, "chunk size overflow");
            return;
        }
        size = (size << 4) | d;
    }
    if (i == 0) {
        fail(Error::BadRequest, "invalid chunk size");
        return;
    }
    // chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] ): ignored, but
    // only after a ';' and without control characters.
    QByteArrayView rest = trimOws(line.sliced(i));
    if (!rest.isEmpty() && (rest.front() != ';' || !isFieldValue(rest))) {
        fail(Error::BadRequest, "invalid chunk extension");
        return;
    }
    if (size == 0) {
        m_chunkState = ChunkTrailer;
        m_headBytes = 0; // now counts the trailer section
        return;
    }
    if (size > m_limits.maxBodyBytes - m_body.size()) {
        fail(Error::BodyTooLarge, "request body too large");
        return;
    }
    m_remaining = size;
    m_chunkState = ChunkData;
}

QByteArray encodeHttpResponse(int status, const HttpHeaders &headers, QByteArrayView body)
{
    const QByteArray code = QByteArray::number(status);
    const QByteArray reason = httpReasonPhrase(status);
    const QByteArray length = QByteArray::number(body.size());
    // 1xx and 204 responses must not carry Content-Length, and 304 only the length of the
    // representation (RFC 9110 8.6), so these get none.
    const bool withLength = status >= 200 && status != 204 && status != 304;

    qsizetype size = 9 + code.size() + 1 + reason.size() + 2 + 2 + body.size();
    for (const HttpHeader &h : headers)
        size += h.first.size() + 2 + h.second.size() + 2;
    if (withLength)
        size += 16 + length.size() + 2;

    QByteArray out;
    out.reserve(size);
    out.append("HTTP/1.1 ", 9);
    out.append(code);
    out.append(' ');
    out.append(reason);
    out.append("\r\n", 2);
    for (const HttpHeader &h : headers) {
        out.append(h.first);
        out.append(": ", 2);
        out.append(h.second);
        out.append("\r\n", 2);
    }
    if (withLength) {
        out.append("Content-Length: ", 16);
        out.append(length);
        out.append("\r\n", 2);
    }
    out.append("\r\n", 2);
    out.append(body.data(), body.size());
    return out;
}

QByteArray httpReasonPhrase(int status)
{
    // RFC 9110 section 15
    static constexpr std::pair<int, const char *> phrases[] = {
        { 101, "Switching Protocols" },
        { 200, "OK" },
        { 204, "No Content" },
        { 304, "Not Modified" },
        { 400, "Bad Request" },
        { 403, "Forbidden" },
        { 404, "Not Found" },
        { 405, "Method Not Allowed" },
        { 408, "Request Timeout" },
        { 411, "Length Required" },
        { 413, "Payload Too Large" },
        { 414, "URI Too Long" },
        { 429, "Too Many Requests" },
        { 431, "Request Header Fields Too Large" },
        { 500, "Internal Server Error" },
        { 501, "Not Implemented" },
        { 503, "Service Unavailable" },
        { 505, "HTTP Version Not Supported" },
    };
    for (const auto &[code, phrase] : phrases) {
        if (code == status)
            return QByteArray(phrase);
    }
    return QByteArrayLiteral("Unknown");
}

} // namespace SocketIo::Protocol
