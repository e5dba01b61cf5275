// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include <utility>

namespace SocketIo::Protocol {

using HttpHeader = std::pair<QByteArray, QByteArray>;
using HttpHeaders = QList<HttpHeader>;

// Case-insensitive header lookup; empty when absent.
QByteArray headerValue(const HttpHeaders &headers, QByteArrayView name);

// The parsed head of one HTTP/1.x request. Names keep the case they were sent in.
struct HttpRequestHead
{
    QByteArray method; // "GET", case-sensitive as sent
    QByteArray target; // raw request target, e.g. "/engine.io/?EIO=4&transport=polling"
    QByteArray path; // target before '?', still percent-encoded
    QByteArray query; // target after '?', without the '?'; empty if none
    int versionMinor = 1; // HTTP/1.<minor>
    HttpHeaders headers; // values with surrounding whitespace removed
    qint64 contentLength = -1; // -1: no Content-Length header
    bool chunked = false; // Transfer-Encoding: chunked
    bool keepAlive = true; // HTTP/1.1 unless "Connection: close"; HTTP/1.0 only with "keep-alive"
    bool upgrade = false; // "Connection: upgrade" (token) and an Upgrade header are present

    QByteArray header(QByteArrayView name) const { return headerValue(headers, name); }
    bool hasHeader(QByteArrayView name) const;
};

struct HttpLimits
{
    qsizetype maxHeadBytes = 16 * 1024; // request line + headers + CRLFs
    int maxHeaderCount = 100;
    qint64 maxBodyBytes = 1000000; // decoded body (Content-Length or sum of chunks)
};

// Incremental, bounded parser for one HTTP/1.x request at a time. Pure: no I/O, no Qt
// networking. Feed bytes as they arrive; it consumes up to the end of the current request and
// no further, so pipelined bytes stay with the caller. After Complete, reset() for the next one.
class HttpRequestParser
{
public:
    enum class State { Head, Body, Complete, Error };
    enum class Error {
        None,
        BadRequest, // 400: malformed request line, header, chunk framing, bad Content-Length
        HeadTooLarge, // 431
        TooManyHeaders, // 431
        LengthRequired, // 411: POST/PUT/PATCH without Content-Length or chunked
        BodyTooLarge, // 413: Content-Length or chunks above maxBodyBytes
        VersionNotSupported, // 505: not HTTP/1.0 or HTTP/1.1
        NotImplemented, // 501: Transfer-Encoding other than chunked
    };

    explicit HttpRequestParser(HttpLimits limits = {});

    // Consumes bytes of the current request; returns how many were used (less than data.size()
    // only when the request completed or an error occurred within data).
    qsizetype feed(QByteArrayView data);

    State state() const { return m_state; }
    Error error() const { return m_error; }
    int errorStatus() const; // HTTP status for error(), 0 when none
    const char *errorMessage() const; // short English text for logs, "" when none
    bool isHeadComplete() const { return m_state == State::Body || m_state == State::Complete || m_headDone; }

    const HttpRequestHead &head() const { return m_head; } // valid once the head is complete
    const QByteArray &body() const { return m_body; }
    QByteArray takeBody() { return std::exchange(m_body, {}); }

    void reset();
    HttpLimits limits() const { return m_limits; }
    void setLimits(const HttpLimits &limits) { m_limits = limits; }

private:
    // implementation detail: free to change
    void fail(Error error, const char *text);
    bool takeLine(QByteArrayView data, qsizetype pos, qsizetype take, QByteArrayView *line);
    qsizetype feedHead(QByteArrayView data, qsizetype pos);
    void processHeadLine(QByteArrayView line);
    void parseRequestLine(QByteArrayView line);
    void parseHeaderLine(QByteArrayView line);
    void finishHead();
    qsizetype feedFixedBody(QByteArrayView data, qsizetype pos);
    qsizetype feedChunked(QByteArrayView data, qsizetype pos);
    void processChunkSizeLine(QByteArrayView line);

    HttpLimits m_limits;
    State m_state = State::Head;
    Error m_error = Error::None;
    bool m_headDone = false;
    HttpRequestHead m_head;
    QByteArray m_body;
    QByteArray m_line; // partial line being accumulated
    qsizetype m_headBytes = 0;
    qint64 m_remaining = 0; // body bytes left (Content-Length) or in the current chunk
    int m_chunkState = 0;
    qsizetype m_lineBytes = 0; // bytes of the current chunk-size line
    const char *m_errorText = "";
};

// Serialises a response. Adds "Content-Length" (always, also for an empty body) and nothing
// else: callers pass Connection, Content-Type and the rest in headers.
QByteArray encodeHttpResponse(int status, const HttpHeaders &headers, QByteArrayView body);
// "OK", "Bad Request", ...; "Unknown" for codes it does not know.
QByteArray httpReasonPhrase(int status);

} // namespace SocketIo::Protocol
