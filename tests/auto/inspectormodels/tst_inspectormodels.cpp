// SPDX-License-Identifier: MIT
// The inspector's models as values: traffic rows decoded from the wire, the traffic model's
// batches, ring buffer, pause and pairing, the filter proxy, the server tree, HAR and JSON Lines,
// the headless line format. Every model runs under QAbstractItemModelTester.
#include "harformat.h"
#include "headlessprinter.h"
#include "servertreemodel.h"
#include "statscollector.h"
#include "trafficfilter.h"
#include "trafficmodel.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

#include <cstdio>

using namespace Inspector;
using namespace SocketIo;
using Direction = TrafficEvent::Direction;

namespace {

constexpr qint64 t0 = 1700000000000; // a fixed moment, so lines and exports are golden

// A TrafficEvent as Server::trafficObserved reports it for an Engine.IO text frame.
TrafficEvent textEvent(const QByteArray &frame, Direction direction,
                       const QString &sid = QStringLiteral("S1"), const QString &socketId = {},
                       qint64 time = t0)
{
    const TrafficRow decoded = TrafficRow::fromWire(frame, false, direction, time, Transport::WebSocket);
    TrafficEvent e;
    e.timestampMs = time;
    e.sessionId = sid;
    e.transport = Transport::WebSocket;
    e.direction = direction;
    e.type = decoded.engineType;
    e.size = frame.size();
    e.data = decoded.data;
    e.socketIoType = decoded.socketIoType;
    e.nsp = decoded.nsp;
    e.socketId = socketId;
    e.event = decoded.event;
    e.ackId = decoded.ackId;
    e.attachments = decoded.expectedAttachments;
    e.payload = decoded.payload;
    return e;
}

TrafficEvent binaryEvent(const QByteArray &bytes, Direction direction,
                         const QString &sid = QStringLiteral("S1"), qint64 time = t0)
{
    TrafficEvent e;
    e.timestampMs = time;
    e.sessionId = sid;
    e.transport = Transport::WebSocket;
    e.direction = direction;
    e.type = EnginePacketType::Message;
    e.binary = true;
    e.size = bytes.size();
    e.data = bytes;
    return e;
}

SocketSnapshot socketSnapshot(const QString &nsp, const QString &id, const QString &sid,
                              const QStringList &rooms = {})
{
    SocketSnapshot s;
    s.nsp = nsp;
    s.id = id;
    s.engineSessionId = sid;
    s.transport = Transport::Polling;
    s.remoteAddress = QStringLiteral("127.0.0.1");
    s.rooms = rooms;
    s.rooms.append(id);
    s.rooms.sort();
    return s;
}

} // namespace

class tst_InspectorModels : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Rows decoded from the wire
    void rowFromWire_data();
    void rowFromWire();
    void rowFromEventKeepsServerFields();
    void summaryIsBoundedAndMarksBinaries();
    void wildcardExpression_data();
    void wildcardExpression();

    // TrafficModel
    void trafficAppendsInBatches();
    void trafficRingBufferDropsOldest();
    void trafficPauseHoldsRowsUntilResume();
    void trafficPairsEmitsWithAcks();
    void trafficLinksBinaryAttachments();
    void trafficClearAndSetRows();

    // TrafficFilterProxy
    void filterDefaultsHideControlFrames();
    void filterNamespaceSocketSessionRoom();
    void filterEventsDirectionKinds();
    void filterTextAndRegex();
    void filterCombinesAndCountsNofM();
    void filterDeltaIsRelativeToVisibleRows();

    // ServerTreeModel
    void treeBuildsNamespacesSocketsRooms();
    void treeLeaveRemoveAndTransport();
    void treeRemovesNamespace_data();
    void treeRemovesNamespace();
    void treeLargeBatchResets();
    void treeResetFromSnapshot();

    // Files and lines
    void harExportHasWebSocketMessages();
    void harRoundTrip();
    void harImportsPollingAndRejectsGarbage();
    void harImportsBrowserWebSocket();
    void jsonLines();
    void headlessLines_data();
    void headlessLines();
    void headlessFilters();
    void statsCollectsPerSecond();
};

// --- rows ---------------------------------------------------------------------------------------

void tst_InspectorModels::rowFromWire_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("nsp");
    QTest::addColumn<QString>("event");
    QTest::addColumn<qint64>("ackId");
    QTest::addColumn<int>("args");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("summary");

    QTest::newRow("event") << QByteArray("42[\"chat\",\"hi\",{\"a\":1}]") << "EVENT"
                           << "/"
                           << "chat" << qint64(-1) << 2 << int(PacketKind::Event) << "\"hi\", {\"a\":1}";
    QTest::newRow("event in namespace with ack") << QByteArray("42/chat,7[\"x\",1]") << "EVENT"
                                                 << "/chat"
                                                 << "x" << qint64(7) << 1 << int(PacketKind::Event) << "1";
    QTest::newRow("binary event") << QByteArray("451-/chat,3[\"up\",{\"_placeholder\":true,\"num\":0}]")
                                  << "BINARY_EVENT"
                                  << "/chat"
                                  << "up" << qint64(3) << 1 << int(PacketKind::Event) << "<binary #0>";
    QTest::newRow("ack") << QByteArray("43/chat,7[\"ok\"]") << "ACK"
                         << "/chat" << QString() << qint64(7) << 1 << int(PacketKind::Ack) << "\"ok\"";
    QTest::newRow("connect with auth")
        << QByteArray("40{\"token\":\"abc\"}") << "CONNECT"
        << "/" << QString() << qint64(-1) << 1 << int(PacketKind::Connect) << "{\"token\":\"abc\"}";
    QTest::newRow("connect without payload")
        << QByteArray("40/admin,") << "CONNECT"
        << "/admin" << QString() << qint64(-1) << 0 << int(PacketKind::Connect) << QString();
    QTest::newRow("disconnect") << QByteArray("41/chat,") << "DISCONNECT"
                                << "/chat" << QString() << qint64(-1) << 0 << int(PacketKind::Disconnect)
                                << QString();
    QTest::newRow("connect error") << QByteArray("44{\"message\":\"Not authorized\"}") << "CONNECT_ERROR"
                                   << "/" << QString() << qint64(-1) << 1 << int(PacketKind::ConnectError)
                                   << "{\"message\":\"Not authorized\"}";
    QTest::newRow("ping") << QByteArray("2") << "ping" << QString() << QString() << qint64(-1) << 0
                          << int(PacketKind::Control) << QString();
    QTest::newRow("probe") << QByteArray("3probe") << "pong" << QString() << QString() << qint64(-1) << 0
                           << int(PacketKind::Control) << "probe";
    QTest::newRow("noop") << QByteArray("6") << "noop" << QString() << QString() << qint64(-1) << 0
                          << int(PacketKind::Control) << QString();
    QTest::newRow("upgrade") << QByteArray("5") << "upgrade" << QString() << QString() << qint64(-1) << 0
                             << int(PacketKind::EngineOther) << QString();
    QTest::newRow("open") << QByteArray("0{\"sid\":\"abc\",\"upgrades\":[]}") << "open" << QString()
                          << QString() << qint64(-1) << 1 << int(PacketKind::EngineOther)
                          << "{\"sid\":\"abc\",\"upgrades\":[]}";
    QTest::newRow("undecodable message") << QByteArray("4hello") << "message" << QString() << QString()
                                         << qint64(-1) << 0 << int(PacketKind::EngineOther) << "hello";
}

void tst_InspectorModels::rowFromWire()
{
    QFETCH(QByteArray, frame);
    const TrafficRow row = TrafficRow::fromWire(frame, false, Direction::Incoming, t0, Transport::WebSocket);
    QTEST(row.typeName(), "type");
    QTEST(row.nsp, "nsp");
    QTEST(row.event, "event");
    QTEST(row.ackId, "ackId");
    QTEST(row.argCount, "args");
    QTEST(int(row.kind), "kind");
    QTEST(row.summary, "summary");
    QCOMPARE(row.wire(), frame);
    QCOMPARE(row.size, frame.size());
}

