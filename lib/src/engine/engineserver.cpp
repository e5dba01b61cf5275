// SPDX-License-Identifier: MIT
#include "engineserver_p.h"
#include "enginesession_p.h"
#include "id_p.h"
#include "logging_p.h"
#include "transport/pollingtransport.h"
#include "transport/websockettransport.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QThread>
#include <QWebSocket>
#include <QWebSocketServer>

namespace SocketIo {

using namespace Protocol;

namespace {

const char *errorMessage(EngineServerPrivate::ErrorCode code)
{
    switch (code) {
    case EngineServerPrivate::UnknownTransport:
        return "Transport unknown";
    case EngineServerPrivate::UnknownSid:
        return "Session ID unknown";
    case EngineServerPrivate::BadHandshakeMethod:
        return "Bad handshake method";
    case EngineServerPrivate::BadRequest:
        return "Bad request";
    case EngineServerPrivate::Forbidden:
        return "Forbidden";
    case EngineServerPrivate::UnsupportedProtocolVersion:
        return "Unsupported protocol version";
    }
    return "";
}

// The percent-decoded value of key in a raw query string; null when absent.
QByteArray queryValue(QByteArrayView query, QByteArrayView key)
{
    qsizetype pos = 0;
    while (pos <= query.size()) {
        qsizetype end = query.indexOf('&', pos);
        if (end < 0)
            end = query.size();
        const QByteArrayView part = query.sliced(pos, end - pos);
        const qsizetype eq = part.indexOf('=');
        if ((eq < 0 ? part : part.first(eq)) == key) {
            const QByteArrayView value = eq < 0 ? QByteArrayView() : part.sliced(eq + 1);
            return QByteArray::fromPercentEncoding(QByteArray(value.data(), value.size()).replace('+', ' '))
                + QByteArray(""); // non-null even when empty
        }
        pos = end + 1;
    }
    return {};
}

bool isValidHeaderValue(QByteArrayView value)
{
    for (char c : value) {
        const auto u = uchar(c);
        if ((u < 0x20 && u != '\t') || u == 0x7f)
            return false;
    }
    return true;
}

QString peerKey(const QHostAddress &address, quint16 port)
{
    return address.toString() + QLatin1Char('|') + QString::number(port);
}

} // namespace

// --- EngineServer ----------------------------------------------------------------------------

EngineServer::EngineServer(QObject *parent)
    : EngineServer(EngineOptions(), parent)
{ }

EngineServer::EngineServer(const EngineOptions &options, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<EngineServerPrivate>(this, options))
{ }

EngineServer::~EngineServer()
{
    d->anchor->close(); // pending HandshakeDecisions answer nobody from now on
    close();
}

EngineOptions EngineServer::options() const
{
    return *d->options;
}

void EngineServer::setOptions(const EngineOptions &options)
{
    d->options = std::make_shared<const EngineOptions>(options);
    d->armSendCheck();
}

bool EngineServer::listen(const QHostAddress &address, quint16 port)
{
    d->createListener();
    if (!d->tcpServer->listen(address, port)) {
        d->errorString = d->tcpServer->errorString();
        qCWarning(lcEngine).noquote()
            << "cannot listen on" << address.toString() << port << ":" << d->errorString;
        return false;
    }
    d->errorString.clear();
    qCInfo(lcEngine).noquote() << "listening on" << d->tcpServer->serverAddress().toString()
                               << d->tcpServer->serverPort() << "path" << d->options->path
                               << (d->sslConfiguration.isNull() ? "" : "(TLS)");
    return true;
}

void EngineServer::setSslConfiguration(const QSslConfiguration &configuration)
{
    d->sslConfiguration = configuration;
    if (auto *ssl = qobject_cast<QSslServer *>(d->tcpServer); ssl && !configuration.isNull()) {
        ssl->setSslConfiguration(configuration);
        qCInfo(lcEngine) << "TLS configuration replaced; new connections use it";
    }
}

QSslConfiguration EngineServer::sslConfiguration() const
{
    return d->sslConfiguration;
}

std::optional<QSslConfiguration> EngineServer::loadSslConfiguration(const QString &certificateFile,
                                                                    const QString &privateKeyFile,
                                                                    QString *error)
{
    const auto failed = [error](const QString &message) -> std::optional<QSslConfiguration> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    QFile certFile(certificateFile);
    if (!certFile.open(QIODevice::ReadOnly))
        return failed(QStringLiteral("cannot read %1: %2").arg(certificateFile, certFile.errorString()));
    const QList<QSslCertificate> chain = QSslCertificate::fromData(certFile.readAll(), QSsl::Pem);
    if (chain.isEmpty() || chain.first().isNull())
        return failed(QStringLiteral("no PEM certificate in %1").arg(certificateFile));
    QFile keyFile(privateKeyFile);
    if (!keyFile.open(QIODevice::ReadOnly))
        return failed(QStringLiteral("cannot read %1: %2").arg(privateKeyFile, keyFile.errorString()));
    const QByteArray keyPem = keyFile.readAll();
    QSslKey key;
    for (QSsl::KeyAlgorithm algorithm : { QSsl::Rsa, QSsl::Ec, QSsl::Dsa, QSsl::Opaque }) {
        key = QSslKey(keyPem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull())
            break;
    }
    if (key.isNull())
        return failed(QStringLiteral("no unencrypted PEM private key in %1").arg(privateKeyFile));
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificateChain(chain);
    configuration.setPrivateKey(key);
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone); // clients are not asked for certificates
    return configuration;
}

