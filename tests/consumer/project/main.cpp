// SPDX-License-Identifier: MIT
// Uses the installed library as an application would: find_package(SocketIo), link
// SocketIo::SocketIo, listen on a free loopback port, report it and exit.
#include <SocketIo/engineserver.h>
#include <SocketIo/enginesession.h>

#include <QCoreApplication>

#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);

    SocketIo::EngineOptions options;
    options.path = QStringLiteral("/engine.io/");
    SocketIo::EngineServer server(options);
    // Connecting to a signal needs the exported meta-object.
    QObject::connect(&server, &SocketIo::EngineServer::sessionOpened, &server,
                     [](SocketIo::EngineSession *session) { session->sendText(QByteArrayLiteral("hi")); });

    if (!server.listen(QHostAddress::LocalHost, 0)) {
        std::fprintf(stderr, "socketio-consumer: listen failed: %s\n", qPrintable(server.errorString()));
        return 1;
    }
    std::printf("listening on %s port %u\n", qPrintable(server.serverAddress().toString()),
                unsigned(server.serverPort()));
    return server.isListening() && server.serverPort() != 0 ? 0 : 1;
}
