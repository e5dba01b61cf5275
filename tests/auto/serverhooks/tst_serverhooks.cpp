// SPDX-License-Identifier: MIT
//
// Server options and hooks of socket.io 4.8 (docs/server-hooks.md): removing namespaces and
// cleanupEmptyChildNamespaces, the asynchronous allowRequest, the initial_headers / headers
// hooks, a custom session id generator, emitWithAck() futures (socket and broadcast), and
// prependAny / offAny. Loopback, port 0, raw clients (HTTP requests and a QWebSocket).
#include "../socketioserver/rawclient.h"

#include <SocketIo/admininstrumentation.h>
#include <SocketIo/engineserver.h>
#include <SocketIo/enginesession.h>
#include <SocketIo/namespace.h>
#include <SocketIo/server.h>
#include <SocketIo/socket.h>

#include <QFutureWatcher>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <memory>
#include <optional>

using namespace SocketIo;
using namespace std::chrono_literals;

namespace {

constexpr int Timeout = 5000; // generous: the machine may be busy
const QByteArray PollHandshake = QByteArrayLiteral("/socket.io/?EIO=4&transport=polling");

QByteArray pollTarget(const QString &sid)
{
    return PollHandshake + "&sid=" + sid.toUtf8();
}

// The sid of a polling handshake's open packet ("0{...}"); empty if it is not one.
QString openSid(const QByteArray &body)
{
    if (!body.startsWith('0'))
        return {};
    return QJsonDocument::fromJson(body.mid(1)).object().value(QLatin1String("sid")).toString();
}

// Sends CONNECT for nsp and returns the socket id from the answer; empty (with a warning) if the
// answer is not a CONNECT.
QString joinNamespace(RawClient &client, const QByteArray &nsp, const QByteArray &auth = {})
{
    if (!client.waitForOpen(Timeout)) {
        qWarning("no open packet");
        return {};
    }
    const QByteArray prefix = nsp == "/" ? QByteArrayLiteral("40") : QByteArray("40" + nsp + ',');
    client.send(prefix + auth);
    const QByteArray reply = client.nextText();
    if (!reply.startsWith(QByteArray(prefix + '{'))) {
        qWarning() << "unexpected CONNECT reply" << reply;
        return {};
    }
    return QJsonDocument::fromJson(reply.mid(prefix.size())).object().value(QLatin1String("sid")).toString();
}

template<typename T> bool waitFinished(const QFuture<T> &future)
{
    return QTest::qWaitFor([&] { return future.isFinished(); }, Timeout);
}

} // namespace

class tst_ServerHooks : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    // Namespaces
    void removeNamespace();
    void removeNamespaceRefusesMainAndUnknown();
    void removeNamespaceRefusesSocketsInMiddleware();
    void cleanupEmptyChildNamespaces_data();
    void cleanupEmptyChildNamespaces();
    void cleanupWaitsForSocketsInMiddleware();
    void cleanupAfterMiddlewareRefusal();
    void removeAdminNamespace();

    // Engine hooks
    void headersHooksOnPolling();
    void headersHooksDropUnsafeFields();
    void headersHooksNotCalledForWebSocket();
    void asyncAllowRequest_data();
    void asyncAllowRequest();
    void asyncAllowRequestClientGone();
    void asyncAllowRequestServerGone();
    void idGenerator_data();
    void idGenerator();
    void idGeneratorRefusals_data();
    void idGeneratorRefusals();

    // Acks as futures, onAny family
    void emitWithAck_data();
    void emitWithAck();
    void emitWithAckContinuationThread();
    void emitWithAckFromHandleInOtherThread();
    void emitWithAckServerDestroyed();
    void broadcastEmitWithAck_data();
    void broadcastEmitWithAck();
    void broadcastEmitWithAckNamespaceRemoved();
    void broadcastEmitWithAckFromOtherThread();
    void prependAndOffAny();

private:
    void makeServer(const ServerOptions &options = {});
    std::unique_ptr<Server> m_server;
    quint16 m_port = 0;
};

void tst_ServerHooks::initTestCase()
{
    qRegisterMetaType<SocketIo::Namespace *>();
    qRegisterMetaType<SocketIo::EngineSession *>();
    qRegisterMetaType<SocketIo::DisconnectReason>();
}

void tst_ServerHooks::makeServer(const ServerOptions &options)
{
    m_server = std::make_unique<Server>(options);
    QVERIFY2(m_server->listen(QHostAddress::LocalHost, 0), qPrintable(m_server->errorString()));
    m_port = m_server->serverPort();
}

void tst_ServerHooks::init()
{
    makeServer();
}

void tst_ServerHooks::cleanup()
{
    m_server.reset();
}

// --- Namespaces ------------------------------------------------------------------------------

