// SPDX-License-Identifier: MIT
// An event dispatcher on Linux epoll (see SocketIo/eventdispatcher.h). Self-contained: public Qt
// API only. Qt's own dispatchers (glib and the poll()-based one) hand every registered socket
// to the kernel and walk every one of them on each wake-up, and the glib one also walks a list
// on each QSocketNotifier::setEnabled() (QAbstractSocket toggles its write notifier per write);
// with thousands of mostly idle connections that cost dominates. Here a wake-up costs the ready
// sockets only, enabling a notifier is one epoll_ctl(), and timers sit in a binary heap.
//
// Optimistic writes: QAbstractSocket buffers every write, enables its write notifier and writes
// when that fires, then disables it again: two epoll_ctl() calls and a wake-up per write. For a
// socket that has shown itself connected (epoll reported it readable or writable once), a write
// notifier enabled here is activated on the next pass without asking the kernel, as if the
// socket were writable (on a healthy connection it is). Usually the socket then writes all and
// disables the notifier: no epoll_ctl() at all. Only if the notifier stays enabled (the kernel
// buffer is full) is it handed to epoll. A socket still connecting never gets this treatment
// (for QAbstractSocket, its first write notification means "connected").
//
// Nested event loops: a handler may run a QEventLoop (or waitFor..., QSignalSpy::wait) while
// other sockets, timers and optimistic writes of the same pass wait their turn. As in Qt's own
// dispatchers, those lists are shared and consumed one entry at a time by whichever
// processEvents() runs, so the nested loop continues them: nothing is activated twice, and a
// socket the nested loop has drained is not activated again for stale readiness.
#include <SocketIo/eventdispatcher.h>

#ifdef Q_OS_LINUX

#include <QAbstractEventDispatcher>
#include <QCoreApplication>
#include <QSocketNotifier>
#include <QTimerEvent>
#include <queue>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <ctime>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <unordered_map>
#include <vector>

