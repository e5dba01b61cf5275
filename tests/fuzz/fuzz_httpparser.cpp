// SPDX-License-Identifier: MIT
// libFuzzer target for HttpRequestParser.
//
// Input: one control byte, then a byte stream of (pipelined) requests. The control byte picks
// the split point of the stream and, when its low bit is set, small limits so the limit paths
// are reached. The stream is parsed twice, once whole and once in two parts, like a server
// reading it from a socket (complete request -> reset -> feed the rest); both runs must see the
// same sequence of requests and errors, and feed() must keep its contract.
#include "protocol/httprequestparser.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace SocketIo::Protocol;
using State = HttpRequestParser::State;

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

// What a caller can observe of one request (or of the unfinished tail of the stream).
struct Event
{
    State state;
    HttpRequestParser::Error error;
    bool headComplete;
    HttpRequestHead head;
    QByteArray body;

    bool operator==(const Event &o) const
    {
        if (state != o.state || error != o.error || headComplete != o.headComplete)
            return false;
        if (headComplete
            && (head.method != o.head.method || head.target != o.head.target || head.path != o.head.path
                || head.query != o.head.query || head.versionMinor != o.head.versionMinor
                || head.headers != o.head.headers || head.contentLength != o.head.contentLength
                || head.chunked != o.head.chunked || head.keepAlive != o.head.keepAlive
                || head.upgrade != o.head.upgrade))
            return false;
        return state != State::Complete || body == o.body;
    }
};

void checkFinished(HttpRequestParser &parser, const HttpLimits &limits)
{
    if (parser.state() == State::Complete) {
        check(parser.isHeadComplete(), "complete without head");
        check(parser.error() == HttpRequestParser::Error::None, "complete with error");
        const HttpRequestHead &head = parser.head();
        check(!head.method.isEmpty(), "empty method");
        check(!head.target.isEmpty(), "empty target");
        check(head.versionMinor == 0 || head.versionMinor == 1, "bad version");
        check(head.headers.size() <= limits.maxHeaderCount, "too many headers accepted");
        check(parser.body().size() <= limits.maxBodyBytes, "body over limit");
        if (!head.chunked && head.contentLength >= 0)
            check(parser.body().size() == head.contentLength, "body size differs from Content-Length");
        check(!(head.chunked && head.contentLength >= 0), "chunked with Content-Length");
    } else {
        check(parser.state() == State::Error, "unexpected state");
        const int status = parser.errorStatus();
        check(status == 400 || status == 411 || status == 413 || status == 431 || status == 501
                  || status == 505,
              "unexpected status");
        check(parser.errorMessage()[0] != '\0', "error without message");
    }
    // A finished parser takes nothing more.
    check(parser.feed("GET / HTTP/1.1\r\n\r\n") == 0, "consumed after finishing");
}

// Parses the stream fed as the given parts, resetting after each complete request.
QList<Event> run(const QList<QByteArrayView> &parts, const HttpLimits &limits)
{
    QList<Event> events;
    HttpRequestParser parser(limits);
    for (QByteArrayView part : parts) {
        while (!part.isEmpty()) {
            const qsizetype used = parser.feed(part);
            check(used >= 0 && used <= part.size(), "consumed out of range");
            part = part.sliced(used);
            const State state = parser.state();
            if (state == State::Head || state == State::Body) {
                check(part.isEmpty(), "unfinished request left bytes unconsumed");
                continue;
            }
            checkFinished(parser, limits);
            events.append({ state, parser.error(), parser.isHeadComplete(), parser.head(), parser.body() });
            if (state == State::Error)
                return events;
            check(used > 0, "completed without consuming");
            parser.reset();
        }
    }
    events.append({ parser.state(), parser.error(), parser.isHeadComplete(), parser.head(), parser.body() });
    return events;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const uint8_t control = data[0];
    const QByteArrayView stream(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));

    HttpLimits limits;
    if (control & 1) {
        limits.maxHeadBytes = 64 + (control >> 1);
        limits.maxHeaderCount = 1 + (control >> 5);
        limits.maxBodyBytes = control >> 2;
    }
    const qsizetype split = stream.isEmpty() ? 0 : qsizetype(control) * 7919 % (stream.size() + 1);

    const QList<Event> whole = run({ stream }, limits);
    const QList<Event> parts = run({ stream.first(split), stream.sliced(split) }, limits);
    check(whole.size() == parts.size(), "split changed the number of requests");
    for (qsizetype i = 0; i < whole.size(); ++i)
        check(whole.at(i) == parts.at(i), "split changed a request");
    return 0;
}