void tst_ServerHooks::removeNamespace()
{
    Namespace *nsp = m_server->of(QStringLiteral("/custom"));
    RawClient client(m_port);
    const QString id = joinNamespace(client, "/custom");
    QVERIFY(!id.isEmpty());
    Socket *socket = nsp->socket(id);
    QVERIFY(socket);
    QSignalSpy disconnected(socket, &Socket::disconnected);
    QSignalSpy removed(m_server.get(), &Server::namespaceRemoved);
    QPointer<Namespace> guard(nsp);
    const Broadcast kept = nsp->all();

    QVERIFY(m_server->removeNamespace(QStringLiteral("/custom")));
    QCOMPARE(disconnected.size(), 1);
    QCOMPARE(disconnected.at(0).at(0).value<DisconnectReason>(), DisconnectReason::ServerNamespaceDisconnect);
    QCOMPARE(removed.size(), 1);
    QCOMPARE(removed.at(0).at(0).toString(), QStringLiteral("/custom"));
    QCOMPARE(m_server->findNamespace(QStringLiteral("/custom")), nullptr);
    QVERIFY(!m_server->namespaces().contains(nsp));
    QCOMPARE(client.nextText(), QByteArray("41/custom,"));
    QVERIFY(!m_server->removeNamespace(QStringLiteral("/custom"))); // gone already
    QTRY_VERIFY(!guard); // deleted later
    kept.emitEvent(QStringLiteral("nobody")); // a value of the removed namespace: does nothing

    // The name is unknown again; the connection itself is untouched.
    client.send("40/custom,");
    QCOMPARE(client.nextText(), QByteArray(R"(44/custom,{"message":"Invalid namespace"})"));
    QVERIFY(!joinNamespace(client, "/").isEmpty());
    // of() creates it again, empty.
    Namespace *again = m_server->of(QStringLiteral("/custom"));
    QCOMPARE(again->socketCount(), 0);
    QVERIFY(!joinNamespace(client, "/custom").isEmpty());
    QCOMPARE(again->socketCount(), 1);
}

void tst_ServerHooks::removeNamespaceRefusesMainAndUnknown()
{
    QSignalSpy removed(m_server.get(), &Server::namespaceRemoved);
    QVERIFY(!m_server->removeNamespace(QStringLiteral("/")));
    QVERIFY(!m_server->removeNamespace(QStringLiteral("/nope")));
    QCOMPARE(removed.size(), 0);
    QVERIFY(m_server->findNamespace(QStringLiteral("/")));
}

void tst_ServerHooks::removeNamespaceRefusesSocketsInMiddleware()
{
    Namespace *nsp = m_server->of(QStringLiteral("/held"));
    std::optional<Next> held;
    nsp->use([&held](Socket *, const Next &next) { held = next; });
    QSignalSpy connected(nsp, &Namespace::socketConnected);
    RawClient client(m_port);
    QVERIFY(client.waitForOpen(Timeout));
    client.send("40/held,");
    QTRY_VERIFY(held.has_value());

    QVERIFY(m_server->removeNamespace(QStringLiteral("/held")));
    QCOMPARE(client.nextText(), QByteArray(R"(44/held,{"message":"Invalid namespace"})"));
    (*held)(); // the middleware answers late: nothing happens
    QVERIFY(!joinNamespace(client, "/").isEmpty()); // a turn of the loop: nothing else was sent
    QCOMPARE(client.pendingFrames(), 0);
    QCOMPARE(connected.size(), 0);
}

void tst_ServerHooks::cleanupEmptyChildNamespaces_data()
{
    QTest::addColumn<bool>("cleanup");
    QTest::addColumn<QString>("transport");
    QTest::newRow("on") << true << "websocket";
    QTest::newRow("off (socket.io's default)") << false << "websocket";
}

void tst_ServerHooks::cleanupEmptyChildNamespaces()
{
    QFETCH(bool, cleanup);
    ServerOptions options;
    options.cleanupEmptyChildNamespaces = cleanup;
    makeServer(options);
    m_server->addDynamicNamespace(QRegularExpression(QStringLiteral("^/dyn-\\d+$")));
    m_server->of(QStringLiteral("/static")); // not a child namespace: never cleaned up
    QSignalSpy created(m_server.get(), &Server::namespaceCreated);
    QSignalSpy removed(m_server.get(), &Server::namespaceRemoved);

    RawClient a(m_port);
    RawClient b(m_port);
    QVERIFY(!joinNamespace(a, "/dyn-1").isEmpty());
    QVERIFY(!joinNamespace(b, "/dyn-1").isEmpty());
    QVERIFY(!joinNamespace(a, "/static").isEmpty());
    QCOMPARE(created.size(), 1);
    // Guarded: with cleanup on, it is deleted soon after its last socket left.
    const QPointer<Namespace> first = m_server->findNamespace(QStringLiteral("/dyn-1"));
    QVERIFY(first);

    a.send("41/dyn-1,"); // one socket left: the namespace stays
    QTRY_COMPARE(first->socketCount(), 1);
    b.send("41/dyn-1,"); // the last one
    QTRY_VERIFY(!first || first->socketCount() == 0);
    a.send("41/static,");
    // Round trips: several turns of the event loop after the last socket left.
    QVERIFY(!joinNamespace(a, "/").isEmpty());
    QVERIFY(!joinNamespace(b, "/").isEmpty());
    QTRY_VERIFY(!m_server->findNamespace(QStringLiteral("/static"))->sockets().size());
    if (!cleanup) {
        QCOMPARE(removed.size(), 0);
        QVERIFY(first);
        QCOMPARE(m_server->findNamespace(QStringLiteral("/dyn-1")), first.data());
        return;
    }
    QTRY_COMPARE(removed.size(), 1);
    QCOMPARE(removed.at(0).at(0).toString(), QStringLiteral("/dyn-1"));
    QCOMPARE(m_server->findNamespace(QStringLiteral("/dyn-1")), nullptr);
    QVERIFY(m_server->findNamespace(QStringLiteral("/static")));
    QTRY_VERIFY(!first); // deleted later

    // A client asking for it again creates it again.
    QVERIFY(!joinNamespace(a, "/dyn-1").isEmpty());
    QCOMPARE(created.size(), 2);
    Namespace *second = m_server->findNamespace(QStringLiteral("/dyn-1"));
    QVERIFY(second);
    QCOMPARE(second->socketCount(), 1);
}

