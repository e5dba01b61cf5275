// SPDX-License-Identifier: MIT
//
// Loopback test of EngineServer's HTTP front end: keep-alive, pipelining, unknown paths, the
// application's request handler and QTcpServer, chunked bodies, size limits (POST, WebSocket
// message, header), CORS, the sid cookie, compression, allowRequest and malformed requests.
// No conformance case of docs/conformance.md is here: those are in tst_engine_polling and
// tst_engine_websocket.

#include "enginefixture.h"

class tst_EngineHttp : public EngineFixture
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { EngineFixture::initTestCase(); }
    void cleanup() { EngineFixture::cleanup(); }

    void keepAlive();
    void pipelining();
    void unknownPath_data();
    void unknownPath();
    void customRequestHandler();
    void bindExternalServer();
    void acceptedSocketsNoDelay();
    void chunkedPost();
    void postTooLarge_data();
    void postTooLarge();
    void websocketMessageTooLarge_data();
    void websocketMessageTooLarge();
    void cors_data();
    void cors();
    void corsPreflightOptions();
    void cookie_data();
    void cookie();
    void compression_data();
    void compression();
    void allowRequestRefuses_data();
    void allowRequestRefuses();
    void allowRequestAccepts();
    void allowRequestWebSocket();
    void malformedHttpRequest_data();
    void malformedHttpRequest();
    void headerTooLarge_data();
    void headerTooLarge();
};

// ---- HTTP front end -------------------------------------------------------------------------

void tst_EngineHttp::keepAlive()
{
    QVERIFY(startServer(quietOptions()));
    HttpTestClient client(m_port);
    client.get(HandshakeTarget);
    QVERIFY(client.waitForResponses(1));
    const HttpTestResponse first = client.response(0);
    QCOMPARE(first.status, 200);
    QVERIFY(first.header("connection").toLower() != "close");
    const QString sid = parseJsonObject(first.body.mid(1)).value(QLatin1String("sid")).toString();
    QVERIFY(!sid.isEmpty());

    // Same TCP connection: a POST, then a GET, then another handshake.
    client.post(pollTarget(sid), "4again");
    QVERIFY(client.waitForResponses(2));
    QCOMPARE(client.response(1).status, 200);
    QCOMPARE(client.response(1).body, QByteArray("ok"));
    client.get(pollTarget(sid));
    QVERIFY(client.waitForResponses(3));
    QCOMPARE(client.response(2).status, 200);
    QCOMPARE(client.response(2).body, QByteArray("4again"));
    client.get(HandshakeTarget);
    QVERIFY(client.waitForResponses(4));
    QCOMPARE(client.response(3).status, 200);
    QVERIFY(client.response(3).body.startsWith('0'));
    QVERIFY(client.response(3).body != first.body);

    QVERIFY(!client.isDisconnected());
    QCOMPARE(client.connectedCount(), 1);
    QCOMPARE(m_server->sessionCount(), 2);
}

