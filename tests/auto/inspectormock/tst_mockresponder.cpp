// SPDX-License-Identifier: MIT
// MockResponder on an in-process server (port 0) with the library's Qt client as the peer: acks
// (and acks left to other handlers), emits to the sender, a room, everyone (but the sender),
// delays, namespaces created later and dynamic ones, pending actions cancelled on disconnect,
// "continue", and the note on the traffic row of the event that fired a rule.
#include "mockresponder.h"
#include "mockrulespanel.h"
#include "trafficmodel.h"

#include <SocketIo/client.h>
#include <SocketIo/namespace.h>
#include <SocketIo/server.h>
#include <SocketIo/socket.h>

#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace SocketIo;
using namespace Inspector;
using namespace std::chrono_literals;

namespace {

QList<MockRule> rules(const char *json)
{
    QString error;
    const std::optional<QList<MockRule>> parsed = MockRuleFile::parse(
        QByteArray("{\"version\": 1, \"rules\": ") + json + "}", QStringLiteral("test"), &error);
    if (!parsed)
        qFatal("bad rules in the test: %s", qPrintable(error));
    return *parsed;
}

QVariant json(const char *text)
{
    return QJsonDocument::fromJson(QByteArray("[") + text + "]").array().at(0).toVariant();
}

// One client connection to a namespace, recording every event it receives.
struct Peer
{
    std::unique_ptr<Manager> manager;
    ClientSocket *socket = nullptr;
    std::unique_ptr<QSignalSpy> events;

    Peer(quint16 port, const QString &nsp = QStringLiteral("/"))
    {
        ManagerOptions options;
        options.transports = Transport::WebSocket;
        options.reconnection = false;
        options.timeout = 5000ms;
        manager = std::make_unique<Manager>(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)), options);
        socket = manager->socket(nsp);
        events = std::make_unique<QSignalSpy>(socket, &ClientSocket::eventReceived);
        socket->open();
    }
    QStringList names() const
    {
        QStringList list;
        for (const QList<QVariant> &event : *events)
            list.append(event.at(0).toString());
        return list;
    }
    QVariantList args(int i) const { return events->at(i).at(1).toList(); }
};

} // namespace

class tst_MockResponder : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void ackWithTemplates();
    void acksLeftToOtherHandlers();
    void emitToSenderRoomAndAll();
    void delayedActions();
    void namespacesCreatedLater();
    void disconnectCancelsPending();
    void continueAndFirstMatch();
    void connectionAndDisconnectRules();
    void disabledRules();
    void notesTheTrafficRow();

private:
    bool connectPeer(Peer &peer)
    {
        QSignalSpy connected(peer.socket, &ClientSocket::connected);
        return peer.socket->isConnected() || connected.wait(5000);
    }

    std::unique_ptr<Server> m_server;
    std::unique_ptr<MockResponder> m_mock;
    quint16 m_port = 0;
};

void tst_MockResponder::init()
{
    m_server = std::make_unique<Server>();
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    m_port = m_server->serverPort();
    m_mock = std::make_unique<MockResponder>(m_server.get());
}

void tst_MockResponder::cleanup()
{
    m_mock.reset();
    m_server.reset();
}