void tst_ServerHooks::cleanupWaitsForSocketsInMiddleware()
{
    // socket.io removes the namespace when its connected sockets are gone, even while another
    // client is in its middleware; we wait for that client too.
    ServerOptions options;
    options.cleanupEmptyChildNamespaces = true;
    makeServer(options);
    std::optional<Next> held;
    m_server->addDynamicNamespace(
        [](const QString &name, const QJsonObject &) { return name.startsWith(QLatin1String("/room-")); });
    connect(m_server.get(), &Server::namespaceCreated, this, [&held](Namespace *nsp) {
        nsp->use([&held](Socket *socket, const Next &next) {
            if (socket->handshake().auth.value(QLatin1String("hold")).toBool())
                held = next;
            else
                next();
        });
    });
    QSignalSpy removed(m_server.get(), &Server::namespaceRemoved);
    RawClient a(m_port);
    RawClient b(m_port);
    QVERIFY(!joinNamespace(a, "/room-1").isEmpty());
    QVERIFY(b.waitForOpen(Timeout));
    b.send(R"(40/room-1,{"hold":true})");
    QTRY_VERIFY(held.has_value());
    a.send("41/room-1,");
    QVERIFY(!joinNamespace(a, "/").isEmpty()); // turns of the loop after the last socket left
    QVERIFY(!joinNamespace(a, "/room-2").isEmpty());
    QCOMPARE(removed.size(), 0); // b is still in the middleware
    (*held)();
    QVERIFY(b.nextText().startsWith("40/room-1,{\"sid\""));
    b.send("41/room-1,");
    QTRY_COMPARE(removed.size(), 1);
    QCOMPARE(removed.at(0).at(0).toString(), QStringLiteral("/room-1"));
}

void tst_ServerHooks::cleanupAfterMiddlewareRefusal()
{
    // As in socket.io: a child namespace whose only client is refused goes too.
    ServerOptions options;
    options.cleanupEmptyChildNamespaces = true;
    makeServer(options);
    m_server->addDynamicNamespace(QRegularExpression(QStringLiteral("^/dyn-\\d+$")));
    connect(m_server.get(), &Server::namespaceCreated, this, [](Namespace *nsp) {
        nsp->use([](Socket *, const Next &next) { next.reject(QStringLiteral("no")); });
    });
    QSignalSpy removed(m_server.get(), &Server::namespaceRemoved);
    RawClient client(m_port);
    QVERIFY(client.waitForOpen(Timeout));
    client.send("40/dyn-7,");
    QCOMPARE(client.nextText(), QByteArray(R"(44/dyn-7,{"message":"no"})"));
    QTRY_COMPARE(removed.size(), 1);
    QCOMPARE(m_server->findNamespace(QStringLiteral("/dyn-7")), nullptr);
}

void tst_ServerHooks::removeAdminNamespace()
{
    AdminOptions adminOptions;
    adminOptions.statsInterval = 20ms;
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("authentication is disabled")));
    AdminInstrumentation admin(m_server.get(), adminOptions);
    RawClient client(m_port);
    QVERIFY(client.waitForOpen(Timeout));
    client.send("40/admin,");
    QTRY_COMPARE(admin.adminCount(), 1);
    QVERIFY(m_server->removeNamespace(QStringLiteral("/admin")));
    QCOMPARE(admin.adminCount(), 0);
    QTRY_COMPARE(admin.adminNamespace(), nullptr);
    // Stats ticks with no admin namespace: nothing breaks. A timer started after the admin's
    // stats timer, with the same interval, fires after it: two of its ticks, at least one stats tick.
    QTimer after;
    after.setInterval(adminOptions.statsInterval);
    QSignalSpy ticks(&after, &QTimer::timeout);
    after.start();
    QTRY_VERIFY(ticks.size() >= 2);
    QVERIFY(!client.isClosed());
}

// --- Engine hooks ----------------------------------------------------------------------------

