// SPDX-License-Identifier: MIT
// Record and replay (docs/record-replay.md): FlowDiff on rows of items, recording files, and
// FlowRecorder/FlowReplayer with the Qt client against an in-process server on port 0.
#include "flowdiff.h"
#include "flowrecorder.h"
#include "flowreplayer.h"
#include "harformat.h"
#include "mainwindow.h"
#include "replaydialog.h"
#include "servermonitor.h"
#include "trafficmodel.h"

#include <SocketIo/client.h>
#include <SocketIo/namespace.h>
#include <SocketIo/server.h>
#include <SocketIo/socket.h>

#include <QAction>
#include <QFuture>
#include <QJsonDocument>
#include <QLabel>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace Inspector;
using namespace SocketIo;
using namespace std::chrono_literals;

Q_DECLARE_METATYPE(QList<Inspector::FlowItem>)
Q_DECLARE_METATYPE(Inspector::FlowReplayTiming)

namespace {

QJsonArray json(const char *text)
{
    return QJsonDocument::fromJson(QByteArray(text)).array();
}

FlowItem ev(const QString &name, const char *args, int index = 1, const QString &nsp = QStringLiteral("/"))
{
    FlowItem item;
    item.kind = FlowItem::Kind::Event;
    item.event = name;
    item.args = json(args);
    item.index = index;
    item.nsp = nsp;
    return item;
}

FlowItem ackReply(const QString &name, const char *args, int index = 1)
{
    FlowItem item = ev(name, args, index);
    item.kind = FlowItem::Kind::AckReply;
    return item;
}

QStringList lines(const FlowDiff &diff)
{
    QStringList out;
    for (const FlowDifference &d : diff.differences())
        out.append(d.toText());
    return out;
}

} // namespace

class tst_InspectorReplay : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void diff_data();
    void diff();
    void defaultIgnores();
    void socketIds();
    void diffJson();
    void ignorePathValidation();
    void loadExportedLog();
    void loadErrors();
    void recordAndReplay_data();
    void recordAndReplay();
    void replayCannotConnect();
    void dialog();

private:
    void startServer();
    void recordShop(const QUrl &url, const QString &file);
    std::unique_ptr<Server> m_server;
    bool m_changed = false;
    bool m_dropSecondOrderEvent = false;
};