void tst_InspectorModels::rowFromEventKeepsServerFields()
{
    const TrafficEvent e = textEvent("42/chat,[\"msg\",1,2]", Direction::Outgoing, QStringLiteral("sid-1"),
                                     QStringLiteral("sock-1"));
    const TrafficRow row = TrafficRow::fromEvent(e);
    QCOMPARE(row.sessionId, QStringLiteral("sid-1"));
    QCOMPARE(row.socketId, QStringLiteral("sock-1"));
    QCOMPARE(row.direction, Direction::Outgoing);
    QCOMPARE(row.levelName(), QStringLiteral("Socket.IO"));
    QCOMPARE(row.arguments(), (QJsonArray{ 1, 2 }));
    QCOMPARE(row.wire(), QByteArray("42/chat,[\"msg\",1,2]"));
    QVERIFY(row.searchText().contains(QLatin1String("msg")));

    const TrafficRow binary =
        TrafficRow::fromEvent(binaryEvent(QByteArray::fromHex("deadbeef"), Direction::Incoming));
    QCOMPARE(binary.kind, PacketKind::Attachment);
    QCOMPARE(binary.typeName(), QStringLiteral("attachment"));
    QCOMPARE(binary.wire(), QByteArray::fromHex("deadbeef"));
    QCOMPARE(binary.levelName(), QStringLiteral("Engine.IO"));
}

void tst_InspectorModels::summaryIsBoundedAndMarksBinaries()
{
    const QString big(100000, QLatin1Char('x'));
    const QString summary = summarizeArguments(QJsonArray{ big, 1 }, 50);
    QCOMPARE(summary.size(), 50);
    QVERIFY(summary.endsWith(QChar(0x2026)));
    QCOMPARE(
        summarizeJson(QJsonObject{ { QStringLiteral("_placeholder"), true }, { QStringLiteral("num"), 2 } }),
        QStringLiteral("<binary #2>"));
    QCOMPARE(summarizeJson(QJsonArray{ QJsonValue::Null, true, 1.5, QStringLiteral("a\"b\n") }),
             QStringLiteral("[null,true,1.5,\"a\\\"b\\n\"]"));
    QCOMPARE(hexDump(QByteArray("ABC")).left(19), QStringLiteral("00000000  41 42 43 "));
}

void tst_InspectorModels::wildcardExpression_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("matches");
    QTest::newRow("exact") << "chat"
                           << "chat" << true;
    QTest::newRow("anchored") << "chat"
                              << "chatter" << false;
    QTest::newRow("star") << "user:*"
                          << "user:login" << true;
    QTest::newRow("star over slash") << "/dyn-*"
                                     << "/dyn-a/b" << true;
    QTest::newRow("question") << "ro?m"
                              << "room" << true;
    QTest::newRow("regex characters are literal") << "a.b"
                                                  << "axb" << false;
}

void tst_InspectorModels::wildcardExpression()
{
    QFETCH(QString, pattern);
    QFETCH(QString, text);
    QTEST(Inspector::wildcardExpression(pattern).match(text).hasMatch(), "matches");
}

// --- TrafficModel -------------------------------------------------------------------------------

void tst_InspectorModels::trafficAppendsInBatches()
{
    TrafficModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy flushed(&model, &TrafficModel::flushed);
    for (int i = 0; i < 1000; ++i)
        model.addEvent(textEvent(QByteArray("42[\"e\",") + QByteArray::number(i) + ']', Direction::Incoming));
    // Nothing reaches the model per packet ...
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.pendingCount(), 1000);
    // ... the timer appends them in one batch.
    QTRY_COMPARE(model.rowCount(), 1000);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(flushed.count(), 1);
    QCOMPARE(flushed.first().first().toInt(), 1000);
    QCOMPARE(model.index(999, TrafficModel::SummaryColumn).data().toString(), QStringLiteral("999"));
    QCOMPARE(model.index(0, TrafficModel::EventColumn).data().toString(), QStringLiteral("e"));
    QCOMPARE(model.index(0, TrafficModel::DirectionColumn).data().toString(), QStringLiteral("in"));
    QCOMPARE(model.index(0, TrafficModel::TypeColumn).data().toString(), QStringLiteral("EVENT"));
    QCOMPARE(model.index(0, TrafficModel::TransportColumn).data().toString(), QStringLiteral("websocket"));
    QCOMPARE(model.index(0, TrafficModel::ArgsColumn).data().toInt(), 1);
    QCOMPARE(model.columnCount(), int(TrafficModel::ColumnCount));
    for (int c = 0; c < model.columnCount(); ++c)
        QVERIFY(!model.headerData(c, Qt::Horizontal).toString().isEmpty());
}

void tst_InspectorModels::trafficRingBufferDropsOldest()
{
    TrafficModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setCapacity(10);
    for (int i = 0; i < 7; ++i)
        model.addEvent(textEvent(QByteArray("42[\"e\",") + QByteArray::number(i) + ']', Direction::Incoming));
    model.flush();
    QCOMPARE(model.rowCount(), 7);
    for (int i = 7; i < 25; ++i)
        model.addEvent(textEvent(QByteArray("42[\"e\",") + QByteArray::number(i) + ']', Direction::Incoming));
    model.flush();
    QCOMPARE(model.rowCount(), 10);
    QCOMPARE(model.droppedCount(), 15);
    QCOMPARE(model.rowAt(0).summary, QStringLiteral("15"));
    QCOMPARE(model.rowAt(9).summary, QStringLiteral("24"));
    QCOMPARE(model.rowOfSeq(model.rowAt(3).seq), 3);
    QCOMPARE(model.rowOfSeq(0), -1);
    // A partial overflow removes from the top and appends at the bottom.
    for (int i = 25; i < 28; ++i)
        model.addEvent(textEvent(QByteArray("42[\"e\",") + QByteArray::number(i) + ']', Direction::Incoming));
    model.flush();
    QCOMPARE(model.rowCount(), 10);
    QCOMPARE(model.droppedCount(), 18);
    QCOMPARE(model.rowAt(0).summary, QStringLiteral("18"));
    // Shrinking the capacity drops more.
    model.setCapacity(4);
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(model.rowAt(0).summary, QStringLiteral("24"));
    QCOMPARE(model.droppedCount(), 24);
}

void tst_InspectorModels::trafficPauseHoldsRowsUntilResume()
{
    TrafficModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setCapacity(5);
    QSignalSpy paused(&model, &TrafficModel::pausedChanged);
    model.setPaused(true);
    QCOMPARE(paused.count(), 1);
    for (int i = 0; i < 8; ++i)
        model.addEvent(textEvent(QByteArray("42[\"e\",") + QByteArray::number(i) + ']', Direction::Incoming));
    model.flush();
    QCOMPARE(model.rowCount(), 0);
    // The waiting rows are bounded by the capacity as well.
    QCOMPARE(model.pendingCount(), 5);
    QCOMPARE(model.droppedCount(), 3);
    model.setPaused(false);
    QTRY_COMPARE(model.rowCount(), 5);
    QCOMPARE(model.rowAt(0).summary, QStringLiteral("3"));
}

