// SPDX-License-Identifier: MIT
// The echo server for conformance tests and interop; its contract is docs/echo-server.md.
#include <SocketIo/admininstrumentation.h>
#include <SocketIo/engineserver.h>
#include <SocketIo/enginesession.h>
#include <SocketIo/eventdispatcher.h>
#include <SocketIo/server.h>
#include <SocketIo/staticfiles.h>
#ifdef SOCKETIO_HAVE_REDIS
#include <SocketIo/redisadapter.h>
#endif

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QTimer>

#include <cstdio>

using namespace SocketIo;

namespace {

// The echo behaviour for one namespace (docs/echo-server.md), plus the events the interop tests use:
//   auth {"reject": message, "data": any}  the connection middleware refuses the socket with
//                                          that message and data (CONNECT_ERROR)
//   ask (timeoutMs, event, ...args) + ack  emits event(...args) back with an ack and that
//                                          timeout (0: none), then acknowledges with
//                                          {"status":"received","args":[...]} or
//                                          {"status":"timeout"}
//   volatile (event, count)                emits event(i) for i in 0..count-1 as volatile
//                                          packets, then a normal volatile-done(count)
//   disconnect-me (mode)                   the server disconnects this socket; mode "close"
//                                          also closes the connection
//   whoami + ack                           acknowledges with this socket's id
//   except-room (room, event, ...args)     emits event(...args) to everyone not in room
//   recovery-stats + ack                   acknowledges with this namespace's RecoveryStats
//                                          ({"sessions":N,"storedPackets":N,...}, --recovery)
//   recovered + ack                        acknowledges with Socket::isRecovered()
void serveEcho(Namespace *nsp)
{
    nsp->use([](Socket *socket, const Next &next) {
        const QJsonObject &auth = socket->handshake().auth;
        if (auth.contains(QLatin1String("reject")))
            next.reject(auth.value(QLatin1String("reject")).toString(), auth.value(QLatin1String("data")));
        else
            next();
    });
    QObject::connect(nsp, &Namespace::socketConnected, nsp, [](Socket *socket) {
        // After the CONNECT reply, not in the same write: the official protocol suite registers
        // its next listener only after handling a frame.
        QTimer::singleShot(5, socket, [socket] {
            socket->emitEvent(QStringLiteral("auth"), { socket->handshake().auth.toVariantMap() });
        });
        QObject::connect(
            socket, &Socket::eventReceived, socket,
            [socket](const QString &event, const QVariantList &args, const Ack &ack) {
                if (event == QLatin1String("message")) {
                    socket->emitEvent(QStringLiteral("message-back"), args);
                } else if (event == QLatin1String("message-with-ack")) {
                    ack.send(args);
                } else if (event == QLatin1String("join") && !args.isEmpty()) {
                    socket->join(args.first().toString());
                } else if (event == QLatin1String("leave") && !args.isEmpty()) {
                    socket->leave(args.first().toString());
                } else if (event == QLatin1String("to-room") && args.size() >= 2) {
                    socket->nsp()->to(args.at(0).toString()).emitEvent(args.at(1).toString(), args.mid(2));
                } else if (event == QLatin1String("broadcast") && !args.isEmpty()) {
                    socket->broadcast().emitEvent(args.at(0).toString(), args.mid(1));
                } else if (event == QLatin1String("ask") && args.size() >= 2) {
                    EmitOptions options;
                    options.ackTimeout = std::chrono::milliseconds(args.at(0).toLongLong());
                    socket->emitEvent(
                        args.at(1).toString(), args.mid(2), socket,
                        [ack](AckStatus status, const QVariantList &reply) {
                            QVariantMap result;
                            if (status == AckStatus::Received) {
                                result.insert(QStringLiteral("status"), QStringLiteral("received"));
                                result.insert(QStringLiteral("args"), reply);
                            } else {
                                result.insert(QStringLiteral("status"), QStringLiteral("timeout"));
                            }
                            ack.send({ result });
                        },
                        options);
                } else if (event == QLatin1String("volatile") && args.size() >= 2) {
                    const QString name = args.at(0).toString();
                    const int count = args.at(1).toInt();
                    EmitOptions options;
                    options.isVolatile = true;
                    for (int i = 0; i < count; ++i)
                        socket->emitEvent(name, { i }, options);
                    socket->emitEvent(QStringLiteral("volatile-done"), { count });
                } else if (event == QLatin1String("disconnect-me")) {
                    const bool close = !args.isEmpty() && args.first().toString() == QLatin1String("close");
                    socket->close(close ? DisconnectMode::Close : DisconnectMode::Namespace);
                } else if (event == QLatin1String("whoami")) {
                    ack.send({ socket->id() });
                } else if (event == QLatin1String("except-room") && args.size() >= 2) {
                    socket->nsp()
                        ->except(args.at(0).toString())
                        .emitEvent(args.at(1).toString(), args.mid(2));
                } else if (event == QLatin1String("recovery-stats")) {
                    const RecoveryStats stats = socket->nsp()->recoveryStats();
                    ack.send({ QVariantMap{ { QStringLiteral("enabled"), stats.enabled },
                                            { QStringLiteral("sessions"), stats.sessions },
                                            { QStringLiteral("storedPackets"), stats.storedPackets },
                                            { QStringLiteral("storedBytes"), stats.storedBytes },
                                            { QStringLiteral("droppedPackets"), stats.droppedPackets } } });
                } else if (event == QLatin1String("recovered")) {
                    ack.send({ socket->isRecovered() });
                }
            });
    });
}

// The Admin UI's built page (npm @socket.io/admin-ui, ui/dist), looked up as node resolves
// modules from the working directory, else the one scripts/install-deps installs (tests/admin).
QString adminUiDirectory()
{
    QDir dir = QDir::current();
    do {
        const QString dist = dir.absoluteFilePath(QStringLiteral("node_modules/@socket.io/admin-ui/ui/dist"));
        if (QFileInfo(dist).isDir())
            return dist;
    } while (dir.cdUp());
    const QString fallback = QStringLiteral(SOCKETIO_ADMIN_UI_FALLBACK);
    return QFileInfo(fallback).isDir() ? fallback : QString();
}

// Serves \a dist below /admin-ui/ (the page's links are relative).
EngineServer::RequestHandler adminUiHandler(const QString &dist)
{
    return [files = staticFiles(dist)](const HttpRequest &request) {
        static const QString prefix = QStringLiteral("/admin-ui");
        if (request.path == prefix) {
            HttpResponse redirect = HttpResponse::text(301, {});
            redirect.headers.append(std::pair<QByteArray, QByteArray>("Location", "/admin-ui/"));
            return redirect;
        }
        if (!request.path.startsWith(prefix + QLatin1Char('/')))
            return HttpResponse::text(404, "Not Found");
        HttpRequest inner = request;
        inner.path = request.path.mid(prefix.size());
        return files(inner);
    };
}

// --tls-cert/--tls-key: serve https/wss, and take a renewed certificate or key as soon as either
// file changes (no restart; open connections keep theirs).
bool setUpTls(EngineServer *server, const QString &certFile, const QString &keyFile)
{
    if (certFile.isEmpty() && keyFile.isEmpty())
        return true;
    if (certFile.isEmpty() || keyFile.isEmpty()) {
        std::fprintf(stderr, "socketio-echo-server: --tls-cert and --tls-key go together\n");
        return false;
    }
    QString error;
    const auto config = EngineServer::loadSslConfiguration(certFile, keyFile, &error);
    if (!config) {
        std::fprintf(stderr, "socketio-echo-server: %s\n", qPrintable(error));
        return false;
    }
    server->setSslConfiguration(*config);
    auto *watcher = new QFileSystemWatcher({ certFile, keyFile }, server);
    QObject::connect(watcher, &QFileSystemWatcher::fileChanged, server, [server, watcher, certFile, keyFile] {
        // Editors and certbot replace files: watch the new ones too.
        watcher->addPaths({ certFile, keyFile });
        QString error;
        if (const auto renewed = EngineServer::loadSslConfiguration(certFile, keyFile, &error))
            server->setSslConfiguration(*renewed);
        else
            std::fprintf(stderr, "socketio-echo-server: keeping the current certificate: %s\n",
                         qPrintable(error));
    });
    return true;
}

int runEngineIoEcho(const EngineOptions &options, quint16 port, const QString &certFile,
                    const QString &keyFile, QCoreApplication &app)
{
    EngineServer server(options);
    if (!setUpTls(&server, certFile, keyFile))
        return 1;
    QObject::connect(&server, &EngineServer::sessionOpened, &server, [](EngineSession *session) {
        QObject::connect(session, &EngineSession::textMessageReceived, session,
                         [session](const QByteArray &text) { session->sendText(text); });
        QObject::connect(session, &EngineSession::binaryMessageReceived, session,
                         [session](const QByteArray &data) { session->sendBinary(data); });
    });
    if (!server.listen(QHostAddress::Any, port)) {
        std::fprintf(stderr, "socketio-echo-server: %s\n", qPrintable(server.errorString()));
        return 1;
    }
    // Tests read the port from this line when started with --port 0.
    std::printf("listening on port %u\n", unsigned(server.serverPort()));
    std::fflush(stdout);
    return app.exec();
}

} // namespace

