// SPDX-License-Identifier: MIT
// socketio-bench-plain: the floor under our server, for the benchmark's notes. A bare
// QWebSocketServer that speaks just enough Engine.IO/Socket.IO for socketio-loadgen (open packet,
// CONNECT reply, pong, echo as an ack, broadcast to all but the sender) with no library in
// between (only our epoll event dispatcher, as in our bench server): what QWebSocket itself
// costs in CPU and memory. Not a Socket.IO server.
#include <SocketIo/eventdispatcher.h>

#include <QCoreApplication>
#include <QWebSocket>
#include <QWebSocketServer>

#include <cstdio>

int main(int argc, char *argv[])
{
    SocketIo::installEventDispatcher(); // the same dispatcher as our bench server
    QCoreApplication app(argc, argv);
    const quint16 port = argc > 1 ? quint16(QByteArray(argv[1]).toUInt()) : 3000;
    QWebSocketServer server(QStringLiteral("plain"), QWebSocketServer::NonSecureMode);
    server.setMaxPendingConnections(1024);
    QList<QWebSocket *> sockets;
    QObject::connect(&server, &QWebSocketServer::newConnection, &server, [&] {
        while (QWebSocket *socket = server.nextPendingConnection()) {
            sockets.append(socket);
            socket->sendTextMessage(QStringLiteral("0{\"sid\":\"plainplainplainplain\",\"upgrades\":[],"
                                                   "\"pingInterval\":25000,\"pingTimeout\":20000,"
                                                   "\"maxPayload\":1000000}"));
            QObject::connect(
                socket, &QWebSocket::textMessageReceived, socket, [&, socket](const QString &text) {
                    if (text.startsWith(QLatin1String("40"))) {
                        socket->sendTextMessage(QStringLiteral("40{\"sid\":\"plainsocketplainsocke\"}"));
                    } else if (text.startsWith(QLatin1String("42[\"broadcast\""))) {
                        // 42["broadcast","",1,"payload"] -> 42["msg","payload"] to the others
                        const qsizetype start = text.lastIndexOf(QLatin1Char(','));
                        const QString frame =
                            QStringLiteral("42[\"msg\"") + text.mid(start, text.size() - start);
                        for (QWebSocket *other : std::as_const(sockets)) {
                            if (other != socket)
                                other->sendTextMessage(frame);
                        }
                    } else if (text.startsWith(QLatin1String("42"))) {
                        // 42<id>["echo",args] -> 43<id>[args]
                        qsizetype i = 2;
                        while (i < text.size() && text.at(i).isDigit())
                            ++i;
                        const qsizetype comma = text.indexOf(QLatin1Char(','), i);
                        socket->sendTextMessage(QStringLiteral("43") + text.mid(2, i - 2) + QLatin1Char('[')
                                                + text.mid(comma + 1));
                    }
                });
            QObject::connect(socket, &QWebSocket::disconnected, socket, [&, socket] {
                sockets.removeOne(socket);
                socket->deleteLater();
            });
        }
    });
    if (!server.listen(QHostAddress::Any, port))
        return 1;
    std::printf("listening on port %u\n", unsigned(server.serverPort()));
    std::fflush(stdout);
    return app.exec();
}