void tst_InspectorModels::trafficPairsEmitsWithAcks()
{
    TrafficModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy paired(&model, &TrafficModel::ackPaired);
    // Server emits with ack id 4 to S1, and the same id to S2; S1 answers after 25 ms.
    model.addEvent(textEvent("42/chat,4[\"ask\",1]", Direction::Outgoing, QStringLiteral("S1"),
                             QStringLiteral("a"), t0));
    model.addEvent(textEvent("42/chat,4[\"ask\",1]", Direction::Outgoing, QStringLiteral("S2"),
                             QStringLiteral("b"), t0));
    model.flush();
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.addEvent(textEvent("43/chat,4[\"yes\"]", Direction::Incoming, QStringLiteral("S1"),
                             QStringLiteral("a"), t0 + 25));
    // An ack from the client to the server's emit, and a client emit answered by the server.
    model.addEvent(textEvent("42/chat,9[\"hello\"]", Direction::Incoming, QStringLiteral("S2"),
                             QStringLiteral("b"), t0 + 30));
    model.addEvent(textEvent("43/chat,9[\"hi\"]", Direction::Outgoing, QStringLiteral("S2"),
                             QStringLiteral("b"), t0 + 31));
    model.flush();
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(paired.count(), 2);
    QCOMPARE(paired.at(0).first().toLongLong(), 25);
    // The emit row already in the model changed (one dataChanged over what changed).
    QVERIFY(!changed.isEmpty());
    const TrafficRow &emit1 = model.rowAt(0);
    const TrafficRow &ack1 = model.rowAt(2);
    QCOMPARE(emit1.pairSeq, ack1.seq);
    QCOMPARE(ack1.pairSeq, emit1.seq);
    QCOMPARE(emit1.roundTripMs, 25);
    QCOMPARE(ack1.event, QStringLiteral("ask")); // the ack names the event it answers
    QCOMPARE(model.rowAt(1).pairSeq, -1); // S2 never answered its emit
    QCOMPARE(model.rowAt(4).pairSeq, model.rowAt(3).seq);
    QCOMPARE(model.rowAt(4).roundTripMs, 1);
    QCOMPARE(model.index(0, TrafficModel::AckColumn).data().toString(), QStringLiteral("4 (25 ms)"));
    QCOMPARE(model.index(0, 0).data(TrafficModel::PairRowRole).toInt(), 2);
    QCOMPARE(model.index(2, 0).data(TrafficModel::PairRowRole).toInt(), 0);
    QCOMPARE(model.index(2, 0).data(TrafficModel::RoundTripRole).toLongLong(), 25);
}

void tst_InspectorModels::trafficLinksBinaryAttachments()
{
    TrafficModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.addEvent(
        textEvent("452-/chat,[\"files\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]",
                  Direction::Incoming, QStringLiteral("S1"), QStringLiteral("a")));
    model.addEvent(binaryEvent(QByteArray::fromHex("0102"), Direction::Incoming));
    model.flush();
    QCOMPARE(model.rowAt(0).attachments.size(), 1);
    // The second frame arrives in a later batch: the packet already in the model is updated.
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.addEvent(binaryEvent(QByteArray::fromHex("030405"), Direction::Incoming));
    model.addEvent(binaryEvent(QByteArray::fromHex("ff"), Direction::Incoming)); // belongs to nothing
    model.flush();
    QCOMPARE(changed.count(), 1);
    const TrafficRow &packet = model.rowAt(0);
    QCOMPARE(packet.attachments,
             (QList<QByteArray>{ QByteArray::fromHex("0102"), QByteArray::fromHex("030405") }));
    QCOMPARE(model.rowAt(1).attachedTo, packet.seq);
    QCOMPARE(model.rowAt(1).event, QStringLiteral("files"));
    QCOMPARE(model.rowAt(1).socketId, QStringLiteral("a"));
    QCOMPARE(model.rowAt(2).attachedTo, packet.seq);
    QCOMPARE(model.rowAt(3).attachedTo, -1);
    QCOMPARE(model.rowAt(3).summary, QStringLiteral("binary, 1 byte(s)"));
}

void tst_InspectorModels::trafficClearAndSetRows()
{
    TrafficModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setCapacity(3);
    model.addEvent(textEvent("42[\"a\"]", Direction::Incoming));
    model.flush();
    model.clear();
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.droppedCount(), 0);
    QList<TrafficRow> rows;
    rows.append(TrafficRow::fromWire("42[\"x\"]", false, Direction::Incoming, t0, Transport::WebSocket));
    rows.append(
        TrafficRow::fromWire("425[\"ask\"]", false, Direction::Outgoing, t0 + 1, Transport::WebSocket));
    rows.append(TrafficRow::fromWire("2", false, Direction::Outgoing, t0 + 2, Transport::WebSocket));
    rows.append(TrafficRow::fromWire("435[1]", false, Direction::Incoming, t0 + 9, Transport::WebSocket));
    model.setRows(rows);
    QCOMPARE(model.rowCount(), 3); // capacity
    QCOMPARE(model.droppedCount(), 1);
    QCOMPARE(model.rowAt(0).event, QStringLiteral("ask"));
    QCOMPARE(model.rowAt(0).roundTripMs, 8);
    QCOMPARE(model.rowAt(2).pairSeq, model.rowAt(0).seq);
    QCOMPARE(model.rows().size(), 3);
}

// --- TrafficFilterProxy -------------------------------------------------------------------------

namespace {

// Two clients: S1 with socket a in "/" and c in "/chat"; S2 with socket b in "/chat".
void fillTraffic(TrafficModel &model)
{
    model.addEvent(textEvent("2", Direction::Outgoing, QStringLiteral("S1"), {}, t0));
    model.addEvent(textEvent("3", Direction::Incoming, QStringLiteral("S1"), {}, t0 + 1));
    model.addEvent(textEvent("42[\"chat\",\"hi from a\"]", Direction::Incoming, QStringLiteral("S1"),
                             QStringLiteral("a"), t0 + 10));
    model.addEvent(textEvent("42/chat,[\"chat\",\"hi from c\"]", Direction::Incoming, QStringLiteral("S1"),
                             QStringLiteral("c"), t0 + 20));
    model.addEvent(textEvent("42/chat,[\"user:login\",{\"name\":\"bob\"}]", Direction::Incoming,
                             QStringLiteral("S2"), QStringLiteral("b"), t0 + 30));
    model.addEvent(textEvent("42/chat,[\"chat\",\"welcome bob\"]", Direction::Outgoing, QStringLiteral("S2"),
                             QStringLiteral("b"), t0 + 1030));
    model.addEvent(textEvent("2", Direction::Outgoing, QStringLiteral("S2"), {}, t0 + 2000));
    model.addEvent(textEvent("42/chat,[\"typing\",true]", Direction::Incoming, QStringLiteral("S2"),
                             QStringLiteral("b"), t0 + 2001));
    model.flush();
}

QStringList visibleSummaries(const TrafficFilterProxy &proxy)
{
    QStringList out;
    for (int i = 0; i < proxy.rowCount(); ++i)
        out.append(proxy.index(i, TrafficModel::SummaryColumn).data().toString());
    return out;
}

} // namespace

void tst_InspectorModels::filterDefaultsHideControlFrames()
{
    TrafficModel model;
    TrafficFilterProxy proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    fillTraffic(model);
    QCOMPARE(model.rowCount(), 8);
    QCOMPARE(proxy.rowCount(), 5);
    QVERIFY(!proxy.hasFilters());
    proxy.setShowControl(true);
    QCOMPARE(proxy.rowCount(), 8);
    QVERIFY(proxy.hasFilters());
    proxy.setShowControl(false);
    QCOMPARE(proxy.rowCount(), 5);
    // New rows are filtered as they come.
    model.addEvent(textEvent("6", Direction::Outgoing));
    model.addEvent(textEvent("42[\"late\"]", Direction::Outgoing));
    model.flush();
    QCOMPARE(proxy.rowCount(), 6);
}

