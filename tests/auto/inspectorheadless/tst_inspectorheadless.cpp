// SPDX-License-Identifier: MIT
// socketio-inspector as a terminal program: --headless (and no display at all) prints
// "listening on port N" and then one readable line per packet; control frames only with
// --show-control; --namespace and --event filter; --static serves files beside /socket.io/ (the
// chat example's page runs against --demo, with the real npm socket.io-client).
#include "../inspectorwidgets/eioclient.h"
#include "../inspectorwidgets/nodeclient.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace {

// The app in a child process, its stdout split into lines as they come.
class App
{
public:
    explicit App(const QStringList &args,
                 const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
    {
        m_process.setProcessEnvironment(env);
        QObject::connect(&m_process, &QProcess::readyReadStandardOutput, &m_process, [this] {
            m_buffer += m_process.readAllStandardOutput();
            qsizetype newline;
            while ((newline = m_buffer.indexOf('\n')) >= 0) {
                m_lines.append(QString::fromUtf8(m_buffer.left(newline)));
                m_buffer.remove(0, newline + 1);
            }
        });
        QObject::connect(&m_process, &QProcess::readyReadStandardError, &m_process,
                         [this] { m_stderr += m_process.readAllStandardError(); });
        m_process.start(QStringLiteral(SOCKETIO_INSPECTOR_EXECUTABLE), args);
    }
    ~App()
    {
        m_process.disconnect();
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

    // The port from the first line, which must be "listening on port N"; 0 on failure.
    quint16 waitForPort()
    {
        if (!QTest::qWaitFor(
                [this] { return !m_lines.isEmpty() || m_process.state() == QProcess::NotRunning; }, 10000))
            return 0;
        if (m_lines.isEmpty())
            return 0;
        const QRegularExpressionMatch m =
            QRegularExpression(QStringLiteral("^listening on port (\\d+)$")).match(m_lines.first());
        return m.hasMatch() ? quint16(m.captured(1).toUInt()) : 0;
    }
    // The first line containing text, waiting for it; empty when it never came.
    QString waitForLine(const QString &text, int timeoutMs = 5000)
    {
        QString found;
        (void)QTest::qWaitFor(
            [&] {
                for (const QString &line : std::as_const(m_lines)) {
                    if (line.contains(text)) {
                        found = line;
                        return true;
                    }
                }
                return false;
            },
            timeoutMs);
        return found;
    }
    bool waitForExit(int timeoutMs = 10000)
    {
        return QTest::qWaitFor([this] { return m_process.state() == QProcess::NotRunning; }, timeoutMs);
    }
    const QStringList &lines() const { return m_lines; }
    QString standardError() const { return QString::fromUtf8(m_stderr); }
    int exitCode() const { return m_process.exitCode(); }

private:
    QProcess m_process;
    QByteArray m_buffer;
    QByteArray m_stderr;
    QStringList m_lines;
};

// The whole response to a GET (the server closes: Connection: close); empty on failure.
QByteArray httpGet(quint16 port, const QByteArray &path)
{
    QTcpSocket http;
    http.connectToHost(QHostAddress::LocalHost, port);
    if (!http.waitForConnected(10000))
        return {};
    http.write("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    QByteArray response;
    (void)QTest::qWaitFor(
        [&] {
            response += http.readAll();
            return http.state() == QAbstractSocket::UnconnectedState;
        },
        10000);
    return response + http.readAll();
}

const QString timePattern = QStringLiteral("\\d\\d:\\d\\d:\\d\\d\\.\\d\\d\\d");

} // namespace

class tst_InspectorHeadless : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void printsOneLinePerPacket();
    void controlFramesOnlyWhenAsked();
    void namespaceAndEventFilters();
    void runsHeadlessWithoutDisplay();
    void followsTheSystemLocale();
    void servesStaticFiles();
    void servesTheChatPageWithItsSocket();
    void servesTheBrowserClientFromBesideTheFolder();
    void rejectsBadArguments();
};

void tst_InspectorHeadless::printsOneLinePerPacket()
{
    App app({ QStringLiteral("--headless"), QStringLiteral("--port"), QStringLiteral("0") });
    const quint16 port = app.waitForPort();
    QVERIFY2(port, qPrintable(app.standardError()));
    EioClient client(port);
    QVERIFY(client.waitForOpen());
    const QString id = client.connectTo(QStringLiteral("/"));
    QVERIFY(!id.isEmpty());
    client.send("42[\"greet\",\"hi\",{\"n\":1}]");
    client.send("427[\"with-ack\"]");

    const QString line = app.waitForLine(QStringLiteral("EVENT greet"));
    QVERIFY2(
        QRegularExpression(
            QStringLiteral("^%1 in  /        %2 EVENT greet  \"hi\", \\{\"n\":1\\}$").arg(timePattern, id))
            .match(line)
            .hasMatch(),
        qPrintable(line));
    QVERIFY(app.waitForLine(QStringLiteral("EVENT with-ack [ack 7]")).contains(QStringLiteral("in  /")));
    // The handshake: the Engine.IO open packet, the CONNECT and its reply.
    const QString open = app.waitForLine(QStringLiteral(" open "));
    QVERIFY2(QRegularExpression(QStringLiteral("^%1 out -        sid:%2 open  \\{\"sid\":\"%2\"")
                                    .arg(timePattern, client.engineSid()))
                 .match(open)
                 .hasMatch(),
             qPrintable(open));
    QVERIFY(!app.waitForLine(QStringLiteral("CONNECT  {\"sid\":\"%1\"}").arg(id)).isEmpty());
    // A socket that goes without a DISCONNECT packet gets a line too.
    client.close();
    QVERIFY(app.waitForLine(QStringLiteral("disconnected (transport close)")).contains(id));
}

void tst_InspectorHeadless::controlFramesOnlyWhenAsked()
{
    const QStringList fast{ QStringLiteral("--headless"), QStringLiteral("--port"),
                            QStringLiteral("0"),          QStringLiteral("--ping-interval"),
                            QStringLiteral("50"),         QStringLiteral("--ping-timeout"),
                            QStringLiteral("2000") };
    {
        App app(fast);
        const quint16 port = app.waitForPort();
        QVERIFY(port);
        EioClient client(port);
        QVERIFY(client.waitForOpen());
        QVERIFY(!client.connectTo().isEmpty());
        QTRY_VERIFY(client.pingCount() >= 3);
        client.send("42[\"marker\"]");
        QVERIFY(!app.waitForLine(QStringLiteral("EVENT marker")).isEmpty());
        for (const QString &line : app.lines()) {
            QVERIFY2(!line.contains(QLatin1String(" ping")) && !line.contains(QLatin1String(" pong")),
                     qPrintable(line));
        }
    }
    App app(fast + QStringList{ QStringLiteral("--show-control") });
    const quint16 port = app.waitForPort();
    QVERIFY(port);
    EioClient client(port);
    QVERIFY(client.waitForOpen());
    QTRY_VERIFY(client.pingCount() >= 1);
    const QString ping = app.waitForLine(QStringLiteral(" ping"));
    QVERIFY2(QRegularExpression(
                 QStringLiteral("^%1 out -        sid:%2 ping$").arg(timePattern, client.engineSid()))
                 .match(ping)
                 .hasMatch(),
             qPrintable(ping));
    QVERIFY(!app.waitForLine(QStringLiteral(" pong")).isEmpty());
}

void tst_InspectorHeadless::namespaceAndEventFilters()
{
    App app({ QStringLiteral("--headless"), QStringLiteral("--port"), QStringLiteral("0"),
              QStringLiteral("--demo"), QStringLiteral("--demo-clients"), QStringLiteral("0"),
              QStringLiteral("--namespace"), QStringLiteral("/chat"), QStringLiteral("--event"),
              QStringLiteral("chat*") });
    const quint16 port = app.waitForPort();
    QVERIFY(port);
    EioClient client(port);
    QVERIFY(client.waitForOpen());
    QVERIFY(!client.connectTo(QStringLiteral("/")).isEmpty());
    QVERIFY(!client.connectTo(QStringLiteral("/chat")).isEmpty());
    client.send("42[\"chat\",\"main namespace\"]");
    client.send("42/chat,[\"typing\",true]");
    client.send("42/chat,3[\"chat\",\"hello lobby\"]");
    // The demo broadcasts the chat to the lobby and answers the ack.
    QVERIFY(!app.waitForLine(QStringLiteral("ACK 3 chat")).isEmpty());
    QVERIFY(!app.waitForLine(QStringLiteral("out /chat")).isEmpty());
    for (const QString &line : app.lines().mid(1)) {
        QVERIFY2(line.contains(QLatin1String(" /chat ")), qPrintable(line));
        QVERIFY2(line.contains(QLatin1String(" chat")), qPrintable(line));
        QVERIFY2(!line.contains(QLatin1String("main namespace")), qPrintable(line));
    }
}

void tst_InspectorHeadless::runsHeadlessWithoutDisplay()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    env.remove(QStringLiteral("QT_QPA_PLATFORM"));
    App app({ QStringLiteral("--port"), QStringLiteral("0") }, env);
    const quint16 port = app.waitForPort();
    QVERIFY2(port, qPrintable(app.standardError()));
    QVERIFY(app.standardError().contains(QLatin1String("running headless")));
    EioClient client(port);
    QVERIFY(client.waitForOpen());
    QVERIFY(!client.connectTo().isEmpty());
    client.send("42[\"still-printed\"]");
    QVERIFY(!app.waitForLine(QStringLiteral("EVENT still-printed")).isEmpty());
}