void tst_InspectorReplay::diff_data()
{
    QTest::addColumn<QList<FlowItem>>("recorded");
    QTest::addColumn<QList<FlowItem>>("replayed");
    QTest::addColumn<QStringList>("ignore");
    QTest::addColumn<QStringList>("expected");

    const QList<FlowItem> flow{ ev(QStringLiteral("a"), "[1]"), ev(QStringLiteral("b"), "[2]") };
    QTest::newRow("equal") << flow << flow << QStringList() << QStringList();
    QTest::newRow("numbers by value")
        << QList<FlowItem>{ ev(QStringLiteral("n"), "[1]") }
        << QList<FlowItem>{ ev(QStringLiteral("n"), "[1.0]") } << QStringList() << QStringList();
    QTest::newRow("missing") << flow << QList<FlowItem>{ flow.first() } << QStringList()
                             << QStringList{ QStringLiteral("missing event \"b\" #1: [2]") };
    QTest::newRow("extra") << QList<FlowItem>{ flow.first() } << flow << QStringList()
                           << QStringList{ QStringLiteral("extra event \"b\" #1: [2]") };
    QTest::newRow("missing second occurrence")
        << QList<FlowItem>{ ev(QStringLiteral("a"), "[1]"), ev(QStringLiteral("a"), "[1]", 2) }
        << QList<FlowItem>{ ev(QStringLiteral("a"), "[1]") } << QStringList()
        << QStringList{ QStringLiteral("missing event \"a\" #2: [1]") };
    QTest::newRow("payload change with path")
        << QList<FlowItem>{ ev(QStringLiteral("order"), R"([{"total":1}])"),
                            ev(QStringLiteral("order"), R"([{"total":42,"items":[{"sku":"x"}]}])", 2) }
        << QList<FlowItem>{ ev(QStringLiteral("order"), R"([{"total":1}])"),
                            ev(QStringLiteral("order"), R"([{"total":43,"items":[{"sku":"y"}]}])", 2) }
        << QStringList()
        << QStringList{ QStringLiteral("event \"order\" #2 args[0].items[0].sku: \"x\" \u2192 \"y\""),
                        QStringLiteral("event \"order\" #2 args[0].total: 42 \u2192 43") };
    QTest::newRow("absent key, extra argument, odd key")
        << QList<FlowItem>{ ev(QStringLiteral("e"), R"([{"a b":1,"gone":true}])") }
        << QList<FlowItem>{ ev(QStringLiteral("e"), R"([{"a b":2},"more"])") } << QStringList()
        << QStringList{ QStringLiteral("event \"e\" #1 args[0][\"a b\"]: 1 \u2192 2"),
                        QStringLiteral("event \"e\" #1 args[0].gone: true \u2192 (absent)"),
                        QStringLiteral("event \"e\" #1 args[1]: (absent) \u2192 \"more\"") };
    QTest::newRow("ack change")
        << QList<FlowItem>{ ackReply(QStringLiteral("order"), R"([{"status":"accepted"}])") }
        << QList<FlowItem>{ ackReply(QStringLiteral("order"), R"([{"status":"rejected"}])") } << QStringList()
        << QStringList{ QStringLiteral(
               "ack of \"order\" #1 args[0].status: \"accepted\" \u2192 \"rejected\"") };
    QTest::newRow("missing ack") << QList<FlowItem>{ ackReply(QStringLiteral("order"), "[true]", 2) }
                                 << QList<FlowItem>() << QStringList()
                                 << QStringList{ QStringLiteral("missing ack of \"order\" #2: [true]") };
    QTest::newRow("order change")
        << QList<FlowItem>{ ev(QStringLiteral("a"), "[]"), ev(QStringLiteral("b"), "[]"),
                            ev(QStringLiteral("c"), "[]") }
        << QList<FlowItem>{ ev(QStringLiteral("b"), "[]"), ev(QStringLiteral("a"), "[]"),
                            ev(QStringLiteral("c"), "[]") }
        << QStringList()
        << QStringList{ QStringLiteral(
               "order: event \"a\" #1 now comes after event \"b\" #1 (recorded before it)") };
    QTest::newRow("order moved to the front")
        << QList<FlowItem>{ ev(QStringLiteral("a"), "[]"), ev(QStringLiteral("b"), "[]"),
                            ev(QStringLiteral("c"), "[]") }
        << QList<FlowItem>{ ev(QStringLiteral("c"), "[]"), ev(QStringLiteral("a"), "[]"),
                            ev(QStringLiteral("b"), "[]") }
        << QStringList()
        << QStringList{ QStringLiteral(
               "order: event \"c\" #1 now comes before event \"a\" #1 (recorded after it)") };
    QTest::newRow("order is per namespace")
        << QList<FlowItem>{ ev(QStringLiteral("a"), "[]"),
                            ev(QStringLiteral("b"), "[]", 1, QStringLiteral("/chat")) }
        << QList<FlowItem>{ ev(QStringLiteral("b"), "[]", 1, QStringLiteral("/chat")),
                            ev(QStringLiteral("a"), "[]") }
        << QStringList() << QStringList();
    QTest::newRow("namespace in the label")
        << QList<FlowItem>{ ev(QStringLiteral("news"), "[1]", 1, QStringLiteral("/chat")) }
        << QList<FlowItem>{ ev(QStringLiteral("news"), "[2]", 1, QStringLiteral("/chat")) } << QStringList()
        << QStringList{ QStringLiteral("/chat event \"news\" #1 args[0]: 1 \u2192 2") };

    const QList<FlowItem> before{ ev(QStringLiteral("order"), R"([{"total":42,"note":"x"},{"updated":1}])"),
                                  ackReply(QStringLiteral("order"), R"([{"note":"x"}])") };
    const QList<FlowItem> after{ ev(QStringLiteral("order"), R"([{"total":43,"note":"y"},{"updated":2}])"),
                                 ackReply(QStringLiteral("order"), R"([{"note":"y"}])") };
    QTest::newRow("ignored path")
        << before << after
        << QStringList{ QStringLiteral("order.args[0].note"), QStringLiteral("order.args[1]") }
        << QStringList{ QStringLiteral("event \"order\" #1 args[0].total: 42 \u2192 43"),
                        QStringLiteral("ack of \"order\" #1 args[0].note: \"x\" \u2192 \"y\"") };
    QTest::newRow("wildcards")
        << before << after
        << QStringList{ QStringLiteral("*.args[*].note"), QStringLiteral("order.**.updated") }
        << QStringList{ QStringLiteral("event \"order\" #1 args[0].total: 42 \u2192 43") };
    QTest::newRow("only the ack") << before << after
                                  << QStringList{ QStringLiteral("ack:order.args[0].note"),
                                                  QStringLiteral("order.args[0].total"),
                                                  QStringLiteral("order.args[1]") }
                                  << QStringList{ QStringLiteral(
                                         "event \"order\" #1 args[0].note: \"x\" \u2192 \"y\"") };
    QTest::newRow("with a namespace")
        << QList<FlowItem>{ ev(QStringLiteral("news"), "[{\"v\":1}]", 1, QStringLiteral("/chat")),
                            ev(QStringLiteral("news"), "[{\"v\":1}]") }
        << QList<FlowItem>{ ev(QStringLiteral("news"), "[{\"v\":2}]", 1, QStringLiteral("/chat")),
                            ev(QStringLiteral("news"), "[{\"v\":2}]") }
        << QStringList{ QStringLiteral("/chat:news.args[*].v") }
        << QStringList{ QStringLiteral("event \"news\" #1 args[0].v: 1 \u2192 2") };
    QTest::newRow("a prefix is not a name")
        << QList<FlowItem>{ ev(QStringLiteral("e"), R"([{"total":1,"totalTax":1}])") }
        << QList<FlowItem>{ ev(QStringLiteral("e"), R"([{"total":1,"totalTax":2}])") }
        << QStringList{ QStringLiteral("e.args[0].total") }
        << QStringList{ QStringLiteral("event \"e\" #1 args[0].totalTax: 1 \u2192 2") };

    QTest::newRow("binary equal by bytes")
        << QList<FlowItem>{ ev(QStringLiteral("up"), R"([{"$binary":"AQID"}])") }
        << QList<FlowItem>{ ev(QStringLiteral("up"), R"([{"$binary":"AQID"}])") } << QStringList()
        << QStringList();
    QTest::newRow("binary changed")
        << QList<FlowItem>{ ev(QStringLiteral("up"), R"(["f",{"$binary":"AQID"}])") }
        << QList<FlowItem>{ ev(QStringLiteral("up"), R"(["f",{"$binary":"AQIE"}])") } << QStringList()
        << QStringList{ QStringLiteral("event \"up\" #1 args[1]: <binary, 3 byte(s): 01 02 03> \u2192 "
                                       "<binary, 3 byte(s): 01 02 04>") };
    QTest::newRow("binary became text")
        << QList<FlowItem>{ ev(QStringLiteral("up"), R"([{"$binary":"AQ=="}])") }
        << QList<FlowItem>{ ev(QStringLiteral("up"), R"(["AQ=="])") } << QStringList()
        << QStringList{ QStringLiteral("event \"up\" #1 args[0]: <binary, 1 byte(s): 01> \u2192 \"AQ==\"") };
}

