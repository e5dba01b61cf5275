// SPDX-License-Identifier: MIT
// The incremental HTTP/1.x request parser and the response writer. Every request is parsed
// whole, split in two at every byte boundary, and byte by byte, with identical results.
#include "protocol/httprequestparser.h"

#include <QTest>

#include <functional>

using namespace SocketIo::Protocol;
using State = HttpRequestParser::State;
using Error = HttpRequestParser::Error;

namespace SocketIo::Protocol {
char *toString(HttpRequestParser::State s)
{
    static const char *names[] = { "Head", "Body", "Complete", "Error" };
    return qstrdup(names[int(s)]);
}
char *toString(HttpRequestParser::Error e)
{
    static const char *names[] = {
        "None",           "BadRequest",   "HeadTooLarge",        "TooManyHeaders",
        "LengthRequired", "BodyTooLarge", "VersionNotSupported", "NotImplemented"
    };
    return qstrdup(names[int(e)]);
}
} // namespace SocketIo::Protocol

namespace {

// A literal with embedded NULs, whole: raw("a\0b") has 3 bytes.
template<size_t N> QByteArray raw(const char (&s)[N])
{
    return QByteArray(s, N - 1);
}

// What one request should parse to. Built fluently from ok() or failed(error).
struct Expect
{
    State state = State::Complete;
    Error error = Error::None;
    bool headComplete = true;
    QByteArray method = "GET";
    QByteArray target = "/";
    QByteArray path = "/";
    QByteArray query;
    int minor = 1;
    qint64 contentLength = -1;
    bool chunked = false;
    bool keepAlive = true;
    bool upgrade = false;
    QByteArray body;

    Expect &withMethod(const char *m)
    {
        method = m;
        return *this;
    }
    Expect &withTarget(const char *t, const char *p, const char *q = "")
    {
        target = t;
        path = p;
        query = q;
        return *this;
    }
    Expect &withMinor(int m)
    {
        minor = m;
        keepAlive = m == 1;
        return *this;
    }
    Expect &withKeepAlive(bool k)
    {
        keepAlive = k;
        return *this;
    }
    Expect &withUpgrade()
    {
        upgrade = true;
        return *this;
    }
    Expect &withBody(const QByteArray &b, qint64 length)
    {
        body = b;
        contentLength = length;
        return *this;
    }
    Expect &withChunkedBody(const QByteArray &b)
    {
        body = b;
        chunked = true;
        return *this;
    }
    Expect &withContentLength(qint64 length)
    {
        contentLength = length;
        return *this;
    }
};

Expect ok()
{
    return {};
}

Expect failed(Error error, bool afterHead = false)
{
    Expect e;
    e.state = State::Error;
    e.error = error;
    e.headComplete = afterHead;
    return e;
}

// The observable result of parsing one request.
struct Outcome
{
    State state = State::Head;
    Error error = Error::None;
    bool headComplete = false;
    HttpRequestHead head;
    QByteArray body;
    qsizetype consumed = 0;
};

// Feeds the parts in order until the request completes or fails; checks feed()'s contract.
Outcome parseParts(const QList<QByteArrayView> &parts, HttpLimits limits = {})
{
    HttpRequestParser parser(limits);
    Outcome out;
    for (const QByteArrayView part : parts) {
        const qsizetype used = parser.feed(part);
        out.consumed += used;
        if (parser.state() == State::Head || parser.state() == State::Body) {
            if (used != part.size()) {
                qWarning("feed() left bytes unconsumed without finishing the request");
                out.consumed = -1;
                break;
            }
        } else {
            break;
        }
    }
    out.state = parser.state();
    out.error = parser.error();
    out.headComplete = parser.isHeadComplete();
    out.head = parser.head();
    out.body = parser.body();
    // Finished parsers take nothing more.
    if (parser.state() == State::Complete || parser.state() == State::Error) {
        if (parser.feed("GET / HTTP/1.1\r\n\r\n") != 0)
            out.consumed = -2;
    }
    return out;
}

Outcome parseWhole(QByteArrayView input, HttpLimits limits = {})
{
    return parseParts({ input }, limits);
}

// Every way of feeding the input (whole, two parts at each split point, byte by byte), named.
QList<std::pair<QByteArray, QList<QByteArrayView>>> feedings(QByteArrayView input)
{
    QList<std::pair<QByteArray, QList<QByteArrayView>>> all;
    all.append({ "whole", { input } });
    for (qsizetype i = 1; i < input.size(); ++i)
        all.append({ QByteArray("split at " + QByteArray::number(i)), { input.first(i), input.sliced(i) } });
    QList<QByteArrayView> bytes;
    for (qsizetype i = 0; i < input.size(); ++i)
        bytes.append(input.sliced(i, 1));
    all.append({ "byte by byte", bytes });
    return all;
}

} // namespace

Q_DECLARE_METATYPE(Expect)
Q_DECLARE_METATYPE(HttpLimits)

class tst_HttpRequestParser : public QObject
{
    Q_OBJECT

private:
    static void verifyOutcome(const Outcome &o, const Expect &e, qsizetype inputSize, bool exactConsumed);
    static void verifyAllFeedings(const QByteArray &input, const Expect &e, HttpLimits limits = {});

private Q_SLOTS:
    void parse_data();
    void parse();
    void limits_data();
    void limits();
    void headers();
    void headTooLargeWithoutLineEnd();
    void pipelining_data();
    void pipelining();
    void errorStateConsumesNothing();
    void resetReusesParser();
    void takeBody();
    void errorStatusAndMessage();
    void encodeResponse_data();
    void encodeResponse();
    void reasonPhrases_data();
    void reasonPhrases();
    void headerLookup();
};

