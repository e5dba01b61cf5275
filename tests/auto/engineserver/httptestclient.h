// SPDX-License-Identifier: MIT
#pragma once

// Test-only HTTP/1.1 client over QTcpSocket: sends raw requests (one, several pipelined, or
// reused over keep-alive) and parses every response (status, headers, body framed by
// Content-Length, chunked encoding or the end of the connection). No QObject: signals are
// handled by lambdas, waiting is done by the caller with QTRY_* or waitFor*().

#include <QByteArray>
#include <QByteArrayList>
#include <QHostAddress>
#include <QList>
#include <QTcpSocket>
#include <QTest>

#include <functional>
#include <memory>
#include <utility>

struct HttpTestResponse
{
    int status = 0; // 0: no (complete) response
    QByteArray reason;
    QByteArray version;
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;
    bool chunked = false;

    bool isValid() const { return status != 0; }
    bool hasHeader(QByteArrayView name) const
    {
        for (const auto &h : headers) {
            if (h.first.compare(name, Qt::CaseInsensitive) == 0)
                return true;
        }
        return false;
    }
    // First value of a header (case-insensitive), empty if absent.
    QByteArray header(QByteArrayView name) const
    {
        for (const auto &h : headers) {
            if (h.first.compare(name, Qt::CaseInsensitive) == 0)
                return h.second;
        }
        return {};
    }
    QByteArrayList headerValues(QByteArrayView name) const
    {
        QByteArrayList values;
        for (const auto &h : headers) {
            if (h.first.compare(name, Qt::CaseInsensitive) == 0)
                values.append(h.second);
        }
        return values;
    }
};

class HttpTestClient
{
public:
    using Headers = QList<std::pair<QByteArray, QByteArray>>;

    explicit HttpTestClient(quint16 port, const QHostAddress &address = QHostAddress::LocalHost)
        : m_port(port)
        , m_socket(std::make_unique<QTcpSocket>())
    {
        QTcpSocket *socket = m_socket.get();
        QObject::connect(socket, &QTcpSocket::connected, socket, [this] { ++m_connectedCount; });
        QObject::connect(socket, &QTcpSocket::readyRead, socket, [this] { onReadyRead(); });
        QObject::connect(socket, &QTcpSocket::disconnected, socket, [this] { onDisconnected(); });
        QObject::connect(socket, &QTcpSocket::errorOccurred, socket,
                         [this](QAbstractSocket::SocketError error) {
                             m_lastError = error;
                             // A reset or refused connection never emits disconnected() when it was never
                             // connected; treat every error as the end of the connection.
                             if (error != QAbstractSocket::SocketTimeoutError)
                                 onDisconnected();
                         });
        socket->connectToHost(address, port);
    }
    ~HttpTestClient()
    {
        // No callbacks into a half-destroyed object.
        m_socket->disconnect();
        m_socket->abort();
    }
    HttpTestClient(const HttpTestClient &) = delete;
    HttpTestClient &operator=(const HttpTestClient &) = delete;

    quint16 port() const { return m_port; }
    QTcpSocket *socket() const { return m_socket.get(); }

    // Builds a request with Host and (when there is a body or the method needs one)
    // Content-Length, unless the caller gave its own framing headers.
    QByteArray buildRequest(const QByteArray &method, const QByteArray &target, const QByteArray &body = {},
                            const Headers &headers = {}) const
    {
        QByteArray request = method + ' ' + target + " HTTP/1.1\r\n";
        request += "Host: 127.0.0.1:" + QByteArray::number(m_port) + "\r\n";
        bool framed = false;
        for (const auto &h : headers) {
            if (h.first.compare("content-length", Qt::CaseInsensitive) == 0
                || h.first.compare("transfer-encoding", Qt::CaseInsensitive) == 0)
                framed = true;
            request += h.first + ": " + h.second + "\r\n";
        }
        if (!framed && (!body.isEmpty() || method == "POST" || method == "PUT"))
            request += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
        request += "\r\n";
        request += body;
        return request;
    }

    void sendRequest(const QByteArray &method, const QByteArray &target, const QByteArray &body = {},
                     const Headers &headers = {})
    {
        sendRaw(buildRequest(method, target, body, headers));
    }
    void get(const QByteArray &target, const Headers &headers = {})
    {
        sendRequest("GET", target, {}, headers);
    }
    void post(const QByteArray &target, const QByteArray &body, const Headers &headers = {})
    {
        sendRequest("POST", target, body, headers);
    }
    // Raw bytes, e.g. several pipelined requests in one write or a malformed request.
    void sendRaw(const QByteArray &bytes) { m_socket->write(bytes); }

    // Complete responses received so far, in order.
    const QList<HttpTestResponse> &responses() const { return m_responses; }
    int responseCount() const { return int(m_responses.size()); }
    HttpTestResponse response(int index = 0) const
    {
        return index < m_responses.size() ? m_responses.at(index) : HttpTestResponse{};
    }
    HttpTestResponse lastResponse() const
    {
        return m_responses.isEmpty() ? HttpTestResponse{} : m_responses.last();
    }

    bool isDisconnected() const { return m_disconnected; }
    int connectedCount() const { return m_connectedCount; }
    QAbstractSocket::SocketError lastError() const { return m_lastError; }
    QByteArray unparsedBytes() const { return m_buffer; }
    bool hasProtocolError() const { return m_protocolError; }

    // Called for every complete response, and once when the connection has ended.
    std::function<void(const HttpTestResponse &)> onResponse;
    std::function<void()> onClosed;