void tst_InspectorModels::filterNamespaceSocketSessionRoom()
{
    TrafficModel model;
    TrafficFilterProxy proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    fillTraffic(model);

    proxy.setNamespaceFilter(QStringLiteral("/chat"));
    QCOMPARE(proxy.rowCount(), 4);
    proxy.setNamespaceFilter({});

    // A socket: its packets, plus the Engine.IO packets of its connection when shown.
    proxy.setShowControl(true);
    proxy.setSocketFilter(QStringLiteral("/"), QStringLiteral("a"), QStringLiteral("S1"));
    QCOMPARE(visibleSummaries(proxy), (QStringList{ QString(), QString(), QStringLiteral("\"hi from a\"") }));
    proxy.setShowControl(false);
    QCOMPARE(visibleSummaries(proxy), QStringList{ QStringLiteral("\"hi from a\"") });
    proxy.setSocketFilter({}, {}, {});

    proxy.setSessionFilter(QStringLiteral("S1"));
    QCOMPARE(proxy.rowCount(), 2);
    proxy.setSessionFilter({});

    proxy.setRoomFilter(QStringLiteral("/chat"), QStringLiteral("lobby"), { QStringLiteral("c") });
    QCOMPARE(visibleSummaries(proxy), QStringList{ QStringLiteral("\"hi from c\"") });
    proxy.setRoomMembers({ QStringLiteral("c"), QStringLiteral("b") });
    QCOMPARE(proxy.rowCount(), 4);
    proxy.setRoomFilter({}, {}, {});
    QCOMPARE(proxy.rowCount(), 5);
}

void tst_InspectorModels::filterEventsDirectionKinds()
{
    TrafficModel model;
    TrafficFilterProxy proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    fillTraffic(model);

    proxy.setEventInclude(QStringLiteral("chat"));
    QCOMPARE(proxy.rowCount(), 3);
    proxy.setEventInclude(QStringLiteral("user:*, typing"));
    QCOMPARE(proxy.rowCount(), 2);
    proxy.setEventInclude({});
    proxy.setEventExclude(QStringLiteral("chat,typing"));
    QCOMPARE(visibleSummaries(proxy), QStringList{ QStringLiteral("{\"name\":\"bob\"}") });
    proxy.setEventExclude({});

    proxy.setDirectionFilter(TrafficFilterProxy::DirectionFilter::Outgoing);
    QCOMPARE(visibleSummaries(proxy), QStringList{ QStringLiteral("\"welcome bob\"") });
    proxy.setDirectionFilter(TrafficFilterProxy::DirectionFilter::Incoming);
    QCOMPARE(proxy.rowCount(), 4);
    proxy.setDirectionFilter(TrafficFilterProxy::DirectionFilter::Both);

    proxy.setPacketKinds(PacketKinds(PacketKind::Control));
    QCOMPARE(proxy.rowCount(), 3);
    QVERIFY(proxy.showControl());
    proxy.setPacketKinds(allPacketKinds());
    QCOMPARE(proxy.rowCount(), 8);
}

void tst_InspectorModels::filterTextAndRegex()
{
    TrafficModel model;
    TrafficFilterProxy proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    fillTraffic(model);

    QVERIFY(proxy.setTextFilter(QStringLiteral("BOB"), false)); // case-insensitive substring
    QCOMPARE(proxy.rowCount(), 2);
    QVERIFY(proxy.setTextFilter(QStringLiteral("hi from [ac]\""), true));
    QCOMPARE(proxy.rowCount(), 2);
    QVERIFY(proxy.setTextFilter(QStringLiteral("^typing"), true)); // the event name is searched too
    QCOMPARE(proxy.rowCount(), 1);
    QVERIFY(!proxy.setTextFilter(QStringLiteral("(unclosed"), true));
    QVERIFY(!proxy.textFilterError().isEmpty());
    QCOMPARE(proxy.rowCount(), 5); // an invalid expression filters nothing
    QVERIFY(proxy.setTextFilter({}, false));
    QVERIFY(proxy.textFilterError().isEmpty());
}

void tst_InspectorModels::filterCombinesAndCountsNofM()
{
    TrafficModel model;
    TrafficFilterProxy proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy counts(&proxy, &TrafficFilterProxy::countsChanged);
    fillTraffic(model);
    QVERIFY(!counts.isEmpty());
    QCOMPARE(proxy.countText(), QStringLiteral("5 of 8"));
    proxy.setNamespaceFilter(QStringLiteral("/chat"));
    proxy.setDirectionFilter(TrafficFilterProxy::DirectionFilter::Incoming);
    proxy.setEventExclude(QStringLiteral("typing"));
    proxy.setTextFilter(QStringLiteral("bob"), false);
    QCOMPARE(visibleSummaries(proxy), QStringList{ QStringLiteral("{\"name\":\"bob\"}") });
    QCOMPARE(proxy.countText(), QStringLiteral("1 of 8"));
    proxy.clearFilters();
    QVERIFY(!proxy.hasFilters());
    QCOMPARE(proxy.countText(), QStringLiteral("5 of 8"));
}

void tst_InspectorModels::filterDeltaIsRelativeToVisibleRows()
{
    TrafficModel model;
    TrafficFilterProxy proxy;
    proxy.setSourceModel(&model);
    fillTraffic(model);
    // Source: relative to the previous packet captured.
    QCOMPARE(model.index(2, TrafficModel::DeltaColumn).data().toString(), QStringLiteral("+9 ms"));
    // Proxy: relative to the previous row shown.
    proxy.setNamespaceFilter(QStringLiteral("/chat"));
    QCOMPARE(proxy.index(0, TrafficModel::DeltaColumn).data().toString(), QString());
    QCOMPARE(proxy.index(1, TrafficModel::DeltaColumn).data().toString(), QStringLiteral("+10 ms"));
    QCOMPARE(proxy.index(2, TrafficModel::DeltaColumn).data().toString(), QStringLiteral("+1.000 s"));
    QCOMPARE(proxy.index(3, TrafficModel::DeltaColumn).data().toString(), QStringLiteral("+971 ms"));
}

// --- ServerTreeModel ----------------------------------------------------------------------------