namespace SocketIo {

namespace {

qint64 nowNs()
{
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return qint64(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

class EpollEventDispatcher final : public QAbstractEventDispatcher
{
public:
    explicit EpollEventDispatcher(QObject *parent)
        : QAbstractEventDispatcher(parent)
    {
        m_epoll = epoll_create1(EPOLL_CLOEXEC);
        m_wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.fd = m_wake;
        epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_wake, &ev);
    }

    ~EpollEventDispatcher() override
    {
        close(m_wake);
        close(m_epoll);
    }

    bool isValid() const { return m_epoll >= 0 && m_wake >= 0; }

    bool processEvents(QEventLoop::ProcessEventsFlags flags) override
    {
        m_interrupt.store(false, std::memory_order_relaxed);
        Q_EMIT awake();
        QCoreApplication::sendPostedEvents();
        if (m_interrupt.load(std::memory_order_relaxed))
            return true;

        // A nested loop inside an activation continues the outer pass's ready list before it
        // asks epoll again (which would report the same sockets a second time).
        const bool pending = m_readyNext < m_ready.size();
        const bool wait = flags.testFlag(QEventLoop::WaitForMoreEvents) && !pending && m_optimistic.empty()
            && m_optimisticNext >= m_optimisticNow.size();
        int timeoutMs = 0;
        if (wait) {
            timeoutMs = -1;
            const qint64 next = nextDeadline();
            if (next >= 0) {
                const qint64 delta = next - nowNs();
                timeoutMs = delta <= 0 ? 0 : int(std::min<qint64>((delta + 999999) / 1000000, 1 << 30));
            }
            if (timeoutMs != 0)
                Q_EMIT aboutToBlock();
        }
        const int n = pending ? 0 : epoll_wait(m_epoll, m_events.data(), int(m_events.size()), timeoutMs);
        if (timeoutMs != 0)
            Q_EMIT awake();

        bool handled = false;
        if (!pending) {
            m_ready.clear();
            m_readyNext = 0;
        }
        for (int i = 0; i < n; ++i) {
            const int fd = m_events[size_t(i)].data.fd;
            if (fd == m_wake) {
                eventfd_t value;
                eventfd_read(m_wake, &value);
                m_wakeUps.store(0, std::memory_order_release);
                handled = true;
                continue;
            }
            m_ready.push_back({ fd, m_events[size_t(i)].events });
            const auto it = m_fds.find(fd);
            if (it != m_fds.end())
                it->second.established = true;
        }
        if (!flags.testFlag(QEventLoop::ExcludeSocketNotifiers)) {
            while (m_readyNext < m_ready.size()) {
                const Ready ready = m_ready[m_readyNext++];
                // A notifier activated before may have removed or replaced this one: look again.
                if (ready.events & (EPOLLIN | EPOLLHUP | EPOLLERR | EPOLLRDHUP))
                    handled |= activate(ready.fd, QSocketNotifier::Read);
                if (ready.events & (EPOLLOUT | EPOLLERR | EPOLLHUP))
                    handled |= activate(ready.fd, QSocketNotifier::Write);
                if (ready.events & EPOLLPRI)
                    handled |= activate(ready.fd, QSocketNotifier::Exception);
            }
            handled |= activateOptimistic();
        } else if (!pending) {
            m_ready.clear(); // level-triggered: they are reported again when not excluded
        }
        handled |= activateTimers();
        return handled;
    }

    void registerSocketNotifier(QSocketNotifier *notifier) override
    {
        const int fd = int(notifier->socket());
        Entry &entry = m_fds[fd];
        slot(entry, notifier->type()) = notifier;
        if (notifier->type() == QSocketNotifier::Write && entry.established && !(entry.events & EPOLLOUT)) {
            entry.optimisticWrite = true;
            if (!entry.queued) {
                entry.queued = true;
                m_optimistic.push_back(fd);
            }
            return;
        }
        update(fd, entry);
    }

    void unregisterSocketNotifier(QSocketNotifier *notifier) override
    {
        const int fd = int(notifier->socket());
        const auto it = m_fds.find(fd);
        if (it == m_fds.end())
            return;
        QSocketNotifier *&s = slot(it->second, notifier->type());
        if (s != notifier)
            return;
        s = nullptr;
        if (notifier->type() == QSocketNotifier::Write)
            it->second.optimisticWrite = false;
        update(fd, it->second);
        if (!it->second.read && !it->second.write && !it->second.exception) {
            // The fd may be closed and its number reused by a socket still connecting: what we
            // knew of this one must not make that one's first write notification optimistic.
            if (it->second.queued)
                it->second.established = false;
            else
                m_fds.erase(it);
        }
    }

    void registerTimer(int timerId, qint64 interval, Qt::TimerType timerType, QObject *object) override
    {
        Timer &t = m_timers[timerId];
        t.interval = interval;
        t.type = timerType;
        t.object = object;
        t.deadline = nowNs() + interval * 1000000;
        t.seq = ++m_seq;
        t.active = false;
        m_heap.push({ t.deadline, timerId, t.seq });
        dropStaleTimers();
    }

    bool unregisterTimer(int timerId) override
    {
        const bool erased = m_timers.erase(timerId) > 0;
        dropStaleTimers();
        return erased;
    }

    bool unregisterTimers(QObject *object) override
    {
        bool any = false;
        for (auto it = m_timers.begin(); it != m_timers.end();) {
            if (it->second.object == object) {
                it = m_timers.erase(it);
                any = true;
            } else {
                ++it;
            }
        }
        dropStaleTimers();
        return any;
    }

    // A killed or restarted timer leaves its heap entry behind until that deadline comes up;
    // with thousands of connections starting and killing timers (HTTP keep-alive and header
    // timeouts) they would pile up for minutes. Rebuild the heap from the live timers once
    // stale entries are the majority: amortised O(1) per registration.
    void dropStaleTimers()
    {
        if (m_heap.size() < 64 || m_heap.size() <= 2 * m_timers.size())
            return;
        std::vector<HeapEntry> live;
        live.reserve(m_timers.size());
        for (const auto &[id, t] : m_timers)
            live.push_back({ t.deadline, id, t.seq });
        m_heap = std::priority_queue<HeapEntry>(std::less<HeapEntry>(), std::move(live));
    }

    QList<TimerInfo> registeredTimers(QObject *object) const override
    {
        QList<TimerInfo> list;
        for (const auto &[id, t] : m_timers) {
            if (t.object == object)
                list.append(TimerInfo(id, int(t.interval), t.type));
        }
        return list;
    }

    int remainingTime(int timerId) override
    {
        const auto it = m_timers.find(timerId);
        if (it == m_timers.end())
            return -1;
        const qint64 left = it->second.deadline - nowNs();
        return left <= 0 ? 0 : int((left + 999999) / 1000000);
    }

    void wakeUp() override
    {
        // Any thread. One write per batch of posted events.
        int expected = 0;
        if (m_wakeUps.compare_exchange_strong(expected, 1, std::memory_order_acq_rel))
            eventfd_write(m_wake, 1);
    }

    void interrupt() override
    {
        m_interrupt.store(true, std::memory_order_relaxed);
        wakeUp();
    }

private:
    struct Entry
    {
        QSocketNotifier *read = nullptr;
        QSocketNotifier *write = nullptr;
        QSocketNotifier *exception = nullptr;
        uint32_t events = 0; // registered with epoll
        bool established = false; // epoll has reported an event for it
        bool optimisticWrite = false; // write notifier enabled, not (yet) given to epoll
        bool queued = false; // in m_optimistic
    };
    struct Timer
    {
        qint64 interval = 0; // ms
        Qt::TimerType type = Qt::CoarseTimer;
        QObject *object = nullptr;
        qint64 deadline = 0; // ns, monotonic
        quint64 seq = 0; // the heap entry that is current
        bool active = false; // its event is being delivered
    };
    struct HeapEntry
    {
        qint64 deadline;
        int id;
        quint64 seq;
        bool operator<(const HeapEntry &o) const { return deadline > o.deadline; } // min-heap
    };
    struct Ready
    {
        int fd;
        uint32_t events;
    };

    static QSocketNotifier *&slot(Entry &entry, QSocketNotifier::Type type)
    {
        switch (type) {
        case QSocketNotifier::Read:
            return entry.read;
        case QSocketNotifier::Write:
            return entry.write;
        case QSocketNotifier::Exception:
            break;
        }
        return entry.exception;
    }

    void update(int fd, Entry &entry)
    {
        uint32_t events = 0;
        if (entry.read)
            events |= EPOLLIN | EPOLLRDHUP;
        if (entry.write && !entry.optimisticWrite)
            events |= EPOLLOUT;
        if (entry.exception)
            events |= EPOLLPRI;
        if (events == entry.events)
            return;
        epoll_event ev{};
        ev.events = events;
        ev.data.fd = fd;
        if (events == 0) {
            epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, &ev); // EBADF if the fd is closed already: fine
        } else if (entry.events == 0) {
            if (epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &ev) < 0 && errno == EEXIST)
                epoll_ctl(m_epoll, EPOLL_CTL_MOD, fd, &ev);
        } else if (epoll_ctl(m_epoll, EPOLL_CTL_MOD, fd, &ev) < 0 && errno == ENOENT) {
            // The fd was closed and reused without its notifiers being removed first.
            epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &ev);
        }
        entry.events = events;
    }