    // Spins the event loop (never sleeps blindly) until `count` responses arrived.
    bool waitForResponses(int count, int timeoutMs = 5000)
    {
        return QTest::qWaitFor(
                   [&] { return responseCount() >= count || (m_disconnected && m_buffer.isEmpty()); },
                   timeoutMs)
            && responseCount() >= count;
    }
    bool waitForDisconnected(int timeoutMs = 5000)
    {
        return QTest::qWaitFor([&] { return m_disconnected; }, timeoutMs);
    }
    // Waits until every written byte has left our socket buffer.
    bool waitForWritten(int timeoutMs = 5000)
    {
        return QTest::qWaitFor(
            [&] {
                return m_disconnected
                    || (m_socket->state() == QAbstractSocket::ConnectedState
                        && m_socket->bytesToWrite() == 0);
            },
            timeoutMs);
    }

private:
    void onReadyRead()
    {
        m_buffer += m_socket->readAll();
        parse(false);
    }
    void onDisconnected()
    {
        if (m_disconnected)
            return;
        if (m_socket->bytesAvailable() > 0)
            m_buffer += m_socket->readAll();
        m_disconnected = true;
        parse(true);
        if (onClosed)
            onClosed();
    }

    // Parses as many complete responses as the buffer holds.
    void parse(bool atEnd)
    {
        while (!m_protocolError) {
            if (!m_haveHead) {
                const qsizetype end = m_buffer.indexOf("\r\n\r\n");
                if (end < 0)
                    return;
                const QByteArray head = m_buffer.left(end);
                m_buffer.remove(0, end + 4);
                if (!parseHead(head)) {
                    m_protocolError = true;
                    return;
                }
                m_haveHead = true;
            }
            HttpTestResponse &r = m_current;
            const bool noBody = (r.status >= 100 && r.status < 200) || r.status == 204 || r.status == 304;
            if (noBody) {
                finish();
                continue;
            }
            if (r.chunked) {
                if (!parseChunks())
                    return;
                finish();
                continue;
            }
            const QByteArray lengthValue = r.header("content-length");
            if (!lengthValue.isEmpty()) {
                bool ok = false;
                const qint64 length = lengthValue.trimmed().toLongLong(&ok);
                if (!ok || length < 0) {
                    m_protocolError = true;
                    return;
                }
                if (m_buffer.size() < length)
                    return;
                r.body = m_buffer.left(length);
                m_buffer.remove(0, length);
                finish();
                continue;
            }
            // No framing: the body ends with the connection.
            if (!atEnd)
                return;
            r.body = m_buffer;
            m_buffer.clear();
            finish();
            return;
        }
    }

    bool parseHead(const QByteArray &head)
    {
        m_current = HttpTestResponse{};
        const QList<QByteArray> lines = head.split('\n');
        if (lines.isEmpty())
            return false;
        const QByteArray statusLine = lines.first().trimmed();
        const qsizetype sp1 = statusLine.indexOf(' ');
        if (sp1 < 0 || !statusLine.startsWith("HTTP/1."))
            return false;
        m_current.version = statusLine.left(sp1);
        const qsizetype sp2 = statusLine.indexOf(' ', sp1 + 1);
        bool ok = false;
        m_current.status = statusLine.mid(sp1 + 1, sp2 < 0 ? -1 : sp2 - sp1 - 1).toInt(&ok);
        if (!ok)
            return false;
        m_current.reason = sp2 < 0 ? QByteArray() : statusLine.mid(sp2 + 1);
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines.at(i).trimmed();
            if (line.isEmpty())
                continue;
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0)
                return false;
            m_current.headers.append({ line.left(colon).trimmed(), line.mid(colon + 1).trimmed() });
        }
        m_current.chunked = m_current.header("transfer-encoding").toLower().contains("chunked");
        m_chunkBody.clear();
        return true;
    }

    // Consumes chunks from the buffer; true when the last chunk (and trailers) arrived.
    bool parseChunks()
    {
        for (;;) {
            const qsizetype lineEnd = m_buffer.indexOf("\r\n");
            if (lineEnd < 0)
                return false;
            QByteArray sizeLine = m_buffer.left(lineEnd);
            const qsizetype semicolon = sizeLine.indexOf(';');
            if (semicolon >= 0)
                sizeLine.truncate(semicolon);
            bool ok = false;
            const qint64 size = sizeLine.trimmed().toLongLong(&ok, 16);
            if (!ok || size < 0) {
                m_protocolError = true;
                return false;
            }
            if (size == 0) {
                // Trailers end with an empty line.
                const qsizetype trailerEnd = m_buffer.indexOf("\r\n\r\n", lineEnd);
                if (trailerEnd == lineEnd) {
                    m_buffer.remove(0, lineEnd + 4);
                } else {
                    if (trailerEnd < 0)
                        return false;
                    m_buffer.remove(0, trailerEnd + 4);
                }
                m_current.body = m_chunkBody;
                return true;
            }
            if (m_buffer.size() < lineEnd + 2 + size + 2)
                return false;
            m_chunkBody += m_buffer.mid(lineEnd + 2, size);
            m_buffer.remove(0, lineEnd + 2 + size + 2);
        }
    }

    void finish()
    {
        m_responses.append(m_current);
        m_haveHead = false;
        const HttpTestResponse done = m_current;
        m_current = HttpTestResponse{};
        if (onResponse)
            onResponse(done);
    }

    quint16 m_port = 0;
    std::unique_ptr<QTcpSocket> m_socket;
    QByteArray m_buffer;
    QByteArray m_chunkBody;
    HttpTestResponse m_current;
    bool m_haveHead = false;
    bool m_disconnected = false;
    bool m_protocolError = false;
    int m_connectedCount = 0;
    QAbstractSocket::SocketError m_lastError = QAbstractSocket::UnknownSocketError;
    QList<HttpTestResponse> m_responses;
};
