// SPDX-License-Identifier: MIT
#include "httpconnection.h"

#include "logging_p.h"

#include <QSslSocket>
#include <QTcpSocket>
#include <QWebSocketServer>

namespace SocketIo {

using namespace Protocol;

HttpConnection::HttpConnection(QTcpSocket *socket, Handler *handler, const Settings &settings,
                               QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_handler(handler)
    , m_settings(settings)
    , m_parser(settings.limits)
{
    m_socket->setParent(this);
    // Realtime traffic: a small frame must not wait for the peer's delayed ACK of the previous
    // one (Nagle's algorithm: up to 40 ms on Linux). node's http server and ws set TCP_NODELAY.
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &HttpConnection::onTimeout);
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, &HttpConnection::onDisconnected);
    connect(m_socket, &QTcpSocket::bytesWritten, this, [this](qint64 bytes) { m_written += bytes; });
    m_phase = Phase::Head;
    startTimer(m_settings.headersTimeout);
    if (m_socket->bytesAvailable() > 0)
        processIncoming();
}

HttpConnection::~HttpConnection() = default;

bool HttpConnection::isSecure() const
{
    const auto *ssl = qobject_cast<const QSslSocket *>(m_socket);
    return ssl && ssl->isEncrypted();
}

QHostAddress HttpConnection::peerAddress() const
{
    return m_socket ? m_socket->peerAddress() : QHostAddress();
}

quint16 HttpConnection::peerPort() const
{
    return m_socket ? m_socket->peerPort() : 0;
}

bool HttpConnection::isOpen() const
{
    return m_socket && m_socket->state() == QAbstractSocket::ConnectedState;
}

void HttpConnection::abort()
{
    if (m_socket)
        m_socket->abort();
}

void HttpConnection::startTimer(std::chrono::milliseconds timeout)
{
    if (timeout.count() > 0)
        m_timer.start(timeout);
    else
        m_timer.stop();
}

void HttpConnection::onReadyRead()
{
    if (!m_busy) {
        processIncoming();
        return;
    }
    // A client that pipelines while its request is parked gets read later; bound what it may
    // queue meanwhile.
    const qint64 bound = m_settings.limits.maxHeadBytes + m_settings.limits.maxBodyBytes;
    if (m_socket->bytesAvailable() + m_leftover.size() > bound) {
        qCWarning(lcHttp) << "closing" << m_socket->peerAddress() << "pipelined more than" << bound
                          << "bytes behind a pending request";
        m_socket->abort();
    }
}

void HttpConnection::processIncoming()
{
    m_processScheduled = false;
    while (!m_busy && m_socket && m_socket->state() == QAbstractSocket::ConnectedState) {
        QByteArray data;
        if (!m_leftover.isEmpty()) {
            data = std::exchange(m_leftover, {});
        } else {
            if (m_socket->bytesAvailable() <= 0)
                return;
            if (!m_requestStarted && !m_socket->isTransactionStarted()) {
                // Everything from here on can be handed to QWebSocketServer unread.
                m_socket->startTransaction();
                m_inTransaction = true;
            }
            data = m_socket->readAll();
        }
        if (!m_requestStarted) {
            m_requestStarted = true;
            m_received = 0;
            m_phase = Phase::Head;
            startTimer(m_settings.headersTimeout);
        }
        const qsizetype used = m_parser.feed(data);
        if (used < data.size())
            m_leftover = data.mid(used);
        m_received += used;
        if (m_phase == Phase::Head && m_parser.state() == HttpRequestParser::State::Body) {
            // The head is in: the body has its own deadline, renewed while it keeps coming.
            m_phase = Phase::Body;
            m_windowStart = m_received;
            startTimer(m_settings.bodyTimeout);
        }

        if (m_inTransaction && m_parser.isHeadComplete() && !m_parser.head().upgrade) {
            m_socket->commitTransaction();
            m_inTransaction = false;
        }
        switch (m_parser.state()) {
        case HttpRequestParser::State::Head:
        case HttpRequestParser::State::Body:
            continue;
        case HttpRequestParser::State::Error:
            refuse();
            return;
        case HttpRequestParser::State::Complete:
            dispatch();
            break;
        }
    }
}

void HttpConnection::dispatch()
{
    m_timer.stop();
    m_phase = Phase::Idle;
    m_busy = true;
    m_keepAlive = m_parser.head().keepAlive;
    const HttpRequestHead &head = m_parser.head();
    qCDebug(lcHttp).noquote() << m_socket->peerAddress().toString() << head.method << head.target;
    if (head.upgrade) {
        m_handler->handleUpgrade(this, head);
        return;
    }
    if (m_inTransaction) {
        m_socket->commitTransaction();
        m_inTransaction = false;
    }
    m_handler->handleRequest(this, head, m_parser.takeBody());
}

