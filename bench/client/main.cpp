// SPDX-License-Identifier: MIT
// socketio-client-bench: the Qt client's side of the client benchmark (scripts/bench --client,
// bench/client-node/client.js is node's). N Managers, one ClientSocket each, over WebSocket to
// one server; each runs a closed loop of "echo" emits with an ack (the next emit when the ack
// arrives). Prints one JSON line: its own process CPU time (getrusage) per echo over the
// measured window, and its RSS growth per connection (VmRSS once the first 10 are connected and
// once all are, divided by the connections added: one-time costs do not count).
//   --port P --clients N --size BYTES --warmup S --duration S   timed run
//   --messages M                                                 stop after M echoes (callgrind)
//   --qt-dispatcher                                              Qt's event dispatcher, not epoll
#include <SocketIo/client.h>
#include <SocketIo/eventdispatcher.h>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <sys/resource.h>
#include <vector>

namespace {

double cpuSeconds()
{
    rusage ru{};
    ::getrusage(RUSAGE_SELF, &ru);
    return double(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec)
        + double(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

long rssKb()
{
    FILE *f = std::fopen("/proc/self/status", "r");
    if (!f)
        return 0;
    char line[256];
    long kb = 0;
    while (std::fgets(line, sizeof line, f)) {
        if (std::strncmp(line, "VmRSS:", 6) == 0) {
            kb = std::atol(line + 6);
            break;
        }
    }
    std::fclose(f);
    return kb;
}

struct Options
{
    int port = 3000;
    int clients = 100;
    int size = 32;
    double warmup = 1;
    double duration = 2;
    qint64 messages = 0;
};

} // namespace

int main(int argc, char *argv[])
{
    // The library's epoll event dispatcher, as the bench server, unless --qt-dispatcher: Qt's
    // stock one walks every socket notifier on each change, which grows with the connections.
    bool qtDispatcher = false;
    for (int i = 1; i < argc; ++i)
        qtDispatcher |= qstrcmp(argv[i], "--qt-dispatcher") == 0;
    if (!qtDispatcher)
        SocketIo::installEventDispatcher();
    QCoreApplication app(argc, argv);
    Options o;
    const QStringList a = app.arguments();
    for (int i = 1; i + 1 < a.size(); i += 2) {
        if (a.at(i) == QLatin1String("--qt-dispatcher")) {
            --i;
            continue;
        }
        const QString &k = a.at(i);
        const QString &v = a.at(i + 1);
        if (k == QLatin1String("--port"))
            o.port = v.toInt();
        else if (k == QLatin1String("--clients"))
            o.clients = v.toInt();
        else if (k == QLatin1String("--size"))
            o.size = v.toInt();
        else if (k == QLatin1String("--warmup"))
            o.warmup = v.toDouble();
        else if (k == QLatin1String("--duration"))
            o.duration = v.toDouble();
        else if (k == QLatin1String("--messages"))
            o.messages = v.toLongLong();
    }

    const QUrl url(QStringLiteral("http://127.0.0.1:%1").arg(o.port));
    SocketIo::ManagerOptions mo;
    mo.transports = SocketIo::Transport::WebSocket;
    mo.reconnection = false;
    const QVariantList payload{ QString(o.size, QLatin1Char('x')) };
    const QString event = QStringLiteral("echo");

    const long rssBefore = rssKb();
    const int kBase = o.clients > 20 ? 10 : o.clients;
    long rssBase = rssBefore;
    std::vector<SocketIo::ClientSocket *> sockets;
    sockets.reserve(size_t(o.clients));
    int connected = 0;
    qint64 echoes = 0;
    qint64 errors = 0;
    bool running = false;
    long rssConnected = 0;
    double cpuStart = 0;
    qint64 echoesStart = 0;
    QElapsedTimer wall;

    std::function<void(SocketIo::ClientSocket *)> send;
    send = [&](SocketIo::ClientSocket *s) {
        s->emitEvent(event, payload, s, [&, s](SocketIo::AckStatus status, const QVariantList &) {
            if (status != SocketIo::AckStatus::Received) {
                ++errors;
                return;
            }
            ++echoes;
            if (o.messages && echoes >= o.messages) {
                QCoreApplication::quit();
                return;
            }
            if (running)
                send(s);
        });
    };

    auto finish = [&] {
        const double cpu = cpuSeconds() - cpuStart;
        const qint64 ops = echoes - echoesStart;
        const double secs = double(wall.elapsed()) / 1000;
        running = false;
        std::printf("{\"client\":\"%s\",\"clients\":%d,\"connected\":%d,\"ops\":%lld,\"errors\":%lld,"
                    "\"cpu_s\":%.4f,\"wall_s\":%.3f,\"us_per_op\":%.3f,\"cpu_util\":%.3f,"
                    "\"rss_before_kb\":%ld,\"rss_base_kb\":%ld,\"base_clients\":%d,"
                    "\"rss_connected_kb\":%ld,\"kb_per_conn\":%.2f}\n",
                    qtDispatcher ? "qt-stock" : "qt", o.clients, connected, static_cast<long long>(ops),
                    static_cast<long long>(errors), cpu, secs, ops ? cpu * 1e6 / double(ops) : 0.0,
                    secs > 0 ? cpu / secs : 0.0, rssBefore, rssBase, kBase, rssConnected,
                    o.clients > kBase ? double(rssConnected - rssBase) / double(o.clients - kBase)
                                      : double(rssConnected - rssBefore) / double(o.clients));
        std::fflush(stdout);
        QCoreApplication::quit();
    };

    QTimer guard; // connecting takes at most a minute
    guard.setSingleShot(true);
    guard.setInterval(60000);
    auto start = [&] {
        guard.stop();
        rssConnected = rssKb();
        running = true;
        for (auto *s : sockets)
            send(s);
        if (o.messages) {
            cpuStart = cpuSeconds();
            wall.start();
            return;
        }
        QTimer::singleShot(int(o.warmup * 1000), Qt::PreciseTimer, &app, [&] {
            cpuStart = cpuSeconds();
            echoesStart = echoes;
            wall.start();
            QTimer::singleShot(int(o.duration * 1000), Qt::PreciseTimer, &app, finish);
        });
    };

    // Memory: the first kBase connections carry the one-time costs (libraries, first allocations);
    // the figure is the RSS growth from them to all, per connection added.
    std::function<void()> connectOne;
    connectOne = [&] {
        auto *manager = new SocketIo::Manager(url, mo, &app);
        SocketIo::ClientSocket *s = manager->socket();
        QObject::connect(s, &SocketIo::ClientSocket::connected, &app, [&] {
            ++connected;
            if (connected == o.clients)
                start();
            else if (connected == kBase) {
                rssBase = rssKb();
                while (int(sockets.size()) < o.clients)
                    connectOne();
            }
        });
        QObject::connect(s, &SocketIo::ClientSocket::connectErrorOccurred, &app, [&](const QString &message) {
            std::fprintf(stderr, "connect error: %s\n", qPrintable(message));
            QCoreApplication::exit(1);
        });
        sockets.push_back(s);
        s->open();
    };
    while (int(sockets.size()) < std::min(kBase, o.clients))
        connectOne();
    guard.start();
    QObject::connect(&guard, &QTimer::timeout, &app, [&] {
        std::fprintf(stderr, "timed out (%d of %d connected)\n", connected, o.clients);
        QCoreApplication::exit(1);
    });
    const int rc = app.exec();
    if (rc == 0 && o.messages)
        finish();
    return rc;
}