void tst_HttpRequestParser::verifyOutcome(const Outcome &o, const Expect &e, qsizetype inputSize,
                                          bool exactConsumed)
{
    QCOMPARE(o.state, e.state);
    QCOMPARE(o.error, e.error);
    QCOMPARE(o.headComplete, e.headComplete);
    QVERIFY(o.consumed >= 0);
    QVERIFY(o.consumed <= inputSize);
    if (exactConsumed)
        QCOMPARE(o.consumed, inputSize);
    if (!e.headComplete)
        return;
    QCOMPARE(o.head.method, e.method);
    QCOMPARE(o.head.target, e.target);
    QCOMPARE(o.head.path, e.path);
    QCOMPARE(o.head.query, e.query);
    QCOMPARE(o.head.versionMinor, e.minor);
    QCOMPARE(o.head.contentLength, e.contentLength);
    QCOMPARE(o.head.chunked, e.chunked);
    QCOMPARE(o.head.keepAlive, e.keepAlive);
    QCOMPARE(o.head.upgrade, e.upgrade);
    if (e.state == State::Complete)
        QCOMPARE(o.body, e.body);
}

void tst_HttpRequestParser::verifyAllFeedings(const QByteArray &input, const Expect &e, HttpLimits limits)
{
    const bool complete = e.state == State::Complete;
    for (const auto &[how, parts] : feedings(input)) {
        const Outcome o = parseParts(parts, limits);
        verifyOutcome(o, e, input.size(), complete);
        if (QTest::currentTestFailed()) {
            qWarning("fed %s", how.constData());
            return;
        }
    }
    if (!complete)
        return;
    // Bytes of a following request stay with the caller.
    const QByteArray pipelined = input + "GET /next HTTP/1.1\r\n\r\n";
    const Outcome o = parseWhole(pipelined, limits);
    verifyOutcome(o, e, input.size(), true);
}

// --- Spec, framing and malformed rows --------------------------------------------------------

