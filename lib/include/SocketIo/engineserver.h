// SPDX-License-Identifier: MIT
#pragma once

#include <SocketIo/engineoptions.h>
#include <SocketIo/httpmessage.h>
#include <SocketIo/traffic.h>

#include <QHostAddress>
#include <QObject>
#include <QSslConfiguration>

#include <functional>
#include <memory>
#include <optional>

QT_BEGIN_NAMESPACE
class QTcpServer;
QT_END_NAMESPACE

/// \file
/// \brief EngineServer: the Engine.IO server (HTTP long-polling and WebSocket on one port).

namespace SocketIo {

class EngineSession;
class EngineServerPrivate;

/// \brief The answer to an asynchronous handshake filter (EngineServer::setAllowRequestAsync()):
/// allow() lets the handshake proceed, refuse() answers it 403.
///
/// A copyable value, like engine.io's allowRequest callback: keep a copy while a database or
/// another service is asked, then answer once. Only the first answer of any copy counts. Any
/// thread may answer (the handshake then continues in the server's thread). When the last copy
/// is destroyed unanswered the handshake is refused ("Forbidden"), so that a forgotten answer
/// cannot park the client's request for ever. An answer that comes after the client went
/// away, or after the server was destroyed, does nothing.
class SOCKETIO_EXPORT HandshakeDecision
{
public:
    /// \brief Lets the handshake proceed (a session is opened).
    void allow() const;
    /// \brief Refuses the handshake: 403 {"code":4,"message":message} ("Forbidden" when empty).
    void refuse(const QString &message = {}) const;
    /// \brief Whether allow() or refuse() has been called on any copy.
    bool isDecided() const;

private:
    friend class EngineServerPrivate;
    struct State;
    std::shared_ptr<State> d;
};

/// \brief An Engine.IO v4 server (v3 with EngineOptions::allowEIO3): HTTP long-polling and
/// WebSocket on one port, with upgrades.
///
/// Shaped like QWebSocketServer: listen(), then sessionOpened() for every new client.
///
/// Requests outside options().path go to the request handler (default: 404), so static files
/// or an application's own routes can share the port.
///
/// Thread safety: an EngineServer and its sessions live in the thread that created the server;
/// call them from that thread only.
class SOCKETIO_EXPORT EngineServer : public QObject
{
    Q_OBJECT
public:
    /// \brief Decides whether a handshake may proceed; return false (and optionally set
    /// *message) to answer 403 {"code":4,"message":"Forbidden"}.
    using AllowRequest = std::function<bool(const HttpRequest &request, QString *message)>;
    /// \brief Answers requests outside the Engine.IO path.
    using RequestHandler = std::function<HttpResponse(const HttpRequest &request)>;
    /// \brief Decides later whether a handshake may proceed: answer through \a decision, now or
    /// from a callback (engine.io's allowRequest with its callback).
    using AllowRequestAsync =
        std::function<void(const HttpRequest &request, const SocketIo::HandshakeDecision &decision)>;
    /// \brief Adds header fields to a response: append to \a headers (engine.io's
    /// `initial_headers` and `headers` events). \a request is the request being answered,
    /// without its body.
    using HeadersHook = std::function<void(HttpHeaderList &headers, const HttpRequest &request)>;
    /// \brief Makes the id of a new session from its handshake request (engine.io's generateId()).
    using IdGenerator = std::function<QString(const HttpRequest &request)>;

    /// \brief A server with the default EngineOptions (path "/engine.io/"), not listening yet.
    explicit EngineServer(QObject *parent = nullptr);
    /// \brief A server with \a options, not listening yet.
    explicit EngineServer(const EngineOptions &options, QObject *parent = nullptr);
    /// \brief Destroys the server and its sessions.
    ~EngineServer() override;

    /// \brief The options in effect (a copy).
    EngineOptions options() const;
    /// \brief Replaces the options. Applies to requests and sessions from now on.
    void setOptions(const EngineOptions &options);

    /// \brief Listens on \a address and \a port (0: any free port, see serverPort()). Returns
    /// false and sets errorString() on failure. With an SSL configuration (setSslConfiguration())
    /// every connection is TLS: https polling, wss and the upgrade between them.
    bool listen(const QHostAddress &address = QHostAddress::Any, quint16 port = 0);
    /// \brief Serves TLS with \a configuration (its local certificate chain and private key).
    ///
    /// Set before listen(). While listening with TLS, a new configuration (e.g. a renewed
    /// certificate) applies to the connections accepted from now on, without a restart; open
    /// ones keep theirs. A null configuration turns TLS off at the next listen(). The TLS
    /// handshake must finish within EngineOptions::headersTimeout. Requests over TLS have
    /// HttpRequest::secure set (Handshake::secure in Socket.IO).
    void setSslConfiguration(const QSslConfiguration &configuration);
    /// \brief The TLS configuration; null when serving plain HTTP.
    QSslConfiguration sslConfiguration() const;
    /// \brief Reads a PEM certificate (chain: the server's first) and a PEM private key (RSA,
    /// EC or Ed25519; unencrypted) into a server configuration for setSslConfiguration().
    /// Returns nothing and sets \a error when a file is unreadable or holds no certificate or
    /// key. (A key that does not belong to the certificate makes every TLS handshake fail.)
    static std::optional<QSslConfiguration> loadSslConfiguration(const QString &certificateFile,
                                                                 const QString &privateKeyFile,
                                                                 QString *error = nullptr);
    /// \brief Serves the connections of a QTcpServer set up by the caller (listening or not
    /// yet), as QtHttpServer's bind(); a QSslServer works too (its connections are served
    /// once their TLS handshake is done).
    ///
    /// The server is not owned; it must outlive this EngineServer or be closed first. Returns
    /// false if server is null. isListening(), serverAddress() and serverPort() are about
    /// listen()'s own socket, not this one.
    bool bind(QTcpServer *server);
    /// \brief Stops listening and closes every session with CloseReason::ForcedServerClose.
    void close();
    /// \brief Whether listen() succeeded and close() has not been called since.
    bool isListening() const;
    /// \brief The address listen() bound to.
    QHostAddress serverAddress() const;
    /// \brief The port listen() bound to (the one picked when 0 was asked for).
    quint16 serverPort() const;
    /// \brief Why the last listen() failed; empty after a success.
    QString errorString() const;

