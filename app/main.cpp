// SPDX-License-Identifier: MIT
// socketio-inspector: a Socket.IO dev server with a window that shows and drives it, or
// (--headless, or when there is no display) one readable line per packet on stdout.
//
//   socketio-inspector --demo                    the demo server with a few simulated clients
//   socketio-inspector --static ./public         serve a page and its socket on one port
//   socketio-inspector --demo --static examples/chat/public   the chat page runs against the demo
//   socketio-inspector --headless --port 0       prints "listening on port N", then the traffic
//   socketio-inspector --headless --connect http://localhost:3000/chat   a scriptable client
#include "attachview.h"
#include "clientcommandline.h"
#include "clientspanel.h"
#include "demo.h"
#include "flowheadless.h"
#include "headlessprinter.h"
#include "mainwindow.h"
#include "mockresponder.h"
#include "servermonitor.h"

#include <SocketIo/engineserver.h>
#include <SocketIo/eventdispatcher.h>
#include <SocketIo/server.h>
#include <SocketIo/staticfiles.h>
#ifdef SOCKETIO_HAVE_REDIS
#include <SocketIo/redisadapter.h>
#endif

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLibraryInfo>
#include <QLocale>
#include <QPixmap>
#include <QScreen>
#include <QSettings>
#include <QStatusBar>
#include <QTimer>
#include <QTranslator>

#include <cstdio>
#include <memory>

using namespace SocketIo;

namespace {

// "Without a display": no X11 or Wayland display to connect to and no platform plugin chosen
// that needs none (offscreen, vnc, ...).
bool hasDisplay()
{
#if defined(Q_OS_UNIX) && !defined(Q_OS_MACOS) && !defined(Q_OS_ANDROID)
    const QString platform = qEnvironmentVariable("QT_QPA_PLATFORM");
    if (!platform.isEmpty() && !platform.startsWith(QLatin1String("xcb"))
        && !platform.startsWith(QLatin1String("wayland")))
        return true;
    return !qEnvironmentVariableIsEmpty("DISPLAY") || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
#else
    return true;
#endif
}

bool hasArgument(int argc, char *argv[], const char *name)
{
    for (int i = 1; i < argc; ++i) {
        if (qstrcmp(argv[i], name) == 0)
            return true;
    }
    return false;
}

// socket.io's serveClient, for the dev server: a page in DIR that loads /socket.io.js or
// /socket.io.min.js (as examples/chat/public does) gets the browser client of an npm
// socket.io-client, unless DIR has a file of that name itself. The client is looked up as Node
// resolves modules, in node_modules of DIR and of each parent, then in the one scripts/install-deps
// installs in this source tree (tests/interop).
QString clientBundleDirectory(const QString &root)
{
    QDir dir(root);
    do {
        const QString dist = dir.absoluteFilePath(QStringLiteral("node_modules/socket.io-client/dist"));
        if (QFileInfo(dist).isDir())
            return dist;
    } while (dir.cdUp());
    const QString fallback = QStringLiteral(SOCKETIO_INSPECTOR_CLIENT_FALLBACK);
    return QFileInfo(fallback).isDir() ? fallback : QString();
}

EngineServer::RequestHandler devServer(const QString &root)
{
    return [files = staticFiles(root), bundle = clientBundleDirectory(root)](const HttpRequest &request) {
        HttpResponse response = files(request);
        if (response.status == 404 && !bundle.isEmpty() && request.method == "GET"
            && (request.path == QLatin1String("/socket.io.js")
                || request.path == QLatin1String("/socket.io.min.js"))) {
            QFile client(bundle + request.path);
            if (client.open(QIODevice::ReadOnly))
                return HttpResponse::text(200, client.readAll(), "text/javascript; charset=UTF-8");
        }
        return response;
    };
}

// The context of the command line's strings in the catalog.
struct CommandLine
{
    Q_DECLARE_TR_FUNCTIONS(CommandLine)
};

void installTranslators(QCoreApplication *app)
{
    // The system locale's catalogs: ours from the resources, Qt's own where installed.
    const QLocale locale;
    const struct
    {
        const char *name;
        QString directory;
    } catalogs[] = {
        { "inspector", QStringLiteral(":/i18n") },
        { "socketio", QStringLiteral(":/i18n") },
        { "qtbase", QLibraryInfo::path(QLibraryInfo::TranslationsPath) },
    };
    for (const auto &catalog : catalogs) {
        auto *translator = new QTranslator(app);
        if (translator->load(locale, QString::fromLatin1(catalog.name), QStringLiteral("_"),
                             catalog.directory))
            app->installTranslator(translator);
        else
            delete translator;
    }
}

} // namespace