void tst_EngineHttp::pipelining()
{
    QVERIFY(startServer(quietOptions()));
    const QString sid = handshake();
    QVERIFY(!sid.isEmpty());

    // A POST and a GET in one write: answered in order.
    HttpTestClient client(m_port);
    client.sendRaw(client.buildRequest("POST", pollTarget(sid), "4piped")
                   + client.buildRequest("GET", pollTarget(sid)));
    QVERIFY(client.waitForResponses(2));
    QCOMPARE(client.response(0).status, 200);
    QCOMPARE(client.response(0).body, QByteArray("ok"));
    QCOMPARE(client.response(1).status, 200);
    QCOMPARE(client.response(1).body, QByteArray("4piped"));

    // Two handshakes in one write: two sessions, answered in order.
    HttpTestClient twice(m_port);
    twice.sendRaw(twice.buildRequest("GET", HandshakeTarget) + twice.buildRequest("GET", HandshakeTarget));
    QVERIFY(twice.waitForResponses(2));
    QCOMPARE(twice.response(0).status, 200);
    QCOMPARE(twice.response(1).status, 200);
    const QString a = parseJsonObject(twice.response(0).body.mid(1)).value(QLatin1String("sid")).toString();
    const QString b = parseJsonObject(twice.response(1).body.mid(1)).value(QLatin1String("sid")).toString();
    QVERIFY(!a.isEmpty());
    QVERIFY(!b.isEmpty());
    QVERIFY(a != b);
    QStringList opened = m_opened; // (emitting sessionOpened once is checked in pollingHandshake)
    opened.removeDuplicates();
    QCOMPARE(opened, QStringList({ sid, a, b }));

    // Pipelined after an error: the first answer is 400, the second still comes.
    HttpTestClient mixed(m_port);
    mixed.sendRaw(mixed.buildRequest("GET", "/engine.io/?EIO=4&transport=flash")
                  + mixed.buildRequest("GET", HandshakeTarget));
    QVERIFY(mixed.waitForResponses(2));
    QCOMPARE(mixed.response(0).status, 400);
    QCOMPARE(mixed.response(1).status, 200);
}

void tst_EngineHttp::unknownPath_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::newRow("root") << QByteArray("/");
    QTest::newRow("file") << QByteArray("/index.html");
    QTest::newRow("other path with engine query") << QByteArray("/socket.io/?EIO=4&transport=polling");
    QTest::newRow("path prefix without slash") << QByteArray("/engine.iox/?EIO=4&transport=polling");
}

void tst_EngineHttp::unknownPath()
{
    QFETCH(QByteArray, target);
    QVERIFY(startServer(quietOptions()));
    const HttpTestResponse r = request("GET", target);
    QCOMPARE(r.status, 404);
    QCOMPARE(m_server->sessionCount(), 0);
}

void tst_EngineHttp::bindExternalServer()
{
    // bind(): the application owns and configures the QTcpServer, the engine serves it.
    QTcpServer external;
    QVERIFY(external.listen(QHostAddress::LocalHost, 0));
    EngineServer engine(quietOptions());
    QVERIFY(!engine.bind(nullptr));
    QVERIFY(engine.bind(&external));
    QSignalSpy opened(&engine, &EngineServer::sessionOpened);
    HttpTestClient client(external.serverPort());
    client.get("/engine.io/?EIO=4&transport=polling");
    QVERIFY(client.waitForResponses(1));
    QCOMPARE(client.response().status, 200);
    QVERIFY(client.response().body.startsWith("0{\"sid\":"));
    QCOMPARE(opened.size(), 1);
    // close() lets go of the bound server: new connections are no longer served.
    engine.close();
    QCOMPARE(engine.sessionCount(), 0);
    QVERIFY(external.isListening());
}

namespace {
// Keeps a pointer to every socket it accepts, to look at them once the engine has them.
class RecordingTcpServer : public QTcpServer
{
public:
    QList<QPointer<QTcpSocket>> accepted;

protected:
    void incomingConnection(qintptr descriptor) override
    {
        auto *socket = new QTcpSocket(this);
        if (!socket->setSocketDescriptor(descriptor)) {
            delete socket;
            return;
        }
        accepted.append(socket);
        addPendingConnection(socket);
    }
};
} // namespace

// Every accepted connection has TCP_NODELAY, as node's http server and ws set it: with Nagle's
// algorithm a small frame (an ack) waited for the client's delayed ACK of the previous one, up
// to 40 ms on Linux (issue 15's stalled-reader soak: the bystander's echo took 42-44 ms).
void tst_EngineHttp::acceptedSocketsNoDelay()
{
    RecordingTcpServer external;
    QVERIFY(external.listen(QHostAddress::LocalHost, 0));
    EngineServer engine(quietOptions());
    QVERIFY(engine.bind(&external));
    HttpTestClient client(external.serverPort());
    client.get("/engine.io/?EIO=4&transport=polling");
    QVERIFY(client.waitForResponses(1));
    QCOMPARE(client.response().status, 200);
    QCOMPARE(external.accepted.size(), 1);
    QTcpSocket *accepted = external.accepted.constFirst();
    QVERIFY(accepted); // the engine owns it now; still open (keep-alive)
    // socketOption() asks the kernel (getsockopt), not a cached value.
    QCOMPARE(accepted->socketOption(QAbstractSocket::LowDelayOption).toInt(), 1);
}

