// SPDX-License-Identifier: MIT
// RecoveryStore, connection state recovery's memory (lib/src/adapter): order, offsets, rooms and
// except as at emit time, expiry, the bounds on count and bytes, reset; and the memory one
// stored packet costs (memoryPerStoredPacket prints it: docs/recovery.md quotes that line).
#include "adapter/recoverystore.h"

#include <QTest>

#include <malloc.h>

using namespace SocketIo;

namespace {

Arguments::Encoded packet(const QByteArray &text, QList<QByteArray> attachments = {})
{
    return { text, std::move(attachments) };
}

RecoveryStore::Limits limits(qint64 maxDisconnectionMs = 1000, qint64 maxPackets = 0, qint64 maxBytes = 0)
{
    RecoveryStore::Limits l;
    l.maxDisconnectionMs = maxDisconnectionMs;
    l.maxPackets = maxPackets;
    l.maxBytes = maxBytes;
    return l;
}

RecoveryStore::Session session(const QString &pid, const QStringList &rooms, qint64 base = 0)
{
    RecoveryStore::Session s;
    s.sid = QStringLiteral("sid-") + pid;
    s.pid = pid;
    s.rooms = rooms;
    s.data = { { QStringLiteral("user"), 7 } };
    s.base = base;
    return s;
}

QList<QByteArray> texts(const QList<Arguments::Encoded> &packets)
{
    QList<QByteArray> result;
    for (const auto &p : packets)
        result.append(p.text);
    return result;
}

QSet<QString> set(const QStringList &list)
{
    return QSet<QString>(list.cbegin(), list.cend());
}

} // namespace

class tst_RecoveryStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void offsetsAreConsecutive();
    void missedPacketsInOrder();
    void roomsAndExceptAsAtEmitTime_data();
    void roomsAndExceptAsAtEmitTime();
    void noOffsetReplaysFromBase();
    void unknownOffsetOrPid_data();
    void unknownOffsetOrPid();
    void sessionConsumed();
    void expiry_data();
    void expiry();
    void purgeDropsExpiredSessionsAndPackets();
    void boundByCount();
    void boundByBytes();
    void shrinkingLimitsDropAtOnce();
    void resetInvalidatesOffsets();
    void memoryPerStoredPacket_data();
    void memoryPerStoredPacket();
};

void tst_RecoveryStore::offsetsAreConsecutive()
{
    RecoveryStore store(limits());
    const QString first = store.nextOffset();
    QVERIFY(first.endsWith(QLatin1String("-1")));
    QCOMPARE(first, store.offsetOf(1));
    QCOMPARE(store.lastSeq(), 0);
    store.append(packet("a"), {}, {}, 0);
    QCOMPARE(store.nextOffset(), first.chopped(1) + QLatin1Char('2'));
    // Another store (another namespace, another server process) has another tag.
    QVERIFY(RecoveryStore(limits()).nextOffset() != first);
    QCOMPARE(store.lastSeq(), 1);
    QCOMPARE(store.packetCount(), 1);
    QCOMPARE(store.byteCount(), 1);
}

void tst_RecoveryStore::missedPacketsInOrder()
{
    RecoveryStore store(limits());
    for (const char *text : { "p1", "p2", "p3", "p4" })
        store.append(packet(text), {}, {}, 10);
    store.persist(session(QStringLiteral("pid"), { QStringLiteral("sid-pid") }), 20);
    const auto restored = store.restore(QStringLiteral("pid"), store.offsetOf(2), 30);
    QVERIFY(restored);
    QCOMPARE(texts(restored->missed), QList<QByteArray>({ "p3", "p4" }));
    QCOMPARE(restored->session.sid, QStringLiteral("sid-pid"));
    QCOMPARE(restored->session.data.value(QStringLiteral("user")).toInt(), 7);
    // The last offset: nothing missed, still recovered.
    store.persist(session(QStringLiteral("pid"), { QStringLiteral("sid-pid") }), 40);
    const auto latest = store.restore(QStringLiteral("pid"), store.offsetOf(4), 50);
    QVERIFY(latest);
    QVERIFY(latest->missed.isEmpty());
}

