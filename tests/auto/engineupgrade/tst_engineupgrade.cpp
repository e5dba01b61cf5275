// SPDX-License-Identifier: MIT
//
// Loopback test of EngineServer's WebSocket upgrades beyond the first: a second WebSocket with
// the sid of a session that is upgrading or already upgraded (PROTOCOL.md case 17). engine.io 6
// (server.js onWebSocket) completes that WebSocket's handshake and then closes it; the session
// and its first WebSocket carry on.

#include "httptestclient.h"

#include <SocketIo/engineoptions.h>
#include <SocketIo/engineserver.h>
#include <SocketIo/enginesession.h>

#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>

#include <memory>

using namespace SocketIo;
using namespace std::chrono_literals;

namespace {

constexpr int Timeout = 5000;

// A QWebSocket that records what it went through.
struct WsClient
{
    explicit WsClient(const QUrl &url)
        : connected(&socket, &QWebSocket::connected)
        , disconnected(&socket, &QWebSocket::disconnected)
        , texts(&socket, &QWebSocket::textMessageReceived)
    {
        socket.open(url);
    }
    ~WsClient() { socket.abort(); }
    QWebSocket socket;
    QSignalSpy connected;
    QSignalSpy disconnected;
    QSignalSpy texts;
    QString text(int i) const { return texts.at(i).at(0).toString(); }
};

} // namespace

class tst_EngineUpgrade : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void secondWebSocketAfterUpgrade(); // case 17
    void secondWebSocketWhileUpgrading();

private:
    QString handshake();
    QUrl wsUrl(const QString &sid) const;
    // Polling session upgraded to *ws (probe, then "5"), or left upgrading when complete is false.
    void upgrade(std::unique_ptr<WsClient> *ws, QString *sid, bool complete);

    std::unique_ptr<EngineServer> m_server;
    quint16 m_port = 0;
};

void tst_EngineUpgrade::init()
{
    EngineOptions options;
    options.pingInterval = 60000ms;
    options.pingTimeout = 60000ms;
    m_server = std::make_unique<EngineServer>(options);
    connect(m_server.get(), &EngineServer::sessionOpened, this, [](EngineSession *session) {
        connect(session, &EngineSession::textMessageReceived, session,
                [session](const QByteArray &utf8) { session->sendText(utf8); });
    });
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    m_port = m_server->serverPort();
}

void tst_EngineUpgrade::cleanup()
{
    m_server.reset();
}

QString tst_EngineUpgrade::handshake()
{
    HttpTestClient client(m_port);
    client.get("/engine.io/?EIO=4&transport=polling");
    if (!client.waitForResponses(1, Timeout))
        return {};
    const QByteArray body = client.response(0).body;
    return QJsonDocument::fromJson(body.mid(1)).object().value(QLatin1String("sid")).toString();
}

QUrl tst_EngineUpgrade::wsUrl(const QString &sid) const
{
    return QUrl(
        QStringLiteral("ws://127.0.0.1:%1/engine.io/?EIO=4&transport=websocket&sid=%2").arg(m_port).arg(sid));
}

void tst_EngineUpgrade::upgrade(std::unique_ptr<WsClient> *ws, QString *sid, bool complete)
{
    *sid = handshake();
    QVERIFY(!sid->isEmpty());
    QPointer<EngineSession> session = m_server->session(*sid);
    QVERIFY(session);
    QSignalSpy upgrading(session.data(), &EngineSession::upgrading);
    QSignalSpy upgraded(session.data(), &EngineSession::upgraded);
    *ws = std::make_unique<WsClient>(wsUrl(*sid));
    WsClient *first = ws->get();
    QTRY_COMPARE_WITH_TIMEOUT(first->connected.count(), 1, Timeout);
    first->socket.sendTextMessage(QStringLiteral("2probe"));
    QTRY_COMPARE_WITH_TIMEOUT(first->texts.count(), 1, Timeout);
    QCOMPARE(first->text(0), QStringLiteral("3probe"));
    QTRY_COMPARE_WITH_TIMEOUT(upgrading.count(), 1, Timeout);
    if (!complete)
        return;
    first->socket.sendTextMessage(QStringLiteral("5"));
    QTRY_COMPARE_WITH_TIMEOUT(upgraded.count(), 1, Timeout);
    QVERIFY(session->isUpgraded());
}

void tst_EngineUpgrade::secondWebSocketAfterUpgrade()
{
    std::unique_ptr<WsClient> first;
    QString sid;
    upgrade(&first, &sid, true);
    if (QTest::currentTestFailed())
        return;

    // The handshake completes (101), then the server closes it without a packet.
    WsClient second(wsUrl(sid));
    QTRY_COMPARE_WITH_TIMEOUT(second.disconnected.count(), 1, Timeout);
    QCOMPARE(second.connected.count(), 1); // not refused with 400
    QCOMPARE(second.socket.closeCode(), QWebSocketProtocol::CloseCodeNormal);
    QCOMPARE(second.texts.count(), 0);

    // The first WebSocket keeps working; the session is the same.
    first->socket.sendTextMessage(QStringLiteral("4hello"));
    QTRY_COMPARE_WITH_TIMEOUT(first->texts.count(), 2, Timeout);
    QCOMPARE(first->text(1), QStringLiteral("4hello"));
    QCOMPARE(first->disconnected.count(), 0);
    QCOMPARE(m_server->sessionCount(), 1);
    QVERIFY(m_server->session(sid));
}

void tst_EngineUpgrade::secondWebSocketWhileUpgrading()
{
    std::unique_ptr<WsClient> first;
    QString sid;
    upgrade(&first, &sid, false);
    if (QTest::currentTestFailed())
        return;
    QPointer<EngineSession> session = m_server->session(sid);
    QVERIFY(session);
    QSignalSpy upgraded(session.data(), &EngineSession::upgraded);

    // engine.io: "transport has already been trying to upgrade": accepted, then closed.
    WsClient second(wsUrl(sid));
    QTRY_COMPARE_WITH_TIMEOUT(second.disconnected.count(), 1, Timeout);
    QCOMPARE(second.connected.count(), 1);
    QCOMPARE(second.texts.count(), 0);

    // The first upgrade still completes.
    first->socket.sendTextMessage(QStringLiteral("5"));
    QTRY_COMPARE_WITH_TIMEOUT(upgraded.count(), 1, Timeout);
    first->socket.sendTextMessage(QStringLiteral("4hi"));
    QTRY_COMPARE_WITH_TIMEOUT(first->texts.count(), 2, Timeout);
    QCOMPARE(first->text(1), QStringLiteral("4hi"));
    QCOMPARE(first->disconnected.count(), 0);
}

QTEST_GUILESS_MAIN(tst_EngineUpgrade)
#include "tst_engineupgrade.moc"