void EngineServer::close()
{
    d->closeAll();
}

bool EngineServer::bind(QTcpServer *server)
{
    if (!server)
        return false;
    d->boundServers.append(server);
    // Qt 6.4's QSslServer announces connections (after their handshake) with
    // pendingConnectionAvailable only; QTcpServer emits it too.
    QObject::connect(server, &QTcpServer::pendingConnectionAvailable, this,
                     [this, server] { d->onNewConnection(server); });
    if (server->hasPendingConnections())
        d->onNewConnection(server);
    return true;
}

bool EngineServer::isListening() const
{
    return d->tcpServer && d->tcpServer->isListening();
}

QHostAddress EngineServer::serverAddress() const
{
    return d->tcpServer ? d->tcpServer->serverAddress() : QHostAddress();
}

quint16 EngineServer::serverPort() const
{
    return d->tcpServer ? d->tcpServer->serverPort() : 0;
}

QString EngineServer::errorString() const
{
    return d->errorString;
}

void EngineServer::setAllowRequest(AllowRequest allow)
{
    d->allowRequest = std::move(allow);
}

void EngineServer::setAllowRequestAsync(AllowRequestAsync allow)
{
    d->allowRequestAsync = std::move(allow);
}

void EngineServer::setInitialHeadersHook(HeadersHook hook)
{
    d->initialHeadersHook = std::move(hook);
}

void EngineServer::setHeadersHook(HeadersHook hook)
{
    d->headersHook = std::move(hook);
}

void EngineServer::setIdGenerator(IdGenerator generator)
{
    d->idGenerator = std::move(generator);
}

void EngineServer::setRequestHandler(RequestHandler handler)
{
    d->requestHandler = std::move(handler);
}

QList<EngineSession *> EngineServer::sessions() const
{
    return d->sessions.values();
}

EngineSession *EngineServer::session(const QString &id) const
{
    return d->sessions.value(id);
}

int EngineServer::sessionCount() const
{
    return int(d->sessions.size());
}

qint64 EngineServer::refusedHandshakeCount() const
{
    return d->refusedHandshakes;
}

void EngineServer::addTrafficObserver(TrafficObserver *observer)
{
    if (observer && !d->trafficObservers.contains(observer))
        d->trafficObservers.append(observer);
}

void EngineServer::removeTrafficObserver(TrafficObserver *observer)
{
    d->trafficObservers.removeOne(observer);
}

TrafficObserver::~TrafficObserver() = default;

void EngineServer::connectNotify(const QMetaMethod &signal)
{
    // Counted so the hot path asks an integer instead of the connection list.
    if (d && signal == d->trafficSignal && d->trafficConnections.loadRelaxed() >= 0)
        d->trafficConnections.ref();
}

void EngineServer::disconnectNotify(const QMetaMethod &signal)
{
    if (!d)
        return;
    if (!signal.isValid()) // a wildcard disconnect: the count is unknown from now on
        d->trafficConnections.storeRelaxed(-1);
    else if (signal == d->trafficSignal && d->trafficConnections.loadRelaxed() > 0)
        d->trafficConnections.deref();
}

// --- HandshakeDecision -----------------------------------------------------------------------

void EngineAnchor::run(std::function<void()> f)
{
    std::unique_lock<std::mutex> lock(m_mutex);
    QObject *server = m_server;
    if (!server)
        return;
    if (server->thread() == QThread::currentThread()) {
        lock.unlock();
        f();
        return;
    }
    // Under the lock: close() cannot come in between, and the server's destructor removes the
    // events posted to it. The lock is taken again where the call is delivered, which shows
    // ThreadSanitizer the order Qt's event queue gives (see NamespaceMailbox).
    QMetaObject::invokeMethod(
        server,
        [this, f = std::move(f)] {
            {
                const std::lock_guard<std::mutex> sync(m_mutex);
            }
            f();
        },
        Qt::QueuedConnection);
}

void EngineAnchor::close()
{
    const std::lock_guard<std::mutex> lock(m_mutex);
    m_server = nullptr;
}

void HandshakeDecision::State::decide(bool allowed, const QString &message)
{
    if (decided.exchange(true))
        return;
    anchor->run([resume = std::move(resume), allowed, message] { resume(allowed, message); });
}