// socket.io-adapter's shouldIncludePacket(): the session's rooms (own id room included) against
// the packet's rooms (none: everyone) and except, as they were when it was emitted.
void tst_RecoveryStore::roomsAndExceptAsAtEmitTime_data()
{
    QTest::addColumn<QStringList>("rooms");
    QTest::addColumn<QStringList>("except");
    QTest::addColumn<QStringList>("sessionRooms");
    QTest::addColumn<bool>("included");
    const QString self = QStringLiteral("self");
    QTest::newRow("everyone") << QStringList() << QStringList() << QStringList{ self } << true;
    QTest::newRow("own id room (a direct emit)")
        << QStringList{ self } << QStringList() << QStringList{ self } << true;
    QTest::newRow("another socket's room")
        << QStringList{ QStringLiteral("other") } << QStringList() << QStringList{ self } << false;
    QTest::newRow("one of its rooms") << QStringList{ QStringLiteral("a"), QStringLiteral("b") }
                                      << QStringList() << QStringList{ self, QStringLiteral("b") } << true;
    QTest::newRow("everyone but the sender")
        << QStringList() << QStringList{ QStringLiteral("sender") } << QStringList{ self } << true;
    QTest::newRow("it was the sender")
        << QStringList() << QStringList{ self } << QStringList{ self } << false;
    QTest::newRow("in an excepted room") << QStringList() << QStringList{ QStringLiteral("muted") }
                                         << QStringList{ self, QStringLiteral("muted") } << false;
    QTest::newRow("in the room and an excepted one")
        << QStringList{ QStringLiteral("a") } << QStringList{ QStringLiteral("muted") }
        << QStringList{ self, QStringLiteral("a"), QStringLiteral("muted") } << false;
}

void tst_RecoveryStore::roomsAndExceptAsAtEmitTime()
{
    QFETCH(QStringList, rooms);
    QFETCH(QStringList, except);
    QFETCH(QStringList, sessionRooms);
    QFETCH(bool, included);
    RecoveryStore store(limits());
    store.append(packet("before"), {}, {}, 0);
    store.append(packet("p"), set(rooms), set(except), 0);
    store.persist(session(QStringLiteral("pid"), sessionRooms), 0);
    const auto restored = store.restore(QStringLiteral("pid"), store.offsetOf(1), 0);
    QVERIFY(restored);
    QCOMPARE(restored->missed.size(), included ? 1 : 0);
}

// Not in socket.io (issue socketio/socket.io#5538): a client that received no event sends no
// offset; the replay starts where its socket connected.
void tst_RecoveryStore::noOffsetReplaysFromBase()
{
    RecoveryStore store(limits());
    store.append(packet("before it connected"), {}, {}, 0);
    const qint64 base = store.lastSeq();
    store.append(packet("lost on the way"), {}, {}, 0);
    store.persist(session(QStringLiteral("pid"), { QStringLiteral("sid-pid") }, base), 0);
    store.append(packet("while away"), {}, {}, 0);
    const auto restored = store.restore(QStringLiteral("pid"), QString(), 0);
    QVERIFY(restored);
    QCOMPARE(texts(restored->missed), QList<QByteArray>({ "lost on the way", "while away" }));
}

void tst_RecoveryStore::unknownOffsetOrPid_data()
{
    QTest::addColumn<QString>("pid");
    QTest::addColumn<QString>("offset");
    // "@" stands for the store's tag.
    QTest::newRow("unknown pid") << QStringLiteral("nobody") << QStringLiteral("@1");
    QTest::newRow("offset in the future") << QStringLiteral("pid") << QStringLiteral("@99");
    QTest::newRow("not a number") << QStringLiteral("pid") << QStringLiteral("@abc");
    QTest::newRow("negative") << QStringLiteral("pid") << QStringLiteral("@-1");
    QTest::newRow("a plain number (another tag)") << QStringLiteral("pid") << QStringLiteral("1");
    QTest::newRow("a string argument") << QStringLiteral("pid") << QStringLiteral("hello");
}

void tst_RecoveryStore::unknownOffsetOrPid()
{
    QFETCH(QString, pid);
    QFETCH(QString, offset);
    RecoveryStore store(limits());
    store.append(packet("a"), {}, {}, 0);
    store.append(packet("b"), {}, {}, 0);
    store.persist(session(QStringLiteral("pid"), { QStringLiteral("sid-pid") }), 0);
    const QString tag = store.offsetOf(0).chopped(1);
    QVERIFY(!store.restore(pid, QString(offset).replace(QLatin1Char('@'), tag), 0));
}