void tst_ServerHooks::headersHooksOnPolling()
{
    QList<QByteArray> initialCalls;
    QList<QByteArray> everyCalls;
    EngineServer *engine = m_server->engine();
    engine->setInitialHeadersHook([&](HttpHeaderList &headers, const HttpRequest &request) {
        initialCalls.append(request.method);
        headers.emplaceBack("Set-Cookie", "sticky=node-1; Path=/");
    });
    engine->setHeadersHook([&](HttpHeaderList &headers, const HttpRequest &request) {
        everyCalls.append(request.method);
        headers.emplaceBack("X-Served-By", "node-1 " + request.method);
    });

    HttpTestClient http(m_port);
    http.get(PollHandshake);
    QVERIFY(http.waitForResponses(1));
    const HttpTestResponse handshake = http.response(0);
    QCOMPARE(handshake.status, 200);
    QCOMPARE(handshake.headerValues("set-cookie"), QByteArrayList{ "sticky=node-1; Path=/" });
    QCOMPARE(handshake.header("x-served-by"), QByteArray("node-1 GET"));
    const QString sid = openSid(handshake.body);
    QVERIFY(!sid.isEmpty());

    http.post(pollTarget(sid), "40");
    QVERIFY(http.waitForResponses(2));
    QCOMPARE(http.response(1).body, QByteArray("ok"));
    QCOMPARE(http.response(1).header("x-served-by"), QByteArray("node-1 POST"));
    QVERIFY(!http.response(1).hasHeader("set-cookie"));
    http.get(pollTarget(sid));
    QVERIFY(http.waitForResponses(3));
    QVERIFY(http.response(2).body.startsWith("40{\"sid\""));
    QCOMPARE(http.response(2).header("x-served-by"), QByteArray("node-1 GET"));
    QVERIFY(!http.response(2).hasHeader("set-cookie"));
    QCOMPARE(initialCalls, QList<QByteArray>{ "GET" });
    QCOMPARE(everyCalls, (QList<QByteArray>{ "GET", "POST", "GET" }));

    // Not on error responses (as engine.io).
    http.get(pollTarget(QStringLiteral("unknown")));
    QVERIFY(http.waitForResponses(4));
    QCOMPARE(http.response(3).status, 400);
    QVERIFY(!http.response(3).hasHeader("x-served-by"));
    QCOMPARE(everyCalls.size(), 3);
}

void tst_ServerHooks::headersHooksDropUnsafeFields()
{
    m_server->engine()->setHeadersHook([](HttpHeaderList &headers, const HttpRequest &) {
        headers.emplaceBack("X-Good", "1");
        headers.emplaceBack("X-Bad", "1\r\nSet-Cookie: injected=1");
        headers.emplaceBack("X-Bad\r\nInjected", "1");
        headers.emplaceBack("", "empty name");
    });
    for (int i = 0; i < 3; ++i) {
        QTest::ignoreMessage(QtWarningMsg,
                             QRegularExpression(QStringLiteral("a headers hook added an invalid field")));
    }
    HttpTestClient http(m_port);
    http.get(PollHandshake);
    QVERIFY(http.waitForResponses(1));
    const HttpTestResponse response = http.response(0);
    QCOMPARE(response.status, 200);
    QCOMPARE(response.header("x-good"), QByteArray("1"));
    QVERIFY(!response.hasHeader("x-bad"));
    QVERIFY(!response.hasHeader("set-cookie"));
    QVERIFY(!response.hasHeader("injected"));
}

void tst_ServerHooks::headersHooksNotCalledForWebSocket()
{
    // QWebSocketServer (Qt 6.4) writes the 101 answer itself: the hooks are not asked (documented).
    int calls = 0;
    m_server->engine()->setInitialHeadersHook([&](HttpHeaderList &, const HttpRequest &) { ++calls; });
    m_server->engine()->setHeadersHook([&](HttpHeaderList &, const HttpRequest &) { ++calls; });
    RawClient client(m_port);
    QVERIFY(!joinNamespace(client, "/").isEmpty());
    QCOMPARE(calls, 0);
}

void tst_ServerHooks::asyncAllowRequest_data()
{
    QTest::addColumn<QString>("transport");
    QTest::addColumn<QString>("answer"); // allow, refuse, drop (every copy destroyed), thread
    for (const char *transport : { "polling", "websocket" }) {
        for (const char *answer : { "allow", "refuse", "drop", "thread" })
            QTest::addRow("%s %s", transport, answer)
                << QString::fromLatin1(transport) << QString::fromLatin1(answer);
    }
}

void tst_ServerHooks::asyncAllowRequest()
{
    QFETCH(QString, transport);
    QFETCH(QString, answer);
    std::optional<HandshakeDecision> pending;
    QByteArray seenQuery;
    m_server->engine()->setAllowRequestAsync(
        [&](const HttpRequest &request, const HandshakeDecision &decision) {
            seenQuery = request.query.queryItemValue(QStringLiteral("token")).toUtf8();
            pending = decision; // decided later, as after a database look-up
        });
    QSignalSpy errors(m_server->engine(), &EngineServer::connectionError);
    QSignalSpy opened(m_server->engine(), &EngineServer::sessionOpened);

    const auto decide = [&] {
        QVERIFY(!pending->isDecided());
        if (answer == QLatin1String("allow")) {
            pending->allow();
        } else if (answer == QLatin1String("refuse")) {
            pending->refuse(QStringLiteral("bad token"));
        } else if (answer == QLatin1String("drop")) {
            pending.reset();
        } else {
            const HandshakeDecision copy = *pending;
            std::unique_ptr<QThread> thread(QThread::create([copy] { copy.allow(); }));
            thread->start();
            QVERIFY(thread->wait(Timeout));
        }
        if (pending)
            QVERIFY(pending->isDecided());
    };
    const bool allowed = answer == QLatin1String("allow") || answer == QLatin1String("thread");

    if (transport == QLatin1String("polling")) {
        HttpTestClient http(m_port);
        http.get(PollHandshake + "&token=t1");
        QTRY_VERIFY(pending.has_value());
        QCOMPARE(seenQuery, QByteArray("t1"));
        QVERIFY(!http.waitForResponses(1, 50)); // parked until the answer
        decide();
        QVERIFY(http.waitForResponses(1));
        const HttpTestResponse response = http.response(0);
        if (allowed) {
            QCOMPARE(response.status, 200);
            QVERIFY(!openSid(response.body).isEmpty());
            QCOMPARE(opened.size(), 1);
        } else {
            QCOMPARE(response.status, 403);
            QCOMPARE(response.body,
                     answer == QLatin1String("refuse") ? QByteArray(R"({"code":4,"message":"bad token"})")
                                                       : QByteArray(R"({"code":4,"message":"Forbidden"})"));
            QCOMPARE(errors.size(), 1);
            QCOMPARE(opened.size(), 0);
        }
        // Another handshake is asked again.
        pending.reset();
        http.get(PollHandshake + "&token=t2");
        QTRY_VERIFY(pending.has_value());
        QCOMPARE(seenQuery, QByteArray("t2"));
        pending->allow();
        QVERIFY(http.waitForResponses(2));
        QCOMPARE(http.response(1).status, 200);
        return;
    }
    RawClient client(m_port, "EIO=4&transport=websocket&token=w1");
    QTRY_VERIFY(pending.has_value());
    QCOMPARE(seenQuery, QByteArray("w1"));
    QVERIFY(!client.waitForConnected(50));
    decide();
    if (allowed) {
        QVERIFY(!joinNamespace(client, "/").isEmpty());
        QCOMPARE(opened.size(), 1);
    } else {
        QVERIFY(client.waitForClosed(Timeout));
        QVERIFY(!client.openPacket().contains(QLatin1String("sid")));
        QCOMPARE(errors.size(), 1);
        QCOMPARE(errors.at(0).at(1).toInt(), 4);
        QCOMPARE(opened.size(), 0);
    }
}