void tst_InspectorReplay::diff()
{
    QFETCH(QList<FlowItem>, recorded);
    QFETCH(QList<FlowItem>, replayed);
    QFETCH(QStringList, ignore);
    QFETCH(QStringList, expected);
    FlowDiff::Options options;
    options.ignorePaths = ignore;
    const FlowDiff diff = FlowDiff::compare(recorded, replayed, options);
    QCOMPARE(lines(diff), expected);
    QCOMPARE(diff.isEmpty(), expected.isEmpty());
    QCOMPARE(diff.toText(),
             expected.isEmpty() ? QString() : expected.join(QLatin1Char('\n')) + QLatin1Char('\n'));
}

void tst_InspectorReplay::defaultIgnores()
{
    const QList<FlowItem> a{ ev(QStringLiteral("order"),
                                R"([{"id":"o1","_id":1,"sid":"s1","socketId":"k1","timestamp":1,"time":"t1",)"
                                R"("ts":1,"createdAt":"c1","updatedAt":"u1","date":"d1","total":1}])") };
    const QList<FlowItem> b{ ev(QStringLiteral("order"),
                                R"([{"ID":"o2","_id":2,"sid":"s2","socketId":"k2","timestamp":2,"time":"t2",)"
                                R"("ts":2,"createdAt":"c2","updatedAt":"u2","date":"d2","total":1}])") };
    // "ID" is "id" (case-insensitive): the keys differ in case, so both sides are compared as one
    // absent and one present... under an ignored name: nothing reported.
    QVERIFY2(FlowDiff::compare(a, b).isEmpty(), qPrintable(FlowDiff::compare(a, b).toText()));
    FlowDiff::Options strict;
    strict.ignoredKeys.clear();
    const FlowDiff all = FlowDiff::compare(a, b, strict);
    QCOMPARE(all.differences().size(), 11); // ID and id count as two
    QVERIFY(all.toText().contains(QStringLiteral("args[0].createdAt: \"c1\" \u2192 \"c2\"")));
    // The total still counts.
    QList<FlowItem> c = b;
    c[0].args = json(R"([{"id":"o3","total":2}])");
    QCOMPARE(lines(FlowDiff::compare(a, c)),
             QStringList{ QStringLiteral("event \"order\" #1 args[0].total: 1 \u2192 2") });
    QCOMPARE(FlowDiff::defaultIgnoredKeys().size(), 10);
}

