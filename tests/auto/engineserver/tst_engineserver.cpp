// SPDX-License-Identifier: MIT
//
// Loopback integration test of EngineServer: the Engine.IO v4 conformance cases 1-17 of
// docs/conformance.md against an in-process echo server, plus the HTTP front end (keep-alive,
// pipelining, limits, CORS, cookie, compression) and the server's observable signals.

#include "httptestclient.h"

#include <SocketIo/engineoptions.h>
#include <SocketIo/engineserver.h>
#include <SocketIo/enginesession.h>
#include <SocketIo/httpmessage.h>
#include <SocketIo/traffic.h>

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QSet>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>
#include <QUrl>
#include <QWebSocket>

#include <memory>
#include <optional>
#include <vector>
#include <zlib.h>

using namespace SocketIo;
using namespace std::chrono_literals;

namespace {

constexpr int Timeout = 5000; // generous: the machine may be busy
constexpr char RecordSeparator = '\x1e';
const QByteArray HandshakeTarget = QByteArrayLiteral("/engine.io/?EIO=4&transport=polling");

QByteArray pollTarget(const QString &sid)
{
    return QByteArrayLiteral("/engine.io/?EIO=4&transport=polling&sid=") + sid.toUtf8();
}

QByteArray payload(const QByteArrayList &packets)
{
    return packets.join(RecordSeparator);
}

QJsonObject parseJsonObject(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

QStringList sortedKeys(const QJsonObject &object)
{
    QStringList keys = object.keys();
    keys.sort();
    return keys;
}

QStringList openPacketKeys()
{
    return { QStringLiteral("maxPayload"), QStringLiteral("pingInterval"), QStringLiteral("pingTimeout"),
             QStringLiteral("sid"), QStringLiteral("upgrades") };
}

// Comma-separated header value as a lower-case token list.
QByteArrayList headerTokens(const QByteArray &value)
{
    QByteArrayList tokens;
    for (const QByteArray &token : value.split(',')) {
        const QByteArray t = token.trimmed().toLower();
        if (!t.isEmpty())
            tokens.append(t);
    }
    return tokens;
}

// Decompresses a gzip (windowBits 16 + 15) or zlib (15) stream; nullopt on error.
std::optional<QByteArray> inflateBody(const QByteArray &data, int windowBits)
{
    z_stream stream{};
    if (inflateInit2(&stream, windowBits) != Z_OK)
        return std::nullopt;
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
    stream.avail_in = uInt(data.size());
    QByteArray out;
    int ret = Z_OK;
    char buffer[16384];
    do {
        stream.next_out = reinterpret_cast<Bytef *>(buffer);
        stream.avail_out = sizeof buffer;
        ret = inflate(&stream, Z_NO_FLUSH);
        if (ret != Z_OK && ret != Z_STREAM_END) {
            inflateEnd(&stream);
            return std::nullopt;
        }
        out.append(buffer, qsizetype(sizeof buffer - stream.avail_out));
    } while (ret != Z_STREAM_END && (stream.avail_in > 0 || stream.avail_out == 0));
    inflateEnd(&stream);
    if (ret != Z_STREAM_END)
        return std::nullopt;
    return out;
}

// Lets the server read what a client wrote: waits until the bytes left our socket, then runs
// a number of event-loop passes (non-blocking; the server lives in this thread).
void letServerRead(HttpTestClient &client)
{
    QVERIFY(client.waitForWritten());
    for (int i = 0; i < 200; ++i)
        QCoreApplication::processEvents(QEventLoop::AllEvents);
}

struct WsFrame
{
    bool binary = false;
    QByteArray data;
};

// QWebSocket client recording every frame in order. With autoPong it answers Engine.IO pings
// ("2") with pongs ("3") and does not record them.
class WsTestClient
{
public:
    explicit WsTestClient(const QUrl &url, bool autoPong = false)
        : m_autoPong(autoPong)
    {
        QWebSocket *ws = &m_socket;
        QObject::connect(ws, &QWebSocket::connected, ws, [this] { m_connected = true; });
        QObject::connect(ws, &QWebSocket::disconnected, ws, [this] {
            m_disconnected = true;
            m_ended = true;
        });
        QObject::connect(ws, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), ws,
                         [this](QAbstractSocket::SocketError error) {
                             m_errors.append(error);
                             m_ended = true;
                         });
        QObject::connect(ws, &QWebSocket::textMessageReceived, ws, [this](const QString &message) {
            const QByteArray utf8 = message.toUtf8();
            if (utf8 == "2") {
                ++m_pings;
                if (m_autoPong) {
                    m_socket.sendTextMessage(QStringLiteral("3"));
                    return;
                }
            }
            m_frames.append({ false, utf8 });
        });
        QObject::connect(ws, &QWebSocket::binaryMessageReceived, ws, [this](const QByteArray &message) {
            m_frames.append({ true, message });
        });
        m_socket.open(url);
    }
    ~WsTestClient()
    {
        m_socket.disconnect();
        m_socket.abort();
    }
    WsTestClient(const WsTestClient &) = delete;
    WsTestClient &operator=(const WsTestClient &) = delete;

    void sendText(const QByteArray &utf8) { m_socket.sendTextMessage(QString::fromUtf8(utf8)); }
    void sendBinary(const QByteArray &data) { m_socket.sendBinaryMessage(data); }

    bool isConnected() const { return m_connected; }
    bool hasEnded() const { return m_ended; } // disconnected or an error
    bool isDisconnected() const { return m_disconnected; }
    int pings() const { return m_pings; }
    const QList<WsFrame> &frames() const { return m_frames; }
    QByteArrayList textFrames() const
    {
        QByteArrayList texts;
        for (const WsFrame &f : m_frames) {
            if (!f.binary)
                texts.append(f.data);
        }
        return texts;
    }
    QWebSocket &socket() { return m_socket; }

private:
    QWebSocket m_socket;
    bool m_autoPong = false;
    bool m_connected = false;
    bool m_disconnected = false;
    bool m_ended = false;
    int m_pings = 0;
    QList<WsFrame> m_frames;
    QList<QAbstractSocket::SocketError> m_errors;
};

// A long-polling loop like engine.io-client's: one GET at a time, the next issued as soon as
// the previous one is answered. Pings are answered with a POST "3". Collects every packet but
// noops, in arrival order.
class Poller
{
public:
    Poller(quint16 port, const QString &sid)
        : m_port(port)
        , m_target(pollTarget(sid))
    { }

    void start()
    {
        m_running = true;
        if (!m_inFlight && !m_finished)
            issue();
    }
    void pause() { m_running = false; } // no new GET once the current one is answered
    bool isIdle() const { return !m_inFlight; }
    // A close packet arrived, a GET failed, or a connection dropped without answer.
    bool isFinished() const { return m_finished; }
    bool sawClosePacket() const { return packets.contains("1"); }

    QByteArrayList packets; // every packet except noop (pings included), in order
    QList<int> statuses;
    QByteArrayList bodies; // every response body, in order
    int noops = 0;
    bool droppedConnection = false;

private:
    void issue()
    {
        m_inFlight = true;
        m_clients.push_back(std::make_unique<HttpTestClient>(m_port));
        HttpTestClient *client = m_clients.back().get();
        auto answered = std::make_shared<bool>(false);
        client->onResponse = [this, answered](const HttpTestResponse &r) {
            *answered = true;
            handle(r);
        };
        client->onClosed = [this, answered] {
            if (*answered)
                return;
            droppedConnection = true;
            m_inFlight = false;
            m_finished = true;
        };
        client->get(m_target);
    }
    void handle(const HttpTestResponse &r)
    {
        m_inFlight = false;
        statuses.append(r.status);
        bodies.append(r.body);
        if (r.status != 200) {
            m_finished = true;
            return;
        }
        for (const QByteArray &packet : r.body.split(RecordSeparator)) {
            if (packet == "6") {
                ++noops;
                continue;
            }
            packets.append(packet);
            if (packet == "2")
                pong();
            if (packet == "1")
                m_finished = true;
        }
        if (m_running && !m_finished)
            issue();
    }
    void pong()
    {
        m_clients.push_back(std::make_unique<HttpTestClient>(m_port));
        m_clients.back()->post(m_target, QByteArrayLiteral("3"));
    }

    quint16 m_port = 0;
    QByteArray m_target;
    bool m_running = false;
    bool m_inFlight = false;
    bool m_finished = false;
    std::vector<std::unique_ptr<HttpTestClient>> m_clients;
};

struct ClosedRecord
{
    QString sid;
    CloseReason reason;
    QString description;
};

} // namespace

class tst_EngineServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();

    // Engine.IO cases of docs/conformance.md
    void pollingHandshake_data();
    void pollingHandshake(); // case 1
    void badHandshake_data();
    void badHandshake(); // cases 2, 3 (+ unknown sid)
    void websocketHandshake(); // case 4
    void websocketHandshakeRefused_data();
    void websocketHandshakeRefused(); // case 4
    void pollingEcho_data();
    void pollingEcho(); // cases 5, 6, 7
    void pollingMalformedPayload_data();
    void pollingMalformedPayload(); // case 8
    void pollingOverlappingGets(); // case 9
    void websocketEcho(); // case 10
    void websocketMalformedFrame_data();
    void websocketMalformedFrame(); // case 10
    void pollingHeartbeat(); // case 11
    void pollingPingTimeout(); // case 12
    void websocketHeartbeat(); // case 13
    void websocketPingTimeout(); // case 13
    void pollingClose(); // case 14
    void websocketClose(); // case 15
    void upgrade(); // case 16
    void upgradeMessageOrder(); // case 16, messages across the switch
    void afterUpgrade(); // case 17

    // HTTP front end
    void keepAlive();
    void pipelining();
    void unknownPath_data();
    void unknownPath();
    void customRequestHandler();
    void bindExternalServer();
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

    // Observers and close reasons
    void trafficEvents();
    void sessionClose_data();
    void sessionClose(); // ForcedClose
    void serverClose(); // ForcedServerClose

    // Engine.IO v3 (allowEIO3): socket.io-client 2.x
    void eio3Handshake_data();
    void eio3Handshake();
    void eio3PollingPayloads_data();
    void eio3PollingPayloads();
    void eio3BinaryPayloadPost();
    void eio3Heartbeat_data();
    void eio3Heartbeat();
    void eio3PingTimeout_data();
    void eio3PingTimeout();
    void heartbeatDirection_data();
    void heartbeatDirection();
    void eio3WebSocketFrames();
    void eio3Upgrade();
    void transportsOption_data();
    void transportsOption();
    void upgradeTimeout_data();
    void upgradeTimeout();

