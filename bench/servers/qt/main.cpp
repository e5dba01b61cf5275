// SPDX-License-Identifier: MIT
// socketio-bench-server: the benchmark's server on our library, with the same handlers as
// bench/servers/node/server.js and bench/servers/python/server.py:
//   echo (...args)            -> ack with the same args
//   broadcast (room, n, data) -> emit "msg" data n times to room, or to all but the sender if room is ""
//   join (room)               -> join room, ack
//   chat (room, data)         -> emit "chat" data to room but the sender, ack
//   stats ()                  -> ack {"latenessMs": worst lateness of a 20 ms timer since the
//                                last stats call, "sockets": sockets of "/"} (scripts/soak)
// --redis URL shares rooms and broadcasts through redis-server (SocketIoRedis, as node's
// @socket.io/redis-adapter in server.js --redis).
// Quits cleanly on SIGTERM/SIGINT (so valgrind --tool=callgrind writes its profile).
#include <SocketIo/engineserver.h>
#include <SocketIo/eventdispatcher.h>
#include <SocketIo/server.h>
#include <SocketIo/socket.h>

#ifdef SOCKETIO_HAVE_REDIS
#include <SocketIo/redisadapter.h>
#endif

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSocketNotifier>
#include <QTimer>
#include <QUrl>

#include <csignal>
#include <cstdio>
#include <unistd.h>

namespace {
int signalPipe[2];
void onSignal(int)
{
    const char c = 1;
    [[maybe_unused]] const auto n = ::write(signalPipe[1], &c, 1);
}
} // namespace

int main(int argc, char *argv[])
{
    // The epoll event dispatcher unless --qt-dispatcher (for comparison).
    bool qtDispatcher = false;
    for (int i = 1; i < argc; ++i)
        qtDispatcher |= qstrcmp(argv[i], "--qt-dispatcher") == 0;
    if (!qtDispatcher)
        SocketIo::installEventDispatcher();
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption portOption(QStringLiteral("port"), QStringLiteral("Port (0: any)."),
                                        QStringLiteral("port"), QStringLiteral("3000"));
    parser.addOption(portOption);
    parser.addOption(
        { QStringLiteral("qt-dispatcher"), QStringLiteral("Use Qt's event dispatcher, not epoll.") });
    parser.addOption(
        { QStringLiteral("no-trim"),
          QStringLiteral("Never give freed memory back (EngineOptions::trimMemoryAfterClosures 0), "
                         "for comparison.") });
    const QCommandLineOption redisOption(QStringLiteral("redis"),
                                         QStringLiteral("Share rooms and broadcasts through Redis."),
                                         QStringLiteral("url"));
    parser.addOption(redisOption);
    parser.process(app);

    if (::pipe(signalPipe) == 0) {
        auto *notifier = new QSocketNotifier(signalPipe[0], QSocketNotifier::Read, &app);
        QObject::connect(notifier, &QSocketNotifier::activated, &app, [] { QCoreApplication::quit(); });
        std::signal(SIGTERM, onSignal);
        std::signal(SIGINT, onSignal);
    }

    SocketIo::ServerOptions options; // pings 25 s / 20 s, backlog 1024, as the references
    options.engine.httpCompression = false;
    if (parser.isSet(QStringLiteral("no-trim")))
        options.engine.trimMemoryAfterClosures = 0;
    // The msgpack parser (docs/msgpack.md) when bench/run.py asks for it.
    if (qgetenv("SOCKETIO_BENCH_PARSER") == "msgpack")
        options.parser = SocketIo::Parser::MsgPack;
    SocketIo::Server io(options);
    if (parser.isSet(redisOption)) {
#ifdef SOCKETIO_HAVE_REDIS
        auto *redis = new SocketIo::RedisAdapter(QUrl(parser.value(redisOption)), {}, &io);
        redis->attach(&io);
#else
        std::fprintf(stderr, "built without the Redis adapter\n");
        return 1;
#endif
    }

    // Event-loop lateness: how late a 20 ms timer fires, worst since the last "stats" event.
    QElapsedTimer clock;
    clock.start();
    qint64 lastTick = 0;
    qint64 worstLateness = 0;
    QTimer lateness;
    lateness.setTimerType(Qt::PreciseTimer);
    QObject::connect(&lateness, &QTimer::timeout, &app, [&] {
        const qint64 now = clock.elapsed();
        worstLateness = std::max(worstLateness, now - lastTick - 20);
        lastTick = now;
    });
    lateness.start(20);

    QObject::connect(
        io.mainNamespace(), &SocketIo::Namespace::socketConnected, &io, [&](SocketIo::Socket *socket) {
            socket->on(QStringLiteral("stats"), socket,
                       [&io, &worstLateness](const QVariantList &, const SocketIo::Ack &ack) {
                           ack.send({ QVariantMap{
                               { QStringLiteral("latenessMs"), worstLateness },
                               { QStringLiteral("sockets"), io.mainNamespace()->socketCount() } } });
                           worstLateness = 0;
                       });
            socket->on(QStringLiteral("echo"), socket,
                       [](const QVariantList &args, const SocketIo::Ack &ack) { ack.send(args); });
            socket->on(QStringLiteral("broadcast"), socket,
                       [socket](const QVariantList &args, const SocketIo::Ack &ack) {
                           const QString room = args.value(0).toString();
                           const int count = args.value(1).toInt();
                           const QVariantList data{ args.value(2) };
                           for (int i = 0; i < count; ++i) {
                               if (room.isEmpty())
                                   socket->broadcast().emitEvent(QStringLiteral("msg"), data);
                               else
                                   socket->nsp()->to(room).emitEvent(QStringLiteral("msg"), data);
                           }
                           ack.send();
                       });
            socket->on(QStringLiteral("join"), socket,
                       [socket](const QVariantList &args, const SocketIo::Ack &ack) {
                           socket->join(args.value(0).toString());
                           ack.send();
                       });
            socket->on(
                QStringLiteral("chat"), socket, [socket](const QVariantList &args, const SocketIo::Ack &ack) {
                    socket->to(args.value(0).toString()).emitEvent(QStringLiteral("chat"), { args.value(1) });
                    ack.send();
                });
        });
    if (!io.listen(QHostAddress::Any, quint16(parser.value(portOption).toUInt()))) {
        std::fprintf(stderr, "cannot listen: %s\n", qPrintable(io.errorString()));
        return 1;
    }
    std::printf("listening on port %u\n", unsigned(io.serverPort()));
    std::fflush(stdout);
    return app.exec();
}