void tst_InspectorReplay::socketIds()
{
    const QList<FlowItem> a{ ev(QStringLiteral("hello"), R"([{"you":"abc","peer":"abc"}])") };
    const QList<FlowItem> b{ ev(QStringLiteral("hello"), R"([{"you":"xyz","peer":"other"}])") };
    FlowDiff::Options options;
    options.recordedIds = { QStringLiteral("abc") };
    options.replayedIds = { QStringLiteral("xyz") };
    QCOMPARE(lines(FlowDiff::compare(a, b, options)),
             QStringList{ QStringLiteral("event \"hello\" #1 args[0].peer: \"abc\" \u2192 \"other\"") });
}

void tst_InspectorReplay::diffJson()
{
    const FlowDiff diff = FlowDiff::compare(
        { ev(QStringLiteral("order"), R"([{"total":42}])"), ev(QStringLiteral("gone"), "[]") },
        { ev(QStringLiteral("order"), R"([{"total":43}])") });
    const QJsonObject o = diff.toJson();
    QCOMPARE(o.value(QLatin1String("equal")).toBool(), false);
    QCOMPARE(o.value(QLatin1String("recordedItems")).toInt(), 2);
    QCOMPARE(o.value(QLatin1String("replayedItems")).toInt(), 1);
    const QJsonArray list = o.value(QLatin1String("differences")).toArray();
    QCOMPARE(list.size(), 2);
    const QJsonObject changed = list.at(0).toObject();
    QCOMPARE(changed.value(QLatin1String("kind")).toString(), QStringLiteral("changed"));
    QCOMPARE(changed.value(QLatin1String("item")).toString(), QStringLiteral("event"));
    QCOMPARE(changed.value(QLatin1String("event")).toString(), QStringLiteral("order"));
    QCOMPARE(changed.value(QLatin1String("index")).toInt(), 1);
    QCOMPARE(changed.value(QLatin1String("path")).toString(), QStringLiteral("args[0].total"));
    QCOMPARE(changed.value(QLatin1String("recorded")).toInt(), 42);
    QCOMPARE(changed.value(QLatin1String("replayed")).toInt(), 43);
    const QJsonObject missing = list.at(1).toObject();
    QCOMPARE(missing.value(QLatin1String("kind")).toString(), QStringLiteral("missing"));
    QCOMPARE(missing.value(QLatin1String("recorded")).toArray(), QJsonArray());
    QVERIFY(!missing.contains(QLatin1String("replayed")));
}