int main(int argc, char *argv[])
{
    SocketIo::installEventDispatcher(); // epoll on Linux: idle clients cost the others nothing
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("socketio-echo-server"));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Socket.IO / Engine.IO echo server for conformance tests"));
    parser.addHelpOption();
    const QCommandLineOption port(QStringLiteral("port"), QStringLiteral("TCP port (0: any free port)."),
                                  QStringLiteral("N"), QStringLiteral("3000"));
    const QCommandLineOption pingInterval(QStringLiteral("ping-interval"), QStringLiteral("Ping interval."),
                                          QStringLiteral("MS"), QStringLiteral("25000"));
    const QCommandLineOption pingTimeout(QStringLiteral("ping-timeout"), QStringLiteral("Ping timeout."),
                                         QStringLiteral("MS"), QStringLiteral("20000"));
    const QCommandLineOption connectTimeout(QStringLiteral("connect-timeout"),
                                            QStringLiteral("Socket.IO namespace connect timeout."),
                                            QStringLiteral("MS"), QStringLiteral("45000"));
    const QCommandLineOption maxPayload(QStringLiteral("max-payload"), QStringLiteral("maxHttpBufferSize."),
                                        QStringLiteral("BYTES"), QStringLiteral("1000000"));
    const QCommandLineOption cors(QStringLiteral("cors"),
                                  QStringLiteral("Allowed CORS origin ('*' for any)."),
                                  QStringLiteral("ORIGIN"));
    const QCommandLineOption engineIo(QStringLiteral("engine-io"),
                                      QStringLiteral("Pure Engine.IO echo on /engine.io/."));
    const QCommandLineOption eio3(QStringLiteral("eio3"),
                                  QStringLiteral("Also accept Engine.IO v3 clients."));
    parser.addOptions({ port, pingInterval, pingTimeout, connectTimeout, maxPayload, cors, engineIo, eio3 });
    const QCommandLineOption redisUrl(
        QStringLiteral("redis"),
        QStringLiteral("Share rooms and broadcasts with other servers through Redis "
                       "(redis://host:port/db or redis+unix:///path)."),
        QStringLiteral("URL"));
    parser.addOption(redisUrl);
    const QCommandLineOption admin(QStringLiteral("admin"),
                                   QStringLiteral("Instrument the server for the Socket.IO Admin UI "
                                                  "(no authentication unless --admin-auth)."));
    const QCommandLineOption adminAuth(QStringLiteral("admin-auth"),
                                       QStringLiteral("Admin UI basic authentication (implies --admin)."),
                                       QStringLiteral("USER:BCRYPT_HASH"));
    const QCommandLineOption adminReadonly(
        QStringLiteral("admin-readonly"),
        QStringLiteral("Admin UI read-only: no commands (implies --admin)."));
    const QCommandLineOption adminMode(
        QStringLiteral("admin-mode"),
        QStringLiteral("Admin UI mode: development (every event) or production "
                       "(implies --admin)."),
        QStringLiteral("MODE"), QStringLiteral("development"));
    const QCommandLineOption adminNamespace(QStringLiteral("admin-namespace"),
                                            QStringLiteral("Admin namespace (implies --admin)."),
                                            QStringLiteral("NAME"), QStringLiteral("/admin"));
    const QCommandLineOption adminUi(QStringLiteral("admin-ui"),
                                     QStringLiteral("Serve the Admin UI page (npm @socket.io/admin-ui) at "
                                                    "/admin-ui/ (implies --admin)."));
    const QCommandLineOption adminRawPackets(
        QStringLiteral("admin-raw-packets"),
        QStringLiteral("Offer admins the raw packet stream (feature RAW_PACKETS, our extension, "
                       "for socketio-inspector --attach; implies --admin)."));
    parser.addOptions(
        { admin, adminAuth, adminReadonly, adminMode, adminNamespace, adminUi, adminRawPackets });
    const QCommandLineOption tlsCert(QStringLiteral("tls-cert"),
                                     QStringLiteral("Serve https/wss with this PEM certificate (chain); "
                                                    "reloaded when the file changes."),
                                     QStringLiteral("FILE"));
    const QCommandLineOption tlsKey(QStringLiteral("tls-key"),
                                    QStringLiteral("The PEM private key of --tls-cert (unencrypted)."),
                                    QStringLiteral("FILE"));
    parser.addOptions({ tlsCert, tlsKey });
    const QCommandLineOption recovery(
        QStringLiteral("recovery"),
        QStringLiteral("Connection state recovery with this maxDisconnectionDuration (socket.io's "
                       "connectionStateRecovery)."),
        QStringLiteral("MS"));
    const QCommandLineOption recoveryMiddlewares(
        QStringLiteral("recovery-middlewares"),
        QStringLiteral("With --recovery: recovered sockets go through the middleware too "
                       "(skipMiddlewares false)."));
    parser.addOptions({ recovery, recoveryMiddlewares });
    const QCommandLineOption packetParser(
        QStringLiteral("parser"),
        QStringLiteral("Packet encoding: json (default) or msgpack (npm socket.io-msgpack-parser)."),
        QStringLiteral("NAME"), QStringLiteral("json"));
    parser.addOption(packetParser);
    parser.process(app);
    const QString parserName = parser.value(packetParser);
    if (parserName != QLatin1String("json") && parserName != QLatin1String("msgpack")) {
        std::fprintf(stderr, "socketio-echo-server: --parser must be json or msgpack\n");
        return 1;
    }

    EngineOptions options;
    options.pingInterval = std::chrono::milliseconds(parser.value(pingInterval).toLongLong());
    options.pingTimeout = std::chrono::milliseconds(parser.value(pingTimeout).toLongLong());
    options.maxHttpBufferSize = parser.value(maxPayload).toLongLong();
    options.allowEIO3 = parser.isSet(eio3);
    if (parser.isSet(cors))
        options.cors.origins = parser.values(cors);
    const auto listenPort = quint16(parser.value(port).toUInt());

    if (parser.isSet(engineIo)) {
        options.path = QStringLiteral("/engine.io/");
        return runEngineIoEcho(options, listenPort, parser.value(tlsCert), parser.value(tlsKey), app);
    }

    ServerOptions serverOptions;
    options.path = serverOptions.engine.path;
    serverOptions.engine = options;
    serverOptions.connectTimeout = std::chrono::milliseconds(parser.value(connectTimeout).toLongLong());
    if (parser.isSet(recovery)) {
        serverOptions.connectionStateRecovery.enabled = true;
        serverOptions.connectionStateRecovery.maxDisconnectionDuration =
            std::chrono::milliseconds(parser.value(recovery).toLongLong());
        serverOptions.connectionStateRecovery.skipMiddlewares = !parser.isSet(recoveryMiddlewares);
    }
    if (parserName == QLatin1String("msgpack"))
        serverOptions.parser = Parser::MsgPack;
    Server server(serverOptions);
    if (parser.isSet(redisUrl)) {
#ifdef SOCKETIO_HAVE_REDIS
        auto *redis = new RedisAdapter(QUrl(parser.value(redisUrl)), {}, &server);
        redis->attach(&server);
#else
        std::fprintf(stderr,
                     "socketio-echo-server: built without the Redis adapter "
                     "(libhiredis-dev, libmsgpack-dev)\n");
        return 1;
#endif
    }
    if (!setUpTls(server.engine(), parser.value(tlsCert), parser.value(tlsKey)))
        return 1;
    serveEcho(server.mainNamespace());
    serveEcho(server.of(QStringLiteral("/custom")));
    if (parser.isSet(admin) || parser.isSet(adminAuth) || parser.isSet(adminReadonly)
        || parser.isSet(adminMode) || parser.isSet(adminNamespace) || parser.isSet(adminUi)
        || parser.isSet(adminRawPackets)) {
        AdminOptions adminOptions;
        adminOptions.rawPackets = parser.isSet(adminRawPackets);
        adminOptions.namespaceName = parser.value(adminNamespace);
        adminOptions.readOnly = parser.isSet(adminReadonly);
        const QString mode = parser.value(adminMode);
        if (mode != QLatin1String("development") && mode != QLatin1String("production")) {
            std::fprintf(stderr, "socketio-echo-server: --admin-mode is development or production\n");
            return 1;
        }
        adminOptions.mode = mode == QLatin1String("production") ? AdminOptions::Mode::Production
                                                                : AdminOptions::Mode::Development;
        if (parser.isSet(adminAuth)) {
            const QString auth = parser.value(adminAuth);
            const qsizetype colon = auth.indexOf(QLatin1Char(':'));
            adminOptions.username = auth.left(colon);
            adminOptions.passwordHash = auth.mid(colon + 1).toUtf8();
            if (colon <= 0 || !AdminInstrumentation::isPasswordHash(adminOptions.passwordHash)) {
                std::fprintf(
                    stderr,
                    "socketio-echo-server: --admin-auth takes USER:BCRYPT_HASH ($2a$, $2b$ or $2y$)\n");
                return 1;
            }
        }
        new AdminInstrumentation(&server, adminOptions, &server);
        if (parser.isSet(adminUi)) {
            const QString dist = adminUiDirectory();
            if (dist.isEmpty()) {
                std::fprintf(stderr,
                             "socketio-echo-server: the npm package @socket.io/admin-ui is not installed "
                             "(scripts/install-deps, or npm install @socket.io/admin-ui here)\n");
                return 1;
            }
            server.engine()->setRequestHandler(adminUiHandler(dist));
        }
    }
    if (!server.listen(QHostAddress::Any, listenPort)) {
        std::fprintf(stderr, "socketio-echo-server: %s\n", qPrintable(server.errorString()));
        return 1;
    }
    std::printf("listening on port %u\n", unsigned(server.serverPort()));
    std::fflush(stdout);
    return app.exec();
}
