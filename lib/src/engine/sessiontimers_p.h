// SPDX-License-Identifier: MIT
#pragma once

#include <QTimer>

#include <chrono>
#include <map>

namespace SocketIo {

// The deadlines of every session of a server (heartbeats, upgrade and close timeouts) on one
// QTimer instead of QTimers per session: a session's timer is an entry in a sorted map (tens of
// bytes) rather than a QObject with a connection. The QTimer is precise and armed for the
// earliest deadline; an entry never fires before its deadline.
class SessionTimers
{
public:
    using Clock = std::chrono::steady_clock;

    class Client
    {
    public:
        virtual ~Client() = default;
        virtual void timerExpired(int kind) = 0;
    };

    struct Timer;

private:
    struct Entry
    {
        Client *client;
        int kind;
        Timer *timer;
    };
    using Map = std::multimap<Clock::time_point, Entry>;

public:
    // One timer of a client: stopped, or an entry in the map.
    struct Timer
    {
        Map::iterator entry;
        bool active = false;
    };

    SessionTimers()
    {
        m_timer.setSingleShot(true);
        // Heartbeats are observable protocol deadlines: a coarse timer firing late breaks them.
        m_timer.setTimerType(Qt::PreciseTimer);
        QObject::connect(&m_timer, &QTimer::timeout, [this] { expire(); });
    }
    SessionTimers(const SessionTimers &) = delete;
    SessionTimers &operator=(const SessionTimers &) = delete;

    // (Re)starts timer: client->timerExpired(kind) once interval has passed.
    void start(Timer &timer, std::chrono::milliseconds interval, Client *client, int kind)
    {
        stop(timer);
        const Clock::time_point deadline = Clock::now() + interval;
        // Equal deadlines fire in the order they were set (multimap inserts after equal keys).
        timer.entry = m_entries.emplace(deadline, Entry{ client, kind, &timer });
        timer.active = true;
        if (!m_armed || deadline < m_armedFor)
            arm();
    }

    void stop(Timer &timer)
    {
        if (!timer.active)
            return;
        timer.active = false;
        // The QTimer stays armed: if this was the earliest entry, it wakes up once for nothing.
        m_entries.erase(timer.entry);
    }

    bool isActive(const Timer &timer) const { return timer.active; }

private:
    void expire()
    {
        m_armed = false;
        m_expiring = true;
        for (;;) {
            const auto first = m_entries.begin();
            if (first == m_entries.end() || first->first > Clock::now())
                break;
            const Entry entry = first->second;
            entry.timer->active = false;
            m_entries.erase(first);
            // May start and stop timers, and delete clients (which stop theirs).
            entry.client->timerExpired(entry.kind);
        }
        m_expiring = false;
        arm();
    }

    void arm()
    {
        if (m_expiring)
            return; // expire() arms once it is done
        if (m_entries.empty()) {
            m_timer.stop();
            m_armed = false;
            return;
        }
        m_armedFor = m_entries.begin()->first;
        const auto remaining = m_armedFor - Clock::now();
        // Round up: a precise QTimer does not fire before its interval.
        auto ms = std::chrono::ceil<std::chrono::milliseconds>(remaining);
        if (ms.count() < 0)
            ms = std::chrono::milliseconds(0);
        m_timer.start(ms);
        m_armed = true;
    }

    QTimer m_timer;
    Map m_entries;
    Clock::time_point m_armedFor;
    bool m_armed = false;
    bool m_expiring = false;
};

} // namespace SocketIo