void tst_InspectorReplay::ignorePathValidation()
{
    QVERIFY(FlowDiff::isValidIgnorePath(QStringLiteral("order.args[0].id")));
    QVERIFY(FlowDiff::isValidIgnorePath(QStringLiteral("/chat:*.args[*]")));
    QString why;
    QVERIFY(!FlowDiff::isValidIgnorePath(QStringLiteral("/chat"), &why));
    QVERIFY(!why.isEmpty());
    QVERIFY(!FlowDiff::isValidIgnorePath(QStringLiteral("order.args[0")));
    QVERIFY(!FlowDiff::isValidIgnorePath(QStringLiteral(" ")));
}

// A JSON Lines export of the window: two client sources, the server's own rows, and a binary
// event whose attachment is a row of its own.
void tst_InspectorReplay::loadExportedLog()
{
    const auto row = [](const QByteArray &wire, TrafficEvent::Direction d, const QString &source,
                        bool client) {
        TrafficRow r = TrafficRow::fromWire(wire, false, d, 1000, Transport::WebSocket);
        r.source = source;
        r.clientSide = client;
        r.sessionId = QStringLiteral("S");
        return r;
    };
    using D = TrafficEvent::Direction;
    QList<TrafficRow> rows{
        row("40", D::Incoming, QString(), false),
        row("40", D::Outgoing, QStringLiteral("client 1"), true),
        row("40{\"sid\":\"A\"}", D::Incoming, QStringLiteral("client 1"), true),
        row("40", D::Outgoing, QStringLiteral("client 2"), true),
        row("451-0[\"up\",{\"_placeholder\":true,\"num\":0}]", D::Outgoing, QStringLiteral("client 1"), true),
        row("42[\"ok\",1]", D::Incoming, QStringLiteral("client 1"), true),
    };
    TrafficRow attachment =
        TrafficRow::fromWire(QByteArray("\x01\x02", 2), true, D::Outgoing, 1000, Transport::WebSocket);
    attachment.source = QStringLiteral("client 1");
    attachment.clientSide = true;
    rows.insert(5, attachment);
    const QByteArray exported = HarFormat::toJsonLines(rows);

    QString error;
    QVERIFY(!FlowRecording::fromJsonLines(exported, &error));
    QVERIFY2(error.contains(QStringLiteral("client 1")) && error.contains(QStringLiteral("client 2")),
             qPrintable(error));
    const auto rec = FlowRecording::fromJsonLines(exported, &error, QStringLiteral("client 1"));
    QVERIFY2(rec, qPrintable(error));
    QCOMPARE(rec->rows.size(), 4); // the attachment joined its packet
    QCOMPARE(rec->allNamespaces(), QStringList{ QStringLiteral("/") });
    const QList<FlowRecording::Emit> emits = rec->emits();
    FlowItem connectItem;
    connectItem.kind = FlowItem::Kind::Connect;
    const QString connectKey = connectItem.key();
    QCOMPARE(emits.size(), 1);
    QCOMPARE(emits[0].event, QStringLiteral("up"));
    QCOMPARE(emits[0].args, QVariantList{ QByteArray("\x01\x02", 2) });
    QCOMPARE(emits[0].receivedBefore.value(connectKey), 1);
    const QList<FlowItem> received = rec->received();
    QCOMPARE(received.size(), 2);
    QCOMPARE(received[1].label(), QStringLiteral("event \"ok\" #1"));

    // Saved as a recording and read back: the same.
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("r.jsonl"));
    QVERIFY(rec->save(file, &error));
    const auto back = FlowRecording::load(file, &error);
    QVERIFY2(back, qPrintable(error));
    QCOMPARE(back->rows.size(), 4);
    QCOMPARE(back->emits().at(0).args, emits[0].args);
    QVERIFY(FlowDiff::compare(back->received(), received).isEmpty());
}

void tst_InspectorReplay::loadErrors()
{
    QString error;
    QVERIFY(!FlowRecording::fromJsonLines("not json\n", &error));
    QVERIFY(error.contains(QStringLiteral("line 1")));
    QVERIFY(
        !FlowRecording::fromJsonLines(R"({"format":"socketio-inspector-recording","version":2})", &error));
    QVERIFY(error.contains(QStringLiteral("version 2")));
    QVERIFY(!FlowRecording::fromJsonLines(R"({"format":"something-else","version":1})", &error));
    QVERIFY(
        !FlowRecording::fromJsonLines(R"({"format":"socketio-inspector-recording","version":1})", &error));
    QVERIFY(error.contains(QStringLiteral("no client traffic")));
    QVERIFY(!FlowRecording::load(QStringLiteral("/nonexistent/recording.jsonl"), &error));
    QVERIFY(error.contains(QStringLiteral("/nonexistent/recording.jsonl")));
}