private:
    static EngineOptions protocolOptions();
    static EngineOptions quietOptions();
    bool startServer(const EngineOptions &options);
    QUrl wsUrl(const QByteArray &query) const;

    HttpTestResponse request(const QByteArray &method, const QByteArray &target, const QByteArray &body = {},
                             const HttpTestClient::Headers &headers = {});
    HttpTestResponse get(const QString &sid, const HttpTestClient::Headers &headers = {})
    {
        return request("GET", pollTarget(sid), {}, headers);
    }
    HttpTestResponse post(const QString &sid, const QByteArray &body,
                          const HttpTestClient::Headers &headers = {})
    {
        return request("POST", pollTarget(sid), body, headers);
    }
    QString handshake(const HttpTestClient::Headers &headers = {}, HttpTestResponse *response = nullptr);
    void verifyEngineError(const HttpTestResponse &response, int status, int code,
                           const QString &message = {});
    void verifyPollingHeaders(const HttpTestResponse &response);
    void openWebSocket(std::unique_ptr<WsTestClient> *ws, QString *sid, bool autoPong = false);
    void upgradeSession(std::unique_ptr<WsTestClient> *ws, QString *sid);
    void openEio3Session(bool websocket, std::unique_ptr<WsTestClient> *ws, QString *sid);
    std::optional<ClosedRecord> serverClosed(const QString &sid) const;
    std::optional<ClosedRecord> sessionClosed(const QString &sid) const;

    std::unique_ptr<EngineServer> m_server;
    quint16 m_port = 0;
    QStringList m_opened; // EngineServer::sessionOpened, every emission
    QSet<EngineSession *> m_wired; // sessions with the echo connected
    QList<ClosedRecord> m_serverClosed; // EngineServer::sessionClosed
    QList<ClosedRecord> m_sessionClosed; // EngineSession::closed
    QStringList m_closeOrder; // "session:<sid>" / "server:<sid>" in emission order
    QList<std::pair<int, QString>> m_connectionErrors; // EngineServer::connectionError
};

// The timings of the conformance cases (docs/conformance.md).
EngineOptions tst_EngineServer::protocolOptions()
{
    EngineOptions options;
    options.path = QStringLiteral("/engine.io/");
    options.pingInterval = 300ms;
    options.pingTimeout = 200ms;
    options.maxHttpBufferSize = 1000000;
    return options;
}

// The same, but with heartbeats far away: for multi-step exchanges that are not about the
// heartbeat, so that a late test step on a busy machine cannot meet a ping or a ping timeout.
EngineOptions tst_EngineServer::quietOptions()
{
    EngineOptions options = protocolOptions();
    options.pingInterval = 60000ms;
    options.pingTimeout = 60000ms;
    return options;
}

bool tst_EngineServer::startServer(const EngineOptions &options)
{
    m_server.reset();
    m_opened.clear();
    m_wired.clear();
    m_serverClosed.clear();
    m_sessionClosed.clear();
    m_closeOrder.clear();
    m_connectionErrors.clear();

    m_server = std::make_unique<EngineServer>(options);
    EngineServer *server = m_server.get();
    // The echo server (docs/echo-server.md): every message back unchanged, text as text, binary as binary.
    connect(server, &EngineServer::sessionOpened, this, [this](EngineSession *session) {
        const QString id = session->id();
        m_opened.append(id); // every emission: the tests check it comes once per session
        // Wire each session once, even if sessionOpened came twice, so that one such bug does
        // not double every echo in every test.
        if (m_wired.contains(session))
            return;
        m_wired.insert(session);
        connect(session, &QObject::destroyed, this, [this, session] { m_wired.remove(session); });
        connect(session, &EngineSession::textMessageReceived, session,
                [session](const QByteArray &utf8) { session->sendText(utf8); });
        connect(session, &EngineSession::binaryMessageReceived, session,
                [session](const QByteArray &data) { session->sendBinary(data); });
        connect(session, &EngineSession::closed, this,
                [this, id](CloseReason reason, const QString &description) {
                    m_sessionClosed.append({ id, reason, description });
                    m_closeOrder.append(QStringLiteral("session:") + id);
                });
    });
    connect(server, &EngineServer::sessionClosed, this,
            [this](const QString &sid, CloseReason reason, const QString &description) {
                m_serverClosed.append({ sid, reason, description });
                m_closeOrder.append(QStringLiteral("server:") + sid);
            });
    connect(server, &EngineServer::connectionError, this,
            [this](const HttpRequest &, int code, const QString &message) {
                m_connectionErrors.append({ code, message });
            });
    if (!server->listen(QHostAddress::LocalHost, 0)) {
        qWarning() << "listen failed:" << server->errorString();
        return false;
    }
    m_port = server->serverPort();
    return m_port != 0 && server->isListening();
}

void tst_EngineServer::initTestCase()
{
    qRegisterMetaType<EngineSession *>();
    qRegisterMetaType<CloseReason>();
    qRegisterMetaType<Transport>();
}

void tst_EngineServer::cleanup()
{
    m_server.reset();
    m_port = 0;
}

QUrl tst_EngineServer::wsUrl(const QByteArray &query) const
{
    return QUrl(
        QStringLiteral("ws://127.0.0.1:%1/engine.io/?%2").arg(m_port).arg(QString::fromLatin1(query)));
}

HttpTestResponse tst_EngineServer::request(const QByteArray &method, const QByteArray &target,
                                           const QByteArray &body, const HttpTestClient::Headers &headers)
{
    HttpTestClient client(m_port);
    client.sendRequest(method, target, body, headers);
    if (!client.waitForResponses(1, Timeout)) {
        qWarning() << "no response to" << method << target << "disconnected:" << client.isDisconnected()
                   << "unparsed:" << client.unparsedBytes().left(200);
        return {};
    }
    return client.response(0);
}

QString tst_EngineServer::handshake(const HttpTestClient::Headers &headers, HttpTestResponse *response)
{
    const HttpTestResponse r = request("GET", HandshakeTarget, {}, headers);
    if (response)
        *response = r;
    if (r.status != 200 || !r.body.startsWith('0')) {
        qWarning() << "handshake failed:" << r.status << r.body;
        return {};
    }
    return parseJsonObject(r.body.mid(1)).value(QLatin1String("sid")).toString();
}

void tst_EngineServer::verifyEngineError(const HttpTestResponse &response, int status, int code,
                                         const QString &message)
{
    QCOMPARE(response.status, status);
    QVERIFY2(response.header("content-type").startsWith("application/json"),
             response.header("content-type").constData());
    const QJsonDocument doc = QJsonDocument::fromJson(response.body);
    QVERIFY2(doc.isObject(), response.body.constData());
    const QJsonObject object = doc.object();
    QCOMPARE(sortedKeys(object), QStringList({ QStringLiteral("code"), QStringLiteral("message") }));
    QCOMPARE(object.value(QLatin1String("code")).toInt(-1), code);
    QVERIFY(object.value(QLatin1String("message")).isString());
    if (!message.isEmpty())
        QCOMPARE(object.value(QLatin1String("message")).toString(), message);
}

void tst_EngineServer::verifyPollingHeaders(const HttpTestResponse &response)
{
    QCOMPARE(response.header("content-type"), QByteArray("text/plain; charset=UTF-8"));
    QCOMPARE(response.header("cache-control"), QByteArray("no-store"));
}

// A fresh WebSocket-only session; returns after the open packet.
void tst_EngineServer::openWebSocket(std::unique_ptr<WsTestClient> *ws, QString *sid, bool autoPong)
{
    *ws = std::make_unique<WsTestClient>(wsUrl("EIO=4&transport=websocket"), autoPong);
    WsTestClient *client = ws->get();
    QTRY_VERIFY_WITH_TIMEOUT(!client->frames().isEmpty() || client->hasEnded(), Timeout);
    QVERIFY(!client->frames().isEmpty());
    const QByteArray open = client->frames().first().data;
    QVERIFY2(open.startsWith('0'), open.constData());
    *sid = parseJsonObject(open.mid(1)).value(QLatin1String("sid")).toString();
    QVERIFY(!sid->isEmpty());
}