void tst_EngineHttp::customRequestHandler()
{
    QVERIFY(startServer(quietOptions()));
    QList<HttpRequest> seen;
    m_server->setRequestHandler([&seen](const HttpRequest &request) {
        seen.append(request);
        if (request.path == QLatin1String("/hello")) {
            HttpResponse response = HttpResponse::text(200, "hello from the handler");
            response.headers.emplaceBack("X-Handler", "yes");
            return response;
        }
        if (request.path == QLatin1String("/submit"))
            return HttpResponse::text(201, "got " + request.body, "application/octet-stream");
        return HttpResponse::text(404, "nothing here");
    });

    HttpResponse plain = HttpResponse::text(200, "x");
    QCOMPARE(plain.status, 200);
    QCOMPARE(plain.body, QByteArray("x"));

    const HttpTestResponse hello = request("GET", "/hello?a=1&b=two%20words", {}, { { "X-Test", "abc" } });
    QCOMPARE(hello.status, 200);
    QCOMPARE(hello.body, QByteArray("hello from the handler"));
    QCOMPARE(hello.header("x-handler"), QByteArray("yes"));
    QCOMPARE(hello.header("content-type"), QByteArray("text/plain; charset=UTF-8"));
    QCOMPARE(hello.header("content-length"), QByteArray::number(hello.body.size()));
    QCOMPARE(seen.size(), 1);
    QCOMPARE(seen.at(0).method, QByteArray("GET"));
    QCOMPARE(seen.at(0).path, QStringLiteral("/hello"));
    QCOMPARE(seen.at(0).target, QByteArray("/hello?a=1&b=two%20words"));
    QCOMPARE(seen.at(0).query.queryItemValue(QStringLiteral("a")), QStringLiteral("1"));
    QCOMPARE(seen.at(0).query.queryItemValue(QStringLiteral("b"), QUrl::FullyDecoded),
             QStringLiteral("two words"));
    QCOMPARE(seen.at(0).header("x-test"), QByteArray("abc"));
    QCOMPARE(seen.at(0).remoteAddress, QHostAddress(QHostAddress::LocalHost));

    const HttpTestResponse submit = request("POST", "/submit", "payload bytes");
    QCOMPARE(submit.status, 201);
    QCOMPARE(submit.body, QByteArray("got payload bytes"));
    QCOMPARE(submit.header("content-type"), QByteArray("application/octet-stream"));
    QCOMPARE(seen.size(), 2);
    QCOMPARE(seen.at(1).body, QByteArray("payload bytes"));

    const HttpTestResponse missing = request("GET", "/missing");
    QCOMPARE(missing.status, 404);
    QCOMPARE(missing.body, QByteArray("nothing here"));

    // The Engine.IO path is not the handler's.
    QVERIFY(!handshake().isEmpty());
    QCOMPARE(seen.size(), 3);
}

void tst_EngineHttp::chunkedPost()
{
    QVERIFY(startServer(quietOptions()));
    const QString sid = handshake();
    QVERIFY(!sid.isEmpty());

    const QByteArray chunked = "4\r\n4hel\r\n"
                               "7\r\nlo\x1e"
                               "4wor\r\n"
                               "2;ext=1\r\nld\r\n"
                               "0\r\n\r\n";
    const HttpTestResponse posted =
        request("POST", pollTarget(sid), chunked, { { "Transfer-Encoding", "chunked" } });
    QCOMPARE(posted.status, 200);
    QCOMPARE(posted.body, QByteArray("ok"));
    const HttpTestResponse polled = get(sid);
    QCOMPARE(polled.status, 200);
    QCOMPARE(polled.body, payload({ "4hello", "4world" }));
}