void tst_InspectorHeadless::followsTheSystemLocale()
{
    // The catalogs of the system locale are loaded: German messages with a German environment.
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    env.remove(QStringLiteral("QT_QPA_PLATFORM"));
    env.remove(QStringLiteral("LANGUAGE"));
    env.insert(QStringLiteral("LC_ALL"), QStringLiteral("de_DE.UTF-8"));
    env.insert(QStringLiteral("LANG"), QStringLiteral("de_DE.UTF-8"));
    App app({ QStringLiteral("--port"), QStringLiteral("0") }, env);
    QVERIFY(app.waitForPort()); // the machine-readable line stays as it is
    QVERIFY(QTest::qWaitFor([&] { return app.standardError().contains(QLatin1String("Strg+C")); }, 5000));
    QVERIFY2(app.standardError().contains(QStringLiteral("läuft ohne Fenster")),
             qPrintable(app.standardError()));
}

void tst_InspectorHeadless::servesStaticFiles()
{
    QTemporaryDir dir;
    QFile index(dir.filePath(QStringLiteral("index.html")));
    QVERIFY(index.open(QIODevice::WriteOnly));
    index.write("<!doctype html><title>dev page</title>");
    index.close();
    App app({ QStringLiteral("--headless"), QStringLiteral("--port"), QStringLiteral("0"),
              QStringLiteral("--static"), dir.path() });
    const quint16 port = app.waitForPort();
    QVERIFY(port);
    QTcpSocket http;
    http.connectToHost(QHostAddress::LocalHost, port);
    QVERIFY(http.waitForConnected(5000));
    http.write("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    QByteArray response;
    QVERIFY(QTest::qWaitFor(
        [&] {
            response += http.readAll();
            return http.state() == QAbstractSocket::UnconnectedState;
        },
        5000));
    response += http.readAll();
    QVERIFY2(response.startsWith("HTTP/1.1 200"), response.constData());
    QVERIFY(response.contains("text/html"));
    QVERIFY(response.endsWith("<!doctype html><title>dev page</title>"));
    // The socket lives on the same port.
    EioClient client(port);
    QVERIFY(client.waitForOpen());
}

void tst_InspectorHeadless::servesTheChatPageWithItsSocket()
{
    if (const QString missing = NodeClient::missing(); !missing.isEmpty())
        QFAIL(qPrintable(missing));
    // The chat example's folder as it is in the source tree: the browser client comes from an
    // npm socket.io-client beside it or, in a fresh clone, the one install-deps put in tests/interop.
    App app({ QStringLiteral("--headless"), QStringLiteral("--demo"), QStringLiteral("--demo-clients"),
              QStringLiteral("0"), QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--static"),
              QStringLiteral(SOCKETIO_CHAT_PUBLIC) });
    const quint16 port = app.waitForPort();
    QVERIFY2(port, qPrintable(app.standardError()));

    // The page and the browser client it loads come from the socket's port.
    const QByteArray page = httpGet(port, "/");
    QVERIFY2(page.startsWith("HTTP/1.1 200"), page.left(200).constData());
    QVERIFY(page.contains("Content-Type: text/html"));
    QVERIFY(page.contains("<title>Socket.IO chat"));
    QVERIFY(page.contains("<script src=\"/socket.io.min.js\">"));
    const QByteArray script = httpGet(port, "/socket.io.min.js");
    QVERIFY2(script.startsWith("HTTP/1.1 200"), script.left(200).constData());
    QVERIFY(script.contains("Content-Type: text/javascript"));
    bool isABundle = false;
    const QStringList bundles{ QStringLiteral(SOCKETIO_CHAT_PUBLIC "/../node_modules/socket.io-client/dist"),
                               NodeClient::modules() + QStringLiteral("/socket.io-client/dist") };
    for (const QString &dist : bundles) {
        QFile bundle(dist + QStringLiteral("/socket.io.min.js"));
        if (bundle.open(QIODevice::ReadOnly))
            isABundle |= script.endsWith(bundle.readAll());
    }
    QVERIFY(isABundle);
    QVERIFY(httpGet(port, "/../CMakeLists.txt").startsWith("HTTP/1.1 404")); // never outside the folder
    QVERIFY(httpGet(port, "/missing.js").startsWith("HTTP/1.1 404"));

    // What the page does, with the same client library under node: hello with an ack, then chat.
    NodeClient node(port);
    QVERIFY2(node.waitForReady(), qPrintable(node.errorOutput()));
    const QString id = node.connectSocket(QStringLiteral("page"), QStringLiteral("/chat"));
    QVERIFY2(!id.isEmpty(), qPrintable(node.errorOutput()));
    node.emitEvent(QStringLiteral("page"), QStringLiteral("hello"), QJsonArray{ QStringLiteral("tester") },
                   true, QStringLiteral("h"));
    QCOMPARE(node.waitFor(QStringLiteral("ackReply")).value(QLatin1String("args")).toArray(),
             QJsonArray{ QStringLiteral("hello tester") });
    QCOMPARE(node.waitForEvent(QStringLiteral("page"), QStringLiteral("hello_ack"))
                 .value(QLatin1String("args"))
                 .toArray(),
             QJsonArray{ QStringLiteral("Welcome, tester!") });
    node.emitEvent(QStringLiteral("page"), QStringLiteral("chat"), QJsonArray{ QStringLiteral("hi all") });
    QCOMPARE(node.waitForEvent(QStringLiteral("page"), QStringLiteral("chat"))
                 .value(QLatin1String("args"))
                 .toArray(),
             (QJsonArray{ QStringLiteral("tester"), QStringLiteral("hi all") }));
    // The terminal shows the conversation.
    QVERIFY(!app.waitForLine(QStringLiteral("\"hi all\""), NodeClient::Timeout).isEmpty());
    QVERIFY(app.waitForLine(QStringLiteral("\"hi all\"")).contains(QLatin1String("/chat")));
}

void tst_InspectorHeadless::servesTheBrowserClientFromBesideTheFolder()
{
    // Looked up as Node resolves modules (the folder, then its parents) before the source tree's;
    // a file of that name in the folder wins.
    QTemporaryDir dir;
    QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("site/public")));
    QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("site/node_modules/socket.io-client/dist")));
    auto write = [](const QString &fileName, const QByteArray &content) {
        QFile file(fileName);
        return file.open(QIODevice::WriteOnly) && file.write(content) == content.size();
    };
    QVERIFY(write(dir.filePath(QStringLiteral("site/node_modules/socket.io-client/dist/socket.io.min.js")),
                  "/* the site's own client */"));
    QVERIFY(write(dir.filePath(QStringLiteral("site/public/socket.io.js")), "/* a file of the page */"));
    App app({ QStringLiteral("--headless"), QStringLiteral("--port"), QStringLiteral("0"),
              QStringLiteral("--static"), dir.filePath(QStringLiteral("site/public")) });
    const quint16 port = app.waitForPort();
    QVERIFY2(port, qPrintable(app.standardError()));
    QVERIFY(httpGet(port, "/socket.io.min.js").endsWith("/* the site's own client */"));
    QVERIFY(httpGet(port, "/socket.io.js").endsWith("/* a file of the page */"));
    QVERIFY(httpGet(port, "/socket.io.msgpack.min.js").startsWith("HTTP/1.1 404"));
}

void tst_InspectorHeadless::rejectsBadArguments()
{
    App missing({ QStringLiteral("--headless"), QStringLiteral("--port"), QStringLiteral("0"),
                  QStringLiteral("--static"), QStringLiteral("/nonexistent/socketio-inspector-test") });
    QVERIFY(missing.waitForExit());
    QCOMPARE(missing.exitCode(), 2);
    QVERIFY(missing.standardError().contains(QLatin1String("not a directory")));
    App badPort({ QStringLiteral("--headless"), QStringLiteral("--port"), QStringLiteral("70000") });
    QVERIFY(badPort.waitForExit());
    QCOMPARE(badPort.exitCode(), 2);
}

QTEST_GUILESS_MAIN(tst_InspectorHeadless)
#include "tst_inspectorheadless.moc"
