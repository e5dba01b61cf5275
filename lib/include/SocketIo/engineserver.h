// SPDX-License-Identifier: MIT
#pragma once

#include <SocketIo/engineoptions.h>
#include <SocketIo/httpmessage.h>
#include <SocketIo/traffic.h>

#include <QHostAddress>
#include <QObject>

#include <functional>
#include <memory>

QT_BEGIN_NAMESPACE
class QTcpServer;
QT_END_NAMESPACE

namespace SocketIo {

class EngineSession;
class EngineServerPrivate;

// An Engine.IO v4 server (v3 with EngineOptions::allowEIO3): HTTP long-polling and WebSocket
// on one port, with upgrades. Shaped like QWebSocketServer: listen(), then sessionOpened()
// for every new client.
//
// Requests outside options().path go to the request handler (default: 404), so static files
// or an application's own routes can share the port.
//
// Thread safety: an EngineServer and its sessions live in the thread that created the server;
// call them from that thread only.
class SOCKETIO_EXPORT EngineServer : public QObject
{
    Q_OBJECT
public:
    // Decides whether a handshake may proceed; return false (and optionally set *message) to
    // answer 403 {"code":4,"message":"Forbidden"}.
    using AllowRequest = std::function<bool(const HttpRequest &request, QString *message)>;
    // Answers requests outside the Engine.IO path.
    using RequestHandler = std::function<HttpResponse(const HttpRequest &request)>;

    explicit EngineServer(QObject *parent = nullptr);
    explicit EngineServer(const EngineOptions &options, QObject *parent = nullptr);
    ~EngineServer() override;

    EngineOptions options() const;
    // Applies to requests and sessions from now on.
    void setOptions(const EngineOptions &options);

    bool listen(const QHostAddress &address = QHostAddress::Any, quint16 port = 0);
    // Serves the connections of a QTcpServer set up by the caller (listening or not yet), as
    // QtHttpServer's bind(). The server is not owned; it must outlive this EngineServer or be
    // closed first. Returns false if server is null.
    bool bind(QTcpServer *server);
    // Stops listening and closes every session with CloseReason::ForcedServerClose.
    void close();
    bool isListening() const;
    QHostAddress serverAddress() const;
    quint16 serverPort() const;
    QString errorString() const;

    void setAllowRequest(AllowRequest allow);
    void setRequestHandler(RequestHandler handler);

    // The open sessions. Owned by the server; each is valid until its closed() signal has
    // been delivered (it is deleted later).
    QList<EngineSession *> sessions() const;
    EngineSession *session(const QString &id) const;
    int sessionCount() const;

    // Traffic observers, called for every packet in the order added, before trafficObserved().
    // Not owned: remove an observer before it is destroyed (or destroy the server first).
    // Adding one twice adds it once.
    void addTrafficObserver(TrafficObserver *observer);
    void removeTrafficObserver(TrafficObserver *observer);

Q_SIGNALS:
    // A client completed the handshake. The session is owned by the server.
    void sessionOpened(SocketIo::EngineSession *session);
    // A session ended (emitted after the session's own closed()).
    void sessionClosed(const QString &sessionId, SocketIo::CloseReason reason, const QString &description);
    // A request was refused before or during the handshake (engine.io's "connection_error").
    void connectionError(const SocketIo::HttpRequest &request, int code, const QString &message);
    // Every Engine.IO packet in and out, as a value. Snapshots are only built while something
    // is connected to this signal or a TrafficObserver wants them.
    void trafficObserved(const SocketIo::TrafficEvent &event);

protected:
    void connectNotify(const QMetaMethod &signal) override;
    void disconnectNotify(const QMetaMethod &signal) override;

private:
    friend class EngineServerPrivate;
    friend class EngineSession;
    const std::unique_ptr<EngineServerPrivate> d;
};

} // namespace SocketIo