// The shop: orders with acks and a server event per order (the second one's total one more
// when m_changed), a binary upload, and a question the server asks the client.
void tst_InspectorReplay::startServer()
{
    m_server = std::make_unique<Server>();
    connect(m_server->mainNamespace(), &Namespace::socketConnected, this, [this](Socket *socket) {
        auto orders = std::make_shared<int>(0);
        socket->emitEvent(
            QStringLiteral("welcome"),
            { QVariantMap{ { QStringLiteral("you"), socket->id() }, { QStringLiteral("motd"), 1 } } });
        socket->on(QStringLiteral("order"), socket,
                   [this, socket, orders](const QVariantList &args, const Ack &ack) {
                       ++*orders;
                       const QVariantMap order = args.value(0).toMap();
                       int total = order.value(QStringLiteral("qty")).toInt()
                           * order.value(QStringLiteral("price")).toInt();
                       if (m_changed && *orders == 2)
                           ++total;
                       ack.send({ QVariantMap{
                           { QStringLiteral("status"), QStringLiteral("accepted") },
                           { QStringLiteral("id"), QString::number(quintptr(socket) + *orders) } } });
                       if (m_dropSecondOrderEvent && *orders == 2)
                           return;
                       socket->emitEvent(QStringLiteral("order"),
                                         { QVariantMap{ { QStringLiteral("total"), total },
                                                        { QStringLiteral("n"), *orders } } });
                   });
        socket->on(QStringLiteral("upload"), socket, [](const QVariantList &args, const Ack &ack) {
            ack.send({ args.value(1).toByteArray().size(), args.value(1) });
        });
        socket->on(QStringLiteral("ask"), socket, [socket](const QVariantList &args, const Ack &) {
            socket->emitEvent(
                QStringLiteral("question"), args, socket,
                [socket](AckStatus status, const QVariantList &reply) {
                    if (status == AckStatus::Received)
                        socket->emitEvent(QStringLiteral("answered"), reply);
                },
                EmitOptions{ false, true, 10000ms });
        });
    });
    QVERIFY2(m_server->listen(QHostAddress::LocalHost, 0), qPrintable(m_server->errorString()));
}

// Records the shop session: a client that orders twice, uploads, and answers the server's question.
void tst_InspectorReplay::recordShop(const QUrl &url, const QString &file)
{
    Manager manager(url);
    FlowRecorder recorder;
    QVERIFY2(
        recorder.start(&manager, { { QStringLiteral("/") }, QJsonValue(), QStringLiteral("client 1") }, file),
        qPrintable(recorder.errorString()));
    ClientSocket *socket = manager.socket();
    socket->onRequest(QStringLiteral("question"), this,
                      [](const QVariantList &args) { return QVariantList{ args.value(0).toInt() * 2 }; });
    QSignalSpy answered(socket, &ClientSocket::eventReceived);
    socket->open();
    QTRY_VERIFY(socket->isConnected());
    const auto order = [](int qty, int price) {
        return QVariantList{ QVariantMap{ { QStringLiteral("qty"), qty },
                                          { QStringLiteral("price"), price } } };
    };
    QFuture<AckReply> first = socket->emitWithAck(QStringLiteral("order"), order(2, 10), 10000ms);
    QTRY_VERIFY(first.isFinished());
    QFuture<AckReply> second = socket->emitWithAck(QStringLiteral("order"), order(21, 2), 10000ms);
    QTRY_VERIFY(second.isFinished());
    QFuture<AckReply> upload = socket->emitWithAck(
        QStringLiteral("upload"), { QStringLiteral("a.bin"), QByteArray("\x00\x01\x02", 3) }, 10000ms);
    QTRY_VERIFY(upload.isFinished());
    QCOMPARE(upload.result().args.value(1).toByteArray(), QByteArray("\x00\x01\x02", 3));
    socket->emitEvent(QStringLiteral("ask"), { 21 });
    // welcome, order, order, question, answered
    QTRY_COMPARE(answered.count(), 5);
    QCOMPARE(answered.last().at(0).toString(), QStringLiteral("answered"));
    QCOMPARE(answered.last().at(1).toList(), QVariantList{ 42 });
    recorder.stop();
}