void tst_HttpRequestParser::parse_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<Expect>("expect");

    // Engine.IO requests (docs/conformance.md cases 1, 5-7, 4 and 16)
    QTest::newRow("case 1: polling handshake")
        << QByteArray("GET /engine.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: localhost:3000\r\n"
                      "Accept: */*\r\n\r\n")
        << ok().withTarget("/engine.io/?EIO=4&transport=polling", "/engine.io/", "EIO=4&transport=polling");
    QTest::newRow("case 5: POST 4hello")
        << QByteArray("POST /engine.io/?EIO=4&transport=polling&sid=s1 HTTP/1.1\r\nHost: x\r\n"
                      "Content-Type: text/plain;charset=UTF-8\r\nContent-Length: 6\r\n\r\n4hello")
        << ok().withMethod("POST")
               .withTarget("/engine.io/?EIO=4&transport=polling&sid=s1", "/engine.io/",
                           "EIO=4&transport=polling&sid=s1")
               .withBody("4hello", 6);
    QTest::newRow("case 6: POST with record separators")
        << QByteArray("POST /p HTTP/1.1\r\nContent-Length: 20\r\n\r\n4test1\x1e"
                      "4test2\x1e"
                      "4test3")
        << ok().withMethod("POST")
               .withTarget("/p", "/p")
               .withBody("4test1\x1e"
                         "4test2\x1e"
                         "4test3",
                         20);
    QTest::newRow("case 7: POST with base64 binary")
        << QByteArray("POST / HTTP/1.1\r\nContent-Length: 16\r\n\r\n4hello\x1e"
                      "bAQIDBA==")
        << ok().withMethod("POST").withBody("4hello\x1e"
                                            "bAQIDBA==",
                                            16);
    QTest::newRow("case 4: WebSocket upgrade")
        << QByteArray("GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\n"
                      "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
        << ok().withTarget("/socket.io/?EIO=4&transport=websocket", "/socket.io/",
                           "EIO=4&transport=websocket")
               .withUpgrade();
    QTest::newRow("upgrade in a token list (Firefox)")
        << QByteArray("GET /ws HTTP/1.1\r\nConnection: keep-alive, Upgrade\r\nupgrade: websocket\r\n\r\n")
        << ok().withTarget("/ws", "/ws").withUpgrade();
    QTest::newRow("upgrade token without Upgrade header")
        << QByteArray("GET / HTTP/1.1\r\nConnection: upgrade\r\n\r\n") << ok();
    QTest::newRow("Upgrade header without the token")
        << QByteArray("GET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: keep-alive\r\n\r\n") << ok();
    QTest::newRow("upgrade as part of another token")
        << QByteArray("GET / HTTP/1.1\r\nConnection: upgraded\r\nUpgrade: websocket\r\n\r\n") << ok();

    // Persistence (RFC 9112 9.3)
    QTest::newRow("HTTP/1.0 closes by default") << QByteArray("GET / HTTP/1.0\r\n\r\n") << ok().withMinor(0);
    QTest::newRow("HTTP/1.0 keep-alive") << QByteArray("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n")
                                         << ok().withMinor(0).withKeepAlive(true);
    QTest::newRow("HTTP/1.1 Connection: close")
        << QByteArray("GET / HTTP/1.1\r\nConnection: close\r\n\r\n") << ok().withKeepAlive(false);
    QTest::newRow("close in a token list, any case")
        << QByteArray("GET / HTTP/1.1\r\nConnection: foo ,\tCLOSE\r\n\r\n") << ok().withKeepAlive(false);
    QTest::newRow("close in a second Connection header")
        << QByteArray("GET / HTTP/1.1\r\nConnection: upgrade\r\nConnection: close\r\n\r\n")
        << ok().withKeepAlive(false);

    // Syntax accepted
    QTest::newRow("bare LF line endings")
        << QByteArray("GET /a?b=1 HTTP/1.1\nHost: x\n\n") << ok().withTarget("/a?b=1", "/a", "b=1");
    QTest::newRow("leading empty lines are ignored") << QByteArray("\r\n\r\nGET / HTTP/1.1\r\n\r\n") << ok();
    QTest::newRow("empty query") << QByteArray("GET /x? HTTP/1.1\r\n\r\n")
                                 << ok().withTarget("/x?", "/x", "");
    QTest::newRow("second question mark stays in query")
        << QByteArray("GET /x?a=?b HTTP/1.1\r\n\r\n") << ok().withTarget("/x?a=?b", "/x", "a=?b");
    QTest::newRow("percent-encoding kept") << QByteArray("GET /a%20b?c=%2F HTTP/1.1\r\n\r\n")
                                           << ok().withTarget("/a%20b?c=%2F", "/a%20b", "c=%2F");
    QTest::newRow("asterisk form") << QByteArray("OPTIONS * HTTP/1.1\r\n\r\n")
                                   << ok().withMethod("OPTIONS").withTarget("*", "*");
    QTest::newRow("method is case-sensitive")
        << QByteArray("get / HTTP/1.1\r\n\r\n") << ok().withMethod("get");
    QTest::newRow("DELETE needs no body")
        << QByteArray("DELETE /x HTTP/1.1\r\n\r\n") << ok().withMethod("DELETE").withTarget("/x", "/x");
    QTest::newRow("GET with a body") << QByteArray("GET / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc")
                                     << ok().withBody("abc", 3);
    QTest::newRow("POST with empty body") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n")
                                          << ok().withMethod("POST").withBody("", 0);
    QTest::newRow("identical Content-Length twice")
        << QByteArray("POST / HTTP/1.1\r\nContent-Length: 2\r\ncontent-length: 2\r\n\r\nok")
        << ok().withMethod("POST").withBody("ok", 2);
    QTest::newRow("Content-Length list of equal values")
        << QByteArray("POST / HTTP/1.1\r\nContent-Length: 2, 2\r\n\r\nok")
        << ok().withMethod("POST").withBody("ok", 2);
    QTest::newRow("Content-Length leading zeros")
        << QByteArray("POST / HTTP/1.1\r\nContent-Length: 002\r\n\r\nok")
        << ok().withMethod("POST").withBody("ok", 2);
    QTest::newRow("body bytes are not parsed")
        << raw("POST / HTTP/1.1\r\nContent-Length: 8\r\n\r\n\r\n\n\0\xff:x\r")
        << ok().withMethod("POST").withBody(raw("\r\n\n\0\xff:x\r"), 8);

    // Chunked transfer coding (RFC 9112 7.1)
    QTest::newRow("chunked body") << QByteArray(
        "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n4hell\r\n1\r\no\r\n0\r\n\r\n")
                                  << ok().withMethod("POST").withChunkedBody("4hello");
    QTest::newRow("chunked, coding name in any case")
        << QByteArray("POST / HTTP/1.1\r\ntransfer-encoding:  Chunked \r\n\r\n3\r\nabc\r\n0\r\n\r\n")
        << ok().withMethod("POST").withChunkedBody("abc");
    QTest::newRow("chunk extensions ignored")
        << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "3;name=value\r\nabc\r\n2 ; a ; b=\"c\"\r\nde\r\n0;last\r\n\r\n")
        << ok().withMethod("POST").withChunkedBody("abcde");
    QTest::newRow("hex chunk sizes, both cases")
        << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "a\r\n0123456789\r\n00B\r\nabcdefghijk\r\n0\r\n\r\n")
        << ok().withMethod("POST").withChunkedBody("0123456789abcdefghijk");
    QTest::newRow("trailers are skipped")
        << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "2\r\nhi\r\n0\r\nX-Checksum: 1\r\nX-Other: 2\r\n\r\n")
        << ok().withMethod("POST").withChunkedBody("hi");
    QTest::newRow("chunked with bare LF")
        << QByteArray("POST / HTTP/1.1\nTransfer-Encoding: chunked\n\n2\nhi\n0\n\n")
        << ok().withMethod("POST").withChunkedBody("hi");
    QTest::newRow("chunked, no data chunks")
        << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
        << ok().withMethod("POST").withChunkedBody("");
    QTest::newRow("chunk data holding CRLF")
        << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n\r\n\r\n\r\n0\r\n\r\n")
        << ok().withMethod("POST").withChunkedBody("\r\n\r\n");

    // Malformed request line
    QTest::newRow("missing version") << QByteArray("GET /\r\n\r\n") << failed(Error::BadRequest);
    QTest::newRow("only a method") << QByteArray("GET\r\n\r\n") << failed(Error::BadRequest);
    QTest::newRow("double space") << QByteArray("GET  / HTTP/1.1\r\n\r\n") << failed(Error::BadRequest);
    QTest::newRow("trailing space") << QByteArray("GET / HTTP/1.1 \r\n\r\n") << failed(Error::BadRequest);
    QTest::newRow("tab separator") << QByteArray("GET\t/ HTTP/1.1\r\n\r\n") << failed(Error::BadRequest);
    QTest::newRow("method not a token") << QByteArray("G(T / HTTP/1.1\r\n\r\n") << failed(Error::BadRequest);
    QTest::newRow("control byte in target")
        << QByteArray("GET /a\x01 HTTP/1.1\r\n\r\n") << failed(Error::BadRequest);
    QTest::newRow("DEL in target") << QByteArray("GET /a\x7f HTTP/1.1\r\n\r\n") << failed(Error::BadRequest);
    QTest::newRow("lowercase version") << QByteArray("GET / http/1.1\r\n\r\n") << failed(Error::BadRequest);
    QTest::newRow("version with two minor digits")
        << QByteArray("GET / HTTP/1.10\r\n\r\n") << failed(Error::BadRequest);
    QTest::newRow("version without minor") << QByteArray("GET / HTTP/1\r\n\r\n") << failed(Error::BadRequest);
    QTest::newRow("bare CR inside request line")
        << QByteArray("GET / HTTP/1.1\rX\r\n\r\n") << failed(Error::BadRequest);
    QTest::newRow("NUL in request line") << raw("GET /\0 HTTP/1.1\r\n\r\n") << failed(Error::BadRequest);
    QTest::newRow("HTTP/2.0 -> 505") << QByteArray("GET / HTTP/2.0\r\n\r\n")
                                     << failed(Error::VersionNotSupported);
    QTest::newRow("HTTP/1.2 -> 505") << QByteArray("GET / HTTP/1.2\r\n\r\n")
                                     << failed(Error::VersionNotSupported);
    QTest::newRow("HTTP/0.9 -> 505") << QByteArray("GET / HTTP/0.9\r\n\r\n")
                                     << failed(Error::VersionNotSupported);

    // Malformed header fields
    QTest::newRow("obs-fold") << QByteArray("GET / HTTP/1.1\r\nX-A: a\r\n b\r\n\r\n")
                              << failed(Error::BadRequest);
    QTest::newRow("obs-fold with tab")
        << QByteArray("GET / HTTP/1.1\r\nX-A: a\r\n\tb\r\n\r\n") << failed(Error::BadRequest);
    QTest::newRow("whitespace before first header")
        << QByteArray("GET / HTTP/1.1\r\n Host: x\r\n\r\n") << failed(Error::BadRequest);
    QTest::newRow("space before colon")
        << QByteArray("GET / HTTP/1.1\r\nHost : x\r\n\r\n") << failed(Error::BadRequest);
    QTest::newRow("no colon") << QByteArray("GET / HTTP/1.1\r\nHost x\r\n\r\n") << failed(Error::BadRequest);
    QTest::newRow("empty name") << QByteArray("GET / HTTP/1.1\r\n: x\r\n\r\n") << failed(Error::BadRequest);
    QTest::newRow("name not a token")
        << QByteArray("GET / HTTP/1.1\r\nX(A): x\r\n\r\n") << failed(Error::BadRequest);
    QTest::newRow("NUL in value") << raw("GET / HTTP/1.1\r\nX: a\0b\r\n\r\n") << failed(Error::BadRequest);
    QTest::newRow("bare CR in value")
        << QByteArray("GET / HTTP/1.1\r\nX: a\rb\r\n\r\n") << failed(Error::BadRequest);
    QTest::newRow("CR CR LF") << QByteArray("GET / HTTP/1.1\r\nX: a\r\r\n\r\n") << failed(Error::BadRequest);

    // Framing errors found once the head is complete
    QTest::newRow("Content-Length not a number")
        << QByteArray("POST / HTTP/1.1\r\nContent-Length: abc\r\n\r\n")
        << failed(Error::BadRequest, true).withMethod("POST");
    QTest::newRow("Content-Length negative") << QByteArray("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n")
                                             << failed(Error::BadRequest, true).withMethod("POST");
    QTest::newRow("Content-Length with plus")
        << QByteArray("POST / HTTP/1.1\r\nContent-Length: +5\r\n\r\nhello")
        << failed(Error::BadRequest, true).withMethod("POST");
    QTest::newRow("Content-Length empty") << QByteArray("POST / HTTP/1.1\r\nContent-Length:\r\n\r\n")
                                          << failed(Error::BadRequest, true).withMethod("POST");
    QTest::newRow("Content-Length with inner space")
        << QByteArray("POST / HTTP/1.1\r\nContent-Length: 1 2\r\n\r\n")
        << failed(Error::BadRequest, true).withMethod("POST");
    QTest::newRow("Content-Length empty list element")
        << QByteArray("POST / HTTP/1.1\r\nContent-Length: 5,\r\n\r\nhello")
        << failed(Error::BadRequest, true).withMethod("POST");
    QTest::newRow("Content-Length differing duplicates")
        << QByteArray("POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!")
        << failed(Error::BadRequest, true).withMethod("POST");
    QTest::newRow("Content-Length differing list")
        << QByteArray("POST / HTTP/1.1\r\nContent-Length: 5, 6\r\n\r\n")
        << failed(Error::BadRequest, true).withMethod("POST");
    QTest::newRow("smuggling: Transfer-Encoding and Content-Length")
        << QByteArray("POST / HTTP/1.1\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "0\r\n\r\n")
        << failed(Error::BadRequest, true).withMethod("POST").withContentLength(-1);
    QTest::newRow("Transfer-Encoding in HTTP/1.0")
        << QByteArray("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
        << failed(Error::BadRequest, true).withMethod("POST").withMinor(0);
    QTest::newRow("Transfer-Encoding empty") << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: \r\n\r\n")
                                             << failed(Error::BadRequest, true).withMethod("POST");
    QTest::newRow("Transfer-Encoding gzip -> 501")
        << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n")
        << failed(Error::NotImplemented, true).withMethod("POST");
    QTest::newRow("Transfer-Encoding gzip, chunked -> 501")
        << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n")
        << failed(Error::NotImplemented, true).withMethod("POST");
    QTest::newRow("Transfer-Encoding chunked twice -> 501")
        << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n")
        << failed(Error::NotImplemented, true).withMethod("POST");
    QTest::newRow("Transfer-Encoding identity -> 501")
        << QByteArray("GET / HTTP/1.1\r\nTransfer-Encoding: identity\r\n\r\n")
        << failed(Error::NotImplemented, true);
    QTest::newRow("POST without length -> 411") << QByteArray("POST / HTTP/1.1\r\nHost: x\r\n\r\n")
                                                << failed(Error::LengthRequired, true).withMethod("POST");
    QTest::newRow("PUT without length -> 411")
        << QByteArray("PUT / HTTP/1.1\r\n\r\n") << failed(Error::LengthRequired, true).withMethod("PUT");
    QTest::newRow("PATCH without length -> 411")
        << QByteArray("PATCH / HTTP/1.1\r\n\r\n") << failed(Error::LengthRequired, true).withMethod("PATCH");
    QTest::newRow("Content-Length above 1000000 -> 413")
        << QByteArray("POST / HTTP/1.1\r\nContent-Length: 1000001\r\n\r\n")
        << failed(Error::BodyTooLarge, true).withMethod("POST").withContentLength(1000001);
    QTest::newRow("Content-Length beyond 64 bits -> 413")
        << QByteArray("POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n")
        << failed(Error::BodyTooLarge, true)
               .withMethod("POST")
               .withContentLength(std::numeric_limits<qint64>::max());

    // Malformed chunked framing
    auto chunkedBody = [](const char *chunks) -> QByteArray {
        return "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" + QByteArray(chunks);
    };
    const Expect chunkedFailure = failed(Error::BadRequest, true).withMethod("POST").withChunkedBody({});
    QTest::newRow("chunk size not hex") << chunkedBody("zz\r\n") << chunkedFailure;
    QTest::newRow("chunk size empty") << chunkedBody("\r\n") << chunkedFailure;
    QTest::newRow("chunk size negative") << chunkedBody("-1\r\n") << chunkedFailure;
    QTest::newRow("chunk size with 0x prefix") << chunkedBody("0x5\r\nhello\r\n0\r\n\r\n") << chunkedFailure;
    QTest::newRow("chunk size overflow") << chunkedBody("10000000000000000\r\n") << chunkedFailure;
    QTest::newRow("chunk extension without semicolon")
        << chunkedBody("5 x\r\nhello\r\n0\r\n\r\n") << chunkedFailure;
    QTest::newRow("chunk extension with control byte")
        << chunkedBody("5;\x01\r\nhello\r\n0\r\n\r\n") << chunkedFailure;
    QTest::newRow("chunk data too long") << chunkedBody("3\r\nabcd\r\n0\r\n\r\n") << chunkedFailure;
    QTest::newRow("chunk data not followed by CRLF")
        << chunkedBody("3\r\nabcd3\r\nefg\r\n0\r\n\r\n") << chunkedFailure;
    QTest::newRow("chunk data CR without LF") << chunkedBody("3\r\nabc\rX0\r\n\r\n") << chunkedFailure;
    QTest::newRow("chunk size above 1000000 -> 413")
        << chunkedBody("F4241\r\n")
        << failed(Error::BodyTooLarge, true).withMethod("POST").withChunkedBody({});
}

void tst_HttpRequestParser::parse()
{
    QFETCH(QByteArray, input);
    QFETCH(Expect, expect);
    verifyAllFeedings(input, expect);
}

// --- Limits ----------------------------------------------------------------------------------

void tst_HttpRequestParser::limits_data()
{
    QTest::addColumn<HttpLimits>("limits");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<Expect>("expect");

    const QByteArray head = "GET / HTTP/1.1\r\nX-Pad: 0123456789\r\n\r\n"; // 37 bytes
    QTest::newRow("head exactly at maxHeadBytes") << HttpLimits{ 37, 100, 1000 } << head << ok();
    QTest::newRow("head one byte over -> 431")
        << HttpLimits{ 36, 100, 1000 } << head << failed(Error::HeadTooLarge);
    QTest::newRow("leading empty lines count")
        << HttpLimits{ 37, 100, 1000 } << QByteArray("\r\n" + head) << failed(Error::HeadTooLarge);
    QTest::newRow("body does not count as head")
        << HttpLimits{ 40, 100, 1000 }
        << QByteArray("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n0123456789")
        << ok().withMethod("POST").withBody("0123456789", 10);

    const QByteArray threeHeaders = "GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n";
    QTest::newRow("header count at maximum") << HttpLimits{ 1024, 3, 1000 } << threeHeaders << ok();
    QTest::newRow("header count over maximum -> 431")
        << HttpLimits{ 1024, 2, 1000 } << threeHeaders << failed(Error::TooManyHeaders);

    const QByteArray tenBytes = "POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n0123456789";
    QTest::newRow("Content-Length at maxBodyBytes")
        << HttpLimits{ 1024, 100, 10 } << tenBytes << ok().withMethod("POST").withBody("0123456789", 10);
    QTest::newRow("Content-Length over maxBodyBytes -> 413")
        << HttpLimits{ 1024, 100, 9 } << tenBytes
        << failed(Error::BodyTooLarge, true).withMethod("POST").withContentLength(10);

    const QByteArray chunks = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                              "4\r\n0123\r\n6\r\n456789\r\n0\r\n\r\n";
    QTest::newRow("chunks summing to maxBodyBytes")
        << HttpLimits{ 1024, 100, 10 } << chunks << ok().withMethod("POST").withChunkedBody("0123456789");
    QTest::newRow("chunks summing over maxBodyBytes -> 413")
        << HttpLimits{ 1024, 100, 9 } << chunks
        << failed(Error::BodyTooLarge, true).withMethod("POST").withChunkedBody({});

    // The trailer section is bounded like a head: here 11 + 49 + 2 + 2 = 64 bytes.
    const QByteArray trailers = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                                "1\r\na\r\n0\r\nX-Trailer: "
        + QByteArray(49, 'x') + "\r\n\r\n";
    QTest::newRow("trailer section at limit")
        << HttpLimits{ 64, 100, 10 } << trailers << ok().withMethod("POST").withChunkedBody("a");
    QTest::newRow("trailer section over limit -> 431")
        << HttpLimits{ 64, 100, 10 } << QByteArray(trailers).replace("X-Trailer", "X-Trailer2")
        << failed(Error::HeadTooLarge, true).withMethod("POST").withChunkedBody({});

    const QByteArray longExtension = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1;"
        + QByteArray(5000, 'x') + "\r\na\r\n0\r\n\r\n";
    QTest::newRow("chunk size line too long -> 400")
        << HttpLimits{} << longExtension
        << failed(Error::BadRequest, true).withMethod("POST").withChunkedBody({});
}

void tst_HttpRequestParser::limits()
{
    QFETCH(HttpLimits, limits);
    QFETCH(QByteArray, input);
    QFETCH(Expect, expect);
    verifyAllFeedings(input, expect, limits);
}

// An endless line must fail as soon as it passes the limit, before any line end arrives.
void tst_HttpRequestParser::headTooLargeWithoutLineEnd()
{
    HttpRequestParser parser(HttpLimits{ 100, 10, 100 });
    QCOMPARE(parser.feed(QByteArray(60, 'G')), 60);
    QCOMPARE(parser.state(), State::Head);
    parser.feed(QByteArray(60, 'G'));
    QCOMPARE(parser.state(), State::Error);
    QCOMPARE(parser.error(), Error::HeadTooLarge);
    QCOMPARE(parser.errorStatus(), 431);
    QVERIFY(!parser.isHeadComplete());

    // Same for the default 16 KiB: 16384 bytes of header line are fine, one more is not.
    HttpRequestParser big;
    const QByteArray requestLine = "GET / HTTP/1.1\r\n";
    QCOMPARE(big.feed(requestLine), requestLine.size());
    QCOMPARE(big.feed(QByteArray(16 * 1024 - requestLine.size(), 'x')), 16 * 1024 - requestLine.size());
    QCOMPARE(big.state(), State::Head);
    big.feed("x");
    QCOMPARE(big.error(), Error::HeadTooLarge);
}

void tst_HttpRequestParser::headers()
{
    const QByteArray input = "GET / HTTP/1.1\r\nHost: example.com:3000\r\nX-Spaces: \t  a  b \t\r\n"
                             "X-Empty:\r\nX-Obs-Text: caf\xc3\xa9\r\nx-dup: 1\r\nX-Dup: 2\r\n"
                             "Cookie: io=abc; other=1\r\n\r\n";
    for (const auto &[how, parts] : feedings(input)) {
        const Outcome o = parseParts(parts);
        QCOMPARE(o.state, State::Complete);
        const HttpHeaders expected{
            { "Host", "example.com:3000" },  { "X-Spaces", "a  b" }, { "X-Empty", "" },
            { "X-Obs-Text", "caf\xc3\xa9" }, { "x-dup", "1" },       { "X-Dup", "2" },
            { "Cookie", "io=abc; other=1" },
        };
        QCOMPARE(o.head.headers, expected);
        QCOMPARE(o.head.header("host"), QByteArray("example.com:3000"));
        QCOMPARE(o.head.header("X-DUP"), QByteArray("1")); // the first of repeated fields
        QVERIFY(o.head.hasHeader("x-empty"));
        QVERIFY(o.head.header("x-empty").isEmpty());
        QVERIFY(!o.head.hasHeader("X-Missing"));
        QVERIFY(o.head.header("X-Missing").isEmpty());
    }
}

// --- Pipelining: requests back to back in one stream -----------------------------------------

void tst_HttpRequestParser::pipelining_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<QList<QByteArray>>("targets");
    QTest::addColumn<QList<QByteArray>>("bodies");
    QTest::addColumn<QList<qsizetype>>("consumed"); // by each feed of the rest, when fed whole

    QTest::newRow("two GETs") << QByteArray("GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n")
                              << QList<QByteArray>{ "/a", "/b" } << QList<QByteArray>{ "", "" }
                              << QList<qsizetype>{ 19, 19 };
    QTest::newRow("POST then GET") << QByteArray(
        "POST /p HTTP/1.1\r\nContent-Length: 6\r\n\r\n4helloGET /g HTTP/1.1\r\n\r\n")
                                   << QList<QByteArray>{ "/p", "/g" } << QList<QByteArray>{ "4hello", "" }
                                   << QList<qsizetype>{ 45, 19 };
    QTest::newRow("chunked, POST, stray CRLF, GET")
        << QByteArray("POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n"
                      "POST /d HTTP/1.1\r\nContent-Length: 1\r\n\r\nx\r\n"
                      "GET /e HTTP/1.1\r\n\r\n")
        << QList<QByteArray>{ "/c", "/d", "/e" } << QList<QByteArray>{ "hi", "x", "" }
        << QList<qsizetype>{ 60, 40, 21 };
}

