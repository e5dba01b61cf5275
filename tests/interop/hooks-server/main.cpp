// SPDX-License-Identifier: MIT
// The server of hooks.test.mjs (docs/server-hooks.md): a Socket.IO server with every hook of
// socket.io 4.8 this library offers, for the npm socket.io-client 4.8.
//
//   socketio-hooks-test-server --port 0      prints "listening on port N"
//
// - session ids "hooks-<n>" (EngineServer::setIdGenerator)
// - an asynchronous allowRequest: ?token=deny is refused ("denied by lookup"), anything else
//   allowed, answered in a later turn of the event loop (as after a database look-up)
// - initial headers: Set-Cookie sticky=node-a; headers: X-Hooks: <method>; counts the polling
//   requests and the WebSocket handshakes that carried the sticky cookie back
// - dynamic namespaces /dyn-<digits> with cleanupEmptyChildNamespaces
// - events on every namespace: `stats` (ack: counters and namespaces), `ask-me` (the server asks the client
//   `question` with emitWithAck and emits `answer` with the result), `ask-all` (a broadcast
//   emitWithAck of `poll` with the timeout given, result as `poll-result`)
#include <SocketIo/engineserver.h>
#include <SocketIo/namespace.h>
#include <SocketIo/server.h>
#include <SocketIo/socket.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QHash>
#include <QRegularExpression>
#include <QTimer>

#include <cstdio>

using namespace SocketIo;

namespace {

QString statusName(AckStatus status)
{
    switch (status) {
    case AckStatus::Received:
        return QStringLiteral("Received");
    case AckStatus::TimedOut:
        return QStringLiteral("TimedOut");
    case AckStatus::Disconnected:
        return QStringLiteral("Disconnected");
    case AckStatus::Refused:
        return QStringLiteral("Refused");
    }
    return {};
}

bool hasStickyCookie(const HttpRequest &request)
{
    return request.header("cookie").contains("sticky=node-a");
}

struct Counters
{
    int sessions = 0;
    int lookups = 0;
    QHash<QString, int> cookiesBack; // by session: its polling requests that sent the cookie back
    int created = 0; // namespaces created
    int removed = 0;
};

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption portOption(QStringLiteral("port"),
                                        QStringLiteral("TCP port (0: any free port)."), QStringLiteral("N"),
                                        QStringLiteral("0"));
    parser.addOption(portOption);
    parser.process(app);

    ServerOptions options;
    options.cleanupEmptyChildNamespaces = true;
    options.engine.cors.origins = { QStringLiteral("*") };
    Server server(options);
    Counters counters;
    EngineServer *engine = server.engine();

    engine->setIdGenerator(
        [&counters](const HttpRequest &) { return QStringLiteral("hooks-%1").arg(++counters.sessions); });
    engine->setAllowRequestAsync(
        [&counters, &app](const HttpRequest &request, const HandshakeDecision &decision) {
            ++counters.lookups;
            const QString token = request.query.queryItemValue(QStringLiteral("token"));
            // Answered later, as a database look-up would.
            QTimer::singleShot(0, &app, [decision, token] {
                if (token == QLatin1String("deny"))
                    decision.refuse(QStringLiteral("denied by lookup"));
                else
                    decision.allow();
            });
        });
    engine->setInitialHeadersHook([](HttpHeaderList &headers, const HttpRequest &) {
        headers.append({ QByteArrayLiteral("Set-Cookie"), QByteArrayLiteral("sticky=node-a; Path=/") });
    });
    engine->setHeadersHook([&counters](HttpHeaderList &headers, const HttpRequest &request) {
        headers.append({ QByteArrayLiteral("X-Hooks"), request.method });
        const QString sid = request.query.queryItemValue(QStringLiteral("sid"));
        if (!sid.isEmpty() && hasStickyCookie(request))
            ++counters.cookiesBack[sid];
    });

    server.addDynamicNamespace(QRegularExpression(QStringLiteral("^/dyn-\\d+$")));
    QObject::connect(&server, &Server::namespaceCreated, &server,
                     [&counters](Namespace *) { ++counters.created; });
    QObject::connect(&server, &Server::namespaceRemoved, &server,
                     [&counters](const QString &) { ++counters.removed; });

    const auto serve = [&server, &counters, &app](Namespace *nsp) {
        QObject::connect(nsp, &Namespace::socketConnected, nsp, [&server, &counters, &app](Socket *socket) {
            socket->on(
                QStringLiteral("stats"), socket,
                [&server, &counters, socket](const QVariantList &, const Ack &ack) {
                    QStringList names;
                    const QList<Namespace *> all = server.namespaces();
                    for (const Namespace *nsp : all)
                        names.append(nsp->name());
                    names.sort();
                    ack.send({ QVariantMap{
                        { QStringLiteral("sessions"), counters.sessions },
                        { QStringLiteral("lookups"), counters.lookups },
                        { QStringLiteral("cookiesBack"),
                          counters.cookiesBack.value(socket->engineSessionId()) },
                        { QStringLiteral("created"), counters.created },
                        { QStringLiteral("removed"), counters.removed },
                        { QStringLiteral("namespaces"), names },
                        { QStringLiteral("engineId"), socket->engineSessionId() },
                        { QStringLiteral("cookieOnHandshake"), hasStickyCookie(socket->handshake().request) },
                    } });
                });
            socket->on(QStringLiteral("ask-me"), socket,
                       [socket, &app](const QVariantList &args, const Ack &) {
                           EmitOptions emitOptions;
                           emitOptions.ackTimeout = std::chrono::milliseconds(args.value(0).toInt());
                           const SocketHandle handle = socket->handle();
                           socket->emitWithAck(QStringLiteral("question"), { 42 }, emitOptions)
                               .then(&app, [handle](const AckResult &result) {
                                   handle.emitEvent(QStringLiteral("answer"),
                                                    { statusName(result.status), result.args });
                               });
                       });
            socket->on(QStringLiteral("ask-all"), socket,
                       [socket, &app](const QVariantList &args, const Ack &) {
                           const SocketHandle handle = socket->handle();
                           socket->nsp()
                               ->all()
                               .timeout(std::chrono::milliseconds(args.value(0).toInt()))
                               .emitWithAck(QStringLiteral("poll"), { QStringLiteral("vote?") })
                               .then(&app, [handle](const BroadcastAckResult &result) {
                                   QVariantList replies;
                                   for (const QVariantList &reply : result.replies)
                                       replies.append(QVariant(reply));
                                   handle.emitEvent(QStringLiteral("poll-result"),
                                                    { statusName(result.status), replies });
                               });
                       });
        });
    };
    serve(server.mainNamespace());
    QObject::connect(&server, &Server::namespaceCreated, &server, serve); // dynamic ones too

    if (!server.listen(QHostAddress::LocalHost, quint16(parser.value(portOption).toUInt()))) {
        std::fprintf(stderr, "socketio-hooks-test-server: %s\n", qPrintable(server.errorString()));
        return 1;
    }
    std::printf("listening on port %u\n", unsigned(server.serverPort()));
    std::fflush(stdout);
    return app.exec();
}
