// SPDX-License-Identifier: MIT
#pragma once

#include "admission_p.h"
#include "sessiontimers_p.h"
#include "transport/httpconnection.h"

#include <SocketIo/engineserver.h>
#include <SocketIo/enginesession.h>

#include <QElapsedTimer>
#include <QHash>
#include <QMetaMethod>
#include <QPointer>
#include <QTcpServer>
#include <QTimer>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>

QT_BEGIN_NAMESPACE
class QWebSocketServer;
QT_END_NAMESPACE

namespace SocketIo {

class EngineTransport;

// How HandshakeDecision, answered in any thread, reaches the server's thread: the server (or
// nothing once it is being destroyed). run() calls f in the server's thread: at once when
// called there, else queued to it; never once the server is going.
class EngineAnchor
{
public:
    explicit EngineAnchor(QObject *server)
        : m_server(server)
    { }
    void run(std::function<void()> f);
    void close(); // ~EngineServer, first thing

private:
    std::mutex m_mutex;
    QObject *m_server;
};

struct HandshakeDecision::State
{
    std::shared_ptr<EngineAnchor> anchor;
    // The handshake's continuation, in the server's thread: (allowed, refusal message).
    std::function<void(bool, const QString &)> resume;
    std::atomic<bool> decided{ false };
    void decide(bool allowed, const QString &message);
    ~State(); // unanswered: refused
};

// engine.io's Server: the HTTP front end, request verification, handshakes and the session table.
class EngineServerPrivate final : public HttpConnection::Handler
{
public:
    // The reference's error codes (engine.io Server.errors).
    enum ErrorCode {
        UnknownTransport = 0,
        UnknownSid = 1,
        BadHandshakeMethod = 2,
        BadRequest = 3,
        Forbidden = 4,
        UnsupportedProtocolVersion = 5,
    };

    explicit EngineServerPrivate(EngineServer *q, const EngineOptions &options);
    ~EngineServerPrivate() override;

    // HttpConnection::Handler
    void handleRequest(HttpConnection *connection, const Protocol::HttpRequestHead &head,
                       QByteArray body) override;
    void handleUpgrade(HttpConnection *connection, const Protocol::HttpRequestHead &head) override;
    void requestRefused(HttpConnection *connection, const Protocol::HttpRequestParser &parser) override;

    // Whether traffic snapshots are wanted: something is connected to trafficObserved, or an
    // observer wants them. Cheap (an atomic load, a list's size): asked for every packet.
    bool isObserving() const
    {
        if (trafficConnections.loadRelaxed() != 0 && q->isSignalConnected(trafficSignal))
            return true;
        for (const TrafficObserver *observer : trafficObservers) {
            if (observer->isObserving())
                return true;
        }
        return false;
    }
    // To the observers that want it, then to trafficObserved.
    void notifyTraffic(const TrafficEvent &event);
    void sessionClosed(EngineSession *session, CloseReason reason, const QString &description);
    HttpConnection::Settings connectionSettings() const;
    void closeAll();
    void createListener(); // listen()'s server, plain or TLS as configured

    EngineServer *const q;
    std::shared_ptr<const EngineOptions> options;
    // listen()'s server: a QTcpServer, or a QSslServer with sslConfiguration; null before
    // listen(). Child of q.
    QTcpServer *tcpServer = nullptr;
    QSslConfiguration sslConfiguration;
    // EngineOptions::limits: refuses a new session (answered, counted, logged) when over a cap.
    bool admit(HttpConnection *connection, const Protocol::HttpRequestHead &head,
               const Protocol::HttpHeaders &cors);
    Admission admission;
    QElapsedTimer admissionClock;
    qint64 refusedHandshakes = 0;
    // respondError's log lines: at most logBurst a second, then one line with the count.
    qint64 logWindowMs = 0;
    int logLinesInWindow = 0;
    int logSuppressed = 0;
    // EngineOptions::trimMemoryAfterClosures, trimMemoryAfterDroppedBytes
    QTimer trimTimer;
    int closedSinceTrim = 0;
    qint64 droppedSinceTrim = 0;
    int peakSessions = 0;
    void maybeTrimMemory(qint64 dropped);
    // EngineOptions::sendTimeout: every session's output progress, checked every half of it
    // while sessions exist (one timer for all).
    QTimer sendCheckTimer;
    void armSendCheck();
    void checkSendProgress();
    QList<QPointer<QTcpServer>> boundServers; // bind(): not owned
    QWebSocketServer *webSocketServer = nullptr;
    QObject connections; // parent of every HttpConnection
    QHash<QString, EngineSession *> sessions;
    SessionTimers timers; // every session's heartbeat, upgrade and close deadlines
    EngineServer::AllowRequest allowRequest;
    EngineServer::AllowRequestAsync allowRequestAsync;
    EngineServer::HeadersHook initialHeadersHook;
    EngineServer::HeadersHook headersHook;
    EngineServer::IdGenerator idGenerator;
    const std::shared_ptr<EngineAnchor> anchor;
    EngineServer::RequestHandler requestHandler;
    QString errorString;
    QMetaMethod trafficSignal;
    QAtomicInt trafficConnections; // connections to trafficObserved; -1: unknown (see disconnectNotify)
    QList<TrafficObserver *> trafficObservers; // EngineServer::addTrafficObserver(), not owned

    struct PendingUpgrade
    {
        HttpRequest request;
        QString sid;
        QString newId; // the id of the session a direct WebSocket handshake opens
        int protocol = 4;
        const QObject *socket = nullptr; // the TCP socket handed to QWebSocketServer
        QMetaObject::Connection forget; // drops this entry if the socket goes first
    };
    QHash<QString, PendingUpgrade> pendingUpgrades; // by "address|port" of the TCP peer

    void onNewConnection(QTcpServer *server);

private:
    void onNewWebSocket();
    bool matchesPath(QByteArrayView path) const;
    Protocol::HttpHeaders corsHeaders(const Protocol::HttpRequestHead &head) const;
    void respondError(HttpConnection *connection, const Protocol::HttpRequestHead &head, ErrorCode code,
                      const Protocol::HttpHeaders &cors, const QString &message = {});
    void respondFallback(HttpConnection *connection, const Protocol::HttpRequestHead &head, QByteArray body);
    HttpRequest makeRequest(HttpConnection *connection, const Protocol::HttpRequestHead &head,
                            QByteArray body) const;
    bool allowed(const HttpRequest &request, QString *message) const;
    // allowRequestAsync, when set: resume(allowed, message) later, in the server's thread
    // (never if the server goes first). Without it: resume(true) now.
    void decide(const HttpRequest &request, std::function<void(bool, const QString &)> resume);
    // The id of a new session (idGenerator or random); empty (logged) when the generator's
    // is unusable.
    QString newSessionId(const HttpRequest &request);
    // initialHeadersHook (initial) and headersHook add their fields to headers.
    void addHookHeaders(Protocol::HttpHeaders &headers, HttpConnection *connection,
                        const Protocol::HttpRequestHead &head, bool initial) const;
    // The polling handshake once allowed, and the direct WebSocket's hand-off.
    void openPolling(HttpConnection *connection, const Protocol::HttpRequestHead &head, HttpRequest request,
                     Protocol::HttpHeaders cors, int protocol);
    void handOffUpgrade(HttpConnection *connection, const Protocol::HttpRequestHead &head,
                        const Protocol::HttpHeaders &cors, PendingUpgrade pending);
    EngineSession *createSession(const QString &id, HttpRequest request, int protocol,
                                 EngineTransport *transport);
};

} // namespace SocketIo