void tst_ServerHooks::asyncAllowRequestClientGone()
{
    std::optional<HandshakeDecision> pending;
    m_server->engine()->setAllowRequestAsync(
        [&](const HttpRequest &, const HandshakeDecision &decision) { pending = decision; });
    {
        HttpTestClient http(m_port);
        http.get(PollHandshake);
        QTRY_VERIFY(pending.has_value());
    } // the client goes while its handshake waits
    // A later client's whole request: the server has seen the first one go by then (its close
    // came first, the loop reads every socket in each turn).
    HttpTestClient later(m_port);
    later.get("/elsewhere");
    QVERIFY(later.waitForResponses(1));
    QCOMPARE(later.response(0).status, 404);
    pending->allow(); // nobody to answer: no session, no crash
    QCOMPARE(m_server->engine()->sessionCount(), 0);
}

void tst_ServerHooks::asyncAllowRequestServerGone()
{
    std::optional<HandshakeDecision> pending;
    m_server->engine()->setAllowRequestAsync(
        [&](const HttpRequest &, const HandshakeDecision &decision) { pending = decision; });
    HttpTestClient http(m_port);
    http.get(PollHandshake);
    QTRY_VERIFY(pending.has_value());
    m_server.reset();
    pending->allow(); // the server is gone: nothing happens
    QVERIFY(http.waitForDisconnected(Timeout));
    QCOMPARE(http.responseCount(), 0);
}

void tst_ServerHooks::idGenerator_data()
{
    QTest::addColumn<QString>("transport");
    QTest::newRow("polling") << "polling";
    QTest::newRow("websocket") << "websocket";
}

void tst_ServerHooks::idGenerator()
{
    QFETCH(QString, transport);
    int n = 0;
    QByteArray seenPath;
    m_server->engine()->setIdGenerator([&](const HttpRequest &request) {
        seenPath = request.path.toUtf8();
        return QStringLiteral("node-1:session-%1").arg(++n);
    });
    QSignalSpy opened(m_server->engine(), &EngineServer::sessionOpened);
    QString sid;
    std::unique_ptr<RawClient> ws;
    std::unique_ptr<HttpTestClient> http;
    if (transport == QLatin1String("polling")) {
        http = std::make_unique<HttpTestClient>(m_port);
        http->get(PollHandshake);
        QVERIFY(http->waitForResponses(1));
        sid = openSid(http->response(0).body);
    } else {
        ws = std::make_unique<RawClient>(m_port);
        QVERIFY(ws->waitForOpen(Timeout));
        sid = ws->engineSid();
    }
    QCOMPARE(sid, QStringLiteral("node-1:session-1"));
    QCOMPARE(seenPath, QByteArray("/socket.io/"));
    QCOMPARE(opened.size(), 1);
    QCOMPARE(m_server->engine()->session(sid), opened.at(0).at(0).value<EngineSession *>());
    if (http) { // the session works under its custom id
        http->post(pollTarget(sid), "40");
        QVERIFY(http->waitForResponses(2));
        http->get(pollTarget(sid));
        QVERIFY(http->waitForResponses(3));
        QVERIFY(http->response(2).body.startsWith("40{\"sid\""));
    } else {
        QVERIFY(!joinNamespace(*ws, "/").isEmpty());
        QCOMPARE(m_server->mainNamespace()->sockets().first()->engineSessionId(), sid);
    }
}