HandshakeDecision::State::~State()
{
    if (!decided.load() && resume)
        decide(false, {}); // nobody answered: refused
}

void HandshakeDecision::allow() const
{
    if (d)
        d->decide(true, {});
}

void HandshakeDecision::refuse(const QString &message) const
{
    if (d)
        d->decide(false, message);
}

bool HandshakeDecision::isDecided() const
{
    return d && d->decided.load();
}

// --- EngineServerPrivate ---------------------------------------------------------------------

void EngineServerPrivate::notifyTraffic(const TrafficEvent &event)
{
    // A copy: an observer may remove itself (or another) while it is called.
    const QList<TrafficObserver *> observers = trafficObservers;
    for (TrafficObserver *observer : observers) {
        if (trafficObservers.contains(observer) && observer->isObserving())
            observer->observe(event);
    }
    if (trafficConnections.loadRelaxed() != 0)
        Q_EMIT q->trafficObserved(event);
}

EngineServerPrivate::EngineServerPrivate(EngineServer *q, const EngineOptions &options)
    : q(q)
    , options(std::make_shared<const EngineOptions>(options))
    , webSocketServer(new QWebSocketServer(QStringLiteral("SocketIo"), QWebSocketServer::NonSecureMode, q))
    , anchor(std::make_shared<EngineAnchor>(q))
{
    qRegisterMetaType<SocketIo::TrafficEvent>();
    qRegisterMetaType<SocketIo::HttpRequest>();
    qRegisterMetaType<SocketIo::CloseReason>();
    trafficSignal = QMetaMethod::fromSignal(&EngineServer::trafficObserved);
    webSocketServer->setMaxPendingConnections(1024);
    admissionClock.start();
    trimTimer.setSingleShot(true);
    trimTimer.setInterval(1000);
    QObject::connect(&trimTimer, &QTimer::timeout, q, [this] {
#ifdef __GLIBC__
        QElapsedTimer clock;
        clock.start();
        malloc_trim(0);
        qCInfo(lcEngine) << "gave freed memory back after" << closedSinceTrim << "closed sessions,"
                         << droppedSinceTrim << "bytes of output dropped, in" << clock.elapsed() << "ms";
#endif
        closedSinceTrim = 0;
        droppedSinceTrim = 0;
        peakSessions = int(sessions.size());
    });
    QObject::connect(webSocketServer, &QWebSocketServer::newConnection, q, [this] { onNewWebSocket(); });
    QObject::connect(&sendCheckTimer, &QTimer::timeout, q, [this] { checkSendProgress(); });
}

void EngineServerPrivate::armSendCheck()
{
    const qint64 timeout = options->sendTimeout.count();
    if (timeout <= 0 || sessions.isEmpty())
        return;
    const int interval = int(qBound<qint64>(10, timeout / 2, qint64(3600) * 1000));
    if (!sendCheckTimer.isActive() || sendCheckTimer.interval() != interval)
        sendCheckTimer.start(interval);
}

void EngineServerPrivate::checkSendProgress()
{
    const qint64 timeout = options->sendTimeout.count();
    if (timeout <= 0 || sessions.isEmpty()) {
        sendCheckTimer.stop();
        return;
    }
    const qint64 now = admissionClock.elapsed();
    // A copy: a session closed here leaves the table.
    const QList<EngineSession *> all = sessions.values();
    for (EngineSession *session : all)
        session->d->checkSendProgress(now, timeout);
    armSendCheck();
}

EngineServerPrivate::~EngineServerPrivate()
{
    // Sessions are children of q and go with it; make sure none calls back into us.
    for (EngineSession *session : std::as_const(sessions))
        session->d->server = nullptr;
}

void EngineServerPrivate::createListener()
{
    const bool tls = !sslConfiguration.isNull();
    if (tcpServer && !tcpServer->isListening() && tls == bool(qobject_cast<QSslServer *>(tcpServer))) {
        if (auto *ssl = qobject_cast<QSslServer *>(tcpServer))
            ssl->setSslConfiguration(sslConfiguration);
        return;
    }
    delete tcpServer;
    if (tls) {
        auto *ssl = new QSslServer(q);
        ssl->setSslConfiguration(sslConfiguration);
        ssl->setHandshakeTimeout(int(options->headersTimeout.count()));
        QObject::connect(
            ssl, &QSslServer::errorOccurred, q, [](QSslSocket *socket, QAbstractSocket::SocketError) {
                qCInfo(lcEngine).noquote() << "TLS connection from" << socket->peerAddress().toString()
                                           << "failed:" << socket->errorString();
            });
        tcpServer = ssl;
    } else {
        tcpServer = new QTcpServer(q);
    }
    tcpServer->setMaxPendingConnections(1024);
    tcpServer->setListenBacklogSize(1024);
    QTcpServer *server = tcpServer;
    QObject::connect(server, &QTcpServer::pendingConnectionAvailable, q,
                     [this, server] { onNewConnection(server); });
}