void tst_InspectorReplay::recordAndReplay_data()
{
    QTest::addColumn<FlowReplayTiming>("timing");
    QTest::newRow("fast") << FlowReplayTiming::Fast;
    QTest::newRow("recorded timing") << FlowReplayTiming::Recorded;
}

void tst_InspectorReplay::recordAndReplay()
{
    QFETCH(FlowReplayTiming, timing);
    m_changed = false;
    startServer();
    const QUrl url(QStringLiteral("http://127.0.0.1:%1").arg(m_server->serverPort()));
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("flow.jsonl"));

    recordShop(url, file);
    if (QTest::currentTestFailed())
        return;

    QString error;
    const auto recording = FlowRecording::load(file, &error);
    QVERIFY2(recording, qPrintable(error));
    QCOMPARE(recording->url, url);
    QCOMPARE(recording->source, QStringLiteral("client 1"));
    const QList<FlowRecording::Emit> emits = recording->emits();
    QCOMPARE(emits.size(), 4);
    QCOMPARE(emits[2].args.value(1).toByteArray(), QByteArray("\x00\x01\x02", 3));
    QVERIFY(emits[0].ack && emits[1].ack && emits[2].ack && !emits[3].ack);
    QStringList received;
    for (const FlowItem &item : recording->received())
        received.append(item.label());
    QCOMPARE(received,
             (QStringList{ QStringLiteral("connect #1"), QStringLiteral("event \"welcome\" #1"),
                           QStringLiteral("ack of \"order\" #1"), QStringLiteral("event \"order\" #1"),
                           QStringLiteral("ack of \"order\" #2"), QStringLiteral("event \"order\" #2"),
                           QStringLiteral("ack of \"upload\" #1"), QStringLiteral("event \"question\" #1"),
                           QStringLiteral("event \"answered\" #1") }));

    FlowReplayer::Options options;
    options.timing = timing;
    options.quietPeriod = 60000ms; // only reached when something is missing, and nothing is
    // Against the same server: no difference (ids, the socket id in "welcome", binary, the
    // question answered as recorded).
    {
        FlowReplayer replayer(*recording, url, options);
        QSignalSpy finished(&replayer, &FlowReplayer::finished);
        replayer.start();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
        QVERIFY2(finished.first().at(0).toBool(), qPrintable(replayer.errorString()));
        QCOMPARE(replayer.emitsSent(), 4);
        const FlowDiff diff = replayer.diff();
        QVERIFY2(diff.isEmpty(), qPrintable(diff.toText()));
        QCOMPARE(diff.replayedCount(), 9);
        // Without the socket ids' equivalence the welcome differs.
        FlowDiff::Options noIds;
        QCOMPARE(FlowDiff::compare(recording->received(), replayer.replayed().received(), noIds)
                     .differences()
                     .size(),
                 1);
    }
    // Against a server whose handler changed one field: exactly that difference.
    m_changed = true;
    {
        FlowReplayer replayer(*recording, url, options);
        QSignalSpy finished(&replayer, &FlowReplayer::finished);
        replayer.start();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
        QVERIFY(finished.first().at(0).toBool());
        const FlowDiff diff = replayer.diff();
        QCOMPARE(lines(diff),
                 QStringList{ QStringLiteral("event \"order\" #2 args[0].total: 42 \u2192 43") });
        // ... which the user may ignore.
        FlowDiff::Options ignoring;
        ignoring.ignorePaths = { QStringLiteral("order.args[0].total") };
        QVERIFY(replayer.diff(ignoring).isEmpty());
    }
    // A server that no longer sends the second order event: missing, found after the quiet
    // period (the event never comes, so how long that is does not change the outcome).
    m_changed = false;
    m_dropSecondOrderEvent = true;
    {
        FlowReplayer::Options quick = options;
        quick.quietPeriod = 100ms;
        FlowReplayer replayer(*recording, url, quick);
        QSignalSpy finished(&replayer, &FlowReplayer::finished);
        replayer.start();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
        QCOMPARE(replayer.emitsSent(), 4);
        QCOMPARE(lines(replayer.diff()),
                 QStringList{ QStringLiteral("missing event \"order\" #2: [{\"n\":2,\"total\":42}]") });
    }
    m_dropSecondOrderEvent = false;
    m_server.reset();
}