void tst_ServerHooks::idGeneratorRefusals_data()
{
    QTest::addColumn<QString>("transport");
    QTest::addColumn<QString>("id");
    for (const char *transport : { "polling", "websocket" }) {
        QTest::addRow("%s empty", transport) << QString::fromLatin1(transport) << QString();
        QTest::addRow("%s space", transport) << QString::fromLatin1(transport) << QStringLiteral("a b");
        QTest::addRow("%s semicolon", transport) << QString::fromLatin1(transport) << QStringLiteral("a;b");
        QTest::addRow("%s too long", transport)
            << QString::fromLatin1(transport) << QString(129, QLatin1Char('a'));
        QTest::addRow("%s in use", transport) << QString::fromLatin1(transport) << QStringLiteral("same");
    }
}

void tst_ServerHooks::idGeneratorRefusals()
{
    QFETCH(QString, transport);
    QFETCH(QString, id);
    const bool inUse = id == QLatin1String("same");
    if (inUse) { // a first session takes the id
        m_server->engine()->setIdGenerator([](const HttpRequest &) { return QStringLiteral("same"); });
        HttpTestClient first(m_port);
        first.get(PollHandshake);
        QVERIFY(first.waitForResponses(1));
        QCOMPARE(openSid(first.response(0).body), QStringLiteral("same"));
    }
    m_server->engine()->setIdGenerator([id](const HttpRequest &) { return id; });
    QSignalSpy errors(m_server->engine(), &EngineServer::connectionError);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("session id generator")));
    if (transport == QLatin1String("polling")) {
        HttpTestClient http(m_port);
        http.get(PollHandshake);
        QVERIFY(http.waitForResponses(1));
        QCOMPARE(http.response(0).status, 400);
        QCOMPARE(http.response(0).body, QByteArray(R"({"code":3,"message":"Bad request"})"));
    } else {
        RawClient client(m_port);
        QVERIFY(client.waitForClosed(Timeout));
        QVERIFY(client.openPacket().isEmpty());
    }
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors.at(0).at(1).toInt(), 3);
    QCOMPARE(m_server->engine()->sessionCount(), inUse ? 1 : 0);
}

// --- Acks as futures, onAny family -----------------------------------------------------------

void tst_ServerHooks::emitWithAck_data()
{
    QTest::addColumn<QString>("ending"); // answered, timeout, disconnect, namespace removed, reserved
    QTest::newRow("answered") << "answered";
    QTest::newRow("timeout") << "timeout";
    QTest::newRow("client leaves") << "disconnect";
    QTest::newRow("namespace removed") << "removed";
    QTest::newRow("reserved name") << "reserved";
    QTest::newRow("not connected any more") << "closed";
}

void tst_ServerHooks::emitWithAck()
{
    QFETCH(QString, ending);
    m_server->of(QStringLiteral("/custom"));
    RawClient client(m_port);
    const QString id = joinNamespace(client, "/custom");
    QVERIFY(!id.isEmpty());
    Socket *socket = m_server->findNamespace(QStringLiteral("/custom"))->socket(id);
    QVERIFY(socket);
    EmitOptions options;
    if (ending == QLatin1String("timeout"))
        options.ackTimeout = 50ms;
    if (ending == QLatin1String("closed"))
        socket->close(); // deleted later: still valid until the loop runs
    if (ending == QLatin1String("reserved"))
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("reserved event name")));
    const QFuture<AckResult> future = socket->emitWithAck(
        ending == QLatin1String("reserved") ? QStringLiteral("disconnect") : QStringLiteral("ask"),
        { 1, QStringLiteral("two") }, options);
    if (ending == QLatin1String("reserved")) {
        QVERIFY(future.isCanceled());
        QVERIFY(future.isFinished());
        QCOMPARE(future.resultCount(), 0);
        return;
    }
    if (ending == QLatin1String("closed")) {
        QVERIFY(future.isFinished());
        QCOMPARE(future.result().status, AckStatus::Disconnected);
        QCOMPARE(client.nextText(), QByteArray("41/custom,")); // nothing asked after it
        QCOMPARE(client.pendingFrames(), 0);
        return;
    }
    const QByteArray asked = client.nextText();
    QVERIFY2(asked.startsWith("42/custom,"), asked.constData());
    QVERIFY(asked.endsWith(R"(["ask",1,"two"])"));
    const QByteArray ackId = asked.mid(10, asked.indexOf('[') - 10);
    if (ending != QLatin1String("timeout")) // that one may be over already on a busy machine
        QVERIFY(!future.isFinished());
    if (ending == QLatin1String("answered"))
        client.send("43/custom," + ackId + R"(["yes",{"n":2}])");
    else if (ending == QLatin1String("disconnect"))
        client.send("41/custom,");
    else if (ending == QLatin1String("removed"))
        QVERIFY(m_server->removeNamespace(QStringLiteral("/custom")));
    QVERIFY(waitFinished(future));
    QVERIFY(!future.isCanceled());
    const AckResult result = future.result();
    if (ending == QLatin1String("answered")) {
        QCOMPARE(result.status, AckStatus::Received);
        QVERIFY(result.isReceived());
        QCOMPARE(QJsonValue::fromVariant(result.args),
                 QJsonValue(QJsonDocument::fromJson(R"(["yes",{"n":2}])").array()));
    } else if (ending == QLatin1String("timeout")) {
        QCOMPARE(result.status, AckStatus::TimedOut);
    } else {
        QCOMPARE(result.status, AckStatus::Disconnected);
        QVERIFY(result.args.isEmpty());
    }
}