void tst_MockResponder::ackWithTemplates()
{
    m_mock->setRules(rules(R"([
        {"name": "login", "event": "login", "args": [{"user": "*"}],
         "actions": [{"ack": {"ok": true, "user": "{{args[0].user}}", "id": "{{socket.id}}", "n": "{{args[1]}}"}}]}
    ])"));
    QSignalSpy fired(m_mock.get(), &MockResponder::ruleFired);
    Peer peer(m_port);
    QVERIFY(connectPeer(peer));
    QVariantList reply;
    AckStatus status = AckStatus::TimedOut;
    bool answered = false;
    peer.socket->emitEvent(QStringLiteral("login"), { json(R"({"user": "ann"})"), 7 }, this,
                           [&](AckStatus s, const QVariantList &args) {
                               status = s;
                               reply = args;
                               answered = true;
                           });
    QTRY_VERIFY(answered);
    QCOMPARE(status, AckStatus::Received);
    QCOMPARE(reply.size(), 1);
    const QVariantMap map = reply.at(0).toMap();
    QCOMPARE(map.value(QStringLiteral("ok")), QVariant(true));
    QCOMPARE(map.value(QStringLiteral("user")).toString(), QStringLiteral("ann"));
    QCOMPARE(map.value(QStringLiteral("id")).toString(), peer.socket->id());
    QCOMPARE(map.value(QStringLiteral("n")).toInt(), 7); // a whole-string template keeps the number
    QCOMPARE(fired.count(), 1);
    const MockFiring firing = fired.at(0).at(0).value<MockFiring>();
    QCOMPARE(firing.ruleIndex, 0);
    QCOMPARE(firing.ruleName, QStringLiteral("login"));
    QCOMPARE(firing.socketId, peer.socket->id());
    QCOMPARE(firing.nsp, QStringLiteral("/"));
    QCOMPARE(firing.event, QStringLiteral("login"));
    QVERIFY(firing.ackId >= 0);
    QVERIFY2(firing.text().startsWith(QStringLiteral("mock: rule \u2018login\u2019 \u2192 ack {\"id\":")),
             qPrintable(firing.text()));
    QCOMPARE(m_mock->hitCount(0), 1);

    // Arguments that do not match: no rule fires, nothing answers.
    bool second = false;
    peer.socket->emitEvent(
        QStringLiteral("login"), { QStringLiteral("nope") }, this,
        [&](AckStatus, const QVariantList &) { second = true; }, 300ms);
    QTRY_VERIFY(second); // the client's timeout, as nothing answered
    QCOMPARE(fired.count(), 1);
    QCOMPARE(m_mock->hitCount(0), 1);
}

void tst_MockResponder::acksLeftToOtherHandlers()
{
    // The rule emits but does not ack: the application's handler answers the ack.
    m_mock->setRules(rules(R"([{"event": "ask", "actions": [{"emit": "seen", "args": ["{{args[0]}}"]}]}])"));
    connect(m_server->mainNamespace(), &Namespace::socketConnected, this, [this](Socket *socket) {
        socket->on(QStringLiteral("ask"), this, [](const QVariantList &, const Ack &ack) {
            ack.send({ QStringLiteral("from the app") });
        });
    });
    Peer peer(m_port);
    QVERIFY(connectPeer(peer));
    QVariantList reply;
    peer.socket->emitEvent(QStringLiteral("ask"), { 1 }, this,
                           [&](AckStatus, const QVariantList &args) { reply = args; });
    QTRY_COMPARE(reply, QVariantList{ QStringLiteral("from the app") });
    QTRY_COMPARE(peer.names(), QStringList{ QStringLiteral("seen") });
    QCOMPARE(peer.args(0), QVariantList{ 1 });
}