void HttpConnection::refuse()
{
    qCInfo(lcHttp).noquote() << "refusing request from" << m_socket->peerAddress().toString() << ":"
                             << m_parser.errorStatus() << m_parser.errorMessage();
    if (m_inTransaction) {
        m_socket->commitTransaction();
        m_inTransaction = false;
    }
    m_busy = true;
    m_handler->requestRefused(this, m_parser);
    if (m_busy) // the handler did not answer: a plain error page
        respond(m_parser.errorStatus(),
                { { QByteArrayLiteral("Content-Type"), QByteArrayLiteral("text/plain") } },
                httpReasonPhrase(m_parser.errorStatus()), AfterResponse::Close);
}

bool HttpConnection::canHandOff() const
{
    return m_busy && m_inTransaction && m_socket && m_socket->isTransactionStarted();
}

QTcpSocket *HttpConnection::handOff(QWebSocketServer *server)
{
    Q_ASSERT(canHandOff());
    m_timer.stop();
    m_socket->rollbackTransaction();
    m_inTransaction = false;
    QTcpSocket *socket = std::exchange(m_socket, nullptr);
    socket->disconnect(this);
    socket->setParent(nullptr);
    server->handleConnection(socket);
    deleteLater();
    return socket;
}

void HttpConnection::respond(int status, const HttpHeaders &headers, QByteArrayView body, AfterResponse after)
{
    if (!m_busy || !m_socket)
        return;
    m_busy = false;
    if (m_inTransaction) { // an upgrade request answered over HTTP
        m_socket->commitTransaction();
        m_inTransaction = false;
    }
    const bool keepAlive = m_keepAlive && after == AfterResponse::KeepAlive;
    HttpHeaders all = headers;
    if (!keepAlive)
        all.append({ QByteArrayLiteral("Connection"), QByteArrayLiteral("close") });
    else if (m_parser.head().versionMinor == 0)
        all.append({ QByteArrayLiteral("Connection"), QByteArrayLiteral("keep-alive") });
    m_socket->write(encodeHttpResponse(status, all, body));
    m_parser.reset();
    m_requestStarted = false;
    if (!keepAlive) {
        close();
        return;
    }
    m_phase = Phase::Idle;
    startTimer(m_settings.keepAliveTimeout);
    if ((!m_leftover.isEmpty() || m_socket->bytesAvailable() > 0) && !m_processScheduled) {
        // The next pipelined request: read it from the event loop, not from inside the handler.
        m_processScheduled = true;
        QMetaObject::invokeMethod(this, &HttpConnection::processIncoming, Qt::QueuedConnection);
    }
}

void HttpConnection::close()
{
    m_phase = Phase::Closing;
    m_writtenMark = m_written;
    m_socket->disconnectFromHost(); // waits for the output to go out
    if (m_socket && m_socket->state() != QAbstractSocket::UnconnectedState)
        startTimer(m_settings.sendTimeout);
}

void HttpConnection::onTimeout()
{
    if (!m_socket)
        return;
    if (m_phase == Phase::Closing) {
        if (m_written != m_writtenMark) { // slow, but it reads
            m_writtenMark = m_written;
            startTimer(m_settings.sendTimeout);
            return;
        }
        qCInfo(lcHttp).noquote() << "aborting the connection of" << m_socket->peerAddress().toString() << ":"
                                 << m_socket->bytesToWrite() << "bytes of output not taken for"
                                 << m_settings.sendTimeout.count() << "ms (sendTimeout)";
        m_socket->abort();
        return;
    }
    if (m_busy)
        return;
    if (!m_requestStarted) {
        close();
        return;
    }
    QString why;
    if (m_phase == Phase::Body) {
        const qint64 progress = m_received - m_windowStart;
        const qint64 needed =
            qMax<qint64>(1, m_settings.minBodyRate * qint64(m_settings.bodyTimeout.count()) / 1000);
        if (progress >= needed) { // a slow but live upload
            m_windowStart = m_received;
            startTimer(m_settings.bodyTimeout);
            return;
        }
        why =
            QStringLiteral("body: %1 bytes in the last %2 ms, at least %3 wanted (bodyTimeout, minBodyRate)")
                .arg(progress)
                .arg(m_settings.bodyTimeout.count())
                .arg(needed);
    } else {
        why = QStringLiteral("head incomplete after %1 ms (headersTimeout)")
                  .arg(m_settings.headersTimeout.count());
    }
    qCInfo(lcHttp).noquote() << "request from" << m_socket->peerAddress().toString() << "too slow:" << why
                             << ": 408";
    m_busy = true;
    m_keepAlive = false;
    respond(408, { { QByteArrayLiteral("Content-Type"), QByteArrayLiteral("text/plain") } },
            "Request Timeout", AfterResponse::Close);
}

void HttpConnection::onDisconnected()
{
    m_timer.stop();
    if (m_busy) {
        m_busy = false;
        Q_EMIT aborted();
    }
    deleteLater();
}

} // namespace SocketIo