void tst_ServerHooks::emitWithAckContinuationThread()
{
    // then(context, ...) runs in the context's thread.
    RawClient client(m_port);
    const QString id = joinNamespace(client, "/");
    Socket *socket = m_server->mainNamespace()->socket(id);
    QVERIFY(socket);
    QThread worker;
    worker.start();
    QObject receiver;
    receiver.moveToThread(&worker);
    std::atomic<QThread *> ranIn{ nullptr };
    std::atomic<int> answer{ 0 };
    socket->emitWithAck(QStringLiteral("ask")).then(&receiver, [&](const AckResult &result) {
        answer = result.args.value(0).toInt();
        ranIn = QThread::currentThread();
    });
    const QByteArray asked = client.nextText();
    QVERIFY(asked.startsWith("42"));
    client.send("43" + asked.mid(2, asked.indexOf('[') - 2) + "[42]");
    QTRY_COMPARE(answer.load(), 42);
    QCOMPARE(ranIn.load(), &worker);
    worker.quit();
    QVERIFY(worker.wait(Timeout));
}

void tst_ServerHooks::emitWithAckFromHandleInOtherThread()
{
    RawClient client(m_port);
    const QString id = joinNamespace(client, "/");
    Socket *socket = m_server->mainNamespace()->socket(id);
    QVERIFY(socket);
    const SocketHandle handle = socket->handle();
    QFuture<AckResult> future;
    std::unique_ptr<QThread> thread(
        QThread::create([&] { future = handle.emitWithAck(QStringLiteral("ask")); }));
    thread->start();
    QVERIFY(thread->wait(Timeout));
    const QByteArray asked = client.nextText();
    QVERIFY(asked.startsWith("42"));
    client.send("43" + asked.mid(2, asked.indexOf('[') - 2) + R"(["from", "client"])");
    QVERIFY(waitFinished(future));
    QCOMPARE(future.result().status, AckStatus::Received);
    QCOMPARE(future.result().args, (QVariantList{ QStringLiteral("from"), QStringLiteral("client") }));

    // A handle whose socket is gone: Disconnected.
    client.send("41");
    QTRY_COMPARE(m_server->mainNamespace()->socketCount(), 0);
    const QFuture<AckResult> late = handle.emitWithAck(QStringLiteral("ask"));
    QVERIFY(waitFinished(late));
    QCOMPARE(late.result().status, AckStatus::Disconnected);
}

void tst_ServerHooks::emitWithAckServerDestroyed()
{
    RawClient client(m_port);
    const QString id = joinNamespace(client, "/");
    Socket *socket = m_server->mainNamespace()->socket(id);
    QVERIFY(socket);
    const QFuture<AckResult> single = socket->emitWithAck(QStringLiteral("ask"));
    const QFuture<BroadcastAckResult> all =
        m_server->mainNamespace()->all().emitWithAck(QStringLiteral("ask"));
    const Broadcast kept = m_server->mainNamespace()->all();
    QVERIFY(client.nextText().startsWith("420[")); // both asked
    QVERIFY(client.nextText().startsWith("42"));
    m_server.reset();
    QVERIFY(single.isFinished());
    QCOMPARE(single.result().status, AckStatus::Disconnected);
    QVERIFY(waitFinished(all));
    QCOMPARE(all.result().status, AckStatus::Received); // nobody left to answer
    QVERIFY(all.result().replies.isEmpty());
    // A Broadcast kept past its server: a future that finishes with Disconnected.
    const QFuture<BroadcastAckResult> orphan = kept.emitWithAck(QStringLiteral("ask"));
    QVERIFY(orphan.isFinished());
    QCOMPARE(orphan.result().status, AckStatus::Disconnected);
}

void tst_ServerHooks::broadcastEmitWithAck_data()
{
    QTest::addColumn<bool>("secondAnswers");
    QTest::newRow("all answer") << true;
    QTest::newRow("one times out") << false;
}

void tst_ServerHooks::broadcastEmitWithAck()
{
    QFETCH(bool, secondAnswers);
    RawClient a(m_port);
    RawClient b(m_port);
    QVERIFY(!joinNamespace(a, "/").isEmpty());
    QVERIFY(!joinNamespace(b, "/").isEmpty());
    Broadcast target = m_server->mainNamespace()->all();
    if (!secondAnswers)
        target = target.timeout(200ms);
    const QFuture<BroadcastAckResult> future = target.emitWithAck(QStringLiteral("vote"), { 7 });
    const QByteArray askedA = a.nextText();
    const QByteArray askedB = b.nextText();
    QVERIFY2(askedA.endsWith(R"(["vote",7])"), askedA.constData());
    QCOMPARE(askedB, askedA); // one packet, encoded once, the same ack id
    const QByteArray ackId = askedA.mid(2, askedA.indexOf('[') - 2);
    a.send("43" + ackId + R"(["a"])");
    if (secondAnswers)
        b.send("43" + ackId + R"(["b"])");
    QVERIFY(waitFinished(future));
    const BroadcastAckResult result = future.result();
    if (secondAnswers) {
        QCOMPARE(result.status, AckStatus::Received);
        QCOMPARE(result.replies.size(), 2);
        QVERIFY(result.replies.contains(QVariantList{ QStringLiteral("a") }));
        QVERIFY(result.replies.contains(QVariantList{ QStringLiteral("b") }));
    } else {
        QCOMPARE(result.status, AckStatus::TimedOut);
        QCOMPARE(result.replies, QList<QVariantList>{ QVariantList{ QStringLiteral("a") } });
    }

    // Nobody in the room: at once, no replies (socket.io resolves with []).
    const QFuture<BroadcastAckResult> empty =
        m_server->mainNamespace()->to(QStringLiteral("nobody")).emitWithAck(QStringLiteral("vote"));
    QVERIFY(waitFinished(empty));
    QCOMPARE(empty.result().status, AckStatus::Received);
    QVERIFY(empty.result().replies.isEmpty());
}