void tst_InspectorReplay::replayCannotConnect()
{
    // A port nobody listens on: a server that was listening and is gone.
    Server gone;
    QVERIFY(gone.listen(QHostAddress::LocalHost, 0));
    const quint16 port = gone.serverPort();
    gone.close();

    FlowRecording recording;
    recording.namespaces = { QStringLiteral("/") };
    FlowReplayer replayer(recording, QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)));
    QSignalSpy finished(&replayer, &FlowReplayer::finished);
    replayer.start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
    QCOMPARE(finished.first().at(0).toBool(), false);
    QVERIFY2(replayer.errorString().contains(QStringLiteral("cannot connect")),
             qPrintable(replayer.errorString()));

    FlowReplayer nothing(FlowRecording(), QUrl(QStringLiteral("http://127.0.0.1:1")));
    QSignalSpy finishedToo(&nothing, &FlowReplayer::finished);
    nothing.start();
    QTRY_COMPARE(finishedToo.count(), 1);
    QVERIFY(nothing.errorString().contains(QStringLiteral("nothing to replay")));
}

// Tools > Replay recording…: the differences in a table, the replay's traffic in the log.
void tst_InspectorReplay::dialog()
{
    m_changed = false;
    startServer();
    const QUrl url(QStringLiteral("http://127.0.0.1:%1").arg(m_server->serverPort()));
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("flow.jsonl"));
    recordShop(url, file);
    if (QTest::currentTestFailed())
        return;
    m_changed = true;

    Server own; // the window's own server, not listening
    MainWindow window(&own);
    QVERIFY(window.replayAction());
    window.replayAction()->trigger();
    ReplayDialog *dialog = window.findChild<ReplayDialog *>();
    QVERIFY(dialog);
    QCOMPARE(window.openReplayDialog(), dialog);
    dialog->setFile(file);
    dialog->setUrl(url.toString());
    dialog->setIgnorePaths({ QStringLiteral("bad[") });
    QVERIFY(!dialog->startReplay());
    QVERIFY(dialog->statusLabel()->text().contains(QStringLiteral("bad[")));
    dialog->setIgnorePaths({ QStringLiteral("ack:order.args[0].status") });
    QSignalSpy finished(dialog, &ReplayDialog::replayFinished);
    QVERIFY(dialog->startReplay());
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
    QVERIFY2(finished.first().at(0).toBool(), qPrintable(dialog->statusLabel()->text()));
    QTableWidget *table = dialog->table();
    QCOMPARE(table->rowCount(), 1);
    QStringList cells;
    for (int c = 0; c < table->columnCount(); ++c)
        cells.append(table->item(0, c)->text());
    QCOMPARE(cells,
             (QStringList{ QStringLiteral("changed"), QStringLiteral("event \"order\" #2"),
                           QStringLiteral("args[0].total"), QStringLiteral("42"), QStringLiteral("43") }));
    QVERIFY(dialog->statusLabel()->text().contains(QStringLiteral("1 difference")));
    // The replay's packets are in the window's log, as rows of the source "replay".
    TrafficModel *traffic = window.monitor()->traffic();
    QTRY_VERIFY(traffic->rowCount() > 0);
    QCOMPARE(traffic->rowAt(0).source, QStringLiteral("replay"));
    QVERIFY(traffic->rowAt(0).clientSide);
    if (const QString shot = qEnvironmentVariable("SOCKETIO_REPLAY_SCREENSHOT"); !shot.isEmpty())
        dialog->grab().save(shot);
    m_server.reset();
}

QTEST_MAIN(tst_InspectorReplay)
#include "tst_inspectorreplay.moc"