void tst_HttpRequestParser::pipelining()
{
    QFETCH(QByteArray, stream);
    QFETCH(QList<QByteArray>, targets);
    QFETCH(QList<QByteArray>, bodies);
    QFETCH(QList<qsizetype>, consumed);

    // Fed whole: each feed stops exactly at the end of its request.
    {
        HttpRequestParser parser;
        QByteArrayView rest = stream;
        for (qsizetype i = 0; i < targets.size(); ++i) {
            QCOMPARE(parser.feed(rest), consumed.at(i));
            QCOMPARE(parser.state(), State::Complete);
            QCOMPARE(parser.head().target, targets.at(i));
            QCOMPARE(parser.body(), bodies.at(i));
            rest = rest.sliced(consumed.at(i));
            parser.reset();
        }
        QVERIFY(rest.isEmpty());
    }

    // Any split gives the same requests.
    for (const auto &[how, parts] : feedings(stream)) {
        HttpRequestParser parser;
        QList<QByteArray> seenTargets, seenBodies;
        for (QByteArrayView part : parts) {
            while (!part.isEmpty()) {
                const qsizetype used = parser.feed(part);
                part = part.sliced(used);
                QVERIFY(parser.state() != State::Error);
                if (parser.state() == State::Complete) {
                    seenTargets.append(parser.head().target);
                    seenBodies.append(parser.takeBody());
                    parser.reset();
                } else {
                    QCOMPARE(part.size(), 0);
                }
            }
        }
        QCOMPARE(seenTargets, targets);
        QCOMPARE(seenBodies, bodies);
    }
}

