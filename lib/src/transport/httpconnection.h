// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/httprequestparser.h"

#include <QHostAddress>
#include <QObject>
#include <QTimer>

#include <chrono>

QT_BEGIN_NAMESPACE
class QTcpSocket;
class QWebSocketServer;
QT_END_NAMESPACE

namespace SocketIo {

// One TCP connection of the HTTP/1.1 front end. Reads one request at a time with the pure
// HttpRequestParser and hands it to its Handler; the next (pipelined) request is read only once
// the current one is answered, so responses go out in order. A WebSocket upgrade request can be
// handed to a QWebSocketServer untouched: its head is read inside a QIODevice transaction that
// is rolled back for the hand-off.
class HttpConnection : public QObject
{
    Q_OBJECT
public:
    class Handler
    {
    public:
        virtual ~Handler() = default;
        // A complete request; answer now or later with respond().
        virtual void handleRequest(HttpConnection *connection, const Protocol::HttpRequestHead &head,
                                   QByteArray body) = 0;
        // A request that asks for "Connection: upgrade". Answer with respond() or handOff().
        virtual void handleUpgrade(HttpConnection *connection, const Protocol::HttpRequestHead &head) = 0;
        // The parser refused a request (the connection answers it and closes). The head is
        // complete when parser.isHeadComplete(), e.g. for 413.
        virtual void requestRefused(HttpConnection *connection,
                                    const Protocol::HttpRequestParser &parser) = 0;
    };

    struct Settings
    {
        Protocol::HttpLimits limits;
        std::chrono::milliseconds headersTimeout{ 30000 }; // the request head
        std::chrono::milliseconds keepAliveTimeout{ 5000 };
        // The body: at least minBodyRate bytes a second (one byte if 0) in every such period.
        std::chrono::milliseconds bodyTimeout{ 30000 };
        qint64 minBodyRate = 500;
        // A closing connection whose peer takes nothing of the last response is aborted after.
        std::chrono::milliseconds sendTimeout{ 30000 };
    };

    enum class AfterResponse { KeepAlive, Close };

    // Takes ownership of socket.
    HttpConnection(QTcpSocket *socket, Handler *handler, const Settings &settings, QObject *parent);
    ~HttpConnection() override;

    // Answers the current request. Adds Content-Length, and Connection when needed.
    void respond(int status, const Protocol::HttpHeaders &headers, QByteArrayView body,
                 AfterResponse after = AfterResponse::KeepAlive);
    bool isAwaitingResponse() const { return m_busy; }

    // Inside handleUpgrade(): whether the raw request can still be handed over.
    bool canHandOff() const;
    // Gives the socket, with the upgrade request unread, to server and returns it (owned by
    // the QWebSocketServer machinery from now on); this object deletes itself.
    QTcpSocket *handOff(QWebSocketServer *server);

    QHostAddress peerAddress() const;
    quint16 peerPort() const;
    bool isSecure() const; // over TLS
    bool isOpen() const;
    void abort();

Q_SIGNALS:
    // The peer went away while its request waited for an answer.
    void aborted();

private:
    void onReadyRead();
    void processIncoming();
    void dispatch();
    void refuse();
    void onTimeout();
    void onDisconnected();
    void startTimer(std::chrono::milliseconds timeout);
    void close(); // after the last response: disconnect, aborted if the output does not drain

    QTcpSocket *m_socket;
    Handler *m_handler;
    Settings m_settings;
    Protocol::HttpRequestParser m_parser;
    QByteArray m_leftover; // bytes of the next pipelined request(s)
    QTimer m_timer; // headers, body, keep-alive idle or closing (send) timeout
    // What m_timer waits for.
    enum class Phase { Idle, Head, Body, Closing };
    Phase m_phase = Phase::Idle;
    qint64 m_received = 0; // bytes of the current request so far
    qint64 m_windowStart = 0; // m_received when the current body period began
    qint64 m_written = 0; // bytes the socket handed to the network (progress while closing)
    qint64 m_writtenMark = 0;
    bool m_busy = false; // a request waits for respond()
    bool m_requestStarted = false;
    bool m_inTransaction = false; // the current request is readable again by rollback
    bool m_keepAlive = true;
    bool m_processScheduled = false;
};

} // namespace SocketIo