void EngineServerPrivate::closeAll()
{
    if (tcpServer)
        tcpServer->close();
    for (const QPointer<QTcpServer> &server : std::as_const(boundServers)) {
        if (server)
            server->disconnect(q);
    }
    boundServers.clear();
    const auto all = sessions.values();
    for (EngineSession *session : all)
        session->d->onClose(CloseReason::ForcedServerClose, {});
    const auto open = connections.children();
    for (QObject *connection : open)
        static_cast<HttpConnection *>(connection)->abort();
}

HttpConnection::Settings EngineServerPrivate::connectionSettings() const
{
    HttpConnection::Settings settings;
    settings.limits.maxHeadBytes = options->maxHeaderBytes;
    settings.limits.maxHeaderCount = options->maxHeaderCount;
    settings.limits.maxBodyBytes = options->maxHttpBufferSize;
    settings.headersTimeout = options->headersTimeout;
    settings.keepAliveTimeout = options->keepAliveTimeout;
    settings.bodyTimeout = options->bodyTimeout;
    settings.minBodyRate = options->minBodyRate;
    settings.sendTimeout = options->sendTimeout;
    return settings;
}

void EngineServerPrivate::onNewConnection(QTcpServer *server)
{
    const HttpConnection::Settings settings = connectionSettings();
    while (QTcpSocket *socket = server->nextPendingConnection())
        new HttpConnection(socket, this, settings, &connections);
}

bool EngineServerPrivate::matchesPath(QByteArrayView path) const
{
    // engine.io matches the path as a prefix; "/engine.io" without the slash matches too.
    const QByteArray expected = options->path.toUtf8();
    if (path.startsWith(expected))
        return true;
    return expected.endsWith('/') && path == QByteArrayView(expected).chopped(1);
}

HttpHeaders EngineServerPrivate::corsHeaders(const HttpRequestHead &head) const
{
    const CorsOptions &cors = options->cors;
    HttpHeaders headers;
    if (!cors.isEnabled())
        return headers;
    const QByteArray origin = head.header("origin");
    if (cors.origins.contains(QStringLiteral("*"))) {
        // With credentials a browser refuses "*": echo the origin instead.
        if (cors.credentials && !origin.isEmpty()) {
            headers.append({ QByteArrayLiteral("Access-Control-Allow-Origin"), origin });
            headers.append({ QByteArrayLiteral("Vary"), QByteArrayLiteral("Origin") });
        } else {
            headers.append({ QByteArrayLiteral("Access-Control-Allow-Origin"), QByteArrayLiteral("*") });
        }
    } else {
        if (!origin.isEmpty() && cors.origins.contains(QString::fromUtf8(origin)))
            headers.append({ QByteArrayLiteral("Access-Control-Allow-Origin"), origin });
        headers.append({ QByteArrayLiteral("Vary"), QByteArrayLiteral("Origin") });
    }
    if (cors.credentials)
        headers.append({ QByteArrayLiteral("Access-Control-Allow-Credentials"), QByteArrayLiteral("true") });
    return headers;
}