void tst_EngineHttp::postTooLarge_data()
{
    QTest::addColumn<qint64>("limit");
    QTest::addColumn<bool>("chunked");
    QTest::newRow("limit 1000, Content-Length") << qint64(1000) << false;
    QTest::newRow("limit 1000, chunked") << qint64(1000) << true;
    QTest::newRow("limit 1000000, Content-Length") << qint64(1000000) << false;
}

void tst_EngineHttp::postTooLarge()
{
    QFETCH(qint64, limit);
    QFETCH(bool, chunked);
    EngineOptions options = quietOptions();
    options.maxHttpBufferSize = limit;
    QVERIFY(startServer(options));
    const QString sid = handshake();
    QVERIFY(!sid.isEmpty());

    // At the limit: accepted.
    const QByteArray atLimit = "4" + QByteArray(limit - 1, 'a');
    QCOMPARE(post(sid, atLimit).status, 200);
    const HttpTestResponse echoed = get(sid);
    QCOMPARE(echoed.status, 200);
    QCOMPARE(echoed.body.size(), atLimit.size());

    // Over it (by more than one byte, whether the type digit counts or not): 413.
    const QByteArray tooLarge = "4" + QByteArray(limit + 1, 'b');
    HttpTestClient client(m_port);
    if (chunked) {
        QByteArray body;
        for (qsizetype at = 0; at < tooLarge.size(); at += 300) {
            const QByteArray part = tooLarge.mid(at, 300);
            body += QByteArray::number(part.size(), 16) + "\r\n" + part + "\r\n";
        }
        body += "0\r\n\r\n";
        client.sendRequest("POST", pollTarget(sid), body, { { "Transfer-Encoding", "chunked" } });
    } else {
        client.post(pollTarget(sid), tooLarge);
    }
    QTRY_VERIFY_WITH_TIMEOUT(client.responseCount() > 0 || client.isDisconnected(), Timeout);
    QVERIFY2(client.responseCount() > 0, "no response to an oversized POST");
    QCOMPARE(client.response(0).status, 413);

    QTRY_VERIFY_WITH_TIMEOUT(serverClosed(sid).has_value(), Timeout);
    QCOMPARE(serverClosed(sid)->reason, CloseReason::TransportError);
    QVERIFY(!serverClosed(sid)->description.isEmpty()); // say why
    verifyEngineError(get(sid), 400, 1);
}

void tst_EngineHttp::websocketMessageTooLarge_data()
{
    QTest::addColumn<bool>("binary");
    QTest::newRow("text") << false;
    QTest::newRow("binary") << true;
}

void tst_EngineHttp::websocketMessageTooLarge()
{
    QFETCH(bool, binary);
    EngineOptions options = quietOptions();
    options.maxHttpBufferSize = 1000;
    QVERIFY(startServer(options));
    std::unique_ptr<WsTestClient> ws;
    QString sid;
    openWebSocket(&ws, &sid);
    if (QTest::currentTestFailed())
        return;

    // Within the limit: echoed.
    if (binary)
        ws->sendBinary(QByteArray(999, 'a'));
    else
        ws->sendText("4" + QByteArray(999, 'a'));
    QTRY_COMPARE_WITH_TIMEOUT(ws->frames().size(), 2, Timeout);
    QCOMPARE(ws->frames().at(1).data.size(), binary ? 999 : 1000);

    // Over it: the connection closes.
    if (binary)
        ws->sendBinary(QByteArray(1002, 'b'));
    else
        ws->sendText("4" + QByteArray(1001, 'b'));
    QTRY_VERIFY_WITH_TIMEOUT(ws->hasEnded(), Timeout);
    QCOMPARE(ws->frames().size(), 2);
    QTRY_VERIFY_WITH_TIMEOUT(serverClosed(sid).has_value(), Timeout);
    QCOMPARE(serverClosed(sid)->reason, CloseReason::TransportError);
    QVERIFY(!serverClosed(sid)->description.isEmpty());
}