void tst_HttpRequestParser::errorStateConsumesNothing()
{
    HttpRequestParser parser;
    const QByteArray bad = "GET / HTTP/1.1\r\nBad Header\r\n\r\nGET / HTTP/1.1\r\n\r\n";
    const qsizetype used = parser.feed(bad);
    QVERIFY(used < bad.size());
    QCOMPARE(parser.state(), State::Error);
    QCOMPARE(parser.feed(bad), 0);
    QCOMPARE(parser.feed("\r\n"), 0);
    QCOMPARE(parser.state(), State::Error);
    QCOMPARE(parser.error(), Error::BadRequest);

    // 413 from Content-Length: the head stays available for routing.
    HttpRequestParser tooLarge(HttpLimits{ 1024, 10, 5 });
    const QByteArray post = "POST /engine.io/?sid=x HTTP/1.1\r\nContent-Length: 6\r\n\r\n4hello";
    const qsizetype headSize = post.indexOf("4hello");
    QCOMPARE(tooLarge.feed(post), headSize);
    QCOMPARE(tooLarge.state(), State::Error);
    QCOMPARE(tooLarge.errorStatus(), 413);
    QVERIFY(tooLarge.isHeadComplete());
    QCOMPARE(tooLarge.head().path, QByteArray("/engine.io/"));
    QCOMPARE(tooLarge.head().query, QByteArray("sid=x"));
    QCOMPARE(tooLarge.feed("4hello"), 0);
}