void EngineServerPrivate::respondError(HttpConnection *connection, const HttpRequestHead &head,
                                       ErrorCode code, const HttpHeaders &cors, const QString &message)
{
    const QString text = message.isEmpty() ? QString::fromLatin1(errorMessage(code)) : message;
    // A flood of bad requests must not become a flood of log lines.
    constexpr int logBurst = 20;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (now - logWindowMs >= 1000) {
        if (logSuppressed > 0)
            qCInfo(lcEngine).noquote() << logSuppressed << "more refusals in the last second were not logged";
        logWindowMs = now;
        logLinesInWindow = 0;
        logSuppressed = 0;
    }
    if (++logLinesInWindow <= logBurst)
        qCInfo(lcEngine).noquote() << "refused" << head.method << head.target << "from"
                                   << connection->peerAddress().toString() << ":" << code << text;
    else
        ++logSuppressed;
    HttpHeaders headers = cors;
    headers.append({ QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json") });
    QByteArray body = QByteArrayLiteral("{\"code\":") + QByteArray::number(int(code))
        + QByteArrayLiteral(",\"message\":\"") + text.toUtf8().replace('\\', "\\\\").replace('"', "\\\"")
        + QByteArrayLiteral("\"}");
    const bool close = head.upgrade; // engine.io's abortUpgrade destroys the socket
    connection->respond(code == Forbidden ? 403 : 400, headers, body,
                        close ? HttpConnection::AfterResponse::Close
                              : HttpConnection::AfterResponse::KeepAlive);
    if (q->receivers(SIGNAL(connectionError(SocketIo::HttpRequest, int, QString))) > 0)
        Q_EMIT q->connectionError(makeRequest(connection, head, {}), int(code), text);
}

bool EngineServerPrivate::admit(HttpConnection *connection, const HttpRequestHead &head,
                                const HttpHeaders &cors)
{
    const ConnectionLimits &limits = options->limits;
    const Admission::Verdict verdict =
        admission.admit(limits, connection->peerAddress(), int(sessions.size()) + int(pendingUpgrades.size()),
                        admissionClock.elapsed());
    const char *why = nullptr;
    switch (verdict) {
    case Admission::Verdict::Admitted:
        return true;
    case Admission::Verdict::TooManySessions:
        why = "too many sessions";
        break;
    case Admission::Verdict::TooManyFromAddress:
        why = "too many sessions from this address";
        break;
    case Admission::Verdict::HandshakeRate:
        why = "too many handshakes from this address";
        break;
    }
    ++refusedHandshakes;
    respondError(connection, head, Forbidden, cors, QString::fromLatin1(why));
    return false;
}

HttpRequest EngineServerPrivate::makeRequest(HttpConnection *connection, const HttpRequestHead &head,
                                             QByteArray body) const
{
    HttpRequest request;
    request.method = head.method;
    request.target = head.target;
    request.path = QString::fromUtf8(QByteArray::fromPercentEncoding(head.path));
    request.query = QUrlQuery(QString::fromUtf8(head.query));
    request.headers = head.headers;
    request.body = std::move(body);
    request.remoteAddress = connection->peerAddress();
    request.remotePort = connection->peerPort();
    request.secure = connection->isSecure();
    return request;
}

void EngineServerPrivate::respondFallback(HttpConnection *connection, const HttpRequestHead &head,
                                          QByteArray body)
{
    HttpResponse response = requestHandler ? requestHandler(makeRequest(connection, head, std::move(body)))
                                           : HttpResponse::text(404, QByteArrayLiteral("Not Found"));
    connection->respond(response.status, response.headers, response.body);
}

QString generateId()
{
    // 15 bytes from the system's cryptographically secure source, base64url: 20 characters,
    // like engine.io's base64id.
    quint32 words[4];
    QRandomGenerator::system()->fillRange(words);
    const QByteArray bytes(reinterpret_cast<const char *>(words), 15);
    return QString::fromLatin1(
        bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

bool EngineServerPrivate::allowed(const HttpRequest &request, QString *message) const
{
    return !allowRequest || allowRequest(request, message);
}

void EngineServerPrivate::decide(const HttpRequest &request,
                                 std::function<void(bool, const QString &)> resume)
{
    if (!allowRequestAsync) {
        resume(true, {});
        return;
    }
    HandshakeDecision decision;
    decision.d = std::make_shared<HandshakeDecision::State>();
    decision.d->anchor = anchor;
    decision.d->resume = std::move(resume);
    allowRequestAsync(request, decision);
}

namespace {
bool isValidSessionId(const QString &id)
{
    if (id.isEmpty() || id.size() > 128)
        return false;
    for (const QChar c : id) {
        const char16_t u = c.unicode();
        const bool ok = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '-'
            || u == '_' || u == '.' || u == '~' || u == ':';
        if (!ok)
            return false;
    }
    return true;
}

// A header field a hook added that cannot be written as is (response splitting).
bool isUnsafeField(const HttpHeader &field)
{
    const auto bad = [](const QByteArray &text) {
        return text.contains('\r') || text.contains('\n') || text.contains('\0');
    };
    return field.first.isEmpty() || bad(field.first) || bad(field.second) || field.first.contains(':');
}
} // namespace

QString EngineServerPrivate::newSessionId(const HttpRequest &request)
{
    if (!idGenerator) {
        QString id;
        do {
            id = generateId();
        } while (sessions.contains(id));
        return id;
    }
    const QString id = idGenerator(request);
    const bool pending = std::any_of(pendingUpgrades.cbegin(), pendingUpgrades.cend(),
                                     [&id](const PendingUpgrade &p) { return p.newId == id; });
    if (!isValidSessionId(id) || sessions.contains(id) || pending) {
        qCWarning(lcEngine).noquote()
            << "the session id generator gave" << (id.isEmpty() ? QStringLiteral("an empty id") : id)
            << (isValidSessionId(id) ? "which is in use" : "which is not a valid id")
            << ": handshake refused (400)";
        return {};
    }
    return id;
}

void EngineServerPrivate::addHookHeaders(HttpHeaders &headers, HttpConnection *connection,
                                         const HttpRequestHead &head, bool initial) const
{
    if (!headersHook && !(initial && initialHeadersHook))
        return;
    const HttpRequest request = makeRequest(connection, head, {});
    HttpHeaderList added;
    if (initial && initialHeadersHook)
        initialHeadersHook(added, request);
    if (headersHook)
        headersHook(added, request);
    for (const HttpHeader &field : std::as_const(added)) {
        if (isUnsafeField(field)) {
            qCWarning(lcEngine).noquote()
                << "a headers hook added an invalid field" << field.first << ": not sent";
            continue;
        }
        headers.append(field);
    }
}

EngineSession *EngineServerPrivate::createSession(const QString &id, HttpRequest request, int protocol,
                                                  EngineTransport *transport)
{
    auto *session = new EngineSession(q);
    transport->setListener(session->d.get());
    sessions.insert(id, session);
    peakSessions = qMax(peakSessions, int(sessions.size()));
    admission.opened(request.remoteAddress);
    session->d->open(this, options, id, protocol, std::move(request), transport);
    armSendCheck();
    qCDebug(lcEngine).noquote() << "session" << id << "opened over" << transportName(transport->type())
                                << "from" << session->remoteAddress().toString();
    return session;
}

void EngineServerPrivate::sessionClosed(EngineSession *session, CloseReason reason,
                                        const QString &description)
{
    const QString id = session->d->id;
    if (sessions.value(id) == session) {
        sessions.remove(id);
        admission.closed(options->limits, session->remoteAddress(), admissionClock.elapsed());
    }
    session->deleteLater();
    maybeTrimMemory(session->d->droppedAtClose);
    Q_EMIT q->sessionClosed(id, reason, description);
}

void EngineServerPrivate::maybeTrimMemory(qint64 dropped)
{
#ifdef __GLIBC__
    const int threshold = options->trimMemoryAfterClosures;
    if (threshold <= 0)
        return;
    ++closedSinceTrim;
    droppedSinceTrim += dropped;
    if (trimTimer.isActive())
        return;
    // A burst of closures, or a few closed with much output waiting (stalled readers closed at
    // maxSendBufferSize: 200 of them held 800 MB that glibc kept).
    const qint64 droppedThreshold = options->trimMemoryAfterDroppedBytes;
    if (closedSinceTrim < threshold && !(peakSessions >= threshold && sessions.size() < peakSessions / 2)
        && !(droppedThreshold > 0 && droppedSinceTrim >= droppedThreshold))
        return;
    // Later, once the sessions (deleted later) and their buffers are gone.
    trimTimer.start();
#endif
}

void EngineServerPrivate::handleRequest(HttpConnection *connection, const HttpRequestHead &head,
                                        QByteArray body)
{
    if (!matchesPath(head.path)) {
        respondFallback(connection, head, std::move(body));
        return;
    }
    HttpHeaders cors = corsHeaders(head);
    if (head.method == "OPTIONS" && options->cors.isEnabled()) {
        // CORS preflight, as the npm "cors" middleware answers it.
        cors.append({ QByteArrayLiteral("Access-Control-Allow-Methods"),
                      QByteArrayLiteral("GET,HEAD,PUT,PATCH,POST,DELETE") });
        if (!options->cors.allowedHeaders.isEmpty()) {
            cors.append({ QByteArrayLiteral("Access-Control-Allow-Headers"),
                          options->cors.allowedHeaders.join(',') });
        } else if (const QByteArray requested = head.header("access-control-request-headers");
                   !requested.isEmpty()) {
            cors.append({ QByteArrayLiteral("Access-Control-Allow-Headers"), requested });
            cors.append({ QByteArrayLiteral("Vary"), QByteArrayLiteral("Access-Control-Request-Headers") });
        }
        if (options->cors.maxAge.count() > 0)
            cors.append({ QByteArrayLiteral("Access-Control-Max-Age"),
                          QByteArray::number(qint64(options->cors.maxAge.count())) });
        connection->respond(204, cors, {});
        return;
    }

    const QByteArray transportParam = queryValue(head.query, "transport");
    const bool pollingAllowed = options->transports.testFlag(Transport::Polling);
    if (transportParam != "polling" || !pollingAllowed) {
        const bool known = (transportParam == "polling" && pollingAllowed)
            || (transportParam == "websocket" && options->transports.testFlag(Transport::WebSocket));
        respondError(connection, head, known ? BadRequest : UnknownTransport, cors);
        return;
    }
    if (!isValidHeaderValue(head.header("origin"))) {
        respondError(connection, head, BadRequest, cors);
        return;
    }

    const QByteArray sid = queryValue(head.query, "sid");
    if (!sid.isNull()) {
        EngineSession *session = sessions.value(QString::fromLatin1(sid));
        if (!session) {
            respondError(connection, head, UnknownSid, cors);
            return;
        }
        PollingTransport *polling = session->d->pollingTransport();
        if (!polling) { // upgraded to WebSocket: polling is over for this session
            respondError(connection, head, BadRequest, cors);
            return;
        }
        if (head.method != "GET" && head.method != "POST") {
            respondError(connection, head, BadRequest, cors);
            return;
        }
        addHookHeaders(cors, connection, head, false);
        if (head.method == "GET")
            polling->handlePoll(connection, head, std::move(cors));
        else
            polling->handleData(connection, head, body, std::move(cors));
        return;
    }

    // A new session.
    if (head.method != "GET") {
        respondError(connection, head, BadHandshakeMethod, cors);
        return;
    }
    const QByteArray eio = queryValue(head.query, "EIO");
    const int protocol = eio == "4" ? 4 : 3;
    if (protocol == 3 && (eio != "3" || !options->allowEIO3)) {
        respondError(connection, head, UnsupportedProtocolVersion, cors);
        return;
    }
    if (!admit(connection, head, cors))
        return;
    HttpRequest request = makeRequest(connection, head, {});
    QString message;
    if (!allowed(request, &message)) {
        respondError(connection, head, Forbidden, cors, message);
        return;
    }
    if (!allowRequestAsync) {
        openPolling(connection, head, std::move(request), std::move(cors), protocol);
        return;
    }
    // The request waits for the answer; its connection reads nothing more meanwhile.
    QPointer<HttpConnection> guard(connection);
    decide(request, [this, guard, head, request, cors, protocol](bool allow, const QString &why) {
        if (!guard || !guard->isAwaitingResponse())
            return; // the client went away
        if (!allow)
            respondError(guard, head, Forbidden, cors, why);
        else
            openPolling(guard, head, request, cors, protocol);
    });
}

void EngineServerPrivate::openPolling(HttpConnection *connection, const HttpRequestHead &head,
                                      HttpRequest request, HttpHeaders cors, int protocol)
{
    const QString id = newSessionId(request);
    if (id.isEmpty()) {
        respondError(connection, head, BadRequest, cors);
        return;
    }
    PollingTransport::Settings settings;
    settings.compression = options->httpCompression;
    settings.compressionThreshold = options->httpCompressionThreshold;
    auto *transport = new PollingTransport(protocol, settings, nullptr, nullptr);
    EngineSession *session = createSession(id, std::move(request), protocol, transport);
    if (options->cookie) {
        const CookieOptions &cookie = *options->cookie;
        QByteArray value = cookie.name + '=' + session->id().toLatin1();
        if (!cookie.path.isEmpty())
            value += "; Path=" + cookie.path;
        if (cookie.httpOnly)
            value += "; HttpOnly";
        if (!cookie.sameSite.isEmpty())
            value += "; SameSite=" + cookie.sameSite;
        cors.append({ QByteArrayLiteral("Set-Cookie"), value });
    }
    addHookHeaders(cors, connection, head, true);
    // The handshake GET carries the open packet alone (as in engine.io); what sessionOpened
    // slots send goes with the next poll.
    transport->handlePoll(connection, head, std::move(cors));
    Q_EMIT q->sessionOpened(session);
}

void EngineServerPrivate::handleUpgrade(HttpConnection *connection, const HttpRequestHead &head)
{
    const HttpHeaders cors = corsHeaders(head);
    if (!matchesPath(head.path)) {
        connection->respond(404, { { QByteArrayLiteral("Content-Type"), QByteArrayLiteral("text/plain") } },
                            "Not Found", HttpConnection::AfterResponse::Close);
        return;
    }
    const QByteArray transportParam = queryValue(head.query, "transport");
    if (!options->transports.testFlag(Transport::WebSocket) || head.header("upgrade").toLower() != "websocket"
        || (transportParam != "websocket" && transportParam != "polling")) {
        respondError(connection, head, UnknownTransport, cors);
        return;
    }
    if (transportParam != "websocket" || !isValidHeaderValue(head.header("origin"))) {
        respondError(connection, head, BadRequest, cors);
        return;
    }
    const QByteArray eio = queryValue(head.query, "EIO");
    const int protocol = eio == "4" ? 4 : 3;
    if (protocol == 3 && (eio != "3" || !options->allowEIO3)) {
        respondError(connection, head, UnsupportedProtocolVersion, cors);
        return;
    }
    PendingUpgrade pending;
    pending.protocol = protocol;
    const QByteArray sid = queryValue(head.query, "sid");
    if (!sid.isNull()) {
        EngineSession *session = sessions.value(QString::fromLatin1(sid));
        if (!session) {
            respondError(connection, head, UnknownSid, cors);
            return;
        }
        // Already upgraded or upgrading: the handshake goes ahead and onNewWebSocket() closes
        // the WebSocket, as engine.io's onWebSocket() does (PROTOCOL.md case 17).
        pending.sid = session->id();
        pending.protocol = session->protocolVersion();
    } else {
        if (!admit(connection, head, cors))
            return;
        pending.request = makeRequest(connection, head, {});
        QString message;
        if (!allowed(pending.request, &message)) {
            respondError(connection, head, Forbidden, cors, message);
            return;
        }
        if (allowRequestAsync) {
            if (!connection->canHandOff()) { // checked now: the answer may come much later
                respondError(connection, head, BadRequest, cors);
                return;
            }
            QPointer<HttpConnection> guard(connection);
            const HttpRequest request = pending.request;
            decide(request, [this, guard, head, cors, pending](bool allow, const QString &why) {
                if (!guard || !guard->isAwaitingResponse())
                    return; // the client went away
                if (!allow)
                    respondError(guard, head, Forbidden, cors, why);
                else
                    handOffUpgrade(guard, head, cors, pending);
            });
            return;
        }
    }
    handOffUpgrade(connection, head, cors, std::move(pending));
}

void EngineServerPrivate::handOffUpgrade(HttpConnection *connection, const HttpRequestHead &head,
                                         const HttpHeaders &cors, PendingUpgrade pending)
{
    if (!connection->canHandOff()) { // pipelined behind another request: cannot replay it
        respondError(connection, head, BadRequest, cors);
        return;
    }
    if (pending.request.method.isEmpty())
        pending.request = makeRequest(connection, head, {});
    if (pending.sid.isEmpty()) {
        // Made now, before QWebSocketServer answers 101: a refused id can still get its 400.
        pending.newId = newSessionId(pending.request);
        if (pending.newId.isEmpty()) {
            respondError(connection, head, BadRequest, cors);
            return;
        }
    }
    const QString key = peerKey(connection->peerAddress(), connection->peerPort());
    QTcpSocket *socket = connection->handOff(webSocketServer);
    pending.socket = socket;
    // A handshake QWebSocketServer refuses never reaches onNewWebSocket(): forget it with its socket.
    pending.forget = QObject::connect(socket, &QObject::destroyed, q, [this, key, socket] {
        const auto it = pendingUpgrades.constFind(key);
        if (it != pendingUpgrades.cend() && it->socket == socket)
            pendingUpgrades.erase(it);
    });
    pendingUpgrades.insert(key, std::move(pending));
}

void EngineServerPrivate::requestRefused(HttpConnection *connection, const HttpRequestParser &parser)
{
    if (!parser.isHeadComplete() || parser.error() != HttpRequestParser::Error::BodyTooLarge)
        return; // the connection answers with the plain status
    const HttpRequestHead &head = parser.head();
    if (!matchesPath(head.path))
        return;
    const HttpHeaders cors = corsHeaders(head);
    const QString why = QStringLiteral("payload too large (over maxHttpBufferSize, %1 bytes)")
                            .arg(options->maxHttpBufferSize);
    qCInfo(lcEngine).noquote() << "413 for" << head.method << head.target << "from"
                               << connection->peerAddress().toString() << ":" << why;
    // Look the session up first: answering resets the parser, and with it head.
    EngineSession *session = sessions.value(QString::fromLatin1(queryValue(head.query, "sid")));
    connection->respond(413, cors, {}, HttpConnection::AfterResponse::Close);
    if (session)
        session->d->onClose(CloseReason::TransportError, why);
}

void EngineServerPrivate::onNewWebSocket()
{
    while (QWebSocket *socket = webSocketServer->nextPendingConnection()) {
        const auto it = pendingUpgrades.constFind(peerKey(socket->peerAddress(), socket->peerPort()));
        if (it == pendingUpgrades.cend()) {
            qCWarning(lcEngine) << "unexpected websocket from" << socket->peerAddress();
            socket->abort();
            socket->deleteLater();
            continue;
        }
        PendingUpgrade pending = *it;
        pendingUpgrades.erase(it);
        // The socket lives on inside the QWebSocket: no need to watch it any longer.
        QObject::disconnect(pending.forget);
        if (pending.sid.isEmpty()) {
            if (sessions.contains(pending.newId)) { // a custom generator's id, taken meanwhile
                qCWarning(lcEngine).noquote() << "session id" << pending.newId << "taken meanwhile: closing";
                socket->close(QWebSocketProtocol::CloseCodeNormal);
                socket->deleteLater();
                continue;
            }
            auto *transport = new WebSocketTransport(socket, pending.protocol, options->maxHttpBufferSize,
                                                     nullptr, nullptr);
            Q_EMIT q->sessionOpened(
                createSession(pending.newId, std::move(pending.request), pending.protocol, transport));
            continue;
        }
        EngineSession *session = sessions.value(pending.sid);
        if (!session || !session->d->canUpgrade()) {
            // engine.io: "transport had already been upgraded" (or is upgrading, or the session
            // is gone): ws.close() without a status code. QWebSocket always writes one, and 1005
            // must not be sent (RFC 6455 7.4.1): 1000. Clients see "transport close" either way.
            qCDebug(lcEngine).noquote() << "closing a second websocket for session" << pending.sid;
            socket->close(QWebSocketProtocol::CloseCodeNormal);
            socket->deleteLater();
            continue;
        }
        session->d->beginUpgrade(socket);
    }
}

} // namespace SocketIo