void tst_MockResponder::emitToSenderRoomAndAll()
{
    m_mock->setRules(rules(R"([
        {"event": "join", "actions": [{"join": "{{args[0]}}"}, {"ack": []}]},
        {"event": "say", "actions": [{"emit": "said", "args": ["{{socket.id}}", "{{args[0]}}"], "to": "room",
                                      "room": "r1", "exceptSender": true}]},
        {"event": "roomAll", "actions": [{"emit": "roomAll", "args": ["{{args[0]}}"], "to": "room", "room": "r1"}]},
        {"event": "me", "actions": [{"emit": "you", "args": "{{args[0]}}", "to": "sender"}]},
        {"event": "all", "actions": [{"emit": "everyone", "to": "all"}]},
        {"event": "others", "actions": [{"emit": "others", "to": "all", "exceptSender": true}]}
    ])"));
    Peer a(m_port), b(m_port), c(m_port);
    QVERIFY(connectPeer(a) && connectPeer(b) && connectPeer(c));
    int joined = 0;
    for (Peer *peer : { &a, &b })
        peer->socket->emitEvent(QStringLiteral("join"), { QStringLiteral("r1") }, this,
                                [&](AckStatus, const QVariantList &) { ++joined; });
    QTRY_COMPARE(joined, 2);
    QCOMPARE(m_server->mainNamespace()->roomSize(QStringLiteral("r1")), 2);

    a.socket->emitEvent(QStringLiteral("say"), { QStringLiteral("hi") });
    a.socket->emitEvent(QStringLiteral("roomAll"), { 2 });
    a.socket->emitEvent(QStringLiteral("me"), { json(R"({"x": 1})") });
    a.socket->emitEvent(QStringLiteral("all"));
    a.socket->emitEvent(QStringLiteral("others"));
    // Each peer gets its events in the order the server sent them.
    QTRY_COMPARE(
        a.names(),
        QStringList({ QStringLiteral("roomAll"), QStringLiteral("you"), QStringLiteral("everyone") }));
    QTRY_COMPARE(b.names(),
                 QStringList({ QStringLiteral("said"), QStringLiteral("roomAll"), QStringLiteral("everyone"),
                               QStringLiteral("others") }));
    QTRY_COMPARE(c.names(), QStringList({ QStringLiteral("everyone"), QStringLiteral("others") }));
    QCOMPARE(b.args(0), QVariantList({ a.socket->id(), QStringLiteral("hi") }));
    QCOMPARE(QJsonValue::fromVariant(a.args(1).value(0)),
             QJsonValue(QJsonObject{ { QStringLiteral("x"), 1 } }));
    // A's "others" would have come before anything sent later: the server answers in order.
    a.socket->emitEvent(QStringLiteral("me"), { 2 });
    QTRY_COMPARE(a.events->count(), 4);
    QCOMPARE(a.names().last(), QStringLiteral("you"));
}

void tst_MockResponder::delayedActions()
{
    m_mock->setRules(rules(R"([
        {"event": "slow", "delay": 200, "actions": [{"emit": "late", "args": "{{args[0]}}"}, {"ack": "later"}]},
        {"event": "mixed", "actions": [{"emit": "second", "delay": 150}, {"emit": "first"}]}
    ])"));
    Peer peer(m_port);
    QVERIFY(connectPeer(peer));
    QSignalSpy fired(m_mock.get(), &MockResponder::ruleFired);
    QVariantList reply;
    peer.socket->emitEvent(QStringLiteral("slow"), { 1 }, this,
                           [&](AckStatus, const QVariantList &args) { reply = args; });
    QTRY_COMPARE(m_mock->pendingCount(), 2);
    peer.socket->emitEvent(QStringLiteral("mixed"));
    QTRY_COMPARE(fired.count(), 2);
    // Each delay said once, the action's own or the rule's.
    const QString slow = fired.at(0).at(0).value<MockFiring>().text();
    QCOMPARE(slow.count(QStringLiteral("after 200 ms")), 2);
    QVERIFY2(!slow.contains(QStringLiteral("ms after")), qPrintable(slow));
    const QString mixed = fired.at(1).at(0).value<MockFiring>().text();
    QCOMPARE(mixed.count(QStringLiteral("after 150 ms")), 1);
    QVERIFY2(!mixed.contains(QStringLiteral("ms after")), qPrintable(mixed));
    QTRY_COMPARE(peer.events->count(), 3);
    // The immediate one first, then by delay.
    QCOMPARE(peer.names(),
             QStringList({ QStringLiteral("first"), QStringLiteral("second"), QStringLiteral("late") }));
    QTRY_COMPARE(reply, QVariantList{ QStringLiteral("later") });
    QCOMPARE(m_mock->pendingCount(), 0);
}