void tst_HttpRequestParser::resetReusesParser()
{
    HttpRequestParser parser;
    QCOMPARE(parser.feed("GET /bad HTTP/9.9\r\n\r\n"), 19);
    QCOMPARE(parser.errorStatus(), 505);
    parser.reset();
    QCOMPARE(parser.state(), State::Head);
    QCOMPARE(parser.error(), Error::None);
    QCOMPARE(parser.errorStatus(), 0);
    QCOMPARE(parser.errorMessage(), "");
    QVERIFY(!parser.isHeadComplete());

    const QByteArray post = "POST /x HTTP/1.1\r\nContent-Length: 2\r\n\r\nok";
    QCOMPARE(parser.feed(post), post.size());
    QCOMPARE(parser.state(), State::Complete);
    QCOMPARE(parser.body(), QByteArray("ok"));
    parser.reset();
    QVERIFY(parser.body().isEmpty());
    QVERIFY(parser.head().headers.isEmpty());
    QCOMPARE(parser.head().contentLength, -1);
    QCOMPARE(parser.feed("GET /y HTTP/1.0\r\n\r\n"), 19);
    QCOMPARE(parser.state(), State::Complete);
    QCOMPARE(parser.head().target, QByteArray("/y"));
    QCOMPARE(parser.head().method, QByteArray("GET"));
    QVERIFY(!parser.head().keepAlive);

    // Limits can change between requests.
    parser.reset();
    parser.setLimits(HttpLimits{ 1024, 10, 1 });
    QCOMPARE(parser.limits().maxBodyBytes, 1);
    parser.feed(post);
    QCOMPARE(parser.error(), Error::BodyTooLarge);
}