// Polling handshake, then the upgrade of case 16: WebSocket with &sid=, 2probe -> 3probe, a GET
// returns noop, 5. On return the session runs over *ws.
void tst_EngineServer::upgradeSession(std::unique_ptr<WsTestClient> *ws, QString *sid)
{
    HttpTestResponse open;
    *sid = handshake({}, &open);
    QVERIFY(!sid->isEmpty());
    QCOMPARE(parseJsonObject(open.body.mid(1)).value(QLatin1String("upgrades")).toArray(),
             QJsonArray({ QStringLiteral("websocket") }));
    QPointer<EngineSession> session = m_server->session(*sid);
    QVERIFY(session);
    QSignalSpy upgrading(session.data(), &EngineSession::upgrading);
    QSignalSpy upgraded(session.data(), &EngineSession::upgraded);

    *ws = std::make_unique<WsTestClient>(wsUrl("EIO=4&transport=websocket&sid=" + sid->toUtf8()));
    WsTestClient *client = ws->get();
    QTRY_VERIFY_WITH_TIMEOUT(client->isConnected() || client->hasEnded(), Timeout);
    QVERIFY(client->isConnected());

    client->sendText("2probe");
    QTRY_VERIFY_WITH_TIMEOUT(!client->frames().isEmpty() || client->hasEnded(), Timeout);
    QCOMPARE(client->textFrames(), QByteArrayList({ "3probe" })); // no open packet on an upgrade
    QTRY_COMPARE_WITH_TIMEOUT(upgrading.count(), 1, Timeout);
    QCOMPARE(upgrading.at(0).at(0).value<Transport>(), Transport::WebSocket);
    QVERIFY(!session->isUpgraded());

    // The server answers a waiting GET with noop until the upgrade completes.
    const HttpTestResponse noop = get(*sid);
    QCOMPARE(noop.status, 200);
    QCOMPARE(noop.body, QByteArray("6"));

    client->sendText("5");
    QTRY_COMPARE_WITH_TIMEOUT(upgraded.count(), 1, Timeout);
    QCOMPARE(upgraded.at(0).at(0).value<Transport>(), Transport::WebSocket);
    QVERIFY(session);
    QVERIFY(session->isUpgraded());
    QCOMPARE(session->transport(), Transport::WebSocket);
}

std::optional<ClosedRecord> tst_EngineServer::serverClosed(const QString &sid) const
{
    for (const ClosedRecord &r : m_serverClosed) {
        if (r.sid == sid)
            return r;
    }
    return std::nullopt;
}

std::optional<ClosedRecord> tst_EngineServer::sessionClosed(const QString &sid) const
{
    for (const ClosedRecord &r : m_sessionClosed) {
        if (r.sid == sid)
            return r;
    }
    return std::nullopt;
}

// ---- Case 1 ---------------------------------------------------------------------------------

void tst_EngineServer::pollingHandshake_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::newRow("case1 EIO=4 transport=polling") << HandshakeTarget;
    QTest::newRow("case1 with cache buster t=")
        << QByteArray("/engine.io/?EIO=4&transport=polling&t=OxQ3kV1");
    QTest::newRow("case1 parameters reordered") << QByteArray("/engine.io/?transport=polling&EIO=4");
}

void tst_EngineServer::pollingHandshake()
{
    QFETCH(QByteArray, target);
    QVERIFY(startServer(protocolOptions()));
    QSignalSpy opened(m_server.get(), &EngineServer::sessionOpened);

    const HttpTestResponse r = request("GET", target);
    QCOMPARE(r.status, 200);
    verifyPollingHeaders(r);
    if (QTest::currentTestFailed())
        return;
    QVERIFY2(r.body.startsWith('0'), r.body.constData());
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(r.body.mid(1), &error);
    QVERIFY2(doc.isObject(), qPrintable(error.errorString()));
    const QJsonObject open = doc.object();
    QCOMPARE(sortedKeys(open), openPacketKeys());
    QVERIFY(open.value(QLatin1String("sid")).isString());
    const QString sid = open.value(QLatin1String("sid")).toString();
    QVERIFY(!sid.isEmpty());
    QCOMPARE(open.value(QLatin1String("upgrades")).toArray(), QJsonArray({ QStringLiteral("websocket") }));
    QCOMPARE(open.value(QLatin1String("pingInterval")), QJsonValue(300));
    QCOMPARE(open.value(QLatin1String("pingTimeout")), QJsonValue(200));
    QCOMPARE(open.value(QLatin1String("maxPayload")), QJsonValue(1000000));

    QCOMPARE(opened.count(), 1);
    EngineSession *session = m_server->session(sid);
    QVERIFY(session);
    QCOMPARE(opened.at(0).at(0).value<EngineSession *>(), session);
    QCOMPARE(session->id(), sid);
    QCOMPARE(session->protocolVersion(), 4);
    QCOMPARE(session->transport(), Transport::Polling);
    QVERIFY(!session->isUpgraded());
    QCOMPARE(session->state(), EngineSession::State::Open);
    QCOMPARE(session->handshake().method, QByteArray("GET"));
    QCOMPARE(session->handshake().query.queryItemValue(QStringLiteral("transport")),
             QStringLiteral("polling"));
    QCOMPARE(session->remoteAddress(), QHostAddress(QHostAddress::LocalHost));
    QCOMPARE(m_server->sessionCount(), 1);
    QCOMPARE(m_server->sessions(), QList<EngineSession *>({ session }));
}

// ---- Cases 2, 3 -----------------------------------------------------------------------------

void tst_EngineServer::badHandshake_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("message");

    const QString unsupported = QStringLiteral("Unsupported protocol version");
    const QString unknownTransport = QStringLiteral("Transport unknown");
    QTest::newRow("case2 missing EIO")
        << QByteArray("GET") << QByteArray("/engine.io/?transport=polling") << 5 << unsupported;
    QTest::newRow("case2 invalid EIO abc")
        << QByteArray("GET") << QByteArray("/engine.io/?EIO=abc&transport=polling") << 5 << unsupported;
    QTest::newRow("case2 EIO=3 without allowEIO3")
        << QByteArray("GET") << QByteArray("/engine.io/?EIO=3&transport=polling") << 5 << unsupported;
    QTest::newRow("case2 EIO=5") << QByteArray("GET") << QByteArray("/engine.io/?EIO=5&transport=polling")
                                 << 5 << unsupported;
    QTest::newRow("case2 missing transport")
        << QByteArray("GET") << QByteArray("/engine.io/?EIO=4") << 0 << unknownTransport;
    QTest::newRow("case2 unknown transport")
        << QByteArray("GET") << QByteArray("/engine.io/?EIO=4&transport=flash") << 0 << unknownTransport;
    QTest::newRow("case2 missing EIO and transport")
        << QByteArray("GET") << QByteArray("/engine.io/") << 0 << unknownTransport;
    QTest::newRow("websocket transport without upgrade")
        << QByteArray("GET") << QByteArray("/engine.io/?EIO=4&transport=websocket") << 3
        << QStringLiteral("Bad request");
    QTest::newRow("case3 POST handshake")
        << QByteArray("POST") << HandshakeTarget << 2 << QStringLiteral("Bad handshake method");
    QTest::newRow("case3 PUT handshake")
        << QByteArray("PUT") << HandshakeTarget << 2 << QStringLiteral("Bad handshake method");
    QTest::newRow("unknown sid GET") << QByteArray("GET")
                                     << pollTarget(QStringLiteral("AAAAAAAAAAAAAAAAAAAA")) << 1
                                     << QStringLiteral("Session ID unknown");
    QTest::newRow("unknown sid POST")
        << QByteArray("POST") << pollTarget(QStringLiteral("AAAAAAAAAAAAAAAAAAAA")) << 1
        << QStringLiteral("Session ID unknown");
}

void tst_EngineServer::badHandshake()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, target);
    QFETCH(int, code);
    QFETCH(QString, message);
    QVERIFY(startServer(protocolOptions()));

    const QByteArray body = method == "GET" ? QByteArray() : QByteArray("4hello");
    const HttpTestResponse r = request(method, target, body);
    verifyEngineError(r, 400, code, message);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(m_server->sessionCount(), 0);
    QVERIFY(m_opened.isEmpty());
    // Observers hear about refused requests (engine.io's "connection_error").
    QTRY_COMPARE_WITH_TIMEOUT(m_connectionErrors.size(), 1, Timeout);
    QCOMPARE(m_connectionErrors.first().first, code);
}

// ---- Case 4 ---------------------------------------------------------------------------------

void tst_EngineServer::websocketHandshake()
{
    QVERIFY(startServer(protocolOptions()));
    WsTestClient ws(wsUrl("EIO=4&transport=websocket"), true);
    QTRY_VERIFY_WITH_TIMEOUT(!ws.frames().isEmpty() || ws.hasEnded(), Timeout);
    QVERIFY(!ws.frames().isEmpty());
    const WsFrame first = ws.frames().first();
    QVERIFY(!first.binary);
    QVERIFY2(first.data.startsWith('0'), first.data.constData());
    const QJsonObject open = parseJsonObject(first.data.mid(1));
    QCOMPARE(sortedKeys(open), openPacketKeys());
    const QString sid = open.value(QLatin1String("sid")).toString();
    QVERIFY(!sid.isEmpty());
    QCOMPARE(open.value(QLatin1String("upgrades")).toArray(), QJsonArray());
    QCOMPARE(open.value(QLatin1String("pingInterval")), QJsonValue(300));
    QCOMPARE(open.value(QLatin1String("pingTimeout")), QJsonValue(200));
    QCOMPARE(open.value(QLatin1String("maxPayload")), QJsonValue(1000000));

    EngineSession *session = m_server->session(sid);
    QVERIFY(session);
    QCOMPARE(session->transport(), Transport::WebSocket);
    QVERIFY(!session->isUpgraded());
    QCOMPARE(session->protocolVersion(), 4);
    QCOMPARE(m_opened, QStringList({ sid }));
}

void tst_EngineServer::websocketHandshakeRefused_data()
{
    QTest::addColumn<QByteArray>("query");
    QTest::newRow("case4 missing EIO") << QByteArray("transport=websocket");
    QTest::newRow("case4 invalid EIO abc") << QByteArray("EIO=abc&transport=websocket");
    QTest::newRow("case4 EIO=3 without allowEIO3") << QByteArray("EIO=3&transport=websocket");
    QTest::newRow("case4 missing transport") << QByteArray("EIO=4");
    QTest::newRow("case4 unknown transport") << QByteArray("EIO=4&transport=flash");
    QTest::newRow("case4 transport=polling over websocket") << QByteArray("EIO=4&transport=polling");
    QTest::newRow("case4 unknown sid") << QByteArray("EIO=4&transport=websocket&sid=AAAAAAAAAAAAAAAAAAAA");
}