void tst_EngineHttp::cors_data()
{
    QTest::addColumn<QStringList>("origins");
    QTest::addColumn<bool>("credentials");
    QTest::addColumn<QByteArray>("origin");
    QTest::addColumn<QByteArray>("allowOrigin"); // empty: no Access-Control-Allow-Origin

    const QStringList exact{ QStringLiteral("https://example.com") };
    const QStringList any{ QStringLiteral("*") };
    QTest::newRow("exact origin") << exact << false << QByteArray("https://example.com")
                                  << QByteArray("https://example.com");
    QTest::newRow("exact origin, other origin")
        << exact << false << QByteArray("https://evil.example") << QByteArray();
    QTest::newRow("exact origin, credentials")
        << exact << true << QByteArray("https://example.com") << QByteArray("https://example.com");
    QTest::newRow("wildcard") << any << false << QByteArray("https://anything.test") << QByteArray("*");
    QTest::newRow("wildcard, credentials echo the origin")
        << any << true << QByteArray("https://anything.test") << QByteArray("https://anything.test");
    QTest::newRow("cors disabled") << QStringList() << false << QByteArray("https://example.com")
                                   << QByteArray();
}

void tst_EngineHttp::cors()
{
    QFETCH(QStringList, origins);
    QFETCH(bool, credentials);
    QFETCH(QByteArray, origin);
    QFETCH(QByteArray, allowOrigin);
    EngineOptions options = quietOptions();
    options.cors.origins = origins;
    options.cors.credentials = credentials;
    QVERIFY(startServer(options));

    const bool allowed = !allowOrigin.isEmpty();
    auto verifyCorsHeaders = [&](const HttpTestResponse &r) {
        QCOMPARE(r.header("access-control-allow-origin"), allowOrigin);
        QCOMPARE(r.hasHeader("access-control-allow-origin"), allowed);
        if (allowed && credentials)
            QCOMPARE(r.header("access-control-allow-credentials"), QByteArray("true"));
        else
            QVERIFY(!r.hasHeader("access-control-allow-credentials"));
    };
    const HttpTestClient::Headers withOrigin{ { "Origin", origin } };

    // The handshake.
    HttpTestResponse open;
    const QString sid = handshake(withOrigin, &open);
    QVERIFY(!sid.isEmpty());
    verifyCorsHeaders(open);
    if (QTest::currentTestFailed())
        return;

    // A POST and a GET of the session.
    const HttpTestResponse posted = post(sid, "4cors", withOrigin);
    QCOMPARE(posted.status, 200);
    verifyCorsHeaders(posted);
    if (QTest::currentTestFailed())
        return;
    const HttpTestResponse polled = get(sid, withOrigin);
    QCOMPARE(polled.body, QByteArray("4cors"));
    verifyCorsHeaders(polled);
    if (QTest::currentTestFailed())
        return;

    // Error responses carry them too.
    const HttpTestResponse error = request("GET", "/engine.io/?EIO=4&transport=flash", {}, withOrigin);
    QCOMPARE(error.status, 400);
    verifyCorsHeaders(error);
    if (QTest::currentTestFailed())
        return;

    // The preflight.
    if (origins.isEmpty())
        return;
    const HttpTestResponse preflight =
        request("OPTIONS", HandshakeTarget, {},
                { { "Origin", origin },
                  { "Access-Control-Request-Method", "POST" },
                  { "Access-Control-Request-Headers", "content-type,x-custom" } });
    if (!allowed) {
        QVERIFY(!preflight.hasHeader("access-control-allow-origin"));
        return;
    }
    QCOMPARE(preflight.status, 204);
    verifyCorsHeaders(preflight);
    if (QTest::currentTestFailed())
        return;
    const QByteArrayList methods = headerTokens(preflight.header("access-control-allow-methods"));
    QVERIFY2(methods.contains("get") && methods.contains("post"),
             preflight.header("access-control-allow-methods").constData());
    const QByteArrayList allowHeaders = headerTokens(preflight.header("access-control-allow-headers"));
    QVERIFY2(allowHeaders.contains("content-type") && allowHeaders.contains("x-custom"),
             preflight.header("access-control-allow-headers").constData());
    QCOMPARE(m_server->sessionCount(), 1); // a preflight opens no session
}

