// SPDX-License-Identifier: MIT
// The classic chat demo: a page served by the same server as its socket, a namespace whose
// on_hello handler answers, and a chat room with broadcasts.
//
//   examples/chat/run [--port 3000]   builds and starts it; then open http://localhost:3000/
#include <SocketIo/engineserver.h>
#include <SocketIo/eventdispatcher.h>
#include <SocketIo/server.h>
#include <SocketIo/staticfiles.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>

#include <cstdio>

using namespace SocketIo;

// Class-based handlers: each on_<event> slot handles that event for every socket of the
// namespace it is added to; the return value becomes the acknowledgement.
class ChatHandler : public QObject
{
    Q_OBJECT
public Q_SLOTS:
    void on_connect(SocketIo::Socket *socket) { socket->join(QStringLiteral("lobby")); }

    QString on_hello(SocketIo::Socket *socket, const QString &name)
    {
        socket->setData({ { QStringLiteral("name"), name } });
        socket->emitEvent(QStringLiteral("hello_ack"), { QStringLiteral("Welcome, %1!").arg(name) });
        socket->to(QStringLiteral("lobby")).emitEvent(QStringLiteral("joined"), { name });
        return QStringLiteral("hello %1").arg(name);
    }

    void on_chat(SocketIo::Socket *socket, const QString &text)
    {
        const QString name = socket->data().value(QStringLiteral("name"), socket->id()).toString();
        socket->nsp()->to(QStringLiteral("lobby")).emitEvent(QStringLiteral("chat"), { name, text });
    }

    void on_disconnect(SocketIo::Socket *socket, const QString &reason)
    {
        const QString name = socket->data().value(QStringLiteral("name"), socket->id()).toString();
        socket->broadcast().emitEvent(QStringLiteral("left"), { name, reason });
    }
};

int main(int argc, char *argv[])
{
    SocketIo::installEventDispatcher(); // epoll on Linux: idle clients cost the others nothing
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Socket.IO chat example"));
    parser.addHelpOption();
    const QCommandLineOption port(QStringLiteral("port"), QStringLiteral("TCP port."), QStringLiteral("N"),
                                  QStringLiteral("3000"));
    parser.addOption(port);
    parser.process(app);

    Server server;
    ChatHandler chat;
    server.of(QStringLiteral("/chat"))->addHandler(&chat);

    // The page, and the official client under the URL socket.io serves it at.
    const auto files = staticFiles(QStringLiteral(SOCKETIO_CHAT_PUBLIC));
    server.engine()->setRequestHandler([files](const HttpRequest &request) {
        if (request.path == QLatin1String("/socket.io.min.js")) {
            for (const char *path : { SOCKETIO_CHAT_CLIENT, SOCKETIO_CHAT_CLIENT_FALLBACK }) {
                QFile client(QString::fromUtf8(path));
                if (client.open(QIODevice::ReadOnly))
                    return HttpResponse::text(200, client.readAll(), "text/javascript; charset=UTF-8");
            }
            return HttpResponse::text(404, "socket.io-client is not installed: run scripts/install-deps");
        }
        return files(request);
    });

    if (!server.listen(QHostAddress::Any, quint16(parser.value(port).toUInt()))) {
        std::fprintf(stderr, "socketio-chat: %s\n", qPrintable(server.errorString()));
        return 1;
    }
    std::printf("chat on http://localhost:%u/\n", unsigned(server.serverPort()));
    std::fflush(stdout);
    return app.exec();
}

#include "main.moc"
