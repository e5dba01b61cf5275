// SPDX-License-Identifier: MIT
#include "recoverystore.h"

#include <QElapsedTimer>
#include <QRandomGenerator>

#include <algorithm>

namespace SocketIo {

RecoveryStore::RecoveryStore(const Limits &limits)
    : m_limits(limits)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    for (int i = 0; i < 6; ++i)
        m_tag.append(QLatin1Char(alphabet[QRandomGenerator::global()->bounded(int(sizeof(alphabet) - 1))]));
    m_tag.append(QLatin1Char('-'));
}

qint64 RecoveryStore::now()
{
    static const QElapsedTimer clock = [] {
        QElapsedTimer timer;
        timer.start();
        return timer;
    }();
    return clock.elapsed();
}

void RecoveryStore::setLimits(const Limits &limits)
{
    m_limits = limits;
    while (!m_packets.empty()
           && ((m_limits.maxPackets > 0 && qint64(m_packets.size()) > m_limits.maxPackets)
               || (m_limits.maxBytes > 0 && m_bytes > m_limits.maxBytes))) {
        dropFront();
        ++m_dropped;
    }
}

void RecoveryStore::dropFront()
{
    m_bytes -= m_packets.front().bytes;
    m_droppedUpTo = m_packets.front().seq;
    m_packets.pop_front();
}

void RecoveryStore::append(const Arguments::Encoded &packet, const QSet<QString> &rooms,
                           const QSet<QString> &except, qint64 now)
{
    Entry entry;
    entry.seq = m_nextSeq++;
    entry.emittedAt = now;
    entry.bytes = packet.text.size();
    for (const QByteArray &attachment : packet.attachments)
        entry.bytes += attachment.size();
    if (!rooms.isEmpty())
        entry.rooms = QStringList(rooms.cbegin(), rooms.cend());
    if (!except.isEmpty())
        entry.except = QStringList(except.cbegin(), except.cend());
    entry.packet = packet;
    m_bytes += entry.bytes;
    m_packets.push_back(std::move(entry));
    // The newest packet always stays, even alone over maxBytes: dropping it would make the
    // offset just handed out unrecoverable at once.
    while (m_packets.size() > 1
           && ((m_limits.maxPackets > 0 && qint64(m_packets.size()) > m_limits.maxPackets)
               || (m_limits.maxBytes > 0 && m_bytes > m_limits.maxBytes))) {
        dropFront();
        ++m_dropped;
    }
}

void RecoveryStore::persist(Session session, qint64 now)
{
    session.disconnectedAt = now;
    const QString pid = session.pid;
    m_sessions.insert(pid, std::move(session));
}

// socket.io-adapter's shouldIncludePacket(): in one of the packet's rooms (or it had none), in
// none of its excepted rooms.
bool RecoveryStore::includes(const Entry &entry, const QStringList &sessionRooms)
{
    const auto inAny = [&](const QStringList &rooms) {
        return std::any_of(sessionRooms.cbegin(), sessionRooms.cend(),
                           [&](const QString &room) { return rooms.contains(room); });
    };
    const bool included = entry.rooms.isEmpty() || inAny(entry.rooms);
    return included && (entry.except.isEmpty() || !inAny(entry.except));
}

std::optional<RecoveryStore::Restored> RecoveryStore::restore(const QString &pid, const QString &offset,
                                                              qint64 now)
{
    const auto it = m_sessions.find(pid);
    if (it == m_sessions.end())
        return std::nullopt; // unknown, or expired and purged
    Restored result;
    result.session = std::move(*it);
    m_sessions.erase(it);
    if (result.session.disconnectedAt + m_limits.maxDisconnectionMs < now)
        return std::nullopt; // expired
    qint64 from = result.session.base;
    if (!offset.isEmpty()) {
        bool ok = false;
        from = offset.startsWith(m_tag) ? QStringView(offset).mid(m_tag.size()).toLongLong(&ok) : 0;
        if (!ok)
            return std::nullopt;
    }
    // Every packet after from must still be here: from itself may be gone (the client has it).
    if (from < m_droppedUpTo || from > lastSeq())
        return std::nullopt;
    for (auto p = m_packets.cbegin() + (from - m_droppedUpTo); p != m_packets.cend(); ++p) {
        if (includes(*p, result.session.rooms))
            result.missed.append(p->packet);
    }
    return result;
}

void RecoveryStore::purge(qint64 now)
{
    const qint64 threshold = now - m_limits.maxDisconnectionMs;
    for (auto it = m_sessions.begin(); it != m_sessions.end();) {
        if (it->disconnectedAt < threshold)
            it = m_sessions.erase(it);
        else
            ++it;
    }
    while (!m_packets.empty() && m_packets.front().emittedAt < threshold)
        dropFront();
}

void RecoveryStore::reset()
{
    m_sessions.clear();
    m_packets.clear();
    m_bytes = 0;
    m_droppedUpTo = lastSeq();
}

} // namespace SocketIo