void tst_ServerHooks::broadcastEmitWithAckNamespaceRemoved()
{
    m_server->of(QStringLiteral("/custom"));
    RawClient client(m_port);
    QVERIFY(!joinNamespace(client, "/custom").isEmpty());
    const QFuture<BroadcastAckResult> future =
        m_server->findNamespace(QStringLiteral("/custom"))->all().emitWithAck(QStringLiteral("ask"));
    QVERIFY(client.nextText().startsWith("42/custom,"));
    QVERIFY(m_server->removeNamespace(QStringLiteral("/custom")));
    QVERIFY(waitFinished(future));
    // Its one recipient left without answering: nobody is waited for any more.
    QCOMPARE(future.result().status, AckStatus::Received);
    QVERIFY(future.result().replies.isEmpty());
}

void tst_ServerHooks::broadcastEmitWithAckFromOtherThread()
{
    RawClient client(m_port);
    QVERIFY(!joinNamespace(client, "/").isEmpty());
    const Broadcast target = m_server->mainNamespace()->all();
    QFuture<BroadcastAckResult> future;
    std::unique_ptr<QThread> thread(
        QThread::create([&] { future = target.emitWithAck(QStringLiteral("vote"), { 1 }); }));
    thread->start();
    QVERIFY(thread->wait(Timeout));
    const QByteArray asked = client.nextText(); // queued to the server's thread, then sent
    QVERIFY2(asked.endsWith(R"(["vote",1])"), asked.constData());
    client.send("43" + asked.mid(2, asked.indexOf('[') - 2) + R"(["yes"])");
    QVERIFY(waitFinished(future));
    QCOMPARE(future.result().status, AckStatus::Received);
    QCOMPARE(future.result().replies, QList<QVariantList>{ QVariantList{ QStringLiteral("yes") } });
}

void tst_ServerHooks::prependAndOffAny()
{
    RawClient client(m_port);
    const QString id = joinNamespace(client, "/");
    Socket *socket = m_server->mainNamespace()->socket(id);
    QVERIFY(socket);
    QStringList calls;
    const qint64 first = socket->onAny(this, [&](const QString &event, const QVariantList &) {
        calls.append(QStringLiteral("first:") + event);
    });
    const qint64 second = socket->prependAny(nullptr, [&](const QString &event, const QVariantList &) {
        calls.append(QStringLiteral("prepended:") + event);
    });
    qint64 selfRemoving = 0;
    selfRemoving = socket->onAny(nullptr, [&](const QString &event, const QVariantList &) {
        calls.append(QStringLiteral("once:") + event);
        socket->offAny(selfRemoving); // removing itself while called
    });
    QVERIFY(first > 0 && second > 0 && first != second && selfRemoving > second);
    QStringList outgoing;
    const qint64 out1 = socket->onAnyOutgoing(nullptr, [&](const QString &event, const QVariantList &) {
        outgoing.append(QStringLiteral("out:") + event);
    });
    socket->prependAnyOutgoing(nullptr, [&](const QString &event, const QVariantList &) {
        outgoing.append(QStringLiteral("pre-out:") + event);
    });

    client.send(R"(42["e1"])");
    QTRY_COMPARE(calls,
                 (QStringList{ QStringLiteral("prepended:e1"), QStringLiteral("first:e1"),
                               QStringLiteral("once:e1") }));
    socket->offAny(second);
    client.send(R"(42["e2"])");
    QTRY_COMPARE(calls.size(), 4);
    QCOMPARE(calls.last(), QStringLiteral("first:e2"));
    socket->offAny();
    bool synced = false;
    socket->on(QStringLiteral("sync"), this, [&](const QVariantList &, const Ack &) { synced = true; });
    client.send(R"(42["e3"])");
    client.send(R"(42["sync"])"); // handled after e3
    QTRY_VERIFY(synced);
    socket->emitEvent(QStringLiteral("marker"));
    QCOMPARE(client.nextText(), QByteArray(R"(42["marker"])"));
    QCOMPARE(outgoing, (QStringList{ QStringLiteral("pre-out:marker"), QStringLiteral("out:marker") }));
    socket->offAnyOutgoing(out1);
    socket->emitEvent(QStringLiteral("m2"));
    QCOMPARE(client.nextText(), QByteArray(R"(42["m2"])"));
    QCOMPARE(outgoing.last(), QStringLiteral("pre-out:m2"));
    socket->offAnyOutgoing();
    socket->emitEvent(QStringLiteral("m3"));
    QCOMPARE(client.nextText(), QByteArray(R"(42["m3"])"));
    QCOMPARE(outgoing.size(), 3);
    QCOMPARE(calls.size(), 4); // e3 reached no handler
}

QTEST_GUILESS_MAIN(tst_ServerHooks)
#include "tst_serverhooks.moc"