    /// \brief Sets the handshake filter (none by default: every valid handshake proceeds).
    void setAllowRequest(AllowRequest allow);
    /// \brief Sets an asynchronous handshake filter (none by default), asked for every new
    /// session (polling handshake or direct WebSocket) once the synchronous one (if any) and
    /// EngineOptions::limits have let it through. The client's request waits for the answer;
    /// see HandshakeDecision.
    void setAllowRequestAsync(AllowRequestAsync allow);
    /// \brief Adds header fields to the response of each polling handshake (engine.io's
    /// `initial_headers`), e.g. a Set-Cookie for a load balancer's sticky sessions. Called
    /// after EngineOptions::cookie's Set-Cookie was added, before the headers hook.
    ///
    /// Not for WebSocket handshakes: QWebSocketServer (Qt 6.4) writes the 101 response itself
    /// and takes no extra header fields. Fields with CR, LF or NUL in them are dropped.
    void setInitialHeadersHook(HeadersHook hook);
    /// \brief Adds header fields to every polling response of the Engine.IO path: the
    /// handshake, each GET and each POST (engine.io's `headers`); not to error responses, and
    /// not to WebSocket handshakes (see setInitialHeadersHook()).
    void setHeadersHook(HeadersHook hook);
    /// \brief Sets how session ids are made (default: 20 random base64url characters, like
    /// engine.io's base64id).
    ///
    /// The id must be 1 to 128 characters among letters, digits and `-_.~:`, and not in use:
    /// otherwise the handshake is answered 400 {"code":3,"message":"Bad request"} (engine.io's
    /// ID_GENERATION_ERROR) and a warning is logged. Socket.IO v4 socket ids stay random; v3
    /// clients derive theirs from the session id.
    void setIdGenerator(IdGenerator generator);
    /// \brief Sets the handler of requests outside options().path (default: 404); see
    /// staticFiles().
    void setRequestHandler(RequestHandler handler);

    /// \brief The open sessions.
    ///
    /// Owned by the server; each is valid until its closed() signal has been delivered (it is
    /// deleted later).
    QList<EngineSession *> sessions() const;
    /// \brief The session with sid \a id, or null. Owned by the server (see sessions()).
    EngineSession *session(const QString &id) const;
    /// \brief The number of open sessions.
    int sessionCount() const;
    /// \brief Handshakes refused by EngineOptions::limits since construction.
    qint64 refusedHandshakeCount() const;

    /// \brief Adds a traffic observer, called for every packet in the order added, before
    /// trafficObserved(). Not owned: remove an observer before it is destroyed (or destroy the
    /// server first). Adding one twice adds it once.
    void addTrafficObserver(TrafficObserver *observer);
    /// \brief Removes \a observer (also from within its own observe()).
    void removeTrafficObserver(TrafficObserver *observer);

Q_SIGNALS:
    /// \brief A client completed the handshake. The session is owned by the server.
    void sessionOpened(SocketIo::EngineSession *session);
    /// \brief A session ended (emitted after the session's own closed()).
    void sessionClosed(const QString &sessionId, SocketIo::CloseReason reason, const QString &description);
    /// \brief A request was refused before or during the handshake (engine.io's
    /// "connection_error"), with the engine error code and message it was answered with.
    void connectionError(const SocketIo::HttpRequest &request, int code, const QString &message);
    /// Every Engine.IO packet in and out, as a value. Snapshots are only built while something
    /// is connected to this signal or a TrafficObserver wants them.
    void trafficObserved(const SocketIo::TrafficEvent &event);

protected:
    /// \brief Counts the connections to trafficObserved(), so that no snapshot is built while
    /// nothing observes.
    void connectNotify(const QMetaMethod &signal) override;
    /// \brief See connectNotify().
    void disconnectNotify(const QMetaMethod &signal) override;

private:
    friend class EngineServerPrivate;
    friend class EngineSession;
    const std::unique_ptr<EngineServerPrivate> d;
};

} // namespace SocketIo