void tst_EngineHttp::corsPreflightOptions()
{
    EngineOptions options = quietOptions();
    options.cors.origins = { QStringLiteral("https://example.com") };
    options.cors.allowedHeaders = { "X-Foo", "Content-Type" };
    options.cors.maxAge = std::chrono::seconds(600);
    QVERIFY(startServer(options));

    const HttpTestResponse preflight = request("OPTIONS", HandshakeTarget, {},
                                               { { "Origin", "https://example.com" },
                                                 { "Access-Control-Request-Method", "POST" },
                                                 { "Access-Control-Request-Headers", "x-other" } });
    QCOMPARE(preflight.status, 204);
    QCOMPARE(preflight.header("access-control-allow-origin"), QByteArray("https://example.com"));
    QCOMPARE(headerTokens(preflight.header("access-control-allow-headers")),
             QByteArrayList({ "x-foo", "content-type" }));
    QCOMPARE(preflight.header("access-control-max-age"), QByteArray("600"));
}

void tst_EngineHttp::cookie_data()
{
    QTest::addColumn<bool>("enabled");
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<bool>("httpOnly");
    QTest::addColumn<QByteArray>("sameSite");
    QTest::addColumn<QByteArray>("expected"); // %1 is the sid
    QTest::newRow("off by default") << false << QByteArray() << QByteArray() << false << QByteArray()
                                    << QByteArray();
    QTest::newRow("defaults") << true << QByteArray("io") << QByteArray("/") << true << QByteArray("Lax")
                              << QByteArray("io=%1; Path=/; HttpOnly; SameSite=Lax");
    QTest::newRow("custom") << true << QByteArray("sticky") << QByteArray("/app") << false
                            << QByteArray("Strict") << QByteArray("sticky=%1; Path=/app; SameSite=Strict");
}

void tst_EngineHttp::cookie()
{
    QFETCH(bool, enabled);
    QFETCH(QByteArray, name);
    QFETCH(QByteArray, path);
    QFETCH(bool, httpOnly);
    QFETCH(QByteArray, sameSite);
    QFETCH(QByteArray, expected);
    EngineOptions options = quietOptions();
    if (enabled) {
        CookieOptions cookie;
        cookie.name = name;
        cookie.path = path;
        cookie.httpOnly = httpOnly;
        cookie.sameSite = sameSite;
        options.cookie = cookie;
    }
    QVERIFY(startServer(options));

    HttpTestResponse open;
    const QString sid = handshake({}, &open);
    QVERIFY(!sid.isEmpty());
    if (!enabled) {
        QVERIFY(!open.hasHeader("set-cookie"));
        return;
    }
    QCOMPARE(open.headerValues("set-cookie"),
             QByteArrayList({ QString::fromLatin1(expected).arg(sid).toUtf8() }));
}

void tst_EngineHttp::compression_data()
{
    QTest::addColumn<bool>("enabled");
    QTest::addColumn<QByteArray>("acceptEncoding");
    QTest::addColumn<int>("size");
    QTest::addColumn<QByteArray>("expectedEncoding"); // empty: identity
    QTest::newRow("gzip, large") << true << QByteArray("gzip") << 4000 << QByteArray("gzip");
    QTest::newRow("gzip, small") << true << QByteArray("gzip") << 100 << QByteArray();
    QTest::newRow("gzip, deflate, br: gzip")
        << true << QByteArray("gzip, deflate, br") << 4000 << QByteArray("gzip");
    QTest::newRow("deflate, large") << true << QByteArray("deflate") << 4000 << QByteArray("deflate");
    QTest::newRow("not accepted") << true << QByteArray() << 4000 << QByteArray();
    QTest::newRow("identity only") << true << QByteArray("identity") << 4000 << QByteArray();
    QTest::newRow("httpCompression off") << false << QByteArray("gzip") << 4000 << QByteArray();
}