void tst_MockResponder::namespacesCreatedLater()
{
    m_mock->setRules(rules(R"([
        {"namespace": "*", "event": "ping", "actions": [{"emit": "pong", "args": "{{nsp}}"}]},
        {"namespace": "/listed", "event": "x", "actions": []}
    ])"));
    // A literal namespace of a rule exists at once; a namespace created later is watched too.
    QVERIFY(m_server->findNamespace(QStringLiteral("/listed")));
    m_server->of(QStringLiteral("/later"));
    // The server's own dynamic namespaces, and the ones a wildcard rule makes dynamic.
    m_server->addDynamicNamespace(QRegularExpression(QStringLiteral("^/dyn-\\d+$")));
    Peer later(m_port, QStringLiteral("/later"));
    Peer dynamic(m_port, QStringLiteral("/dyn-42"));
    Peer listed(m_port, QStringLiteral("/listed"));
    QVERIFY(connectPeer(later) && connectPeer(dynamic) && connectPeer(listed));
    for (Peer *peer : { &later, &dynamic, &listed })
        peer->socket->emitEvent(QStringLiteral("ping"));
    QTRY_COMPARE(later.names(), QStringList{ QStringLiteral("pong") });
    QTRY_COMPARE(dynamic.names(), QStringList{ QStringLiteral("pong") });
    QTRY_COMPARE(listed.names(), QStringList{ QStringLiteral("pong") });
    QCOMPARE(dynamic.args(0), QVariantList{ QStringLiteral("/dyn-42") });

    // A wildcard namespace in a rule lets clients create matching namespaces; "*" alone does not.
    m_mock->setRules(rules(R"([{"namespace": "/room-*", "event": "ping", "actions": [{"emit": "pong"}]}])"));
    Peer room(m_port, QStringLiteral("/room-7"));
    QVERIFY(connectPeer(room));
    room.socket->emitEvent(QStringLiteral("ping"));
    QTRY_COMPARE(room.names(), QStringList{ QStringLiteral("pong") });
    Peer refused(m_port, QStringLiteral("/elsewhere"));
    QSignalSpy error(refused.socket, &ClientSocket::connectErrorOccurred);
    QTRY_COMPARE(error.count(), 1);
    QVERIFY(!m_server->findNamespace(QStringLiteral("/elsewhere")));
}

void tst_MockResponder::disconnectCancelsPending()
{
    m_mock->setRules(rules(R"([{"event": "slow", "delay": 60000, "actions": [{"emit": "never"}]},
                               {"event": "other", "delay": 60000, "actions": [{"emit": "never"}]}])"));
    Peer leaving(m_port);
    Peer staying(m_port);
    QVERIFY(connectPeer(leaving) && connectPeer(staying));
    leaving.socket->emitEvent(QStringLiteral("slow"));
    staying.socket->emitEvent(QStringLiteral("other"));
    QTRY_COMPARE(m_mock->pendingCount(), 2);
    QSignalSpy left(m_server->mainNamespace(), &Namespace::socketDisconnected);
    leaving.socket->close();
    QTRY_COMPARE(left.count(), 1);
    QCOMPARE(m_mock->pendingCount(), 1); // only the staying socket's
    staying.manager->close();
    QTRY_COMPARE(m_mock->pendingCount(), 0);
}

void tst_MockResponder::continueAndFirstMatch()
{
    m_mock->setRules(rules(R"([
        {"name": "log", "event": "*", "continue": true, "actions": [{"emit": "logged", "args": "{{event}}"}]},
        {"name": "specific", "event": "hi", "args": ["x"], "actions": [{"emit": "specific"}]},
        {"name": "general", "event": "hi", "actions": [{"emit": "general"}]}
    ])"));
    Peer peer(m_port);
    QVERIFY(connectPeer(peer));
    peer.socket->emitEvent(QStringLiteral("hi"), { QStringLiteral("x") });
    peer.socket->emitEvent(QStringLiteral("hi"), { QStringLiteral("y") });
    QTRY_COMPARE(peer.events->count(), 4);
    QCOMPARE(peer.names(),
             QStringList({ QStringLiteral("logged"), QStringLiteral("specific"), QStringLiteral("logged"),
                           QStringLiteral("general") }));
    QCOMPARE(m_mock->hitCount(0), 2);
    QCOMPARE(m_mock->hitCount(1), 1);
    QCOMPARE(m_mock->hitCount(2), 1);
}