    bool activate(int fd, QSocketNotifier::Type type)
    {
        const auto it = m_fds.find(fd);
        if (it == m_fds.end())
            return false;
        QSocketNotifier *notifier = slot(it->second, type);
        if (!notifier)
            return false;
        QEvent event(QEvent::SockAct);
        QCoreApplication::sendEvent(notifier, &event);
        return true;
    }

    bool activateOptimistic()
    {
        if (m_optimisticNext >= m_optimisticNow.size()) {
            m_optimisticNow.clear();
            m_optimisticNext = 0;
            if (m_optimistic.empty())
                return false;
            m_optimisticNow.swap(m_optimistic);
        }
        bool any = false;
        while (m_optimisticNext < m_optimisticNow.size()) {
            const int fd = m_optimisticNow[m_optimisticNext++];
            auto it = m_fds.find(fd);
            if (it == m_fds.end())
                continue;
            it->second.queued = false;
            if (it->second.write && it->second.optimisticWrite) {
                QEvent event(QEvent::SockAct);
                QCoreApplication::sendEvent(it->second.write, &event);
                any = true;
                it = m_fds.find(fd);
                if (it == m_fds.end())
                    continue;
            }
            Entry &entry = it->second;
            if (entry.write && entry.optimisticWrite && !entry.queued) {
                // Still wants to write: the kernel buffer is full; let epoll say when it drains.
                entry.optimisticWrite = false;
                update(fd, entry);
            }
            if (!entry.read && !entry.write && !entry.exception && !entry.queued)
                m_fds.erase(it);
        }
        return any;
    }