void tst_EngineHttp::compression()
{
    QFETCH(bool, enabled);
    QFETCH(QByteArray, acceptEncoding);
    QFETCH(int, size);
    QFETCH(QByteArray, expectedEncoding);
    EngineOptions options = quietOptions();
    options.httpCompression = enabled;
    QVERIFY(startServer(options));
    const QString sid = handshake();
    QVERIFY(!sid.isEmpty());

    QByteArray message = "4";
    for (int i = 0; message.size() < size + 1; ++i)
        message += "message " + QByteArray::number(i) + ' ';
    message.truncate(size + 1);
    QCOMPARE(post(sid, message).status, 200);

    HttpTestClient::Headers headers;
    if (!acceptEncoding.isEmpty())
        headers.append({ "Accept-Encoding", acceptEncoding });
    const HttpTestResponse r = get(sid, headers);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("content-type"), QByteArray("text/plain; charset=UTF-8"));
    QCOMPARE(r.header("content-encoding"), expectedEncoding);
    if (expectedEncoding.isEmpty()) {
        QCOMPARE(r.body, message);
        return;
    }
    QVERIFY(r.body.size() < message.size());
    std::optional<QByteArray> inflated;
    if (expectedEncoding == "gzip") {
        QVERIFY(r.body.startsWith("\x1f\x8b"));
        inflated = inflateBody(r.body, 16 + MAX_WBITS);
    } else {
        inflated = inflateBody(r.body, MAX_WBITS); // HTTP "deflate" is the zlib format
    }
    QVERIFY2(inflated.has_value(), "the body does not decompress");
    QCOMPARE(*inflated, message);
}

void tst_EngineHttp::allowRequestRefuses_data()
{
    QTest::addColumn<QString>("reason");
    QTest::addColumn<QString>("expectedMessage");
    QTest::newRow("no message") << QString() << QStringLiteral("Forbidden");
    QTest::newRow("custom message") << QStringLiteral("not today") << QStringLiteral("not today");
}