void tst_InspectorModels::treeBuildsNamespacesSocketsRooms()
{
    ServerTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    using Op = ServerTreeModel::Op;
    model.apply(
        { Op::addNamespace(QStringLiteral("/")),
          Op::addSocket(socketSnapshot(QStringLiteral("/chat"), QStringLiteral("a"), QStringLiteral("S1"),
                                       { QStringLiteral("lobby") })),
          Op::addSocket(socketSnapshot(QStringLiteral("/chat"), QStringLiteral("b"), QStringLiteral("S2"))),
          Op::join(QStringLiteral("/chat"), QStringLiteral("lobby"), QStringLiteral("b")),
          Op::join(QStringLiteral("/chat"), QStringLiteral("b"), QStringLiteral("b")), // own room
          Op::join(QStringLiteral("/chat"), QStringLiteral("vip"), QStringLiteral("a")),
          Op::join(QStringLiteral("/chat"), QStringLiteral("ghost"), QStringLiteral("zz")) }); // unknown
    QCOMPARE(model.namespaces(), (QStringList{ QStringLiteral("/"), QStringLiteral("/chat") }));
    QCOMPARE(model.socketCount(), 2);
    QCOMPARE(model.socketCount(QStringLiteral("/chat")), 2);
    QCOMPARE(model.rooms(QStringLiteral("/chat")),
             (QStringList{ QStringLiteral("lobby"), QStringLiteral("vip") }));
    QCOMPARE(model.members(QStringLiteral("/chat"), QStringLiteral("lobby")),
             (QStringList{ QStringLiteral("a"), QStringLiteral("b") }));

    const QModelIndex chat = model.namespaceIndex(QStringLiteral("/chat"));
    QCOMPARE(chat.data().toString(), QStringLiteral("/chat"));
    QCOMPARE(chat.siblingAtColumn(1).data().toString(), QStringLiteral("2 socket(s)"));
    QCOMPARE(model.rowCount(chat), 2);
    const QModelIndex sockets = model.index(0, 0, chat);
    const QModelIndex rooms = model.index(1, 0, chat);
    QCOMPARE(sockets.data().toString(), QStringLiteral("Sockets (2)"));
    QCOMPARE(rooms.data().toString(), QStringLiteral("Rooms (2)"));
    const QModelIndex a = model.socketIndex(QStringLiteral("/chat"), QStringLiteral("a"));
    QCOMPARE(a.parent(), sockets);
    QCOMPARE(a.data(ServerTreeModel::NodeTypeRole).toInt(), int(ServerTreeModel::SocketNode));
    QCOMPARE(a.data(ServerTreeModel::SessionIdRole).toString(), QStringLiteral("S1"));
    QCOMPARE(a.data(ServerTreeModel::NamespaceRole).toString(), QStringLiteral("/chat"));
    QCOMPARE(model.rowCount(a), 2); // lobby, vip (not its own id room)
    QCOMPARE(model.index(1, 0, a).data(ServerTreeModel::RoomRole).toString(), QStringLiteral("vip"));
    QCOMPARE(model.index(1, 0, a).data(ServerTreeModel::SocketIdRole).toString(), QStringLiteral("a"));
    const QModelIndex lobby = model.roomIndex(QStringLiteral("/chat"), QStringLiteral("lobby"));
    QCOMPARE(lobby.siblingAtColumn(1).data().toString(), QStringLiteral("2 member(s)"));
    QCOMPARE(lobby.data(ServerTreeModel::CountRole).toInt(), 2);
    QCOMPARE(model.index(1, 0, lobby).data(ServerTreeModel::SocketIdRole).toString(), QStringLiteral("b"));
    QCOMPARE(model.socket(QStringLiteral("/chat"), QStringLiteral("b"))->rooms,
             (QStringList{ QStringLiteral("b"), QStringLiteral("lobby") }));
}

void tst_InspectorModels::treeLeaveRemoveAndTransport()
{
    ServerTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    using Op = ServerTreeModel::Op;
    QList<Op> ops;
    for (int i = 0; i < 20; ++i) {
        const QString id = QStringLiteral("s%1").arg(i);
        ops.append(Op::addSocket(socketSnapshot(QStringLiteral("/"), id, QStringLiteral("E%1").arg(i % 5),
                                                { QStringLiteral("room-%1").arg(i % 3) })));
    }
    model.apply(ops);
    QCOMPARE(model.socketCount(), 20);
    QCOMPARE(model.rooms(QStringLiteral("/")).size(), 3);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.apply({ Op::leave(QStringLiteral("/"), QStringLiteral("room-0"), QStringLiteral("s0")),
                  Op::removeSocket(QStringLiteral("/"), QStringLiteral("s3")),
                  Op::removeSocket(QStringLiteral("/"), QStringLiteral("s6")),
                  Op::removeSocket(QStringLiteral("/"), QStringLiteral("nobody")),
                  Op::setTransport(QStringLiteral("E1"), Transport::WebSocket, true) });
    QCOMPARE(model.socketCount(), 18);
    QVERIFY(!model.members(QStringLiteral("/"), QStringLiteral("room-0")).contains(QStringLiteral("s0")));
    QVERIFY(!model.members(QStringLiteral("/"), QStringLiteral("room-0")).contains(QStringLiteral("s3")));
    QCOMPARE(model.rowCount(model.socketIndex(QStringLiteral("/"), QStringLiteral("s0"))), 0);
    QCOMPARE(model.socket(QStringLiteral("/"), QStringLiteral("s1"))->transport, Transport::WebSocket);
    QVERIFY(model.socket(QStringLiteral("/"), QStringLiteral("s11"))->upgraded);
    QVERIFY(!model.socket(QStringLiteral("/"), QStringLiteral("s2"))->upgraded);
    QVERIFY(model.socketIndex(QStringLiteral("/"), QStringLiteral("s1"))
                .siblingAtColumn(1)
                .data()
                .toString()
                .startsWith(QLatin1String("websocket")));
    QVERIFY(!changed.isEmpty());
    // Rows stay consistent after removals in the middle.
    for (int i = 0; i < 20; ++i) {
        const QModelIndex index = model.socketIndex(QStringLiteral("/"), QStringLiteral("s%1").arg(i));
        if (i == 3 || i == 6) {
            QVERIFY(!index.isValid());
            continue;
        }
        QCOMPARE(model.index(index.row(), 0, index.parent()), index);
    }
    // A room whose last member leaves disappears.
    QList<Op> leaveAll;
    for (const QString &member : model.members(QStringLiteral("/"), QStringLiteral("room-2")))
        leaveAll.append(Op::leave(QStringLiteral("/"), QStringLiteral("room-2"), member));
    model.apply(leaveAll);
    QCOMPARE(model.rooms(QStringLiteral("/")),
             (QStringList{ QStringLiteral("room-0"), QStringLiteral("room-1") }));
}

void tst_InspectorModels::treeRemovesNamespace_data()
{
    QTest::addColumn<int>("resetThreshold"); // a batch past it is applied as a reset
    QTest::newRow("row by row") << 1000;
    QTest::newRow("in a reset") << 1;
}

void tst_InspectorModels::treeRemovesNamespace()
{
    // Server::namespaceRemoved (removeNamespace(), cleanupEmptyChildNamespaces): the node goes,
    // with any socket still listed; the namespace may come back in the same batch.
    QFETCH(int, resetThreshold);
    ServerTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setResetThreshold(resetThreshold);
    using Op = ServerTreeModel::Op;
    model.apply({ Op::addNamespace(QStringLiteral("/")),
                  Op::addSocket(socketSnapshot(QStringLiteral("/dyn-1"), QStringLiteral("a"),
                                               QStringLiteral("S1"), { QStringLiteral("lobby") })),
                  Op::addSocket(
                      socketSnapshot(QStringLiteral("/dyn-2"), QStringLiteral("b"), QStringLiteral("S2"))) });
    QCOMPARE(model.namespaces(),
             (QStringList{ QStringLiteral("/"), QStringLiteral("/dyn-1"), QStringLiteral("/dyn-2") }));
    model.apply({ Op::removeSocket(QStringLiteral("/dyn-2"), QStringLiteral("b")),
                  Op::removeNamespace(QStringLiteral("/dyn-2")),
                  Op::removeNamespace(QStringLiteral("/dyn-1")), // its socket still listed
                  Op::removeNamespace(QStringLiteral("/unknown")) });
    QCOMPARE(model.namespaces(), QStringList{ QStringLiteral("/") });
    QCOMPARE(model.socketCount(), 0);
    QVERIFY(!model.namespaceIndex(QStringLiteral("/dyn-1")).isValid());
    QVERIFY(model.rooms(QStringLiteral("/dyn-1")).isEmpty());
    // Created again (a client asked for it), then gone again within one batch.
    model.apply(
        { Op::addSocket(socketSnapshot(QStringLiteral("/dyn-1"), QStringLiteral("c"), QStringLiteral("S3"))),
          Op::removeNamespace(QStringLiteral("/dyn-1")), Op::addNamespace(QStringLiteral("/dyn-1")) });
    QCOMPARE(model.namespaces(), (QStringList{ QStringLiteral("/"), QStringLiteral("/dyn-1") }));
    QCOMPARE(model.socketCount(QStringLiteral("/dyn-1")), 0);
    const QModelIndex again = model.namespaceIndex(QStringLiteral("/dyn-1"));
    QVERIFY(again.isValid());
    QCOMPARE(model.index(again.row(), 0), again);
}

