// SPDX-License-Identifier: MIT
#pragma once

#include <SocketIo/engineoptions.h>

#include <QHash>
#include <QHostAddress>
#include <QString>

namespace SocketIo {

// Admission control for new Engine.IO sessions (EngineOptions' connection limits): a total cap,
// a cap per client address and a handshake rate per address (token bucket). IPv6 clients are
// counted per /64 (one host usually owns a whole prefix); IPv4-mapped addresses as IPv4.
// Loopback clients are exempt unless limitLoopback. The engine calls admit() for a handshake,
// opened() when the session exists and closed() when it ends.
class Admission
{
public:
    enum class Verdict { Admitted, TooManySessions, TooManyFromAddress, HandshakeRate };

    static QString addressKey(const QHostAddress &address)
    {
        bool v4 = false;
        const quint32 ipv4 = address.toIPv4Address(&v4);
        if (v4)
            return QHostAddress(ipv4).toString();
        Q_IPV6ADDR bytes = address.toIPv6Address();
        for (int i = 8; i < 16; ++i)
            bytes[i] = 0;
        return QHostAddress(bytes).toString() + QStringLiteral("/64");
    }

    // nowMs: a monotonic clock in milliseconds.
    Verdict admit(const ConnectionLimits &limits, const QHostAddress &address, int sessions, qint64 nowMs)
    {
        if (limits.maxSessions > 0 && sessions >= limits.maxSessions)
            return Verdict::TooManySessions;
        if (!limits.limitLoopback && address.isLoopback())
            return Verdict::Admitted;
        if (limits.maxSessionsPerAddress <= 0 && limits.handshakesPerSecondPerAddress <= 0)
            return Verdict::Admitted;
        const QString key = addressKey(address);
        Entry &entry = m_entries[key];
        if (limits.maxSessionsPerAddress > 0 && entry.sessions >= limits.maxSessionsPerAddress)
            return Verdict::TooManyFromAddress;
        if (limits.handshakesPerSecondPerAddress > 0) {
            const double rate = limits.handshakesPerSecondPerAddress;
            const double burst = qMax(1.0, rate * limits.handshakeBurstSeconds);
            const qint64 now = nowMs;
            if (entry.lastRefillMs < 0) {
                entry.tokens = burst;
            } else {
                entry.tokens = qMin(burst, entry.tokens + double(now - entry.lastRefillMs) * rate / 1000.0);
            }
            entry.lastRefillMs = now;
            if (entry.tokens < 1.0)
                return Verdict::HandshakeRate;
            entry.tokens -= 1.0;
        }
        prune(limits, nowMs);
        return Verdict::Admitted;
    }

    // Every session is counted whatever the limits (they may change while sessions are open).
    void opened(const QHostAddress &address) { ++m_entries[addressKey(address)].sessions; }

    void closed(const ConnectionLimits &limits, const QHostAddress &address, qint64 nowMs)
    {
        const auto it = m_entries.find(addressKey(address));
        if (it == m_entries.end())
            return;
        if (it->sessions > 0)
            --it->sessions;
        prune(limits, nowMs);
    }

    int sessionsFrom(const QHostAddress &address) const
    {
        return m_entries.value(addressKey(address)).sessions;
    }
    qsizetype trackedAddresses() const { return m_entries.size(); }

private:
    struct Entry
    {
        int sessions = 0;
        double tokens = 0;
        qint64 lastRefillMs = -1;
    };

    // Entries with no session and a full bucket tell nothing: dropped now and then, so an
    // address scan cannot grow the table without bound.
    void prune(const ConnectionLimits &limits, qint64 now)
    {
        if (m_entries.size() < 4096 || ++m_sincePrune < 1024)
            return;
        m_sincePrune = 0;
        const double rate = limits.handshakesPerSecondPerAddress;
        const double burst = qMax(1.0, rate * limits.handshakeBurstSeconds);
        for (auto it = m_entries.begin(); it != m_entries.end();) {
            const bool full = rate <= 0 || it->lastRefillMs < 0
                || it->tokens + double(now - it->lastRefillMs) * rate / 1000.0 >= burst;
            if (it->sessions == 0 && full)
                it = m_entries.erase(it);
            else
                ++it;
        }
    }

    QHash<QString, Entry> m_entries;
    int m_sincePrune = 0;
};

} // namespace SocketIo