void tst_EngineHttp::allowRequestRefuses()
{
    QFETCH(QString, reason);
    QFETCH(QString, expectedMessage);
    QVERIFY(startServer(quietOptions()));
    QList<HttpRequest> asked;
    m_server->setAllowRequest([&](const HttpRequest &request, QString *message) {
        asked.append(request);
        if (!reason.isEmpty() && message)
            *message = reason;
        return false;
    });

    const HttpTestResponse r = request("GET", HandshakeTarget, {}, { { "X-Token", "wrong" } });
    verifyEngineError(r, 403, 4, expectedMessage);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(asked.size(), 1);
    QCOMPARE(asked.at(0).method, QByteArray("GET"));
    QCOMPARE(asked.at(0).query.queryItemValue(QStringLiteral("transport")), QStringLiteral("polling"));
    QCOMPARE(asked.at(0).header("x-token"), QByteArray("wrong"));
    QVERIFY(m_opened.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(m_connectionErrors.size(), 1, Timeout);
    QCOMPARE(m_connectionErrors.first().first, 4);
}

void tst_EngineHttp::allowRequestAccepts()
{
    QVERIFY(startServer(quietOptions()));
    int calls = 0;
    m_server->setAllowRequest([&calls](const HttpRequest &request, QString *) {
        ++calls;
        return request.header("x-token") == "secret";
    });

    QCOMPARE(request("GET", HandshakeTarget, {}, { { "X-Token", "wrong" } }).status, 403);
    QCOMPARE(calls, 1);
    const QString sid = handshake({ { "X-Token", "secret" } });
    QVERIFY(!sid.isEmpty());
    QCOMPARE(calls, 2);
    // Requests of an open session are not asked again.
    QCOMPARE(post(sid, "4x").status, 200);
    QCOMPARE(get(sid).body, QByteArray("4x"));
    QCOMPARE(calls, 2);
}

void tst_EngineHttp::allowRequestWebSocket()
{
    QVERIFY(startServer(quietOptions()));
    int calls = 0;
    m_server->setAllowRequest([&calls](const HttpRequest &, QString *) {
        ++calls;
        return false;
    });
    WsTestClient ws(wsUrl("EIO=4&transport=websocket"));
    QTRY_VERIFY_WITH_TIMEOUT(ws.hasEnded(), Timeout);
    QCOMPARE(ws.frames().size(), 0);
    QCOMPARE(calls, 1);
    QVERIFY(m_opened.isEmpty());
}

void tst_EngineHttp::malformedHttpRequest_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::newRow("garbage request line") << QByteArray("GARBAGE\r\n\r\n");
    QTest::newRow("header without colon")
        << QByteArray("GET /engine.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n");
    QTest::newRow("bad Content-Length") << QByteArray(
        "POST /engine.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n");
    QTest::newRow("chunk data not followed by CRLF")
        << QByteArray("POST /other HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "3\r\nabcXY\r\n0\r\n\r\n");
    QTest::newRow("bad chunk size") << QByteArray(
        "POST /other HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        "zz\r\nhello\r\n0\r\n\r\n");
}

void tst_EngineHttp::malformedHttpRequest()
{
    QFETCH(QByteArray, raw);
    QVERIFY(startServer(quietOptions()));
    // Two sessions that must not notice.
    std::unique_ptr<WsTestClient> ws;
    QString wsSid;
    openWebSocket(&ws, &wsSid);
    if (QTest::currentTestFailed())
        return;
    const QString pollingSid = handshake();
    QVERIFY(!pollingSid.isEmpty());

    HttpTestClient bad(m_port);
    bad.sendRaw(raw);
    QVERIFY(bad.waitForResponses(1));
    QCOMPARE(bad.response(0).status, 400);
    QVERIFY(bad.waitForDisconnected());

    ws->sendText("4still");
    QTRY_COMPARE_WITH_TIMEOUT(ws->frames().size(), 2, Timeout);
    QCOMPARE(ws->frames().at(1).data, QByteArray("4still"));
    QCOMPARE(post(pollingSid, "4alive").status, 200);
    QCOMPARE(get(pollingSid).body, QByteArray("4alive"));
    QVERIFY(m_serverClosed.isEmpty());
}

void tst_EngineHttp::headerTooLarge_data()
{
    QTest::addColumn<QByteArray>("raw");
    QByteArray big = "GET /engine.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\nX-Big: ";
    big += QByteArray(17 * 1024, 'a') + "\r\n\r\n";
    QTest::newRow("head over maxHeaderBytes") << big;
    QByteArray many = "GET /engine.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\n";
    for (int i = 0; i < 150; ++i)
        many += "X-H" + QByteArray::number(i) + ": v\r\n";
    many += "\r\n";
    QTest::newRow("more than maxHeaderCount headers") << many;
}

void tst_EngineHttp::headerTooLarge()
{
    QFETCH(QByteArray, raw);
    QVERIFY(startServer(quietOptions()));
    HttpTestClient client(m_port);
    client.sendRaw(raw);
    QVERIFY(client.waitForResponses(1));
    QCOMPARE(client.response(0).status, 431);
    QVERIFY(client.waitForDisconnected());
    QVERIFY(m_opened.isEmpty());
    QVERIFY(!handshake().isEmpty()); // the server still serves
}

QTEST_GUILESS_MAIN(tst_EngineHttp)

#include "tst_engine_http.moc"