void tst_InspectorModels::treeLargeBatchResets()
{
    ServerTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setResetThreshold(50);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    using Op = ServerTreeModel::Op;
    QList<Op> ops;
    for (int i = 0; i < 200; ++i)
        ops.append(Op::addSocket(
            socketSnapshot(QStringLiteral("/"), QStringLiteral("s%1").arg(i), QStringLiteral("E%1").arg(i),
                           { QStringLiteral("r%1").arg(i % 3), QStringLiteral("solo%1").arg(i) })));
    model.apply(ops);
    QCOMPARE(reset.count(), 1);
    QCOMPARE(inserted.count(), 0);
    QCOMPARE(model.socketCount(), 200);
    QCOMPARE(model.rooms(QStringLiteral("/")).size(), 203);
    model.apply({ Op::removeSocket(QStringLiteral("/"), QStringLiteral("s10")) });
    QCOMPARE(reset.count(), 1);
    QCOMPARE(model.socketCount(), 199);
    // A mass disconnect in one batch: sockets, their rooms (some emptied), re-joins in the same batch.
    QList<Op> leave;
    for (int i = 0; i < 200; i += 2)
        leave.append(Op::removeSocket(QStringLiteral("/"), QStringLiteral("s%1").arg(i)));
    leave.append(Op::addSocket(socketSnapshot(QStringLiteral("/"), QStringLiteral("s0"), QStringLiteral("E0"),
                                              { QStringLiteral("solo0") })));
    leave.append(Op::leave(QStringLiteral("/"), QStringLiteral("r1"), QStringLiteral("s1")));
    model.apply(leave);
    QCOMPARE(reset.count(), 2);
    QCOMPARE(model.socketCount(), 101); // 199 - 99 (s10 was gone already) + s0 again
    QVERIFY(model.rooms(QStringLiteral("/")).contains(QStringLiteral("solo0")));
    QVERIFY(!model.rooms(QStringLiteral("/")).contains(QStringLiteral("solo2")));
    QVERIFY(model.rooms(QStringLiteral("/")).contains(QStringLiteral("solo1")));
    QCOMPARE(model.members(QStringLiteral("/"), QStringLiteral("solo0")),
             QStringList{ QStringLiteral("s0") });
    QVERIFY(!model.members(QStringLiteral("/"), QStringLiteral("r1")).contains(QStringLiteral("s1")));
    // Rows are consistent after the compaction.
    const QModelIndex sockets = model.index(0, 0, model.namespaceIndex(QStringLiteral("/")));
    for (int row = 0; row < model.rowCount(sockets); ++row) {
        const QModelIndex socket = model.index(row, 0, sockets);
        QCOMPARE(socket.row(), row);
        QCOMPARE(model.socketIndex(QStringLiteral("/"), socket.data().toString()), socket);
        QCOMPARE(socket.parent(), sockets);
    }
}