int main(int argc, char *argv[])
{
    const bool display = hasDisplay();
    // --replay is a terminal/CI command: always headless.
    const bool headless =
        hasArgument(argc, argv, "--headless") || hasArgument(argc, argv, "--replay") || !display;
    std::unique_ptr<QCoreApplication> app;
    if (headless) {
        // Headless, nothing but sockets and timers: the epoll dispatcher on Linux, so idle
        // clients cost the others nothing. The window needs the platform's dispatcher.
        SocketIo::installEventDispatcher();
        app = std::make_unique<QCoreApplication>(argc, argv);
    } else {
        app = std::make_unique<QApplication>(argc, argv);
    }
    QCoreApplication::setOrganizationName(QStringLiteral("SocketIo"));
    QCoreApplication::setApplicationName(QStringLiteral("socketio-inspector"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SOCKETIO_INSPECTOR_VERSION));
    installTranslators(app.get());

    QCommandLineParser parser;
    parser.setApplicationDescription(CommandLine::tr(
        "A Socket.IO dev server with an inspector window: watch the namespaces, sockets, rooms and "
        "traffic, and emit events. Without a display it runs headless and prints the traffic."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption port(QStringLiteral("port"),
                                  CommandLine::tr("TCP port to listen on (0: any free port)."),
                                  CommandLine::tr("N"), QStringLiteral("3000"));
    const QCommandLineOption path(QStringLiteral("path"), CommandLine::tr("Engine.IO path."),
                                  CommandLine::tr("PATH"), QStringLiteral("/socket.io/"));
    const QCommandLineOption staticDir(QStringLiteral("static"),
                                       CommandLine::tr("Serve the files of DIR next to the Socket.IO path."),
                                       CommandLine::tr("DIR"));
    const QCommandLineOption pingInterval(QStringLiteral("ping-interval"), CommandLine::tr("Ping interval."),
                                          CommandLine::tr("MS"), QStringLiteral("25000"));
    const QCommandLineOption pingTimeout(QStringLiteral("ping-timeout"), CommandLine::tr("Ping timeout."),
                                         CommandLine::tr("MS"), QStringLiteral("20000"));
    const QCommandLineOption cors(QStringLiteral("cors"),
                                  CommandLine::tr("Allowed CORS origin ('*' for any); may be repeated."),
                                  CommandLine::tr("ORIGIN"));
    const QCommandLineOption headlessOption(QStringLiteral("headless"),
                                            CommandLine::tr("No window: print one line per packet."));
    const QCommandLineOption showControl(
        QStringLiteral("show-control"), CommandLine::tr("Headless: also print ping, pong and noop packets."));
    const QCommandLineOption nspFilter(
        QStringLiteral("namespace"),
        CommandLine::tr("Headless: only these namespaces (comma-separated, wildcards)."),
        CommandLine::tr("NSP"));
    const QCommandLineOption eventFilter(
        QStringLiteral("event"), CommandLine::tr("Headless: only these events (comma-separated, wildcards)."),
        CommandLine::tr("EVENT"));
    const QCommandLineOption demo(
        QStringLiteral("demo"),
        CommandLine::tr("Demo server: \"/\" echoes, \"/chat\" is a chat room, with a few "
                        "simulated clients."));
    const QCommandLineOption demoClients(QStringLiteral("demo-clients"),
                                         CommandLine::tr("Number of simulated clients with --demo."),
                                         CommandLine::tr("N"), QStringLiteral("4"));
    const QCommandLineOption capacity(QStringLiteral("capacity"),
                                      CommandLine::tr("Rows kept in the traffic log."),
                                      CommandLine::tr("ROWS"), QStringLiteral("50000"));
    QCommandLineOption screenshot(
        QStringLiteral("screenshot"),
        CommandLine::tr("Save a screenshot of the window to FILE after the delay, then quit."),
        CommandLine::tr("FILE"));
    screenshot.setFlags(QCommandLineOption::HiddenFromHelp);
    QCommandLineOption screenshotDelay(QStringLiteral("screenshot-delay"),
                                       CommandLine::tr("Delay before the screenshot."), CommandLine::tr("MS"),
                                       QStringLiteral("8000"));
    screenshotDelay.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOptions({ port, path, staticDir, pingInterval, pingTimeout, cors, headlessOption, showControl,
                        nspFilter, eventFilter, demo, demoClients, capacity, screenshot, screenshotDelay });
    const QCommandLineOption redisUrl(QStringLiteral("redis"),
                                      CommandLine::tr("Share rooms and broadcasts with other servers through "
                                                      "Redis (redis://host:port/db or redis+unix:///path)."),
                                      CommandLine::tr("URL"));
    parser.addOption(redisUrl);
    const QCommandLineOption tlsCert(QStringLiteral("tls-cert"),
                                     CommandLine::tr("Serve https/wss with this PEM certificate (chain); a "
                                                     "renewed file is taken without a restart."),
                                     CommandLine::tr("FILE"));
    const QCommandLineOption tlsKey(QStringLiteral("tls-key"),
                                    CommandLine::tr("The unencrypted PEM private key of --tls-cert."),
                                    CommandLine::tr("FILE"));
    parser.addOptions({ tlsCert, tlsKey });
    const Inspector::ClientCommandLine clientLine; // --connect and its options
    clientLine.addTo(parser);
    // --- Record/replay (docs/record-replay.md): --connect, --auth and --header come from the
    // client connections' options above -------------------------------------------------------
    const QCommandLineOption recordFile(
        QStringLiteral("record"),
        CommandLine::tr("With --headless --connect: record the client session to FILE until stopped."),
        CommandLine::tr("FILE"));
    const QCommandLineOption clientScript(
        QStringLiteral("client-script"),
        CommandLine::tr("With --connect: run the client commands of FILE (JSON Lines; \"-\": stdin)."),
        CommandLine::tr("FILE"));
    const QCommandLineOption replayFile(
        QStringLiteral("replay"),
        CommandLine::tr("Replay the recording FILE against --connect URL, print the differences; exit "
                        "code 0: none, 1: differences, 2: error."),
        CommandLine::tr("FILE"));
    const QCommandLineOption replaySource(
        QStringLiteral("replay-source"),
        CommandLine::tr("With --replay of an exported log: the client source to replay."),
        CommandLine::tr("NAME"));
    const QCommandLineOption ignorePath(
        QStringLiteral("ignore"),
        CommandLine::tr(
            "With --replay: a JSON path to ignore (order.args[0].id, *.args[1].updatedAt); may be "
            "repeated."),
        CommandLine::tr("PATH"));
    const QCommandLineOption noDefaultIgnores(
        QStringLiteral("no-default-ignores"),
        CommandLine::tr("With --replay: also compare ids and timestamps (id, sid, ts, createdAt, ...)."));
    const QCommandLineOption replayTiming(
        QStringLiteral("replay-timing"),
        CommandLine::tr("With --replay: \"fast\" (each emit after the previous ack and the events seen "
                        "before it) or \"recorded\" (the recorded delays)."),
        CommandLine::tr("MODE"), QStringLiteral("fast"));
    const QCommandLineOption quietPeriod(
        QStringLiteral("quiet-period"),
        CommandLine::tr("With --replay: how long to wait for expected events that do not come."),
        CommandLine::tr("MS"), QStringLiteral("1500"));
    const QCommandLineOption diffJson(QStringLiteral("diff-json"),
                                      CommandLine::tr("With --replay: print the differences as JSON."));
    const QCommandLineOption replayTraffic(
        QStringLiteral("replay-traffic"),
        CommandLine::tr("With --replay: print the replay's traffic on stderr."));
    parser.addOptions({ recordFile, clientScript, replayFile, replaySource, ignorePath, noDefaultIgnores,
                        replayTiming, quietPeriod, diffJson, replayTraffic });
    // --- end of client connection and record/replay options ----------------------------------
    // Mock responders (docs/mock-responders.md)
    const QCommandLineOption mockRules(
        QStringLiteral("mock"),
        CommandLine::tr("Answer events with the mock rules of FILE (JSON, see docs/mock-responders.md)."),
        CommandLine::tr("FILE"));
    parser.addOption(mockRules);
    // --- attach (docs/attach.md): servers instrumented for the Socket.IO Admin UI ---
    const QCommandLineOption attachUrl(
        QStringLiteral("attach"),
        CommandLine::tr("Attach to a server instrumented for the Socket.IO Admin UI (repeatable; the "
                        "URL's path may name the admin namespace). Password: SOCKETIO_ADMIN_PASSWORD."),
        CommandLine::tr("URL"));
    const QCommandLineOption adminUser(QStringLiteral("admin-user"),
                                       CommandLine::tr("--attach: the admin user name."),
                                       CommandLine::tr("NAME"));
    const QCommandLineOption adminNsp(QStringLiteral("admin-namespace"),
                                      CommandLine::tr("--attach: the admin namespace (default /admin)."),
                                      CommandLine::tr("NSP"));
    parser.addOptions({ attachUrl, adminUser, adminNsp });
    // The msgpack parser (docs/msgpack.md): of the own server and of the --attach connections.
    const QCommandLineOption packetParser(
        QStringLiteral("parser"),
        CommandLine::tr("Packet encoding of the server and of --attach: json (default) or msgpack."),
        CommandLine::tr("NAME"), QStringLiteral("json"));
    parser.addOption(packetParser);
    parser.process(*app);
    const Parser packetEncoding =
        parser.value(packetParser) == QLatin1String("msgpack") ? Parser::MsgPack : Parser::Json;
    QList<Inspector::AttachOptions> attachments;
    for (const QString &url : parser.values(attachUrl)) {
        Inspector::AttachOptions attach;
        attach.url = QUrl::fromUserInput(url);
        attach.adminNamespace = parser.value(adminNsp);
        attach.username = parser.value(adminUser);
        attach.password = Inspector::adminPasswordFromEnvironment();
        attach.parser = packetEncoding;
        attachments.append(attach);
    }
    // --- end attach ---
    QString clientError;
    const auto clientConnections = clientLine.connections(parser, &clientError);
    if (!clientConnections) {
        std::fprintf(stderr, "socketio-inspector: %s\n", qPrintable(clientError));
        return 2;
    }
    // Headless client-only runs leave the own server off unless it is asked for explicitly.
    const bool ownServer = !headless
        || !(clientLine.isRequested(parser) || parser.isSet(replayFile) || parser.isSet(attachUrl))
        || parser.isSet(port) || parser.isSet(staticDir) || parser.isSet(demo) || parser.isSet(mockRules);

    ServerOptions options;
    options.parser = packetEncoding;
    options.engine.path = parser.value(path);
    if (!options.engine.path.startsWith(QLatin1Char('/')))
        options.engine.path.prepend(QLatin1Char('/'));
    if (!options.engine.path.endsWith(QLatin1Char('/')))
        options.engine.path.append(QLatin1Char('/'));
    options.engine.pingInterval = std::chrono::milliseconds(parser.value(pingInterval).toLongLong());
    options.engine.pingTimeout = std::chrono::milliseconds(parser.value(pingTimeout).toLongLong());
    options.engine.cors.origins = parser.values(cors);
    bool portOk = false;
    const uint portValue = parser.value(port).toUInt(&portOk);
    if (!portOk || portValue > 65535) {
        std::fprintf(
            stderr, "%s\n",
            qPrintable(CommandLine::tr("socketio-inspector: invalid port %1").arg(parser.value(port))));
        return 2;
    }

    Server server(options);
    if (parser.isSet(tlsCert) || parser.isSet(tlsKey)) {
        QString error;
        const auto tls =
            EngineServer::loadSslConfiguration(parser.value(tlsCert), parser.value(tlsKey), &error);
        if (!parser.isSet(tlsCert) || !parser.isSet(tlsKey) || !tls) {
            std::fprintf(
                stderr, "%s\n",
                qPrintable(CommandLine::tr("socketio-inspector: TLS needs --tls-cert and --tls-key: %1")
                               .arg(error)));
            return 2;
        }
        server.engine()->setSslConfiguration(*tls);
        // A renewed certificate (certbot replaces the files) is served to new connections.
        auto *watcher = new QFileSystemWatcher({ parser.value(tlsCert), parser.value(tlsKey) }, &server);
        QObject::connect(watcher, &QFileSystemWatcher::fileChanged, &server,
                         [&server, watcher, cert = parser.value(tlsCert), key = parser.value(tlsKey)] {
                             watcher->addPaths({ cert, key });
                             if (const auto renewed = EngineServer::loadSslConfiguration(cert, key))
                                 server.engine()->setSslConfiguration(*renewed);
                         });
    }
    if (parser.isSet(staticDir)) {
        const QFileInfo dir(parser.value(staticDir));
        if (!dir.isDir()) {
            std::fprintf(stderr, "%s\n",
                         qPrintable(CommandLine::tr("socketio-inspector: %1 is not a directory")
                                        .arg(parser.value(staticDir))));
            return 2;
        }
        server.engine()->setRequestHandler(devServer(dir.absoluteFilePath()));
    }
    QObject *redis = nullptr; // the Redis adapter with --redis (SocketIoRedis)
    if (parser.isSet(redisUrl)) {
#ifdef SOCKETIO_HAVE_REDIS
        auto *adapter = new RedisAdapter(QUrl(parser.value(redisUrl)), {}, &server);
        adapter->attach(&server);
        redis = adapter;
#else
        std::fprintf(stderr, "%s\n",
                     qPrintable(CommandLine::tr("socketio-inspector: built without the Redis adapter "
                                                "(libhiredis-dev, libmsgpack-dev)")));
        return 2;
#endif
    }
    if (parser.isSet(demo))
        Inspector::installDemo(&server);

    std::unique_ptr<Inspector::HeadlessPrinter> printer;
    std::unique_ptr<Inspector::MainWindow> window;
    std::unique_ptr<Inspector::HeadlessAttach> headlessAttach;
    if (headless) {
        if (!parser.isSet(headlessOption) && !parser.isSet(replayFile)) {
            std::fprintf(stderr, "%s\n",
                         qPrintable(CommandLine::tr(
                             "socketio-inspector: no display found (DISPLAY and WAYLAND_DISPLAY are "
                             "not set); running headless.")));
        }
        Inspector::HeadlessPrinter::Options printOptions;
        printOptions.showControl = parser.isSet(showControl);
        printOptions.namespaces = parser.values(nspFilter);
        printOptions.events = parser.values(eventFilter);
        printer = std::make_unique<Inspector::HeadlessPrinter>(ownServer ? &server : nullptr, printOptions);
        if (!attachments.isEmpty()) {
            headlessAttach = std::make_unique<Inspector::HeadlessAttach>(printer.get());
            for (const Inspector::AttachOptions &attach : std::as_const(attachments))
                headlessAttach->attach(attach);
        }
    } else {
        window = std::make_unique<Inspector::MainWindow>(&server);
        window->monitor()->traffic()->setCapacity(parser.value(capacity).toInt());
        window->setListenPort(quint16(portValue));
        for (const Inspector::AttachOptions &attach : std::as_const(attachments))
            window->attachTo(attach);
#ifdef SOCKETIO_HAVE_REDIS
        if (auto *adapter = qobject_cast<RedisAdapter *>(redis)) {
            // The Redis adapter's state in the status bar.
            auto *label = new QLabel(window.get());
            const auto show = [label, adapter](RedisAdapter::State state) {
                const QString name = state == RedisAdapter::State::Connected ? CommandLine::tr("connected")
                    : state == RedisAdapter::State::Connecting               ? CommandLine::tr("connecting")
                                                               : CommandLine::tr("disconnected");
                label->setText(CommandLine::tr("Redis: %1").arg(name));
                label->setToolTip(adapter->url().toString(QUrl::RemovePassword) + QLatin1Char('\n')
                                  + adapter->errorString());
            };
            show(adapter->state());
            QObject::connect(adapter, &RedisAdapter::stateChanged, label, show);
            window->statusBar()->addPermanentWidget(label);
        }
#endif
    }

    // Mock responders: in the window its own (the Mock rules panel), headless one here whose
    // firings are note lines.
    std::unique_ptr<Inspector::MockResponder> headlessMock;
    if (parser.isSet(mockRules)) {
        Inspector::MockResponder *mock = window ? window->mockResponder() : nullptr;
        if (!mock) {
            headlessMock = std::make_unique<Inspector::MockResponder>(&server);
            mock = headlessMock.get();
            QObject::connect(mock, &Inspector::MockResponder::ruleFired, mock,
                             [&printer](const Inspector::MockFiring &firing) {
                                 // Filtered (--namespace, --event) as the packet that fired it.
                                 Inspector::TrafficRow row;
                                 row.nsp = firing.nsp;
                                 row.event = firing.event;
                                 if (printer && printer->accepts(row))
                                     printer->printNote(firing.text());
                             });
        }
        QString error;
        if (!mock->loadFile(parser.value(mockRules), &error)) {
            std::fprintf(stderr, "%s\n", qPrintable(CommandLine::tr("socketio-inspector: %1").arg(error)));
            return 2;
        }
    }

    const bool listening = ownServer && server.listen(QHostAddress::Any, quint16(portValue));
    if (listening) {
        // Tests and scripts read the port from this line (with --port 0): not translated.
        std::printf("listening on port %u\n", unsigned(server.serverPort()));
        std::fflush(stdout);
    } else if (ownServer) {
        std::fprintf(stderr, "%s\n",
                     qPrintable(CommandLine::tr("socketio-inspector: cannot listen on port %1: %2")
                                    .arg(portValue)
                                    .arg(server.errorString())));
        if (headless)
            return 1;
    }
    if (headless && ownServer) {
        std::fprintf(
            stderr, "%s\n",
            qPrintable(CommandLine::tr("Serving Socket.IO on %3://localhost:%1%2 (Ctrl+C to stop)")
                           .arg(server.serverPort())
                           .arg(server.engine()->options().path,
                                server.engine()->sslConfiguration().isNull() ? QStringLiteral("http")
                                                                             : QStringLiteral("https"))));
    }

    std::unique_ptr<Inspector::DemoClients> clients;
    if (parser.isSet(demo) && listening)
        clients = std::make_unique<Inspector::DemoClients>(
            server.serverPort(), server.engine()->options().path, parser.value(demoClients).toInt());

    if (window) {
        if (QSettings().value(QStringLiteral("window/geometry")).isNull()) {
            // First run: most of the screen.
            const QSize available = window->screen()->availableGeometry().size();
            window->resize(qMax(1200, available.width() * 92 / 100),
                           qMax(760, available.height() * 92 / 100));
        }
        window->show();
        if (parser.isSet(screenshot)) {
            const QString file = parser.value(screenshot);
            const int delay = parser.value(screenshotDelay).toInt();
            QTimer::singleShot(qMax(0, delay - 1500), window.get(), [&window] { window->stageShowcase(); });
            QTimer::singleShot(delay, window.get(), [&window, file] {
                // A capture of the real window on its screen (an X11 grab under Xvfb).
                const QPixmap shot = window->screen()->grabWindow(window->winId());
                const bool saved = shot.save(file);
                std::fprintf(stderr, "%s\n",
                             qPrintable(saved
                                            ? CommandLine::tr("screenshot saved to %1").arg(file)
                                            : CommandLine::tr("cannot save the screenshot to %1").arg(file)));
                QCoreApplication::exit(saved ? 0 : 1);
            });
        }
    }
    // Client connections (--connect): in the Clients pane, or printed and driven by commands (stdin,
    // or --client-script FILE) with the first one recorded by --record FILE; headless --replay FILE
    // runs on the first --connect.
    std::unique_ptr<Inspector::ClientConnectionList> headlessConnections;
    std::unique_ptr<Inspector::HeadlessClients> headlessClients;
    std::unique_ptr<Inspector::HeadlessReplay> replay;
    std::unique_ptr<Inspector::HeadlessPrinter> replayPrinter;
    const bool clientSession = parser.isSet(recordFile) || parser.isSet(clientScript);
    if ((clientSession || parser.isSet(replayFile))
        && (!headless || (clientConnections->isEmpty() && !parser.isSet(replayFile)))) {
        std::fprintf(stderr, "%s\n",
                     qPrintable(CommandLine::tr("socketio-inspector: --record and --client-script need "
                                                "--headless --connect URL")));
        return 2;
    }
    if (window) {
        for (const Inspector::ClientConnectionOptions &o : *clientConnections)
            window->clientsPanel()->addConnection(o);
    } else if (parser.isSet(replayFile)) {
        const Inspector::ClientConnectionOptions first = clientConnections->isEmpty()
            ? Inspector::ClientConnectionOptions()
            : clientConnections->constFirst();
        QJsonValue auth(QJsonValue::Undefined);
        if (!first.namespaces.isEmpty() && !first.namespaces.constFirst().auth.isEmpty())
            auth = QJsonDocument::fromJson(first.namespaces.constFirst().auth.toUtf8()).object();
        Inspector::HeadlessReplay::Options o;
        o.file = parser.value(replayFile);
        o.source = parser.value(replaySource);
        if (!clientConnections->isEmpty())
            o.url = first.url;
        o.replay.manager = first.managerOptions();
        o.replay.auth = auth;
        o.replay.quietPeriod = std::chrono::milliseconds(parser.value(quietPeriod).toLongLong());
        const QString timing = parser.value(replayTiming);
        if (timing != QLatin1String("fast") && timing != QLatin1String("recorded")) {
            std::fprintf(
                stderr, "%s\n",
                qPrintable(CommandLine::tr("socketio-inspector: --replay-timing is fast or recorded")));
            return 2;
        }
        o.replay.timing = timing == QLatin1String("fast") ? Inspector::FlowReplayTiming::Fast
                                                          : Inspector::FlowReplayTiming::Recorded;
        o.diff.ignorePaths = parser.values(ignorePath);
        if (parser.isSet(noDefaultIgnores))
            o.diff.ignoredKeys.clear();
        o.json = parser.isSet(diffJson);
        if (parser.isSet(replayTraffic))
            replayPrinter = std::make_unique<Inspector::HeadlessPrinter>(
                nullptr, Inspector::HeadlessPrinter::Options{}, stderr);
        replay = std::make_unique<Inspector::HeadlessReplay>(o, replayPrinter.get());
        QObject::connect(replay.get(), &Inspector::HeadlessReplay::done, app.get(),
                         [](int code) { QCoreApplication::exit(code); });
        if (!replay->start())
            return 2;
    } else if (!clientConnections->isEmpty()) {
        headlessConnections = std::make_unique<Inspector::ClientConnectionList>();
        headlessClients =
            std::make_unique<Inspector::HeadlessClients>(headlessConnections.get(), printer.get(), listening);
        for (const Inspector::ClientConnectionOptions &o : *clientConnections)
            headlessConnections->add(o);
        QString error;
        // Recording starts before the connection opens: the handshake is in the file.
        if (parser.isSet(recordFile) && !headlessClients->record(parser.value(recordFile), &error)) {
            std::fprintf(stderr, "%s\n", qPrintable(CommandLine::tr("socketio-inspector: %1").arg(error)));
            return 2;
        }
        const QList<Inspector::ClientConnection *> connections = headlessConnections->connections();
        for (Inspector::ClientConnection *c : connections)
            c->open();
        if (parser.isSet(clientScript)) {
            if (!headlessClients->readCommands(parser.value(clientScript), &error)) {
                std::fprintf(stderr, "%s\n",
                             qPrintable(CommandLine::tr("socketio-inspector: %1").arg(error)));
                return 2;
            }
        } else {
            headlessClients->readStandardInput();
        }
        // Ctrl+C / SIGTERM end a recorded or scripted session cleanly: the code after exec() runs
        // and the recording is flushed and closed.
        if (clientSession)
            Inspector::quitOnTerminationSignals();
    }

    Q_UNUSED(redis);
    const int code = app->exec();
    replay.reset();
    headlessClients.reset(); // stops recording: the file is complete
    headlessConnections.reset();
    clients.reset();
    headlessMock.reset();
    window.reset();
    headlessAttach.reset();
    printer.reset();
    return code;
}
