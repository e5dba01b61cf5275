// SPDX-License-Identifier: MIT
// A Socket.IO server on a Redis adapter, for the multi-node tests: prints "listening on port N"
// and "redis: <state>" on stdout, and lets its clients drive the adapter with events:
//   join(room)                              the socket joins room                     ack: rooms
//   to-room(room, event, ...args)           io.to(room).emit(event, ...args)          ack: "ok"
//   to-room-ack(room, event, timeoutMs)     io.to(room).timeout(t).emit(event) acks   ack: {status, replies}
//   fetch(room)                             io.in(room).fetchSockets() on every node  ack: sorted ids
//   all-rooms()                             every node's rooms                        ack: sorted rooms
//   sockets-join(room, newRoom)             io.in(room).socketsJoin(newRoom)          ack: "ok"
//   disconnect-sockets(room)                io.in(room).disconnectSockets()           ack: "ok"
//   server-side(event, arg)                 io.serverSideEmit(event, arg) with acks   ack: {timedOut,
//   replies} redis-state()                                                                     ack: state
//   name
// A server-side event from another node is relayed to this server's clients as
// "server-side" [event, ...args] and answered with "qt:<port>".
#include <SocketIo/namespace.h>
#include <SocketIo/redisadapter.h>
#include <SocketIo/server.h>
#include <SocketIo/socket.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

#include <cstdio>

using namespace SocketIo;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({ QStringLiteral("port"), QStringLiteral("port (0: any free one)"),
                       QStringLiteral("port"), QStringLiteral("0") });
    parser.addOption({ QStringLiteral("redis"), QStringLiteral("Redis URL"), QStringLiteral("url") });
    parser.addOption({ QStringLiteral("requests-timeout"), QStringLiteral("ms"), QStringLiteral("ms"),
                       QStringLiteral("3000") });
    parser.process(app);

    const auto say = [](const QString &line) {
        std::fputs(qPrintable(line + QLatin1Char('\n')), stdout);
        std::fflush(stdout);
    };

    Server io;
    RedisAdapterOptions options;
    options.requestsTimeout =
        std::chrono::milliseconds(parser.value(QStringLiteral("requests-timeout")).toInt());
    options.reconnectDelayMax = std::chrono::milliseconds(1000);
    auto *redis = new RedisAdapter(QUrl(parser.value(QStringLiteral("redis"))), options, &io);
    QObject::connect(redis, &RedisAdapter::stateChanged, &io, [say](RedisAdapter::State state) {
        say(QStringLiteral("redis: ") + RedisAdapter::stateName(state));
    });
    redis->attach(&io);
    say(QStringLiteral("redis: ") + RedisAdapter::stateName(redis->state())); // where it starts
    Namespace *nsp = io.mainNamespace();

    QObject::connect(nsp, &Namespace::serverSideEventReceived, &io,
                     [&io, nsp](const QString &event, const QVariantList &args, const ServerSideAck &ack) {
                         QVariantList relayed{ event };
                         relayed.append(args);
                         nsp->all().local().emitEvent(QStringLiteral("server-side"), relayed);
                         ack.send(QStringLiteral("qt:%1").arg(io.serverPort()));
                     });

    QObject::connect(nsp, &Namespace::socketConnected, &io, [&io, nsp, redis](Socket *socket) {
        const auto sortedList = [](QStringList list) {
            list.sort();
            return list;
        };
        socket->on(QStringLiteral("join"), socket,
                   [socket, sortedList](const QVariantList &args, const Ack &ack) {
                       socket->join(args.value(0).toString());
                       const QSet<QString> rooms = socket->rooms();
                       ack.send({ sortedList(QStringList(rooms.cbegin(), rooms.cend())) });
                   });
        socket->on(QStringLiteral("to-room"), socket, [nsp](const QVariantList &args, const Ack &ack) {
            nsp->to(args.value(0).toString()).emitEvent(args.value(1).toString(), args.mid(2));
            ack.send({ QStringLiteral("ok") });
        });
        socket->on(QStringLiteral("to-room-ack"), socket,
                   [nsp, socket](const QVariantList &args, const Ack &ack) {
                       nsp->to(args.value(0).toString())
                           .timeout(std::chrono::milliseconds(args.value(2).toInt()))
                           .emitEvent(args.value(1).toString(), {}, socket,
                                      [ack](AckStatus status, const QList<QVariantList> &replies) {
                                          QVariantList values;
                                          for (const QVariantList &reply : replies)
                                              values.append(reply.value(0));
                                          ack.send({ QVariantMap{ { QStringLiteral("status"),
                                                                    status == AckStatus::Received
                                                                        ? QStringLiteral("received")
                                                                        : QStringLiteral("timed out") },
                                                                  { QStringLiteral("replies"), values } } });
                                      });
                   });
        socket->on(QStringLiteral("fetch"), socket,
                   [nsp, socket, sortedList](const QVariantList &args, const Ack &ack) {
                       nsp->in(args.value(0).toString())
                           .fetchSockets(socket, [ack, sortedList](const QList<RemoteSocket> &sockets) {
                               QStringList ids;
                               for (const RemoteSocket &remote : sockets)
                                   ids.append(remote.id);
                               ack.send({ sortedList(ids) });
                           });
                   });
        socket->on(QStringLiteral("all-rooms"), socket,
                   [nsp, socket, sortedList](const QVariantList &, const Ack &ack) {
                       nsp->allRooms(socket, [ack, sortedList](const QSet<QString> &rooms) {
                           ack.send({ sortedList(QStringList(rooms.cbegin(), rooms.cend())) });
                       });
                   });
        socket->on(QStringLiteral("sockets-join"), socket, [nsp](const QVariantList &args, const Ack &ack) {
            nsp->in(args.value(0).toString()).socketsJoin({ args.value(1).toString() });
            ack.send({ QStringLiteral("ok") });
        });
        socket->on(QStringLiteral("disconnect-sockets"), socket,
                   [nsp](const QVariantList &args, const Ack &ack) {
                       nsp->in(args.value(0).toString()).disconnectSockets();
                       ack.send({ QStringLiteral("ok") });
                   });
        socket->on(
            QStringLiteral("server-side"), socket, [nsp, socket](const QVariantList &args, const Ack &ack) {
                nsp->serverSideEmit(args.value(0).toString(), args.mid(1), socket,
                                    [ack](bool timedOut, const QVariantList &replies) {
                                        ack.send({ QVariantMap{ { QStringLiteral("timedOut"), timedOut },
                                                                { QStringLiteral("replies"), replies } } });
                                    });
            });
        socket->on(QStringLiteral("redis-state"), socket, [redis](const QVariantList &, const Ack &ack) {
            ack.send({ RedisAdapter::stateName(redis->state()) });
        });
        Q_UNUSED(io);
    });

    if (!io.listen(QHostAddress::LocalHost, quint16(parser.value(QStringLiteral("port")).toUInt()))) {
        std::fprintf(stderr, "cannot listen: %s\n", qPrintable(io.errorString()));
        return 1;
    }
    say(QStringLiteral("listening on port %1").arg(io.serverPort()));
    return app.exec();
}