    qint64 nextDeadline()
    {
        while (!m_heap.empty()) {
            const HeapEntry &top = m_heap.top();
            const auto it = m_timers.find(top.id);
            if (it != m_timers.end() && it->second.seq == top.seq)
                return top.deadline;
            m_heap.pop(); // stale: the timer was killed or restarted
        }
        return -1;
    }

    bool activateTimers()
    {
        if (m_dueNext >= m_due.size()) {
            m_due.clear();
            m_dueNext = 0;
            collectDueTimers();
        }
        bool any = false;
        while (m_dueNext < m_due.size()) {
            const int id = m_due[m_dueNext++];
            auto it = m_timers.find(id);
            if (it == m_timers.end())
                continue;
            QObject *object = it->second.object;
            it->second.active = true;
            QTimerEvent event(id);
            QCoreApplication::sendEvent(object, &event);
            any = true;
            it = m_timers.find(id); // the handler may have killed it
            if (it != m_timers.end())
                it->second.active = false;
        }
        return any;
    }

    void collectDueTimers()
    {
        const qint64 now = nowNs();
        while (!m_heap.empty() && m_heap.top().deadline <= now) {
            const HeapEntry top = m_heap.top();
            m_heap.pop();
            const auto it = m_timers.find(top.id);
            if (it == m_timers.end() || it->second.seq != top.seq)
                continue;
            Timer &t = it->second;
            // Next deadline first, as Qt does: a period later, or from now when that is past.
            qint64 next = t.deadline + t.interval * 1000000;
            if (next <= now)
                next = now + t.interval * 1000000;
            t.deadline = next;
            t.seq = ++m_seq;
            m_heap.push({ t.deadline, top.id, t.seq });
            if (!t.active)
                m_due.push_back(top.id);
            if (t.interval == 0)
                break; // a zero timer fires once per pass
        }
    }

    int m_epoll = -1;
    int m_wake = -1;
    std::atomic<int> m_wakeUps{ 0 };
    std::atomic<bool> m_interrupt{ false };
    std::vector<epoll_event> m_events = std::vector<epoll_event>(1024);
    std::vector<Ready> m_ready; // this pass's ready sockets, consumed from m_readyNext
    size_t m_readyNext = 0;
    std::vector<int> m_optimistic; // fds whose write notifier fires on the next pass
    std::vector<int> m_optimisticNow; // this pass's, consumed from m_optimisticNext
    size_t m_optimisticNext = 0;
    std::unordered_map<int, Entry> m_fds;
    std::unordered_map<int, Timer> m_timers;
    std::priority_queue<HeapEntry> m_heap;
    std::vector<int> m_due; // this pass's due timers, consumed from m_dueNext
    size_t m_dueNext = 0;
    quint64 m_seq = 0;
};

} // namespace

QAbstractEventDispatcher *createEventDispatcher(QObject *parent)
{
    auto *dispatcher = new EpollEventDispatcher(parent);
    if (!dispatcher->isValid()) {
        delete dispatcher;
        return nullptr;
    }
    return dispatcher;
}

bool installEventDispatcher()
{
    if (QCoreApplication::instance())
        return false; // too late for the main thread
    QAbstractEventDispatcher *dispatcher = createEventDispatcher();
    if (!dispatcher)
        return false;
    QCoreApplication::setEventDispatcher(dispatcher);
    return true;
}

} // namespace SocketIo

#else // not Linux: Qt's dispatcher stays

namespace SocketIo {
QAbstractEventDispatcher *createEventDispatcher(QObject *)
{
    return nullptr;
}
bool installEventDispatcher()
{
    return false;
}
} // namespace SocketIo

#endif
