// SPDX-License-Identifier: MIT
// Responsiveness of the inspector's window under load (a benchmark, not a test): the real
// MainWindow, shown (offscreen by default), its tree fed 10,000 sockets with rooms and its
// traffic log fed thousands of packets per second in process, as the ServerMonitor would feed
// them (or, with --live N, by a real server on loopback with N WebSocket clients). Reports the time of each
// tree batch and traffic flush and the event loop's latency (how late a 10 ms timer fires while all this goes
// on).
//
//   socketio-inspector-bench [--sockets 10000] [--rates 1000,5000,20000] [--seconds 5]
//                            [--capacity 50000] [--filter REGEX] [--live N]
#include "mainwindow.h"
#include "servermonitor.h"
#include "trafficfilter.h"

#include <SocketIo/engineserver.h>
#include <SocketIo/namespace.h>
#include <SocketIo/server.h>
#include <SocketIo/socket.h>

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTableView>
#include <QTimer>
#include <QTreeView>
#include <QUrl>
#include <QWebSocket>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <vector>

using namespace Inspector;
using namespace SocketIo;

namespace {

struct Stats
{
    std::vector<double> values;
    void add(double v) { values.push_back(v); }
    double percentile(double p) const
    {
        if (values.empty())
            return 0;
        std::vector<double> sorted = values;
        std::sort(sorted.begin(), sorted.end());
        const auto index = std::size_t(p * double(sorted.size() - 1) + 0.5);
        return sorted[std::min(index, sorted.size() - 1)];
    }
    double max() const { return values.empty() ? 0 : *std::max_element(values.begin(), values.end()); }
    double mean() const
    {
        double sum = 0;
        for (double v : values)
            sum += v;
        return values.empty() ? 0 : sum / double(values.size());
    }
};

QString socketId(int i)
{
    return QStringLiteral("sock%1").arg(i, 6, 10, QLatin1Char('0'));
}

SocketSnapshot makeSocket(int i)
{
    SocketSnapshot s;
    s.id = socketId(i);
    s.nsp = i % 2 ? QStringLiteral("/chat") : QStringLiteral("/");
    s.engineSessionId = QStringLiteral("eng%1").arg(i, 6, 10, QLatin1Char('0'));
    s.transport = Transport::WebSocket;
    s.remoteAddress = QStringLiteral("127.0.0.1");
    s.connectedAt = QDateTime::currentDateTime();
    s.rooms = { s.id, QStringLiteral("room-%1").arg(i % 100) };
    s.headers = { { "host", "localhost:3000" }, { "user-agent", "bench" }, { "accept", "*/*" } };
    s.query = QStringLiteral("EIO=4&transport=websocket");
    return s;
}

// A realistic mix: events in and out with JSON arguments, acks, pings and pongs.
TrafficEvent makePacket(qint64 n, int sockets)
{
    const int i = int(n % sockets);
    TrafficEvent e;
    e.timestampMs = QDateTime::currentMSecsSinceEpoch();
    e.sessionId = QStringLiteral("eng%1").arg(i, 6, 10, QLatin1Char('0'));
    e.transport = Transport::WebSocket;
    const int kind = int(n % 10);
    e.direction = kind % 2 ? TrafficEvent::Direction::Outgoing : TrafficEvent::Direction::Incoming;
    if (kind == 9) {
        e.type = EnginePacketType::Ping;
        e.direction = TrafficEvent::Direction::Outgoing;
        e.size = 1;
        return e;
    }
    e.type = EnginePacketType::Message;
    e.nsp = i % 2 ? QStringLiteral("/chat") : QStringLiteral("/");
    e.socketId = socketId(i);
    const QString prefix = e.nsp == QLatin1String("/") ? QString() : e.nsp + QLatin1Char(',');
    if (kind == 3) {
        e.socketIoType = SocketIoPacketType::Ack;
        e.ackId = n / 10;
        e.payload = QJsonArray{ QStringLiteral("ok") };
        e.data = QStringLiteral("3%1%2[\"ok\"]").arg(prefix).arg(e.ackId).toUtf8();
    } else {
        e.socketIoType = SocketIoPacketType::Event;
        e.event = kind < 5 ? QStringLiteral("chat") : QStringLiteral("position");
        e.payload = QJsonArray{ e.event,
                                QJsonObject{ { QStringLiteral("n"), n },
                                             { QStringLiteral("text"), QStringLiteral("hello there") } } };
        e.data = QStringLiteral("2%1[\"%2\",{\"n\":%3,\"text\":\"hello there\"}]")
                     .arg(prefix, e.event)
                     .arg(n)
                     .toUtf8();
        if (kind == 2) {
            e.ackId = (n + 1) / 10;
            e.data = QStringLiteral("2%1%2[\"%3\",{\"n\":%4,\"text\":\"hello there\"}]")
                         .arg(prefix)
                         .arg(e.ackId)
                         .arg(e.event)
                         .arg(n)
                         .toUtf8();
        }
    }
    e.size = e.data.size() + 1;
    return e;
}

template<typename... Args> void print(const char *format, Args... args)
{
    std::printf(format, args...);
    std::fflush(stdout);
}

} // namespace

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Inspector responsiveness benchmark"));
    parser.addHelpOption();
    const QCommandLineOption sockets(QStringLiteral("sockets"), QStringLiteral("Connected sockets."),
                                     QStringLiteral("N"), QStringLiteral("10000"));
    const QCommandLineOption rates(QStringLiteral("rates"),
                                   QStringLiteral("Packets per second, comma-separated."),
                                   QStringLiteral("LIST"), QStringLiteral("1000,5000,20000"));
    const QCommandLineOption seconds(QStringLiteral("seconds"), QStringLiteral("Seconds per rate."),
                                     QStringLiteral("S"), QStringLiteral("5"));
    const QCommandLineOption capacity(QStringLiteral("capacity"), QStringLiteral("Traffic rows kept."),
                                      QStringLiteral("ROWS"), QStringLiteral("50000"));
    const QCommandLineOption filter(
        QStringLiteral("filter"), QStringLiteral("A regex filter on the traffic."), QStringLiteral("REGEX"));
    const QCommandLineOption live(
        QStringLiteral("live"),
        QStringLiteral("End to end instead: a real server on loopback and N WebSocket clients "
                       "sending the rate (the server echoes every event back)."),
        QStringLiteral("N"));
    parser.addOptions({ sockets, rates, seconds, capacity, filter, live });
    parser.process(app);
    const int socketCount = parser.value(sockets).toInt();
    const int runSeconds = parser.value(seconds).toInt();

    QStandardPaths::setTestModeEnabled(true); // no window state from a user's settings
    Server server; // not listening unless --live: the models are fed directly
    const int liveClients = parser.isSet(live) ? parser.value(live).toInt() : 0;
    MainWindow window(&server);
    window.resize(1440, 900);
    window.show();
    ServerMonitor *monitor = window.monitor();
    monitor->traffic()->setCapacity(parser.value(capacity).toInt());
    if (parser.isSet(filter))
        window.trafficProxy()->setTextFilter(parser.value(filter), true);
    QCoreApplication::processEvents();

    print("Inspector benchmark: Qt %s, platform %s, %d sockets\n", qVersion(),
          qPrintable(QGuiApplication::platformName()), socketCount);

    // 1. 10,000 sockets connect: batches as the monitor makes them (100 ms of connects each).
    {
        using Op = ServerTreeModel::Op;
        Stats batches;
        QElapsedTimer total;
        total.start();
        const int perBatch = 500;
        for (int first = 0; first < socketCount; first += perBatch) {
            QList<Op> ops;
            for (int i = first; i < qMin(socketCount, first + perBatch); ++i)
                ops.append(Op::addSocket(makeSocket(i)));
            QElapsedTimer t;
            t.start();
            monitor->tree()->apply(ops);
            QCoreApplication::processEvents(); // the view catches up, as it would between batches
            batches.add(double(t.nsecsElapsed()) / 1e6);
        }
        print("tree: %d sockets in batches of %d: %.1f ms total; per batch (model + view) mean %.2f ms, max "
              "%.2f ms\n",
              socketCount, perBatch, double(total.nsecsElapsed()) / 1e6, batches.mean(), batches.max());
        print("tree: %d rooms; a 1-socket batch now: ",
              int(monitor->tree()->rooms(QStringLiteral("/")).size()));
        QElapsedTimer t;
        t.start();
        monitor->tree()->apply({ Op::join(QStringLiteral("/"), QStringLiteral("room-x"), socketId(0)) });
        QCoreApplication::processEvents();
        print("%.2f ms\n", double(t.nsecsElapsed()) / 1e6);
        // A mass disconnect of every other socket in one batch (beyond the reset threshold).
        QList<Op> leave;
        for (int i = 0; i < socketCount; i += 2)
            leave.append(Op::removeSocket(QStringLiteral("/"), socketId(i)));
        t.restart();
        monitor->tree()->apply(leave);
        QCoreApplication::processEvents();
        print("tree: %d disconnects in one batch: %.1f ms (model %.1f ms, a reset: beyond %d operations)\n",
              int(leave.size()), double(t.nsecsElapsed()) / 1e6, double(monitor->tree()->lastApplyNs()) / 1e6,
              monitor->tree()->resetThreshold());
        QList<Op> back;
        for (int i = 0; i < socketCount; i += 2)
            back.append(Op::addSocket(makeSocket(i)));
        monitor->tree()->apply(back);
        QCoreApplication::processEvents();
    }

    // --live: the real pipeline, library observer -> ServerMonitor -> models -> views.
    std::vector<std::unique_ptr<QWebSocket>> clients;
    if (liveClients > 0) {
        QObject::connect(server.mainNamespace(), &Namespace::socketConnected, &server, [](Socket *socket) {
            QObject::connect(socket, &Socket::eventReceived, socket,
                             [socket](const QString &event, const QVariantList &args, const Ack &) {
                                 socket->emitEvent(event + QStringLiteral("-back"), args);
                             });
        });
        if (!server.listen(QHostAddress::LocalHost, 0)) {
            print("cannot listen: %s\n", qPrintable(server.errorString()));
            return 1;
        }
        int open = 0;
        for (int i = 0; i < liveClients; ++i) {
            auto ws = std::make_unique<QWebSocket>();
            QWebSocket *raw = ws.get();
            QObject::connect(raw, &QWebSocket::textMessageReceived, raw, [raw, &open](const QString &text) {
                if (text.startsWith(QLatin1Char('0'))) {
                    raw->sendTextMessage(QStringLiteral("40"));
                } else if (text.startsWith(QLatin1String("40"))) {
                    ++open;
                } else if (text == QLatin1String("2")) {
                    raw->sendTextMessage(QStringLiteral("3"));
                }
            });
            raw->open(QUrl(QStringLiteral("ws://127.0.0.1:%1/socket.io/?EIO=4&transport=websocket")
                               .arg(server.serverPort())));
            clients.push_back(std::move(ws));
        }
        QElapsedTimer wait;
        wait.start();
        while (open < liveClients && wait.elapsed() < 30000)
            QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
        monitor->flushTree();
        print("live: %d of %d clients connected over loopback in %lld ms\n", open, liveClients,
              wait.elapsed());
    }

    // 2. Traffic at each rate: packets generated every millisecond, flushed by the model's timer.
    print("\n%8s %9s %9s %8s %9s %9s %9s %9s %9s %8s\n", "rate/s", "packets", "flushes", "rows/fl",
          "flush-avg", "flush-max", "loop-p50", "loop-p99", "loop-max", "dropped");
    const QStringList rateList = parser.value(rates).split(QLatin1Char(','), Qt::SkipEmptyParts);
    qint64 n = 0;
    for (const QString &rateText : rateList) {
        const int rate = rateText.toInt();
        monitor->traffic()->clear();
        Stats flushMs;
        Stats rowsPerFlush;
        Stats lateness;
        const auto flushed =
            QObject::connect(monitor->traffic(), &TrafficModel::flushed, monitor->traffic(), [&](int rows) {
                flushMs.add(double(monitor->traffic()->lastFlushNs()) / 1e6);
                rowsPerFlush.add(rows);
            });
        QElapsedTimer clock;
        clock.start();
        qint64 generated = 0;
        QTimer producer;
        producer.setTimerType(Qt::PreciseTimer);
        producer.setInterval(1);
        QObject::connect(&producer, &QTimer::timeout, &producer, [&] {
            // Catch up with the wall clock, so a slow loop means bigger bursts, not fewer packets.
            const qint64 due = clock.elapsed() * rate / 1000;
            for (; generated < due; ++generated) {
                if (clients.empty()) {
                    monitor->traffic()->addEvent(makePacket(n++, socketCount));
                } else {
                    // Each client event comes back as an echo: twice the rate on the wire.
                    clients[std::size_t(n % qint64(clients.size()))]->sendTextMessage(
                        QStringLiteral("42[\"chat\",{\"n\":%1,\"text\":\"hello there\"}]").arg(n));
                    ++n;
                }
            }
        });
        QTimer probe;
        probe.setTimerType(Qt::PreciseTimer);
        probe.setInterval(10);
        QElapsedTimer sinceProbe;
        sinceProbe.start();
        QObject::connect(&probe, &QTimer::timeout, &probe, [&] {
            lateness.add(qMax(0.0, double(sinceProbe.nsecsElapsed()) / 1e6 - 10.0));
            sinceProbe.restart();
        });
        producer.start();
        probe.start();
        sinceProbe.restart();
        QEventLoop loop;
        QTimer::singleShot(runSeconds * 1000, &loop, &QEventLoop::quit);
        loop.exec();
        producer.stop();
        probe.stop();
        monitor->traffic()->flush();
        QObject::disconnect(flushed);
        print("%8d %9lld %9d %8.0f %7.2fms %7.2fms %7.2fms %7.2fms %7.2fms %8lld\n", rate, generated,
              int(flushMs.values.size()), rowsPerFlush.mean(), flushMs.mean(), flushMs.max(),
              lateness.percentile(0.5), lateness.percentile(0.99), lateness.max(),
              monitor->traffic()->droppedCount());
    }
    if (!clients.empty())
        print("(live: the rate is what the clients send; the log also gets the echoes)\n");
    print("\nrows in the log: %d (capacity %d), visible: %s\n", monitor->traffic()->rowCount(),
          monitor->traffic()->capacity(), qPrintable(window.trafficProxy()->countText()));
    return 0;
}