void tst_MockResponder::connectionAndDisconnectRules()
{
    m_mock->setRules(rules(R"([
        {"event": "connection", "actions": [{"join": "lobby"}, {"set": {"token": "{{args[0].token}}"}},
                                            {"emit": "welcome", "args": "{{socket.data.token}}"}]},
        {"event": "disconnect", "actions": [{"emit": "left", "args": ["{{socket.id}}", "{{args[0]}}"], "to": "all",
                                             "exceptSender": true}, {"emit": "skipped"}]}
    ])"));
    Peer a(m_port);
    a.socket->setAuth(json(R"({"token": "t1"})"));
    Peer b(m_port);
    QVERIFY(connectPeer(a) && connectPeer(b));
    QTRY_COMPARE(a.names(), QStringList{ QStringLiteral("welcome") });
    QCOMPARE(a.args(0), QVariantList{ QStringLiteral("t1") });
    QCOMPARE(m_server->mainNamespace()->roomSize(QStringLiteral("lobby")), 2);
    const QString aId = a.socket->id();
    a.socket->close();
    QTRY_COMPARE(b.events->count(), 2);
    QCOMPARE(b.names().last(), QStringLiteral("left"));
    QCOMPARE(b.args(1), QVariantList({ aId, QStringLiteral("client namespace disconnect") }));
}

void tst_MockResponder::disabledRules()
{
    m_mock->setRules(rules(R"([{"enabled": false, "event": "e", "actions": [{"emit": "one"}]},
                               {"event": "e", "actions": [{"emit": "two"}]}])"));
    Peer peer(m_port);
    QVERIFY(connectPeer(peer));
    Socket *serverSide = m_server->mainNamespace()->socket(peer.socket->id());
    QVERIFY(serverSide);
    QSignalSpy received(serverSide, &Socket::eventReceived);
    peer.socket->emitEvent(QStringLiteral("e"));
    QTRY_COMPARE(peer.names(), QStringList{ QStringLiteral("two") });
    m_mock->setRuleEnabled(0, true);
    peer.socket->emitEvent(QStringLiteral("e"));
    QTRY_COMPARE(peer.events->count(), 2);
    QCOMPARE(peer.names().last(), QStringLiteral("one"));
    m_mock->setAllEnabled(false);
    peer.socket->emitEvent(QStringLiteral("e"));
    QTRY_COMPARE(received.count(), 3);
    m_mock->setAllEnabled(true);
    peer.socket->emitEvent(QStringLiteral("e"));
    QTRY_COMPARE(peer.events->count(), 3); // the third emit found every rule disabled
    QCOMPARE(m_mock->hitCount(0), 2);
}

void tst_MockResponder::notesTheTrafficRow()
{
    TrafficModel traffic;
    connect(m_server.get(), &Server::trafficObserved, &traffic, &TrafficModel::addEvent);
    connect(m_mock.get(), &MockResponder::ruleFired, &traffic,
            [&traffic](const MockFiring &firing) { QVERIFY(MockRulesPanel::noteFiring(&traffic, firing)); });
    m_mock->setRules(
        rules(R"([{"name": "greet", "event": "hello", "actions": [{"ack": "hi {{args[0]}}"}]}])"));
    Peer peer(m_port);
    QVERIFY(connectPeer(peer));
    QVariantList reply;
    peer.socket->emitEvent(QStringLiteral("hello"), { QStringLiteral("ann") }, this,
                           [&](AckStatus, const QVariantList &args) { reply = args; });
    peer.socket->emitEvent(QStringLiteral("unmatched"));
    QTRY_COMPARE(reply, QVariantList{ QStringLiteral("hi ann") });
    QTRY_VERIFY(traffic.rowCount() > 0);
    traffic.flush();
    int noted = 0;
    for (int i = 0; i < traffic.rowCount(); ++i) {
        const TrafficRow &row = traffic.rowAt(i);
        if (row.note.isEmpty())
            continue;
        ++noted;
        QCOMPARE(row.event, QStringLiteral("hello"));
        QCOMPARE(row.direction, TrafficRow::Direction::Incoming);
        QCOMPARE(row.note, QStringLiteral("mock: rule \u2018greet\u2019 \u2192 ack \"hi ann\""));
        const QString summary = traffic.index(i, TrafficModel::SummaryColumn).data().toString();
        QVERIFY2(summary.startsWith(QStringLiteral("[mock: rule \u2018greet\u2019")), qPrintable(summary));
        QVERIFY(row.searchText().contains(QStringLiteral("mock: rule")));
    }
    QCOMPARE(noted, 1);
}

QTEST_GUILESS_MAIN(tst_MockResponder)
#include "tst_mockresponder.moc"