// A session is restored once: a second CONNECT with the same pid gets a fresh socket (two sockets
// with one id would be a bug).
void tst_RecoveryStore::sessionConsumed()
{
    RecoveryStore store(limits());
    store.append(packet("a"), {}, {}, 0);
    store.persist(session(QStringLiteral("pid"), { QStringLiteral("sid-pid") }), 0);
    QCOMPARE(store.sessionCount(), 1);
    QVERIFY(store.restore(QStringLiteral("pid"), store.offsetOf(1), 0));
    QCOMPARE(store.sessionCount(), 0);
    QVERIFY(!store.restore(QStringLiteral("pid"), store.offsetOf(1), 0));
}

void tst_RecoveryStore::expiry_data()
{
    QTest::addColumn<qint64>("restoreAt");
    QTest::addColumn<bool>("recovered");
    // Disconnected at 100, maxDisconnectionDuration 1000: as socket.io, expired strictly after.
    QTest::newRow("at once") << qint64(100) << true;
    QTest::newRow("at the limit") << qint64(1100) << true;
    QTest::newRow("just after") << qint64(1101) << false;
}

void tst_RecoveryStore::expiry()
{
    QFETCH(qint64, restoreAt);
    QFETCH(bool, recovered);
    RecoveryStore store(limits(1000));
    store.append(packet("a"), {}, {}, 100);
    store.persist(session(QStringLiteral("pid"), { QStringLiteral("sid-pid") }), 100);
    QCOMPARE(bool(store.restore(QStringLiteral("pid"), store.offsetOf(1), restoreAt)), recovered);
}

void tst_RecoveryStore::purgeDropsExpiredSessionsAndPackets()
{
    RecoveryStore store(limits(1000));
    store.append(packet("old"), {}, {}, 0);
    store.append(packet("newer"), {}, {}, 600);
    store.persist(session(QStringLiteral("old"), { QStringLiteral("a") }), 0);
    store.persist(session(QStringLiteral("recent"), { QStringLiteral("b") }), 700);
    store.purge(1500);
    QCOMPARE(store.sessionCount(), 1);
    QCOMPARE(store.packetCount(), 1);
    QCOMPARE(store.byteCount(), 5);
    QCOMPARE(store.droppedCount(), 0); // expiry is not an early drop
    // The offset of the purged packet is still a valid starting point (the client has it)...
    auto restored = store.restore(QStringLiteral("recent"), store.offsetOf(1), 1500);
    QVERIFY(restored);
    QCOMPARE(texts(restored->missed), QList<QByteArray>({ "newer" }));
    // ...an offset before it is not: the purged packet could be missing.
    store.append(packet("c"), {}, {}, 1600);
    store.purge(2000); // drops "newer" (600)
    store.persist(session(QStringLiteral("again"), { QStringLiteral("b") }), 2000);
    QVERIFY(!store.restore(QStringLiteral("again"), store.offsetOf(1), 2000));
    store.purge(10000);
    QCOMPARE(store.packetCount(), 0);
    QCOMPARE(store.byteCount(), 0);
}

void tst_RecoveryStore::boundByCount()
{
    RecoveryStore store(limits(1000, 3));
    for (const char *text : { "p1", "p2", "p3", "p4", "p5" })
        store.append(packet(text), {}, {}, 0);
    QCOMPARE(store.packetCount(), 3);
    QCOMPARE(store.droppedCount(), 2);
    store.persist(session(QStringLiteral("a"), { QStringLiteral("x") }), 0);
    store.persist(session(QStringLiteral("b"), { QStringLiteral("y") }), 0);
    // Offset 1: packet 2 is gone, a replay would have a hole: not recovered.
    QVERIFY(!store.restore(QStringLiteral("a"), store.offsetOf(1), 0));
    // Offset 2: everything after it is kept.
    const auto restored = store.restore(QStringLiteral("b"), store.offsetOf(2), 0);
    QVERIFY(restored);
    QCOMPARE(texts(restored->missed), QList<QByteArray>({ "p3", "p4", "p5" }));
}