void tst_EngineServer::websocketHandshakeRefused()
{
    QFETCH(QByteArray, query);
    QVERIFY(startServer(protocolOptions()));
    WsTestClient ws(wsUrl(query));
    QTRY_VERIFY_WITH_TIMEOUT(ws.hasEnded(), Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(ws.socket().state(), QAbstractSocket::UnconnectedState, Timeout);
    for (const WsFrame &frame : ws.frames())
        QVERIFY2(!frame.data.startsWith('0'), frame.data.constData()); // never an open packet
    QVERIFY(m_opened.isEmpty());
    QCOMPARE(m_server->sessionCount(), 0);
}

// ---- Cases 5, 6, 7 --------------------------------------------------------------------------

void tst_EngineServer::pollingEcho_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("case5 4hello") << QByteArray("4hello");
    QTest::newRow("case6 three packets") << payload({ "4test1", "4test2", "4test3" });
    QTest::newRow("case7 text and binary") << payload({ "4hello", "bAQIDBA==" });
    QTest::newRow("binary only") << QByteArray("bAQIDBA==");
    QTest::newRow("empty message") << QByteArray("4");
    QTest::newRow("utf-8 text") << QByteArray("4h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80");
}

void tst_EngineServer::pollingEcho()
{
    QFETCH(QByteArray, body);
    QVERIFY(startServer(quietOptions()));
    const QString sid = handshake();
    QVERIFY(!sid.isEmpty());

    const HttpTestResponse posted = post(sid, body);
    QCOMPARE(posted.status, 200);
    QCOMPARE(posted.body, QByteArray("ok"));

    const HttpTestResponse polled = get(sid);
    QCOMPARE(polled.status, 200);
    verifyPollingHeaders(polled);
    QCOMPARE(polled.body, body);
}

// ---- Case 8 ---------------------------------------------------------------------------------

void tst_EngineServer::pollingMalformedPayload_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("case8 abc") << QByteArray("abc");
    QTest::newRow("case8 unknown packet type 9") << QByteArray("9hello");
}

void tst_EngineServer::pollingMalformedPayload()
{
    QFETCH(QByteArray, body);
    QVERIFY(startServer(quietOptions()));
    const QString sid = handshake();
    QVERIFY(!sid.isEmpty());

    HttpTestClient client(m_port);
    client.post(pollTarget(sid), body);
    QTRY_VERIFY_WITH_TIMEOUT(client.responseCount() > 0 || client.isDisconnected(), Timeout);
    // Case 8 (docs/conformance.md): 400, or the connection dropped.
    if (client.responseCount() > 0)
        QCOMPARE(client.response(0).status, 400);

    QTRY_VERIFY_WITH_TIMEOUT(serverClosed(sid).has_value(), Timeout);
    QCOMPARE(serverClosed(sid)->reason, CloseReason::ParseError);
    verifyEngineError(get(sid), 400, 1, QStringLiteral("Session ID unknown"));
}

// ---- Case 9 ---------------------------------------------------------------------------------

void tst_EngineServer::pollingOverlappingGets()
{
    QVERIFY(startServer(quietOptions()));
    const QString sid = handshake();
    QVERIFY(!sid.isEmpty());

    HttpTestClient first(m_port);
    first.get(pollTarget(sid));
    letServerRead(first);
    QCOMPARE(first.responseCount(), 0); // parked: nothing to send yet

    HttpTestClient second(m_port);
    second.get(pollTarget(sid));
    QVERIFY(first.waitForResponses(1));
    QCOMPARE(first.response(0).status, 200);
    QCOMPARE(first.response(0).body, QByteArray("1"));
    QTRY_VERIFY_WITH_TIMEOUT(second.responseCount() > 0 || second.isDisconnected(), Timeout);
    QVERIFY2(second.responseCount() > 0, "the overlapping GET got no response");
    QVERIFY2(second.response(0).status == 400 || second.response(0).status == 500,
             QByteArray::number(second.response(0).status).constData());

    QTRY_VERIFY_WITH_TIMEOUT(serverClosed(sid).has_value(), Timeout);
    QCOMPARE(serverClosed(sid)->reason, CloseReason::TransportError);
    verifyEngineError(get(sid), 400, 1);
}

// ---- Case 10 --------------------------------------------------------------------------------

void tst_EngineServer::websocketEcho()
{
    QVERIFY(startServer(quietOptions()));
    std::unique_ptr<WsTestClient> ws;
    QString sid;
    openWebSocket(&ws, &sid);
    if (QTest::currentTestFailed())
        return;

    ws->sendText("4hello");
    QTRY_COMPARE_WITH_TIMEOUT(ws->frames().size(), 2, Timeout);
    QVERIFY(!ws->frames().at(1).binary);
    QCOMPARE(ws->frames().at(1).data, QByteArray("4hello"));

    const QByteArray bytes("\x01\x02\x03\x04", 4);
    ws->sendBinary(bytes);
    QTRY_COMPARE_WITH_TIMEOUT(ws->frames().size(), 3, Timeout);
    QVERIFY(ws->frames().at(2).binary);
    QCOMPARE(ws->frames().at(2).data, bytes);

    const QByteArray utf8("4h\xc3\xa9llo \xf0\x9f\x98\x80");
    ws->sendText(utf8);
    QTRY_COMPARE_WITH_TIMEOUT(ws->frames().size(), 4, Timeout);
    QCOMPARE(ws->frames().at(3).data, utf8);

    // Several messages in a row keep their order.
    for (int i = 0; i < 20; ++i)
        ws->sendText(QByteArray("4n" + QByteArray::number(i)));
    QTRY_COMPARE_WITH_TIMEOUT(ws->frames().size(), 24, Timeout);
    for (int i = 0; i < 20; ++i)
        QCOMPARE(ws->frames().at(4 + i).data, QByteArray("4n" + QByteArray::number(i)));
    QVERIFY(!ws->hasEnded());
}

void tst_EngineServer::websocketMalformedFrame_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::newRow("case10 abc") << QByteArray("abc");
    QTest::newRow("unknown packet type 9") << QByteArray("9hello");
    QTest::newRow("empty text frame") << QByteArray("");
}

