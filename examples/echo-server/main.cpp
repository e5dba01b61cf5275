// SPDX-License-Identifier: MIT
// The reference test app of PROTOCOL.md: an echo server for conformance tests and interop.
#include <SocketIo/engineserver.h>
#include <SocketIo/enginesession.h>

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cstdio>

using namespace SocketIo;

int main(int argc, char *argv[])
{
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
    parser.process(app);

    if (!parser.isSet(engineIo)) {
        std::fprintf(stderr, "socketio-echo-server: the Socket.IO mode is not built yet; use --engine-io\n");
        return 2;
    }

    EngineOptions options;
    options.path = QStringLiteral("/engine.io/");
    options.pingInterval = std::chrono::milliseconds(parser.value(pingInterval).toLongLong());
    options.pingTimeout = std::chrono::milliseconds(parser.value(pingTimeout).toLongLong());
    options.maxHttpBufferSize = parser.value(maxPayload).toLongLong();
    options.allowEIO3 = parser.isSet(eio3);
    if (parser.isSet(cors))
        options.cors.origins = parser.values(cors);

    EngineServer server(options);
    QObject::connect(&server, &EngineServer::sessionOpened, &server, [](EngineSession *session) {
        QObject::connect(session, &EngineSession::textMessageReceived, session,
                         [session](const QByteArray &text) { session->sendText(text); });
        QObject::connect(session, &EngineSession::binaryMessageReceived, session,
                         [session](const QByteArray &data) { session->sendBinary(data); });
    });
    if (!server.listen(QHostAddress::Any, quint16(parser.value(port).toUInt()))) {
        std::fprintf(stderr, "socketio-echo-server: %s\n", qPrintable(server.errorString()));
        return 1;
    }
    // Tests read the port from this line when started with --port 0.
    std::printf("listening on port %u\n", unsigned(server.serverPort()));
    std::fflush(stdout);
    return app.exec();
}