void tst_RecoveryStore::boundByBytes()
{
    RecoveryStore store(limits(1000, 0, 10));
    store.append(packet("aaaa"), {}, {}, 0); // 4
    store.append(packet("bb", { QByteArray(3, 'x') }), {}, {}, 0); // 5: attachments count
    QCOMPARE(store.byteCount(), 9);
    QCOMPARE(store.droppedCount(), 0);
    store.append(packet("cc"), {}, {}, 0); // 11 > 10: the oldest goes
    QCOMPARE(store.packetCount(), 2);
    QCOMPARE(store.byteCount(), 7);
    QCOMPARE(store.droppedCount(), 1);
    // A packet larger than the bound alone stays (its offset was just handed out).
    store.append(packet(QByteArray(50, 'z')), {}, {}, 0);
    QCOMPARE(store.packetCount(), 1);
    QCOMPARE(store.byteCount(), 50);
    QCOMPARE(store.droppedCount(), 3);
}

void tst_RecoveryStore::shrinkingLimitsDropAtOnce()
{
    RecoveryStore store(limits());
    for (int i = 0; i < 10; ++i)
        store.append(packet("p"), {}, {}, 0);
    store.setLimits(limits(1000, 4));
    QCOMPARE(store.packetCount(), 4);
    QCOMPARE(store.droppedCount(), 6);
}

void tst_RecoveryStore::resetInvalidatesOffsets()
{
    RecoveryStore store(limits());
    store.append(packet("a"), {}, {}, 0);
    store.persist(session(QStringLiteral("pid"), { QStringLiteral("x") }), 0);
    store.reset();
    QCOMPARE(store.sessionCount(), 0);
    QCOMPARE(store.packetCount(), 0);
    store.append(packet("b"), {}, {}, 0);
    store.persist(session(QStringLiteral("old"), { QStringLiteral("x") }), 0);
    store.persist(session(QStringLiteral("new"), { QStringLiteral("y") }), 0);
    QVERIFY(!store.restore(QStringLiteral("old"), QString(), 0)); // base 0: before the reset
    const auto restored = store.restore(QStringLiteral("new"), store.offsetOf(1), 0);
    QVERIFY(restored); // offset 1 was the last before the reset: "b" follows it
    QCOMPARE(texts(restored->missed), QList<QByteArray>({ "b" }));
}

// What one stored packet costs the heap (glibc's mallinfo2: bytes in use), payload included,
// for packets as a broadcast makes them: the text is the very QByteArray written to the
// sockets, so once those writes are flushed the store is its only owner.
void tst_RecoveryStore::memoryPerStoredPacket_data()
{
    QTest::addColumn<int>("payload");
    QTest::addColumn<int>("rooms");
    QTest::newRow("100 bytes, to everyone") << 100 << 0;
    QTest::newRow("100 bytes, to one room") << 100 << 1;
    QTest::newRow("1000 bytes, to one room") << 1000 << 1;
}

void tst_RecoveryStore::memoryPerStoredPacket()
{
    QFETCH(int, payload);
    QFETCH(int, rooms);
    const int count = 20000;
    QSet<QString> roomSet;
    if (rooms)
        roomSet.insert(QStringLiteral("a-room-name"));
    RecoveryStore store(limits(60000));
    const size_t before = mallinfo2().uordblks;
    {
        // As a broadcast: the text is encoded, written (shared with the store), then flushed.
        QList<Arguments::Encoded> packets;
        packets.reserve(count);
        for (int i = 0; i < count; ++i)
            packets.append(packet(QByteArray(payload, 'x')));
        for (int i = 0; i < count; ++i)
            store.append(packets.at(i), roomSet, {}, 0);
    } // the store is now the only owner of the texts
    const size_t after = mallinfo2().uordblks;
    const double perPacket = (double(after) - double(before)) / count;
    const double overhead = perPacket - payload;
    qInfo(
        "recovery store: %d-byte packets to %d room(s): %.0f bytes per stored packet (%.0f over the payload)",
        payload, rooms, perPacket, overhead);
    QCOMPARE(store.packetCount(), count);
    // The bound documented in docs/recovery.md, with room to spare for allocator rounding.
    QVERIFY2(overhead < 300, qPrintable(QString::number(overhead)));
}

QTEST_APPLESS_MAIN(tst_RecoveryStore)
#include "tst_recoverystore.moc"
