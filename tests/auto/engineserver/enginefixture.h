// SPDX-License-Identifier: MIT
//
// The fixture shared by the Engine.IO loopback suites (tst_engine_*.cpp): an in-process echo
// server (docs/echo-server.md) with the timings of the conformance cases (docs/conformance.md),
// the clients that talk to it (one HTTP request, a WebSocket, a long-polling loop) and the
// server's signals as it emitted them.
#pragma once

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

inline constexpr int Timeout = 5000; // generous: the machine may be busy
inline constexpr char RecordSeparator = '\x1e';
inline const QByteArray HandshakeTarget = QByteArrayLiteral("/engine.io/?EIO=4&transport=polling");

inline QByteArray pollTarget(const QString &sid)
{
    return QByteArrayLiteral("/engine.io/?EIO=4&transport=polling&sid=") + sid.toUtf8();
}

inline QByteArray payload(const QByteArrayList &packets)
{
    return packets.join(RecordSeparator);
}

inline QJsonObject parseJsonObject(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

inline QStringList sortedKeys(const QJsonObject &object)
{
    QStringList keys = object.keys();
    keys.sort();
    return keys;
}

inline QStringList openPacketKeys()
{
    return { QStringLiteral("maxPayload"), QStringLiteral("pingInterval"), QStringLiteral("pingTimeout"),
             QStringLiteral("sid"), QStringLiteral("upgrades") };
}

// Comma-separated header value as a lower-case token list.
inline QByteArrayList headerTokens(const QByteArray &value)
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
inline std::optional<QByteArray> inflateBody(const QByteArray &data, int windowBits)
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
inline void letServerRead(HttpTestClient &client)
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

class EngineFixture : public QObject
{
protected:
    void initTestCase();
    void cleanup();

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
inline EngineOptions EngineFixture::protocolOptions()
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
inline EngineOptions EngineFixture::quietOptions()
{
    EngineOptions options = protocolOptions();
    options.pingInterval = 60000ms;
    options.pingTimeout = 60000ms;
    return options;
}

inline bool EngineFixture::startServer(const EngineOptions &options)
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

inline void EngineFixture::initTestCase()
{
    qRegisterMetaType<EngineSession *>();
    qRegisterMetaType<CloseReason>();
    qRegisterMetaType<Transport>();
}

inline void EngineFixture::cleanup()
{
    m_server.reset();
    m_port = 0;
}

inline QUrl EngineFixture::wsUrl(const QByteArray &query) const
{
    return QUrl(
        QStringLiteral("ws://127.0.0.1:%1/engine.io/?%2").arg(m_port).arg(QString::fromLatin1(query)));
}

inline HttpTestResponse EngineFixture::request(const QByteArray &method, const QByteArray &target,
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

inline QString EngineFixture::handshake(const HttpTestClient::Headers &headers, HttpTestResponse *response)
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

inline void EngineFixture::verifyEngineError(const HttpTestResponse &response, int status, int code,
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

inline void EngineFixture::verifyPollingHeaders(const HttpTestResponse &response)
{
    QCOMPARE(response.header("content-type"), QByteArray("text/plain; charset=UTF-8"));
    QCOMPARE(response.header("cache-control"), QByteArray("no-store"));
}

// A fresh WebSocket-only session; returns after the open packet.
inline void EngineFixture::openWebSocket(std::unique_ptr<WsTestClient> *ws, QString *sid, bool autoPong)
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
inline void EngineFixture::upgradeSession(std::unique_ptr<WsTestClient> *ws, QString *sid)
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

inline std::optional<ClosedRecord> EngineFixture::serverClosed(const QString &sid) const
{
    for (const ClosedRecord &r : m_serverClosed) {
        if (r.sid == sid)
            return r;
    }
    return std::nullopt;
}

inline std::optional<ClosedRecord> EngineFixture::sessionClosed(const QString &sid) const
{
    for (const ClosedRecord &r : m_sessionClosed) {
        if (r.sid == sid)
            return r;
    }
    return std::nullopt;
}