void tst_HttpRequestParser::takeBody()
{
    HttpRequestParser parser;
    parser.feed("POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc");
    QCOMPARE(parser.takeBody(), QByteArray("abc"));
    QVERIFY(parser.body().isEmpty());
}

void tst_HttpRequestParser::errorStatusAndMessage()
{
    struct Case
    {
        const char *input;
        int status;
    };
    const Case cases[] = {
        { "GET /\r\n\r\n", 400 },
        { "GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\n\r\n", 431 },
        { "POST / HTTP/1.1\r\n\r\n", 411 },
        { "POST / HTTP/1.1\r\nContent-Length: 11\r\n\r\n", 413 },
        { "GET / HTTP/2.0\r\n\r\n", 505 },
        { "GET / HTTP/1.1\r\nTransfer-Encoding: br\r\n\r\n", 501 },
        { "GET / HTTP/1.1\r\nX: 0123456789012345678901234567890123456789\r\n\r\n", 431 },
    };
    for (const Case &c : cases) {
        HttpRequestParser parser(HttpLimits{ 48, 1, 10 });
        parser.feed(c.input);
        QCOMPARE(parser.state(), State::Error);
        QCOMPARE(parser.errorStatus(), c.status);
        QVERIFY(qstrlen(parser.errorMessage()) > 0);
    }
    HttpRequestParser fine;
    fine.feed("GET / HTTP/1.1\r\n\r\n");
    QCOMPARE(fine.errorStatus(), 0);
    QCOMPARE(fine.errorMessage(), "");
}

