// SPDX-License-Identifier: MIT
// The inspector's traffic log with packets of the msgpack parser (docs/msgpack.md): one binary
// frame each, decoded by SocketIo::decodeSocketIoFields(event, Parser::MsgPack) into the same
// fields as JSON packets; their inline binaries are the row's attachments; no attachment
// linking, ack pairing as for JSON. The bytes are what npm socket.io-msgpack-parser writes.
#include "trafficmodel.h"
#include "trafficrow.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace SocketIo;
using namespace Inspector;

namespace {

TrafficEvent binaryMessage(const char *hex, TrafficEvent::Direction direction,
                           Parser parser = Parser::MsgPack)
{
    TrafficEvent event;
    event.sessionId = QStringLiteral("S");
    event.direction = direction;
    event.type = EnginePacketType::Message;
    event.binary = true;
    event.data = QByteArray::fromHex(hex);
    event.size = event.data.size();
    decodeSocketIoFields(event, parser);
    return event;
}

// socket.io-client: emit("message", Buffer [1,2,3], "t", ack) with id 5:
// {type: 2, data: ["message", <bin 010203>, "t"], id: 5, nsp: "/"}
const char *const eventWithBinary =
    "84a47479706502a46461746193a76d657373616765c403010203a174a2696405a36e7370a12f";
// socket.io: the ack {id: 5, type: 3, data: [<bin ff>], nsp: "/"}
const char *const ackWithBinary = "84a2696405a47479706503a46461746191c401ffa36e7370a12f";

} // namespace

class tst_InspectorMsgpack : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void decodedFields();
    void jsonParserLeavesBinaryFramesAlone();
    void row();
    void modelKeepsBinariesAndPairsAcks();
};

void tst_InspectorMsgpack::decodedFields()
{
    const TrafficEvent event = binaryMessage(eventWithBinary, TrafficEvent::Direction::Incoming);
    QCOMPARE(event.socketIoType, SocketIoPacketType::Event);
    QCOMPARE(event.event, QStringLiteral("message"));
    QCOMPARE(event.nsp, QStringLiteral("/"));
    QCOMPARE(event.ackId, 5);
    QCOMPARE(event.attachments, 0);
    QCOMPARE(event.binaries, QList<QByteArray>{ QByteArray("\x01\x02\x03", 3) });
    const QJsonArray payload{ QStringLiteral("message"),
                              QJsonObject{ { QStringLiteral("_placeholder"), true },
                                           { QStringLiteral("num"), 0 } },
                              QStringLiteral("t") };
    QCOMPARE(event.payload, QJsonValue(payload));
}

void tst_InspectorMsgpack::jsonParserLeavesBinaryFramesAlone()
{
    const TrafficEvent event =
        binaryMessage(eventWithBinary, TrafficEvent::Direction::Incoming, Parser::Json);
    QCOMPARE(event.socketIoType, SocketIoPacketType::None);
    const TrafficRow row = TrafficRow::fromEvent(event);
    QCOMPARE(row.kind, PacketKind::Attachment);
    QVERIFY(!row.isMsgpack());
}

void tst_InspectorMsgpack::row()
{
    const TrafficRow row =
        TrafficRow::fromEvent(binaryMessage(eventWithBinary, TrafficEvent::Direction::Incoming));
    QVERIFY(row.isMsgpack());
    QCOMPARE(row.kind, PacketKind::Event);
    QCOMPARE(row.typeName(), QStringLiteral("EVENT"));
    QCOMPARE(row.levelName(), QStringLiteral("Socket.IO"));
    QCOMPARE(row.argCount, 2);
    QCOMPARE(row.summary, QStringLiteral("<binary #0>, \"t\""));
    QCOMPARE(row.attachments, QList<QByteArray>{ QByteArray("\x01\x02\x03", 3) });
    QVERIFY(row.searchText().contains(QStringLiteral("message")));
    QVERIFY(row.searchText().contains(QStringLiteral("\"t\"")));
}

void tst_InspectorMsgpack::modelKeepsBinariesAndPairsAcks()
{
    TrafficModel model;
    model.addRow(TrafficRow::fromEvent(binaryMessage(eventWithBinary, TrafficEvent::Direction::Incoming)));
    model.addRow(TrafficRow::fromEvent(binaryMessage(ackWithBinary, TrafficEvent::Direction::Outgoing)));
    model.flush();
    QCOMPARE(model.rowCount(), 2);
    const TrafficRow &event = model.rowAt(0);
    const TrafficRow &ack = model.rowAt(1);
    QCOMPARE(event.attachments.size(), 1); // not taken as the next packet's attachment either
    QCOMPARE(ack.kind, PacketKind::Ack);
    QCOMPARE(ack.attachments, QList<QByteArray>{ QByteArray("\xff", 1) });
    QCOMPARE(event.pairSeq, ack.seq);
    QCOMPARE(ack.pairSeq, event.seq);

    // Rebuilt from rows (HAR import and the like): the inline binaries stay.
    model.setRows(model.rows());
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.rowAt(0).attachments, QList<QByteArray>{ QByteArray("\x01\x02\x03", 3) });
    QCOMPARE(model.rowAt(1).pairSeq, model.rowAt(0).seq);
}

QTEST_MAIN(tst_InspectorMsgpack)
#include "tst_inspectormsgpack.moc"
