// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/arguments.h"

#include <QHash>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QVariantMap>

#include <deque>
#include <optional>

namespace SocketIo {

// Connection state recovery's memory (socket.io-adapter's SessionAwareAdapter, as a value class
// of its own): the packets that may be replayed, each encoded once with its offset as last
// argument and kept as the very bytes written to the sockets, and the sessions of sockets that
// left for a recoverable reason. Bounded by age (maxDisconnectionMs), by count and by bytes;
// dropping a packet makes every offset before it unrecoverable, so a restore never skips one.
//
// Offsets are "<tag>-<sequence number>": consecutive numbers, so finding a client's offset is
// O(1); the tag is random per store, so that a string argument of an event the client takes for
// an offset (socket.io-client takes any last string argument, volatile events' too) or an
// offset of another server process never matches by chance. Times are the caller's milliseconds (monotonic,
// see now()), which makes the class testable without a clock. Not thread-safe: the namespace's thread.
class RecoveryStore
{
public:
    struct Limits
    {
        qint64 maxDisconnectionMs = 2 * 60 * 1000;
        qint64 maxPackets = 0; // 0: no limit
        qint64 maxBytes = 0; // 0: no limit
    };
    struct Session
    {
        QString sid;
        QString pid;
        QStringList rooms; // the socket's own id room included
        QVariantMap data;
        // The last sequence number when the socket (re)connected: where a replay starts for a
        // client that reconnects without an offset (it received no event at all).
        qint64 base = 0;
        qint64 disconnectedAt = 0;
    };
    struct Restored
    {
        Session session;
        QList<Arguments::Encoded> missed; // in emit order, offset included
    };

    explicit RecoveryStore(const Limits &limits);

    static qint64 now(); // a monotonic clock, in milliseconds

    const Limits &limits() const { return m_limits; }
    void setLimits(const Limits &limits); // applies the count and byte bounds at once

    // The offset the next append() gets; put it last in the packet's arguments.
    QString nextOffset() const { return offsetOf(m_nextSeq); }
    QString offsetOf(qint64 seq) const { return m_tag + QString::number(seq); }
    qint64 lastSeq() const { return m_nextSeq - 1; }
    // Stores packet (encoded with nextOffset() last) for the sockets in rooms (none: all) and
    // not in except; drops the oldest packets beyond the bounds.
    void append(const Arguments::Encoded &packet, const QSet<QString> &rooms, const QSet<QString> &except,
                qint64 now);
    // A socket left for a recoverable reason.
    void persist(Session session, qint64 now);
    // The session of pid with the packets it missed after offset (empty: it received none, so
    // after its base), filtered by its rooms as they were at emit time; nullopt when the session
    // is unknown or expired, or the offset is unknown or older than the oldest packet kept. The
    // session is consumed either way.
    std::optional<Restored> restore(const QString &pid, const QString &offset, qint64 now);
    // Drops expired sessions and the packets no session may still need.
    void purge(qint64 now);
    // Forgets every session and packet; offsets handed out so far become unrecoverable (an
    // adapter that missed messages of other servers calls this).
    void reset();

    qint64 packetCount() const { return qint64(m_packets.size()); }
    qint64 byteCount() const { return m_bytes; } // payload bytes of the stored packets
    qint64 sessionCount() const { return m_sessions.size(); }
    qint64 droppedCount() const { return m_dropped; } // dropped early, over maxPackets/maxBytes

private:
    struct Entry
    {
        qint64 seq = 0;
        qint64 emittedAt = 0;
        qint64 bytes = 0;
        // Lists, not sets: an empty one allocates nothing, one room costs a few dozen bytes
        // (a one-entry QSet costs a kilobyte).
        QStringList rooms;
        QStringList except;
        Arguments::Encoded packet;
    };
    static bool includes(const Entry &entry, const QStringList &sessionRooms);
    void dropFront();

    Limits m_limits;
    QString m_tag; // "<random>-"
    std::deque<Entry> m_packets; // consecutive seqs; front().seq == m_droppedUpTo + 1
    QHash<QString, Session> m_sessions; // by pid
    qint64 m_nextSeq = 1;
    qint64 m_droppedUpTo = 0; // every packet up to this seq is gone
    qint64 m_bytes = 0;
    qint64 m_dropped = 0;
};

} // namespace SocketIo