void tst_InspectorModels::treeResetFromSnapshot()
{
    ServerTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    NamespaceSnapshot main;
    main.name = QStringLiteral("/");
    main.sockets = { socketSnapshot(QStringLiteral("/"), QStringLiteral("x"), QStringLiteral("E"),
                                    { QStringLiteral("r") }) };
    NamespaceSnapshot admin;
    admin.name = QStringLiteral("/admin");
    model.reset({ main, admin });
    QCOMPARE(model.namespaces(), (QStringList{ QStringLiteral("/"), QStringLiteral("/admin") }));
    QCOMPARE(model.members(QStringLiteral("/"), QStringLiteral("r")), QStringList{ QStringLiteral("x") });
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

// --- files and lines ----------------------------------------------------------------------------

void tst_InspectorModels::harExportHasWebSocketMessages()
{
    QList<TrafficRow> rows;
    auto add = [&](const QByteArray &frame, Direction d, const QString &sid, qint64 t, bool binary = false) {
        TrafficRow row = TrafficRow::fromWire(frame, binary, d, t, Transport::WebSocket);
        row.sessionId = sid;
        rows.append(row);
    };
    add("40", Direction::Incoming, QStringLiteral("S1"), t0);
    add("40{\"sid\":\"a\"}", Direction::Outgoing, QStringLiteral("S1"), t0 + 1);
    add("40", Direction::Incoming, QStringLiteral("S2"), t0 + 2);
    add("451-[\"up\",{\"_placeholder\":true,\"num\":0}]", Direction::Incoming, QStringLiteral("S1"), t0 + 3);
    add(QByteArray::fromHex("00ff"), Direction::Incoming, QStringLiteral("S1"), t0 + 4, true);

    SessionInfo info;
    info.id = QStringLiteral("S1");
    info.openedMs = t0 - 5;
    info.transport = Transport::WebSocket;
    info.handshake.path = QStringLiteral("/socket.io/");
    info.handshake.query = QUrlQuery(QStringLiteral("EIO=4&transport=polling&t=x"));
    info.handshake.headers = { { "host", "example.test:3000" }, { "user-agent", "test" } };
    const QJsonObject har = HarFormat::toHar(rows, [&](const QString &sid) -> std::optional<SessionInfo> {
        if (sid == info.id)
            return info;
        return std::nullopt;
    });
    const QJsonObject log = har.value(QLatin1String("log")).toObject();
    QCOMPARE(log.value(QLatin1String("version")).toString(), QStringLiteral("1.2"));
    const QJsonArray entries = log.value(QLatin1String("entries")).toArray();
    QCOMPARE(entries.size(), 2);
    const QJsonObject first = entries.at(0).toObject();
    QCOMPARE(first.value(QLatin1String("_resourceType")).toString(), QStringLiteral("websocket"));
    const QJsonObject request = first.value(QLatin1String("request")).toObject();
    QCOMPARE(request.value(QLatin1String("url")).toString(),
             QStringLiteral("ws://example.test:3000/socket.io/?EIO=4&t=x&transport=websocket&sid=S1"));
    QCOMPARE(request.value(QLatin1String("headers")).toArray().size(), 2);
    QCOMPARE(first.value(QLatin1String("response")).toObject().value(QLatin1String("status")).toInt(), 101);
    QCOMPARE(first.value(QLatin1String("startedDateTime")).toString(),
             QStringLiteral("2023-11-14T22:13:19.995Z"));
    const QJsonArray messages = first.value(QLatin1String("_webSocketMessages")).toArray();
    QCOMPARE(messages.size(), 4);
    QCOMPARE(messages.at(0).toObject().value(QLatin1String("type")).toString(), QStringLiteral("send"));
    QCOMPARE(messages.at(1).toObject().value(QLatin1String("type")).toString(), QStringLiteral("receive"));
    QCOMPARE(messages.at(1).toObject().value(QLatin1String("data")).toString(),
             QStringLiteral("40{\"sid\":\"a\"}"));
    QCOMPARE(messages.at(1).toObject().value(QLatin1String("time")).toDouble(), double(t0 + 1) / 1000.0);
    QCOMPARE(messages.at(1).toObject().value(QLatin1String("opcode")).toInt(), 1);
    QCOMPARE(messages.at(3).toObject().value(QLatin1String("opcode")).toInt(), 2);
    QCOMPARE(messages.at(3).toObject().value(QLatin1String("data")).toString(), QStringLiteral("AP8="));
    // Without session info: a URL from the session id.
    QCOMPARE(entries.at(1)
                 .toObject()
                 .value(QLatin1String("request"))
                 .toObject()
                 .value(QLatin1String("url"))
                 .toString(),
             QStringLiteral("ws://localhost/socket.io/?EIO=4&transport=websocket&sid=S2"));
}

void tst_InspectorModels::harRoundTrip()
{
    TrafficModel model;
    model.addEvent(textEvent("40", Direction::Incoming, QStringLiteral("S1"), {}, t0));
    model.addEvent(textEvent("40/chat,{\"sid\":\"sock\"}", Direction::Outgoing, QStringLiteral("S1"),
                             QStringLiteral("sock"), t0 + 1));
    model.addEvent(textEvent("42/chat,3[\"ask\",{\"x\":[1,2]}]", Direction::Outgoing, QStringLiteral("S1"),
                             QStringLiteral("sock"), t0 + 2));
    model.addEvent(textEvent("461-/chat,3[{\"_placeholder\":true,\"num\":0}]", Direction::Incoming,
                             QStringLiteral("S1"), QStringLiteral("sock"), t0 + 40));
    model.addEvent(
        binaryEvent(QByteArray::fromHex("cafe"), Direction::Incoming, QStringLiteral("S1"), t0 + 41));
    model.flush();
    const QList<TrafficRow> original = model.rows();
    const QByteArray json = QJsonDocument(HarFormat::toHar(original)).toJson();

    const HarFormat::ImportResult result = HarFormat::fromHar(json);
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QCOMPARE(result.sessions, 1);
    QCOMPARE(result.rows.size(), original.size());
    for (qsizetype i = 0; i < original.size(); ++i) {
        QCOMPARE(result.rows.at(i).wire(), original.at(i).wire());
        QCOMPARE(result.rows.at(i).timestampMs, original.at(i).timestampMs);
        QCOMPARE(result.rows.at(i).direction, original.at(i).direction);
        QCOMPARE(result.rows.at(i).sessionId, QStringLiteral("S1"));
    }
    // Socket ids come back from the CONNECT reply; pairing and attachments from the model.
    QCOMPARE(result.rows.at(2).socketId, QStringLiteral("sock"));
    TrafficModel imported;
    QAbstractItemModelTester tester(&imported, QAbstractItemModelTester::FailureReportingMode::QtTest);
    imported.setRows(result.rows);
    QCOMPARE(imported.rowAt(2).roundTripMs, 38);
    QCOMPARE(imported.rowAt(3).attachments, QList<QByteArray>{ QByteArray::fromHex("cafe") });
}

void tst_InspectorModels::harImportsPollingAndRejectsGarbage()
{
    // Long-polling requests as a browser records them: packets separated by \x1e.
    const QJsonObject har{
        { QStringLiteral("log"),
          QJsonObject{
              { QStringLiteral("entries"),
                QJsonArray{
                    QJsonObject{
                        { QStringLiteral("startedDateTime"), QStringLiteral("2023-11-14T22:13:20.000Z") },
                        { QStringLiteral("request"),
                          QJsonObject{
                              { QStringLiteral("method"), QStringLiteral("GET") },
                              { QStringLiteral("url"),
                                QStringLiteral("http://h/socket.io/?EIO=4&transport=polling&t=1") } } },
                        { QStringLiteral("response"),
                          QJsonObject{ { QStringLiteral("content"),
                                         QJsonObject{ { QStringLiteral("text"),
                                                        QStringLiteral(
                                                            "0{\"sid\":\"P1\",\"upgrades\":[]}") } } } } } },
                    QJsonObject{
                        { QStringLiteral("startedDateTime"), QStringLiteral("2023-11-14T22:13:20.100Z") },
                        { QStringLiteral("request"),
                          QJsonObject{
                              { QStringLiteral("method"), QStringLiteral("POST") },
                              { QStringLiteral("url"),
                                QStringLiteral("http://h/socket.io/?EIO=4&transport=polling&sid=P1") },
                              { QStringLiteral("postData"),
                                QJsonObject{ { QStringLiteral("text"),
                                               QStringLiteral("40\u001e42[\"hi\",1]") } } } } } },
                    QJsonObject{
                        { QStringLiteral("request"),
                          QJsonObject{ { QStringLiteral("method"), QStringLiteral("GET") },
                                       { QStringLiteral("url"), QStringLiteral("http://h/index.html") } } } },
                } } } },
    };
    const HarFormat::ImportResult result = HarFormat::fromHar(QJsonDocument(har).toJson());
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QCOMPARE(result.rows.size(), 3);
    QCOMPARE(result.rows.at(0).engineType, EnginePacketType::Open);
    QCOMPARE(result.rows.at(0).sessionId, QStringLiteral("P1"));
    QCOMPARE(result.rows.at(2).event, QStringLiteral("hi"));
    QCOMPARE(result.rows.at(2).direction, Direction::Incoming);
    QCOMPARE(result.rows.at(2).transport, Transport::Polling);
    QCOMPARE(result.rows.at(2).timestampMs, t0 + 100);

    QVERIFY(!HarFormat::fromHar("not json").error.isEmpty());
    QVERIFY(!HarFormat::fromHar("{\"log\":{}}").error.isEmpty());
}

void tst_InspectorModels::harImportsBrowserWebSocket()
{
    // A WebSocket as Chrome records it: no sid in the URL, "send" is what the page sent, time in
    // seconds, binary frames base64 with opcode 2.
    const auto message = [](const char *type, double time, const QString &data, int opcode = 1) {
        return QJsonObject{ { QStringLiteral("type"), QLatin1String(type) },
                            { QStringLiteral("time"), time },
                            { QStringLiteral("opcode"), opcode },
                            { QStringLiteral("data"), data } };
    };
    const double t = t0 / 1000.0;
    const QJsonArray messages{
        message("receive", t, QStringLiteral("0{\"sid\":\"W1\",\"upgrades\":[],\"pingInterval\":25000}")),
        message("send", t + 0.001, QStringLiteral("40/chat,")),
        message("receive", t + 0.002, QStringLiteral("40/chat,{\"sid\":\"S1\"}")),
        message("send", t + 0.003, QStringLiteral("451-/chat,7[\"up\",{\"_placeholder\":true,\"num\":0}]")),
        message("send", t + 0.003, QString::fromLatin1(QByteArray::fromHex("0a0b").toBase64()), 2),
        message("receive", t + 0.010, QStringLiteral("43/chat,7[\"ok\"]")),
    };
    const QJsonObject har{
        { QStringLiteral("log"),
          QJsonObject{
              { QStringLiteral("entries"),
                QJsonArray{ QJsonObject{ { QStringLiteral("request"),
                                           QJsonObject{ { QStringLiteral("method"), QStringLiteral("GET") },
                                                        { QStringLiteral("url"),
                                                          QStringLiteral("wss://h/socket.io/"
                                                                         "?EIO=4&transport=websocket") } } },
                                         { QStringLiteral("_resourceType"), QStringLiteral("websocket") },
                                         { QStringLiteral("_webSocketMessages"), messages } } } } } }
    };
    const HarFormat::ImportResult result = HarFormat::fromHar(QJsonDocument(har).toJson());
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QCOMPARE(result.sessions, 1);
    QCOMPARE(result.rows.size(), 6);
    for (const TrafficRow &row : result.rows) {
        QCOMPARE(row.sessionId, QStringLiteral("W1")); // from the open packet
        QCOMPARE(row.transport, Transport::WebSocket);
    }
    QCOMPARE(result.rows.at(1).direction, Direction::Incoming);
    QCOMPARE(result.rows.at(1).socketId, QStringLiteral("S1")); // the CONNECT gets its socket too
    QCOMPARE(result.rows.at(2).socketId, QStringLiteral("S1"));
    QCOMPARE(result.rows.at(3).socketId, QStringLiteral("S1"));
    QCOMPARE(result.rows.at(3).timestampMs, t0 + 3);
    QVERIFY(result.rows.at(4).binary);
    QCOMPARE(result.rows.at(4).data, QByteArray::fromHex("0a0b"));
    QCOMPARE(result.rows.at(5).direction, Direction::Outgoing);

    // In the model: the attachment joins its packet and the emit pairs with its ack.
    TrafficModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setRows(result.rows);
    QCOMPARE(model.rowAt(3).attachments, QList<QByteArray>{ QByteArray::fromHex("0a0b") });
    QCOMPARE(model.rowAt(3).roundTripMs, 7);
    QCOMPARE(model.rowAt(5).pairSeq, model.rowAt(3).seq);
}

void tst_InspectorModels::jsonLines()
{
    TrafficModel model;
    model.addEvent(textEvent("42/chat,[\"m\",{\"a\":1}]", Direction::Incoming, QStringLiteral("S1"),
                             QStringLiteral("x"), t0));
    model.addEvent(textEvent("2", Direction::Outgoing, QStringLiteral("S1"), {}, t0 + 1));
    model.flush();
    const QByteArray out = HarFormat::toJsonLines(model.rows());
    const QList<QByteArray> lines = out.split('\n');
    QCOMPARE(lines.size(), 3); // two lines and the final newline
    QVERIFY(lines.last().isEmpty());
    const QJsonObject first = QJsonDocument::fromJson(lines.at(0)).object();
    QCOMPARE(first.value(QLatin1String("direction")).toString(), QStringLiteral("in"));
    QCOMPARE(first.value(QLatin1String("nsp")).toString(), QStringLiteral("/chat"));
    QCOMPARE(first.value(QLatin1String("socketId")).toString(), QStringLiteral("x"));
    QCOMPARE(first.value(QLatin1String("event")).toString(), QStringLiteral("m"));
    QCOMPARE(first.value(QLatin1String("args")).toArray(),
             (QJsonArray{ QJsonObject{ { QStringLiteral("a"), 1 } } }));
    QCOMPARE(first.value(QLatin1String("wire")).toString(), QStringLiteral("42/chat,[\"m\",{\"a\":1}]"));
    QCOMPARE(first.value(QLatin1String("time")).toString(), QStringLiteral("2023-11-14T22:13:20.000Z"));
    const QJsonObject second = QJsonDocument::fromJson(lines.at(1)).object();
    QCOMPARE(second.value(QLatin1String("engineType")).toString(), QStringLiteral("ping"));
    QVERIFY(!second.contains(QLatin1String("socketIoType")));
}

void tst_InspectorModels::headlessLines_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<int>("direction");
    QTest::addColumn<QString>("socketId");
    QTest::addColumn<QString>("rest"); // the line after the time

    QTest::newRow("event") << QByteArray("42/chat,[\"chat\",\"hello\",{\"to\":\"lobby\"}]")
                           << int(Direction::Incoming) << "Zx9"
                           << "in  /chat    Zx9 EVENT chat  \"hello\", {\"to\":\"lobby\"}";
    QTest::newRow("event with ack") << QByteArray("425[\"ask\"]") << int(Direction::Outgoing) << "Q1"
                                    << "out /        Q1 EVENT ask [ack 5]";
    QTest::newRow("ack") << QByteArray("435[true]") << int(Direction::Incoming) << "Q1"
                         << "in  /        Q1 ACK 5  true";
    QTest::newRow("engine packet") << QByteArray("2") << int(Direction::Outgoing) << QString()
                                   << "out -        sid:S1 ping";
}