void tst_EngineServer::websocketMalformedFrame()
{
    QFETCH(QByteArray, frame);
    QVERIFY(startServer(quietOptions()));
    std::unique_ptr<WsTestClient> ws;
    QString sid;
    openWebSocket(&ws, &sid);
    if (QTest::currentTestFailed())
        return;

    ws->sendText(frame);
    QTRY_VERIFY_WITH_TIMEOUT(ws->hasEnded(), Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(serverClosed(sid).has_value(), Timeout);
    QCOMPARE(serverClosed(sid)->reason, CloseReason::ParseError);
    QCOMPARE(ws->frames().size(), 1); // only the open packet
}

// ---- Case 11, 12 ----------------------------------------------------------------------------

void tst_EngineServer::pollingHeartbeat()
{
    QVERIFY(startServer(protocolOptions()));
    const QString sid = handshake();
    QVERIFY(!sid.isEmpty());
    QPointer<EngineSession> session = m_server->session(sid);
    QVERIFY(session);
    QSignalSpy heartbeat(session.data(), &EngineSession::heartbeat);

    for (int round = 1; round <= 3; ++round) {
        const HttpTestResponse ping = get(sid);
        QCOMPARE(ping.status, 200);
        QCOMPARE(ping.body, QByteArray("2"));
        const HttpTestResponse pong = post(sid, "3");
        QCOMPARE(pong.status, 200);
        QCOMPARE(pong.body, QByteArray("ok"));
        QTRY_COMPARE_WITH_TIMEOUT(heartbeat.count(), round, Timeout);
    }
    QVERIFY(session);
    QCOMPARE(session->state(), EngineSession::State::Open);
    QVERIFY(!serverClosed(sid).has_value());
}

void tst_EngineServer::pollingPingTimeout()
{
    QVERIFY(startServer(protocolOptions()));
    const QString sid = handshake();
    QVERIFY(!sid.isEmpty());
    // No GET, so no pong: the session must time out (interval + timeout after the handshake).
    QTRY_VERIFY_WITH_TIMEOUT(serverClosed(sid).has_value(), Timeout);
    QCOMPARE(serverClosed(sid)->reason, CloseReason::PingTimeout);
    QVERIFY(sessionClosed(sid).has_value());
    QCOMPARE(sessionClosed(sid)->reason, CloseReason::PingTimeout);
    verifyEngineError(get(sid), 400, 1, QStringLiteral("Session ID unknown"));
    QTRY_COMPARE_WITH_TIMEOUT(m_server->sessionCount(), 0, Timeout);
}

// ---- Case 13 --------------------------------------------------------------------------------

void tst_EngineServer::websocketHeartbeat()
{
    QVERIFY(startServer(protocolOptions()));
    QList<TrafficEvent> traffic;
    connect(m_server.get(), &EngineServer::trafficObserved, this,
            [&traffic](const TrafficEvent &event) { traffic.append(event); });
    std::unique_ptr<WsTestClient> ws;
    QString sid;
    openWebSocket(&ws, &sid, /*autoPong=*/true);
    if (QTest::currentTestFailed())
        return;
    QPointer<EngineSession> session = m_server->session(sid);
    QVERIFY(session);
    QSignalSpy heartbeat(session.data(), &EngineSession::heartbeat);

    QTRY_VERIFY_WITH_TIMEOUT(ws->pings() >= 3 || ws->hasEnded(), Timeout);
    QVERIFY(!ws->hasEnded());
    QTRY_VERIFY_WITH_TIMEOUT(heartbeat.count() >= 3, Timeout);
    QVERIFY(session);
    QVERIFY(!serverClosed(sid).has_value());

    int pingsOut = 0;
    int pongsIn = 0;
    for (const TrafficEvent &e : std::as_const(traffic)) {
        if (e.sessionId != sid)
            continue;
        QCOMPARE(e.transport, Transport::WebSocket);
        if (e.type == EnginePacketType::Ping && e.direction == TrafficEvent::Direction::Outgoing)
            ++pingsOut;
        if (e.type == EnginePacketType::Pong && e.direction == TrafficEvent::Direction::Incoming)
            ++pongsIn;
    }
    QVERIFY(pingsOut >= 3);
    QVERIFY(pongsIn >= 3);

    // The connection still carries messages.
    const qsizetype before = ws->frames().size();
    ws->sendText("4still here");
    QTRY_COMPARE_WITH_TIMEOUT(ws->frames().size(), before + 1, Timeout);
    QCOMPARE(ws->frames().last().data, QByteArray("4still here"));
}

void tst_EngineServer::websocketPingTimeout()
{
    QVERIFY(startServer(protocolOptions()));
    std::unique_ptr<WsTestClient> ws;
    QString sid;
    openWebSocket(&ws, &sid, /*autoPong=*/false);
    if (QTest::currentTestFailed())
        return;
    // The server pings, gets no pong, and closes the socket.
    QTRY_VERIFY_WITH_TIMEOUT(ws->hasEnded(), Timeout);
    QCOMPARE(ws->pings(), 1);
    QCOMPARE(ws->textFrames().last(), QByteArray("2"));
    QTRY_VERIFY_WITH_TIMEOUT(serverClosed(sid).has_value(), Timeout);
    QCOMPARE(serverClosed(sid)->reason, CloseReason::PingTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(ws->socket().state(), QAbstractSocket::UnconnectedState, Timeout);
}

// ---- Cases 14, 15 ---------------------------------------------------------------------------

void tst_EngineServer::pollingClose()
{
    QVERIFY(startServer(quietOptions()));
    const QString sid = handshake();
    QVERIFY(!sid.isEmpty());

    HttpTestClient pending(m_port);
    pending.get(pollTarget(sid));
    letServerRead(pending);
    QCOMPARE(pending.responseCount(), 0);

    const HttpTestResponse closePost = post(sid, "1");
    QCOMPARE(closePost.status, 200);
    QCOMPARE(closePost.body, QByteArray("ok"));

    QVERIFY(pending.waitForResponses(1));
    QCOMPARE(pending.response(0).status, 200);
    QCOMPARE(pending.response(0).body, QByteArray("6"));

    QTRY_VERIFY_WITH_TIMEOUT(serverClosed(sid).has_value(), Timeout);
    QCOMPARE(serverClosed(sid)->reason, CloseReason::TransportClose);
    verifyEngineError(get(sid), 400, 1);
}

void tst_EngineServer::websocketClose()
{
    QVERIFY(startServer(quietOptions()));
    std::unique_ptr<WsTestClient> ws;
    QString sid;
    openWebSocket(&ws, &sid);
    if (QTest::currentTestFailed())
        return;
    ws->sendText("1");
    QTRY_VERIFY_WITH_TIMEOUT(ws->hasEnded(), Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(serverClosed(sid).has_value(), Timeout);
    QCOMPARE(serverClosed(sid)->reason, CloseReason::TransportClose);
    QCOMPARE(m_server->session(sid), nullptr);
}

// ---- Cases 16, 17 ---------------------------------------------------------------------------

void tst_EngineServer::upgrade()
{
    QVERIFY(startServer(quietOptions()));
    std::unique_ptr<WsTestClient> ws;
    QString sid;
    upgradeSession(&ws, &sid);
    if (QTest::currentTestFailed())
        return;

    ws->sendText("4hello");
    QTRY_COMPARE_WITH_TIMEOUT(ws->frames().size(), 2, Timeout);
    QCOMPARE(ws->textFrames(), QByteArrayList({ "3probe", "4hello" }));
    ws->sendBinary(QByteArray("\x01\x02\x03\x04", 4));
    QTRY_COMPARE_WITH_TIMEOUT(ws->frames().size(), 3, Timeout);
    QVERIFY(ws->frames().at(2).binary);
    QCOMPARE(ws->frames().at(2).data, QByteArray("\x01\x02\x03\x04", 4));
    QVERIFY(!serverClosed(sid).has_value());
}

void tst_EngineServer::upgradeMessageOrder()
{
    QVERIFY(startServer(quietOptions()));
    const QString sid = handshake();
    QVERIFY(!sid.isEmpty());
    QPointer<EngineSession> session = m_server->session(sid);
    QVERIFY(session);
    QSignalSpy upgraded(session.data(), &EngineSession::upgraded);

    int sent = 0;
    auto sendBatch = [&] {
        for (int i = 0; i < 3; ++i)
            session->sendText(QByteArray("m" + QByteArray::number(++sent)));
    };

    Poller poller(m_port, sid);
    poller.start();
    sendBatch(); // plain polling
    QTRY_VERIFY_WITH_TIMEOUT(poller.packets.size() >= 3 || poller.isFinished(), Timeout);

    WsTestClient ws(wsUrl("EIO=4&transport=websocket&sid=" + sid.toUtf8()));
    QTRY_VERIFY_WITH_TIMEOUT(ws.isConnected() || ws.hasEnded(), Timeout);
    QVERIFY(ws.isConnected());
    sendBatch(); // WebSocket open, not probed yet

    ws.sendText("2probe");
    QTRY_VERIFY_WITH_TIMEOUT(!ws.frames().isEmpty() || ws.hasEnded(), Timeout);
    QCOMPARE(ws.frames().first().data, QByteArray("3probe"));
    sendBatch(); // upgrading: polling still carries messages

    // Like engine.io-client: stop polling, wait for the outstanding GET, then send "5".
    poller.pause();
    QTRY_VERIFY_WITH_TIMEOUT(poller.isIdle(), Timeout);
    sendBatch(); // no GET waiting, upgrade not complete
    ws.sendText("5");
    sendBatch(); // "5" is on its way but not processed yet
    QTRY_COMPARE_WITH_TIMEOUT(upgraded.count(), 1, Timeout);
    sendBatch(); // upgraded

    QByteArrayList expected;
    for (int i = 1; i <= sent; ++i)
        expected.append(QByteArray("4m" + QByteArray::number(i)));
    auto received = [&] {
        QByteArrayList all = poller.packets;
        for (qsizetype i = 1; i < ws.frames().size(); ++i)
            all.append(ws.frames().at(i).binary ? QByteArray("<binary>" + ws.frames().at(i).data)
                                                : ws.frames().at(i).data);
        return all;
    };
    QTRY_VERIFY_WITH_TIMEOUT(received().size() >= expected.size() || ws.hasEnded(), Timeout);
    QCOMPARE(received(), expected); // each exactly once, in order, across the switch
    QVERIFY(poller.packets.size() >= 3); // the first batch went over polling
    QVERIFY(ws.frames().size() >= 4); // 3probe + at least the last batch over WebSocket
    for (int status : std::as_const(poller.statuses))
        QCOMPARE(status, 200);
    QVERIFY(!poller.droppedConnection);
    QVERIFY(!ws.hasEnded());
    QVERIFY(!serverClosed(sid).has_value());
}

void tst_EngineServer::afterUpgrade()
{
    QVERIFY(startServer(quietOptions()));
    std::unique_ptr<WsTestClient> ws;
    QString sid;
    upgradeSession(&ws, &sid);
    if (QTest::currentTestFailed())
        return;

    // Polling requests for an upgraded session are refused (engine.io: transport mismatch).
    verifyEngineError(get(sid), 400, 3, QStringLiteral("Bad request"));
    verifyEngineError(post(sid, "4hello"), 400, 3, QStringLiteral("Bad request"));

    // A second WebSocket with the same sid is closed.
    WsTestClient second(wsUrl("EIO=4&transport=websocket&sid=" + sid.toUtf8()));
    QTRY_VERIFY_WITH_TIMEOUT(second.hasEnded(), Timeout);
    QCOMPARE(second.frames().size(), 0);

    // The first keeps working.
    ws->sendText("4hello");
    QTRY_COMPARE_WITH_TIMEOUT(ws->frames().size(), 2, Timeout);
    QCOMPARE(ws->frames().at(1).data, QByteArray("4hello"));
    QVERIFY(!ws->hasEnded());
    QVERIFY(m_server->session(sid));
    QVERIFY(!serverClosed(sid).has_value());
    QCOMPARE(m_server->sessionCount(), 1);
}

// ---- HTTP front end -------------------------------------------------------------------------

void tst_EngineServer::keepAlive()
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

void tst_EngineServer::pipelining()
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

void tst_EngineServer::unknownPath_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::newRow("root") << QByteArray("/");
    QTest::newRow("file") << QByteArray("/index.html");
    QTest::newRow("other path with engine query") << QByteArray("/socket.io/?EIO=4&transport=polling");
    QTest::newRow("path prefix without slash") << QByteArray("/engine.iox/?EIO=4&transport=polling");
}

void tst_EngineServer::unknownPath()
{
    QFETCH(QByteArray, target);
    QVERIFY(startServer(quietOptions()));
    const HttpTestResponse r = request("GET", target);
    QCOMPARE(r.status, 404);
    QCOMPARE(m_server->sessionCount(), 0);
}

void tst_EngineServer::bindExternalServer()
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

void tst_EngineServer::customRequestHandler()
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

void tst_EngineServer::chunkedPost()
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

void tst_EngineServer::postTooLarge_data()
{
    QTest::addColumn<qint64>("limit");
    QTest::addColumn<bool>("chunked");
    QTest::newRow("limit 1000, Content-Length") << qint64(1000) << false;
    QTest::newRow("limit 1000, chunked") << qint64(1000) << true;
    QTest::newRow("limit 1000000, Content-Length") << qint64(1000000) << false;
}

void tst_EngineServer::postTooLarge()
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

void tst_EngineServer::websocketMessageTooLarge_data()
{
    QTest::addColumn<bool>("binary");
    QTest::newRow("text") << false;
    QTest::newRow("binary") << true;
}

void tst_EngineServer::websocketMessageTooLarge()
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

void tst_EngineServer::cors_data()
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

void tst_EngineServer::cors()
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

void tst_EngineServer::corsPreflightOptions()
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

void tst_EngineServer::cookie_data()
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

void tst_EngineServer::cookie()
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

void tst_EngineServer::compression_data()
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

void tst_EngineServer::compression()
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

void tst_EngineServer::allowRequestRefuses_data()
{
    QTest::addColumn<QString>("reason");
    QTest::addColumn<QString>("expectedMessage");
    QTest::newRow("no message") << QString() << QStringLiteral("Forbidden");
    QTest::newRow("custom message") << QStringLiteral("not today") << QStringLiteral("not today");
}

void tst_EngineServer::allowRequestRefuses()
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

void tst_EngineServer::allowRequestAccepts()
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

void tst_EngineServer::allowRequestWebSocket()
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

void tst_EngineServer::malformedHttpRequest_data()
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

void tst_EngineServer::malformedHttpRequest()
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

void tst_EngineServer::headerTooLarge_data()
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

void tst_EngineServer::headerTooLarge()
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

// ---- Observers and close reasons ------------------------------------------------------------

void tst_EngineServer::trafficEvents()
{
    QVERIFY(startServer(quietOptions()));
    QList<TrafficEvent> traffic;
    connect(m_server.get(), &EngineServer::trafficObserved, this,
            [&traffic](const TrafficEvent &event) { traffic.append(event); });
    const qint64 start = QDateTime::currentMSecsSinceEpoch();

    using Dir = TrafficEvent::Direction;
    auto eventsOf = [&](const QString &sid) {
        QList<TrafficEvent> events;
        for (const TrafficEvent &e : std::as_const(traffic)) {
            if (e.sessionId == sid)
                events.append(e);
        }
        return events;
    };
    auto indexOf = [](const QList<TrafficEvent> &events, Dir direction, EnginePacketType type, bool binary,
                      const QByteArray &data) -> qsizetype {
        for (qsizetype i = 0; i < events.size(); ++i) {
            const TrafficEvent &e = events.at(i);
            if (e.direction == direction && e.type == type && e.binary == binary && e.data == data)
                return i;
        }
        return -1;
    };
    const QByteArray bytes("\x01\x02\x03\x04", 4);

    // Polling
    const QString sid = handshake();
    QVERIFY(!sid.isEmpty());
    QCOMPARE(post(sid, payload({ "4hello", "bAQIDBA==" })).status, 200);
    QCOMPARE(get(sid).body, payload({ "4hello", "bAQIDBA==" }));
    QTRY_VERIFY_WITH_TIMEOUT(eventsOf(sid).size() >= 5, Timeout);
    QList<TrafficEvent> events = eventsOf(sid);
    const TrafficEvent open = events.first();
    QCOMPARE(open.direction, Dir::Outgoing);
    QCOMPARE(open.type, EnginePacketType::Open);
    QCOMPARE(open.transport, Transport::Polling);
    QVERIFY(open.data.contains(sid.toUtf8()));
    const qsizetype inText = indexOf(events, Dir::Incoming, EnginePacketType::Message, false, "hello");
    const qsizetype inBinary = indexOf(events, Dir::Incoming, EnginePacketType::Message, true, bytes);
    const qsizetype outText = indexOf(events, Dir::Outgoing, EnginePacketType::Message, false, "hello");
    const qsizetype outBinary = indexOf(events, Dir::Outgoing, EnginePacketType::Message, true, bytes);
    QVERIFY(inText > 0);
    QVERIFY(inBinary > inText);
    QVERIFY(outText > inText);
    QVERIFY(outBinary > outText);
    QCOMPARE(events.at(inText).size, 6); // "4hello"
    QCOMPARE(events.at(outText).size, 6);
    for (const TrafficEvent &e : std::as_const(events)) {
        QCOMPARE(e.transport, Transport::Polling);
        QVERIFY(e.timestampMs >= start);
        QVERIFY(e.timestampMs <= QDateTime::currentMSecsSinceEpoch());
        QVERIFY(e.size > 0);
    }

    // WebSocket
    std::unique_ptr<WsTestClient> ws;
    QString wsSid;
    openWebSocket(&ws, &wsSid);
    if (QTest::currentTestFailed())
        return;
    ws->sendText("4hi");
    ws->sendBinary(bytes);
    QTRY_COMPARE_WITH_TIMEOUT(ws->frames().size(), 3, Timeout);
    ws->sendText("1");
    QTRY_VERIFY_WITH_TIMEOUT(serverClosed(wsSid).has_value(), Timeout);
    events = eventsOf(wsSid);
    QVERIFY(events.size() >= 6);
    QCOMPARE(events.first().type, EnginePacketType::Open);
    QCOMPARE(events.first().direction, Dir::Outgoing);
    const qsizetype wsInText = indexOf(events, Dir::Incoming, EnginePacketType::Message, false, "hi");
    const qsizetype wsOutText = indexOf(events, Dir::Outgoing, EnginePacketType::Message, false, "hi");
    const qsizetype wsInBinary = indexOf(events, Dir::Incoming, EnginePacketType::Message, true, bytes);
    const qsizetype wsOutBinary = indexOf(events, Dir::Outgoing, EnginePacketType::Message, true, bytes);
    QVERIFY(wsInText > 0);
    QVERIFY(wsOutText > wsInText);
    QVERIFY(wsInBinary > wsInText);
    QVERIFY(wsOutBinary > wsOutText);
    QCOMPARE(events.at(wsInText).size, 3); // "4hi"
    QCOMPARE(events.at(wsInBinary).size, 4);
    QCOMPARE(events.last().direction, Dir::Incoming);
    QCOMPARE(events.last().type, EnginePacketType::Close);
    for (const TrafficEvent &e : std::as_const(events))
        QCOMPARE(e.transport, Transport::WebSocket);
}

void tst_EngineServer::sessionClose_data()
{
    QTest::addColumn<bool>("websocket");
    QTest::newRow("polling") << false;
    QTest::newRow("websocket") << true;
}

void tst_EngineServer::sessionClose()
{
    QFETCH(bool, websocket);
    QVERIFY(startServer(quietOptions()));
    QString sid;
    std::unique_ptr<WsTestClient> ws;
    std::unique_ptr<Poller> poller;
    if (websocket) {
        openWebSocket(&ws, &sid);
        if (QTest::currentTestFailed())
            return;
    } else {
        sid = handshake();
        QVERIFY(!sid.isEmpty());
        poller = std::make_unique<Poller>(m_port, sid);
        poller->start();
    }
    QPointer<EngineSession> session = m_server->session(sid);
    QVERIFY(session);
    QSignalSpy closedSpy(session.data(), &EngineSession::closed);

    // Flushes what is queued, then closes.
    session->sendText(QByteArrayLiteral("bye"));
    session->close();
    if (websocket) {
        QTRY_VERIFY_WITH_TIMEOUT(ws->hasEnded(), Timeout);
        QByteArrayList frames = ws->textFrames();
        if (!frames.isEmpty() && frames.last() == "1")
            frames.removeLast(); // an optional close packet before the close frame
        QCOMPARE(frames.mid(1), QByteArrayList({ "4bye" }));
    } else {
        QTRY_VERIFY_WITH_TIMEOUT(poller->isFinished(), Timeout);
        QCOMPARE(poller->packets, QByteArrayList({ "4bye", "1" }));
        // The close packet comes alone, after the queue drained (engine.io waits for "drain"):
        // socket.io-client would otherwise handle it before a DISCONNECT in the same payload.
        QCOMPARE(poller->bodies.last(), QByteArray("1"));
    }

    QTRY_VERIFY_WITH_TIMEOUT(serverClosed(sid).has_value(), Timeout);
    QCOMPARE(serverClosed(sid)->reason, CloseReason::ForcedClose);
    QCOMPARE(closedSpy.count(), 1);
    QCOMPARE(closedSpy.at(0).at(0).value<CloseReason>(), CloseReason::ForcedClose);
    // The session's closed() comes before the server's sessionClosed().
    QCOMPARE(m_closeOrder,
             QStringList({ QStringLiteral("session:") + sid, QStringLiteral("server:") + sid }));
    QTRY_VERIFY_WITH_TIMEOUT(session.isNull(), Timeout); // deleted later by the server
    QCOMPARE(m_server->sessionCount(), 0);
    if (!websocket)
        verifyEngineError(get(sid), 400, 1);
}

void tst_EngineServer::serverClose()
{
    QVERIFY(startServer(quietOptions()));
    std::unique_ptr<WsTestClient> ws;
    QString wsSid;
    openWebSocket(&ws, &wsSid);
    if (QTest::currentTestFailed())
        return;
    const QString pollingSid = handshake();
    QVERIFY(!pollingSid.isEmpty());
    Poller poller(m_port, pollingSid);
    poller.start();
    QCOMPARE(m_server->sessionCount(), 2);

    m_server->close();
    QVERIFY(!m_server->isListening());
    QTRY_COMPARE_WITH_TIMEOUT(m_serverClosed.size(), 2, Timeout);
    QCOMPARE(serverClosed(wsSid)->reason, CloseReason::ForcedServerClose);
    QCOMPARE(serverClosed(pollingSid)->reason, CloseReason::ForcedServerClose);
    QTRY_VERIFY_WITH_TIMEOUT(ws->hasEnded(), Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(poller.isFinished(), Timeout); // a close packet or the connection ended
    QTRY_COMPARE_WITH_TIMEOUT(m_server->sessionCount(), 0, Timeout);

    // No longer listening.
    HttpTestClient late(m_port);
    late.get(HandshakeTarget);
    QVERIFY(late.waitForDisconnected());
    QCOMPARE(late.responseCount(), 0);
}

// ---- Engine.IO v3 (allowEIO3) ----------------------------------------------------------------

namespace {

EngineOptions eio3Options(EngineOptions options)
{
    options.allowEIO3 = true;
    return options;
}

QByteArray v3Target(const QString &sid, const QByteArray &extra = {})
{
    QByteArray target = QByteArrayLiteral("/engine.io/?EIO=3&transport=polling");
    if (!sid.isEmpty())
        target += "&sid=" + sid.toUtf8();
    return target + extra;
}

// "<len>:<packet>" entries of a v3 text payload, len counted in UTF-16 code units.
QByteArrayList v3Entries(const QByteArray &payload)
{
    QByteArrayList entries;
    const QString text = QString::fromUtf8(payload);
    qsizetype pos = 0;
    while (pos < text.size()) {
        const qsizetype colon = text.indexOf(QLatin1Char(':'), pos);
        if (colon < 0)
            return { "<bad payload: " + payload + '>' };
        bool ok = false;
        const qsizetype length = text.mid(pos, colon - pos).toLongLong(&ok);
        if (!ok || colon + 1 + length > text.size())
            return { "<bad length: " + payload + '>' };
        entries.append(text.mid(colon + 1, length).toUtf8());
        pos = colon + 1 + length;
    }
    return entries;
}

QByteArray v3Payload(const QByteArrayList &packets)
{
    QByteArray out;
    for (const QByteArray &p : packets)
        out += QByteArray::number(QString::fromUtf8(p).size()) + ':' + p;
    return out;
}

} // namespace

// A v3 session over WebSocket (ws set) or polling; its sid in *sid.
void tst_EngineServer::openEio3Session(bool websocket, std::unique_ptr<WsTestClient> *ws, QString *sid)
{
    if (websocket) {
        *ws = std::make_unique<WsTestClient>(wsUrl("EIO=3&transport=websocket"));
        QTRY_VERIFY_WITH_TIMEOUT(!(*ws)->frames().isEmpty() || (*ws)->hasEnded(), Timeout);
        QVERIFY(!(*ws)->frames().isEmpty());
        *sid = parseJsonObject((*ws)->frames().first().data.mid(1)).value(QLatin1String("sid")).toString();
    } else {
        const HttpTestResponse open = request("GET", v3Target({}));
        *sid = parseJsonObject(v3Entries(open.body).value(0).mid(1)).value(QLatin1String("sid")).toString();
    }
    QVERIFY(!sid->isEmpty());
}

void tst_EngineServer::eio3Handshake_data()
{
    QTest::addColumn<bool>("websocket");
    QTest::newRow("polling") << false;
    QTest::newRow("websocket") << true;
}

void tst_EngineServer::eio3Handshake()
{
    QFETCH(bool, websocket);
    QVERIFY(startServer(eio3Options(protocolOptions())));
    QByteArray open;
    std::unique_ptr<WsTestClient> ws;
    if (websocket) {
        ws = std::make_unique<WsTestClient>(wsUrl("EIO=3&transport=websocket"));
        QTRY_VERIFY_WITH_TIMEOUT(!ws->frames().isEmpty() || ws->hasEnded(), Timeout);
        QVERIFY(!ws->frames().isEmpty());
        open = ws->frames().first().data;
    } else {
        const HttpTestResponse r = request("GET", v3Target({}));
        QCOMPARE(r.status, 200);
        verifyPollingHeaders(r);
        const QByteArrayList entries = v3Entries(r.body);
        QCOMPARE(entries.size(), 1); // the open packet alone, length-prefixed
        open = entries.first();
    }
    QVERIFY2(open.startsWith('0'), open.constData());
    const QJsonObject object = parseJsonObject(open.mid(1));
    QCOMPARE(sortedKeys(object), openPacketKeys()); // engine.io 6 sends maxPayload to v3 too
    QCOMPARE(object.value(QLatin1String("pingInterval")), QJsonValue(300));
    QCOMPARE(object.value(QLatin1String("pingTimeout")), QJsonValue(200));
    EngineSession *session = m_server->session(object.value(QLatin1String("sid")).toString());
    QVERIFY(session);
    QCOMPARE(session->protocolVersion(), 3);
    QCOMPARE(session->transport(), websocket ? Transport::WebSocket : Transport::Polling);

    // Only EIO=3 selects v3 (a deviation: engine.io takes anything but 4 as v3).
    verifyEngineError(request("GET", "/engine.io/?transport=polling"), 400, 5);
    verifyEngineError(request("GET", "/engine.io/?EIO=abc&transport=polling"), 400, 5);
}

void tst_EngineServer::eio3PollingPayloads_data()
{
    QTest::addColumn<QByteArray>("post"); // a v3 text payload
    QTest::addColumn<QByteArray>("getQuery"); // extra query of the GET
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("expected"); // the GET's body

    QTest::newRow("text, UTF-16 lengths")
        << v3Payload({ "4hello", "4€", "4😀" }) << QByteArray() << QByteArray("text/plain; charset=UTF-8")
        << QByteArray("6:4hello2:4€3:4😀");
    QTest::newRow("binary as b4 base64 with b64=1")
        << QByteArray("10:b4AQIDBA==") << QByteArray("&b64=1") << QByteArray("text/plain; charset=UTF-8")
        << QByteArray("10:b4AQIDBA==");
    QTest::newRow("binary as a v3 binary payload without b64")
        << v3Payload({ "4€", "b4AQIDBA==" }) << QByteArray() << QByteArray("application/octet-stream")
        << QByteArray::fromHex("0004ff34e282ac0105ff0401020304");
}

void tst_EngineServer::eio3PollingPayloads()
{
    QFETCH(QByteArray, post);
    QFETCH(QByteArray, getQuery);
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, expected);
    QVERIFY(startServer(eio3Options(quietOptions())));
    const HttpTestResponse open = request("GET", v3Target({}, getQuery));
    QCOMPARE(open.status, 200);
    const QString sid =
        parseJsonObject(v3Entries(open.body).value(0).mid(1)).value(QLatin1String("sid")).toString();
    QVERIFY(!sid.isEmpty());

    const HttpTestResponse posted =
        request("POST", v3Target(sid, getQuery), post, { { "Content-Type", "text/plain;charset=UTF-8" } });
    QCOMPARE(posted.status, 200);
    QCOMPARE(posted.body, QByteArray("ok"));
    const HttpTestResponse echoed = request("GET", v3Target(sid, getQuery));
    QCOMPARE(echoed.status, 200);
    QCOMPARE(echoed.header("content-type"), contentType);
    QCOMPARE(echoed.body, expected);
}

void tst_EngineServer::eio3BinaryPayloadPost()
{
    // A client with XHR2 POSTs binary data as a v3 binary payload (application/octet-stream).
    QVERIFY(startServer(eio3Options(quietOptions())));
    const HttpTestResponse open = request("GET", v3Target({}));
    const QString sid =
        parseJsonObject(v3Entries(open.body).value(0).mid(1)).value(QLatin1String("sid")).toString();
    QVERIFY(!sid.isEmpty());
    QSignalSpy binary(m_server->session(sid), &EngineSession::binaryMessageReceived);
    QSignalSpy text(m_server->session(sid), &EngineSession::textMessageReceived);
    const HttpTestResponse posted =
        request("POST", v3Target(sid), QByteArray::fromHex("0004ff34e282ac0105ff0401020304"),
                { { "Content-Type", "application/octet-stream" } });
    QCOMPARE(posted.status, 200);
    QCOMPARE(text.count(), 1);
    QCOMPARE(text.at(0).at(0).toByteArray(), QByteArray("€"));
    QCOMPARE(binary.count(), 1);
    QCOMPARE(binary.at(0).at(0).toByteArray(), QByteArray("\x01\x02\x03\x04", 4));
}

void tst_EngineServer::eio3Heartbeat_data()
{
    QTest::addColumn<bool>("websocket");
    QTest::newRow("polling") << false;
    QTest::newRow("websocket") << true;
}

void tst_EngineServer::eio3Heartbeat()
{
    // v3: the client pings (with optional data), the server answers with a pong carrying the
    // same data, and never pings itself.
    QFETCH(bool, websocket);
    QVERIFY(startServer(eio3Options(protocolOptions())));
    QList<TrafficEvent> traffic;
    connect(m_server.get(), &EngineServer::trafficObserved, this,
            [&traffic](const TrafficEvent &event) { traffic.append(event); });
    QString sid;
    std::unique_ptr<WsTestClient> ws;
    openEio3Session(websocket, &ws, &sid);
    if (QTest::currentTestFailed())
        return;
    QPointer<EngineSession> session = m_server->session(sid);
    QVERIFY(session);
    QSignalSpy heartbeat(session.data(), &EngineSession::heartbeat);

    // Five pings, more than pingInterval + pingTimeout apart in total only if the machine is
    // slow; the point is that each gets its pong and nothing else is sent.
    for (int round = 1; round <= 5; ++round) {
        const QByteArray data = round == 1 ? QByteArray("probe-ish") : QByteArray();
        if (websocket) {
            ws->sendText("2" + data);
            QTRY_VERIFY_WITH_TIMEOUT(ws->frames().size() == round + 1 || ws->hasEnded(), Timeout);
            QCOMPARE(ws->frames().last().data, "3" + data);
        } else {
            QCOMPARE(request("POST", v3Target(sid), v3Payload({ "2" + data })).status, 200);
            const HttpTestResponse pong = request("GET", v3Target(sid));
            QCOMPARE(pong.status, 200);
            QCOMPARE(v3Entries(pong.body), QByteArrayList({ "3" + data }));
        }
        QTRY_COMPARE_WITH_TIMEOUT(heartbeat.count(), round, Timeout);
    }
    QVERIFY(session);
    QCOMPARE(session->state(), EngineSession::State::Open);
    for (const TrafficEvent &e : std::as_const(traffic)) {
        if (e.direction == TrafficEvent::Direction::Outgoing)
            QVERIFY2(e.type != EnginePacketType::Ping, "the server pinged a v3 client");
    }
}

void tst_EngineServer::eio3PingTimeout_data()
{
    QTest::addColumn<bool>("websocket");
    QTest::newRow("polling") << false;
    QTest::newRow("websocket") << true;
}

void tst_EngineServer::eio3PingTimeout()
{
    // A v3 client that stops pinging is closed after pingInterval + pingTimeout, without ever
    // being pinged.
    QFETCH(bool, websocket);
    QVERIFY(startServer(eio3Options(protocolOptions())));
    QString sid;
    std::unique_ptr<WsTestClient> ws;
    openEio3Session(websocket, &ws, &sid);
    if (QTest::currentTestFailed())
        return;
    QTRY_VERIFY_WITH_TIMEOUT(serverClosed(sid).has_value(), Timeout);
    QCOMPARE(serverClosed(sid)->reason, CloseReason::PingTimeout);
    QCOMPARE(serverClosed(sid)->description, QStringLiteral("no heartbeat within 500 ms"));
    if (websocket) {
        QTRY_VERIFY_WITH_TIMEOUT(ws->hasEnded(), Timeout);
        QCOMPARE(ws->pings(), 0);
        QCOMPARE(ws->frames().size(), 1); // the open packet only
    } else {
        verifyEngineError(request("GET", v3Target(sid)), 400, 1, QStringLiteral("Session ID unknown"));
    }
}

void tst_EngineServer::heartbeatDirection_data()
{
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<QByteArray>("frame");
    QTest::newRow("v3 client sends pong") << QByteArray("EIO=3&transport=websocket") << QByteArray("3");
    QTest::newRow("v4 client sends ping") << QByteArray("EIO=4&transport=websocket") << QByteArray("2");
}

void tst_EngineServer::heartbeatDirection()
{
    // engine.io: "invalid heartbeat direction" is a transport error.
    QFETCH(QByteArray, query);
    QFETCH(QByteArray, frame);
    QVERIFY(startServer(eio3Options(quietOptions())));
    WsTestClient ws(wsUrl(query));
    QTRY_VERIFY_WITH_TIMEOUT(!ws.frames().isEmpty() || ws.hasEnded(), Timeout);
    QVERIFY(!ws.frames().isEmpty());
    const QString sid =
        parseJsonObject(ws.frames().first().data.mid(1)).value(QLatin1String("sid")).toString();
    ws.sendText(frame);
    QTRY_VERIFY_WITH_TIMEOUT(serverClosed(sid).has_value(), Timeout);
    QCOMPARE(serverClosed(sid)->reason, CloseReason::TransportError);
    QCOMPARE(serverClosed(sid)->description, QStringLiteral("invalid heartbeat direction"));
    QTRY_VERIFY_WITH_TIMEOUT(ws.hasEnded(), Timeout);
}

void tst_EngineServer::eio3WebSocketFrames()
{
    // v3 binary frames start with the packet type as a byte (4): the echo keeps it.
    QVERIFY(startServer(eio3Options(quietOptions())));
    WsTestClient ws(wsUrl("EIO=3&transport=websocket"));
    QTRY_VERIFY_WITH_TIMEOUT(!ws.frames().isEmpty() || ws.hasEnded(), Timeout);
    QVERIFY(!ws.frames().isEmpty());
    const QString sid =
        parseJsonObject(ws.frames().first().data.mid(1)).value(QLatin1String("sid")).toString();
    QSignalSpy binary(m_server->session(sid), &EngineSession::binaryMessageReceived);
    ws.sendText("4héllo");
    ws.sendBinary(QByteArray("\x04\x01\x02\x03", 4));
    QTRY_VERIFY_WITH_TIMEOUT(ws.frames().size() == 3 || ws.hasEnded(), Timeout);
    QCOMPARE(ws.frames().at(1).data, QByteArray("4héllo"));
    QVERIFY(ws.frames().at(2).binary);
    QCOMPARE(ws.frames().at(2).data, QByteArray("\x04\x01\x02\x03", 4));
    QCOMPARE(binary.count(), 1);
    QCOMPARE(binary.at(0).at(0).toByteArray(), QByteArray("\x01\x02\x03", 3));
    // A binary frame without the message type byte is a parse error.
    ws.sendBinary(QByteArray("\x02\x01", 2));
    QTRY_VERIFY_WITH_TIMEOUT(serverClosed(sid).has_value(), Timeout);
    QCOMPARE(serverClosed(sid)->reason, CloseReason::ParseError);
}

void tst_EngineServer::eio3Upgrade()
{
    // engine.io-client 3.x: polling, then a WebSocket with the sid, 2probe -> 3probe, a noop for
    // the waiting GET (in the v3 payload format), 5; then messages over the WebSocket.
    QVERIFY(startServer(eio3Options(quietOptions())));
    const HttpTestResponse open = request("GET", v3Target({}, "&b64=1"));
    const QJsonObject object = parseJsonObject(v3Entries(open.body).value(0).mid(1));
    QCOMPARE(object.value(QLatin1String("upgrades")).toArray(), QJsonArray({ QStringLiteral("websocket") }));
    const QString sid = object.value(QLatin1String("sid")).toString();
    QVERIFY(!sid.isEmpty());
    QPointer<EngineSession> session = m_server->session(sid);
    QSignalSpy upgraded(session.data(), &EngineSession::upgraded);

    WsTestClient ws(wsUrl("EIO=3&transport=websocket&sid=" + sid.toUtf8()));
    QTRY_VERIFY_WITH_TIMEOUT(ws.isConnected() || ws.hasEnded(), Timeout);
    ws.sendText("2probe");
    QTRY_VERIFY_WITH_TIMEOUT(!ws.frames().isEmpty() || ws.hasEnded(), Timeout);
    QCOMPARE(ws.textFrames(), QByteArrayList({ "3probe" }));
    const HttpTestResponse noop = request("GET", v3Target(sid, "&b64=1"));
    QCOMPARE(noop.status, 200);
    QCOMPARE(noop.body, QByteArray("1:6"));
    ws.sendText("5");
    QTRY_COMPARE_WITH_TIMEOUT(upgraded.count(), 1, Timeout);
    ws.sendText("4after");
    ws.sendText("2");
    QTRY_VERIFY_WITH_TIMEOUT(ws.frames().size() == 3 || ws.hasEnded(), Timeout);
    QCOMPARE(ws.textFrames(), QByteArrayList({ "3probe", "4after", "3" }));
    QVERIFY(session);
    QCOMPARE(session->protocolVersion(), 3);
    verifyEngineError(request("GET", v3Target(sid)), 400, 3, QStringLiteral("Bad request"));
}

void tst_EngineServer::transportsOption_data()
{
    QTest::addColumn<bool>("polling");
    QTest::addColumn<bool>("websocket");
    QTest::newRow("polling only") << true << false;
    QTest::newRow("websocket only") << false << true;
}

void tst_EngineServer::transportsOption()
{
    // The `transports` option: a transport that is not allowed is refused ("Transport unknown"),
    // and polling offers no upgrade when WebSocket is off.
    QFETCH(bool, polling);
    QFETCH(bool, websocket);
    EngineOptions options = quietOptions();
    options.transports = {};
    if (polling)
        options.transports |= Transport::Polling;
    if (websocket)
        options.transports |= Transport::WebSocket;
    QVERIFY(startServer(options));

    const HttpTestResponse r = request("GET", HandshakeTarget);
    if (polling) {
        QCOMPARE(r.status, 200);
        QCOMPARE(parseJsonObject(r.body.mid(1)).value(QLatin1String("upgrades")).toArray(), QJsonArray());
    } else {
        verifyEngineError(r, 400, 0, QStringLiteral("Transport unknown"));
    }
    WsTestClient ws(wsUrl("EIO=4&transport=websocket"));
    QTRY_VERIFY_WITH_TIMEOUT(!ws.frames().isEmpty() || ws.hasEnded(), Timeout);
    if (websocket) {
        QVERIFY(!ws.frames().isEmpty());
        QVERIFY(ws.frames().first().data.startsWith('0'));
    } else {
        QVERIFY(ws.frames().isEmpty());
        QVERIFY(!ws.isConnected());
    }
}

void tst_EngineServer::upgradeTimeout_data()
{
    QTest::addColumn<bool>("probe"); // the client sends 2probe but never 5
    QTest::newRow("no probe") << false;
    QTest::newRow("probe, no upgrade packet") << true;
}

void tst_EngineServer::upgradeTimeout()
{
    // upgradeTimeout: a WebSocket that does not complete the upgrade in time is closed; the
    // session goes on over polling.
    QFETCH(bool, probe);
    EngineOptions options = quietOptions();
    options.upgradeTimeout = 200ms;
    QVERIFY(startServer(options));
    const QString sid = handshake();
    QVERIFY(!sid.isEmpty());
    QPointer<EngineSession> session = m_server->session(sid);
    QSignalSpy upgraded(session.data(), &EngineSession::upgraded);
    WsTestClient ws(wsUrl("EIO=4&transport=websocket&sid=" + sid.toUtf8()));
    QTRY_VERIFY_WITH_TIMEOUT(ws.isConnected() || ws.hasEnded(), Timeout);
    QVERIFY(ws.isConnected());
    if (probe) {
        ws.sendText("2probe");
        QTRY_VERIFY_WITH_TIMEOUT(!ws.frames().isEmpty() || ws.hasEnded(), Timeout);
        QCOMPARE(ws.textFrames(), QByteArrayList({ "3probe" }));
    }
    QTRY_VERIFY_WITH_TIMEOUT(ws.hasEnded(), Timeout);
    QVERIFY(session);
    QCOMPARE(upgraded.count(), 0);
    QCOMPARE(session->transport(), Transport::Polling);
    QCOMPARE(session->state(), EngineSession::State::Open);
    // Polling still carries messages.
    QCOMPARE(post(sid, "4still polling").status, 200);
    const HttpTestResponse echoed = get(sid);
    QCOMPARE(echoed.status, 200);
    QCOMPARE(echoed.body, QByteArray("4still polling"));
}

QTEST_GUILESS_MAIN(tst_EngineServer)

#include "tst_engineserver.moc"