// --- Responses -------------------------------------------------------------------------------

void tst_HttpRequestParser::encodeResponse_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<HttpHeaders>("headers");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("wire");

    QTest::newRow("case 5: POST answers ok")
        << 200
        << HttpHeaders{ { "Content-Type", "text/plain; charset=UTF-8" }, { "Cache-Control", "no-store" } }
        << QByteArray("ok")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                      "Cache-Control: no-store\r\nContent-Length: 2\r\n\r\nok");
    QTest::newRow("engine error JSON")
        << 400 << HttpHeaders{ { "Content-Type", "application/json" } }
        << QByteArray(R"({"code":1,"message":"Session ID unknown"})")
        << QByteArray(
               "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: 41\r\n\r\n"
               R"({"code":1,"message":"Session ID unknown"})");
    QTest::newRow("empty body still has Content-Length")
        << 404 << HttpHeaders{} << QByteArray()
        << QByteArray("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
    QTest::newRow("binary body") << 200 << HttpHeaders{ { "Content-Type", "application/octet-stream" } }
                                 << raw("\0\xff\r\n")
                                 << raw("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                                        "Content-Length: 4\r\n\r\n\0\xff\r\n");
    QTest::newRow("204 has no Content-Length")
        << 204 << HttpHeaders{ { "Access-Control-Allow-Origin", "*" } } << QByteArray()
        << QByteArray("HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\n\r\n");
    QTest::newRow("101 has no Content-Length")
        << 101 << HttpHeaders{ { "Upgrade", "websocket" }, { "Connection", "Upgrade" } } << QByteArray()
        << QByteArray(
               "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n");
    QTest::newRow("unknown status") << 599 << HttpHeaders{} << QByteArray("x")
                                    << QByteArray("HTTP/1.1 599 Unknown\r\nContent-Length: 1\r\n\r\nx");
}

void tst_HttpRequestParser::encodeResponse()
{
    QFETCH(int, status);
    QFETCH(HttpHeaders, headers);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, wire);
    QCOMPARE(encodeHttpResponse(status, headers, body), wire);
}

void tst_HttpRequestParser::reasonPhrases_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("reason");
    const std::pair<int, const char *> phrases[] = {
        { 101, "Switching Protocols" },
        { 200, "OK" },
        { 204, "No Content" },
        { 400, "Bad Request" },
        { 403, "Forbidden" },
        { 404, "Not Found" },
        { 405, "Method Not Allowed" },
        { 408, "Request Timeout" },
        { 411, "Length Required" },
        { 413, "Payload Too Large" },
        { 414, "URI Too Long" },
        { 431, "Request Header Fields Too Large" },
        { 500, "Internal Server Error" },
        { 501, "Not Implemented" },
        { 503, "Service Unavailable" },
        { 505, "HTTP Version Not Supported" },
        { 0, "Unknown" },
        { 299, "Unknown" },
    };
    for (const auto &[status, reason] : phrases)
        QTest::addRow("%d", status) << status << QByteArray(reason);
}

void tst_HttpRequestParser::reasonPhrases()
{
    QFETCH(int, status);
    QFETCH(QByteArray, reason);
    QCOMPARE(httpReasonPhrase(status), reason);
}

void tst_HttpRequestParser::headerLookup()
{
    const HttpHeaders headers{ { "Content-Type", "text/plain" }, { "X-A", "" }, { "x-a", "second" } };
    QCOMPARE(headerValue(headers, "content-type"), QByteArray("text/plain"));
    QCOMPARE(headerValue(headers, "CONTENT-TYPE"), QByteArray("text/plain"));
    QCOMPARE(headerValue(headers, "X-A"), QByteArray(""));
    QVERIFY(headerValue(headers, "Content-Typ").isEmpty());
    QVERIFY(headerValue(headers, "Content-Type2").isEmpty());
    QVERIFY(headerValue({}, "x").isEmpty());
}

QTEST_APPLESS_MAIN(tst_HttpRequestParser)
#include "tst_httprequestparser.moc"