void tst_InspectorModels::headlessLines()
{
    QFETCH(QByteArray, frame);
    QFETCH(int, direction);
    QFETCH(QString, socketId);
    QFETCH(QString, rest);
    const TrafficRow row =
        TrafficRow::fromEvent(textEvent(frame, Direction(direction), QStringLiteral("S1"), socketId));
    QCOMPARE(HeadlessPrinter::formatLine(row), formatTime(t0) + QLatin1Char(' ') + rest);
    QVERIFY(QRegularExpression(QStringLiteral("^\\d\\d:\\d\\d:\\d\\d\\.\\d\\d\\d "))
                .match(formatTime(t0) + QLatin1Char(' '))
                .hasMatch());
}

void tst_InspectorModels::headlessFilters()
{
    FILE *file = std::tmpfile();
    QVERIFY(file);
    HeadlessPrinter::Options options;
    options.namespaces = { QStringLiteral("/chat") };
    options.events = { QStringLiteral("chat,ask*") };
    {
        HeadlessPrinter printer(nullptr, options, file);
        QVERIFY(!printer.accepts(TrafficRow::fromEvent(textEvent("2", Direction::Outgoing))));
        QVERIFY(!printer.accepts(TrafficRow::fromEvent(textEvent("42[\"chat\"]", Direction::Incoming))));
        QVERIFY(printer.accepts(TrafficRow::fromEvent(textEvent("42/chat,[\"chat\"]", Direction::Incoming))));
        QVERIFY(
            !printer.accepts(TrafficRow::fromEvent(textEvent("42/chat,[\"typing\"]", Direction::Incoming))));
        // An ack is printed with the event it answers, and its round trip.
        printer.print(textEvent("42/chat,8[\"askme\"]", Direction::Outgoing, QStringLiteral("S1"),
                                QStringLiteral("k"), t0));
        printer.print(textEvent("43/chat,8[1]", Direction::Incoming, QStringLiteral("S1"),
                                QStringLiteral("k"), t0 + 12));
        printer.print(textEvent("42/chat,[\"typing\"]", Direction::Incoming, QStringLiteral("S1"),
                                QStringLiteral("k"), t0 + 13));
    }
    std::rewind(file);
    QByteArray text;
    char buffer[4096];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, file)) > 0;)
        text.append(buffer, qsizetype(n));
    std::fclose(file);
    const QList<QByteArray> lines = text.split('\n');
    QCOMPARE(lines.size(), 3);
    QVERIFY2(lines.at(0).endsWith("k EVENT askme [ack 8]"), lines.at(0).constData());
    QVERIFY2(lines.at(1).endsWith("k ACK 8 askme (12 ms)  1"), lines.at(1).constData());

    HeadlessPrinter::Options all;
    all.showControl = true;
    HeadlessPrinter printer(nullptr, all, stderr);
    QVERIFY(printer.accepts(TrafficRow::fromEvent(textEvent("2", Direction::Outgoing))));
}

void tst_InspectorModels::statsCollectsPerSecond()
{
    StatsCollector stats;
    stats.setConnectionCounter([] { return 7; });
    QSignalSpy updated(&stats, &StatsCollector::updated);
    stats.addPacket(Direction::Incoming, 10);
    stats.addPacket(Direction::Incoming, 5);
    stats.addPacket(Direction::Outgoing, 100);
    stats.addConnect();
    stats.addDisconnect(QStringLiteral("transport close"));
    stats.addDisconnect(QStringLiteral("transport close"));
    stats.addAckRoundTrip(10);
    stats.addAckRoundTrip(30);
    stats.tick();
    QCOMPARE(updated.count(), 1);
    QCOMPARE(stats.samples().size(), std::size_t(1));
    const StatsCollector::Sample &s = stats.samples().back();
    QCOMPARE(s.connections, 7);
    QCOMPARE(s.packetsIn, 2);
    QCOMPARE(s.bytesIn, 15);
    QCOMPARE(s.packetsOut, 1);
    QCOMPARE(s.bytesOut, 100);
    QCOMPARE(s.connects, 1);
    QCOMPARE(s.disconnects, 2);
    QCOMPARE(s.ackAverageMs(), 20.0);
    QCOMPARE(s.ackMaxMs, 30);
    QCOMPARE(stats.disconnectReasons().value(QStringLiteral("transport close")), 2);
    stats.setHistorySeconds(3);
    for (int i = 0; i < 5; ++i)
        stats.tick();
    QCOMPARE(stats.samples().size(), std::size_t(3));
    QCOMPARE(stats.current().packetsIn, 0);
}

QTEST_MAIN(tst_InspectorModels)
#include "tst_inspectormodels.moc"
