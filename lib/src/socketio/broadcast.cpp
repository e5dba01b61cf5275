// SPDX-License-Identifier: MIT
// Broadcast (a recipient set and its emits) and the NamespaceMailbox that carries calls from other threads to
// the server's.
#include "connection.h"
#include "engine/id_p.h"
#include "logging_p.h"
#include "namespace_p.h"
#include "server_p.h"
#include "socket_p.h"

#include <SocketIo/server.h>

#include <QCborArray>
#include <QCborMap>
#include <QJsonArray>
#include <QJsonObject>
#include <QMetaMethod>
#include <QThread>

namespace SocketIo {

using namespace Protocol;
using namespace Protocol;

// --- NamespaceMailbox ------------------------------------------------------------------------

namespace {
// Held while a call is posted and taken again, first thing, where it is delivered: the order
// Qt's event queue gives (through its own futex, invisible to ThreadSanitizer) made visible.
// One for every mailbox: the receiving side can reach nothing else before it has synchronized
// (the call's own fields were written by the posting thread).
std::mutex &postLock()
{
    static std::mutex lock;
    return lock;
}
} // namespace

// The queued call: runs f in the namespace's thread, or drops it (the namespace went first).
// Run: postLock() is taken before any field is read. Dropped (destroyed with the namespace's
// posted events): after close(), which took the mailbox's lock after every post released it.
struct NamespaceMailbox::Delivery
{
    std::shared_ptr<NamespaceMailbox> mailbox;
    std::function<void(Namespace *)> f;

    Delivery(std::shared_ptr<NamespaceMailbox> mailbox, std::function<void(Namespace *)> f)
        : mailbox(std::move(mailbox))
        , f(std::move(f))
    { }
    Delivery(Delivery &&other) noexcept
        : mailbox(std::move(other.mailbox))
        , f(std::exchange(other.f, nullptr))
    { }
    Delivery(const Delivery &) = delete;
    Delivery &operator=(const Delivery &) = delete;
    ~Delivery() = default;
    void operator()()
    {
        {
            const std::lock_guard<std::mutex> sync(postLock());
        }
        const auto call = std::exchange(f, nullptr);
        if (Namespace *nsp = mailbox->m_nsp)
            call(nsp);
    }
};

void NamespaceMailbox::post(Namespace *nsp, std::function<void(Namespace *)> f)
{
    // Called under the mailbox's lock by run(): close() cannot come in between, and a
    // namespace's posted events are removed when it is deleted (and f with them).
    const std::lock_guard<std::mutex> lock(postLock());
    QMetaObject::invokeMethod(nsp, Delivery(shared_from_this(), std::move(f)), Qt::QueuedConnection);
}

void NamespaceMailbox::close()
{
    const std::lock_guard<std::mutex> lock(m_mutex);
    m_nsp = nullptr;
}

// --- Broadcast -------------------------------------------------------------------------------

Namespace *Broadcast::nsp() const
{
    return m_nsp ? m_nsp->nspInOwnThread() : nullptr;
}

Broadcast Broadcast::to(const QString &room) const
{
    Broadcast copy = *this;
    copy.m_rooms.insert(room);
    return copy;
}

Broadcast Broadcast::to(const QStringList &rooms) const
{
    Broadcast copy = *this;
    for (const QString &room : rooms)
        copy.m_rooms.insert(room);
    return copy;
}

Broadcast Broadcast::except(const QString &room) const
{
    Broadcast copy = *this;
    copy.m_except.insert(room);
    return copy;
}

Broadcast Broadcast::except(const QStringList &rooms) const
{
    Broadcast copy = *this;
    for (const QString &room : rooms)
        copy.m_except.insert(room);
    return copy;
}

Broadcast Broadcast::asVolatile() const
{
    Broadcast copy = *this;
    copy.m_volatile = true;
    return copy;
}

Broadcast Broadcast::timeout(std::chrono::milliseconds timeout) const
{
    Broadcast copy = *this;
    copy.m_timeout = timeout;
    return copy;
}

void Broadcast::emitEvent(const QString &event, const QVariantList &args) const
{
    if (refuseReservedEvent(event) || !m_nsp)
        return;
    m_nsp->run([copy = *this, event, args](Namespace *nsp) { nsp->d->broadcast(copy, event, args); });
}

void Broadcast::emitEvent(const QString &event, const QVariantList &args, QObject *context,
                          AcksCallback callback) const
{
    if (refuseReservedEvent(event) || !m_nsp)
        return; // socket.io throws: the callback is never called
    QPointer<QObject> guard(context);
    const bool hasContext = context != nullptr;
    m_nsp->run([copy = *this, event, args, guard, hasContext, callback](Namespace *nsp) {
        if (hasContext && !guard)
            return;
        nsp->d->broadcastWithAck(copy, event, args, guard.data(), callback);
    });
}

QFuture<BroadcastAckResult> Broadcast::emitWithAck(const QString &event, const QVariantList &args) const
{
    // Settled in the server's thread (unsettled: the namespace went first).
    return ackFuture<BroadcastAckResult>(
        event, [&](AcksCallback settle) { emitEvent(event, args, nullptr, std::move(settle)); });
}

Broadcast Broadcast::local() const
{
    Broadcast copy = *this;
    copy.m_local = true;
    return copy;
}

QList<Socket *> Broadcast::fetchSockets() const
{
    Namespace *nsp = this->nsp();
    return nsp ? nsp->d->recipients(*this) : QList<Socket *>();
}

void Broadcast::fetchSockets(QObject *context, Adapter::FetchCallback callback) const
{
    if (!m_nsp || !callback)
        return;
    QPointer<QObject> guard(context);
    const bool hasContext = context != nullptr;
    const auto deliver = [guard, hasContext, callback](const QList<RemoteSocket> &sockets) {
        callInContext(guard.data(), hasContext, [callback, sockets] { callback(sockets); });
    };
    m_nsp->run([opts = NamespacePrivate::options(*this), deliver](Namespace *nsp) {
        nsp->d->adapter->fetchSockets(opts, deliver);
    });
}

void Broadcast::socketsJoin(const QStringList &rooms) const
{
    if (m_nsp) {
        m_nsp->run([opts = NamespacePrivate::options(*this), rooms](Namespace *nsp) {
            nsp->d->adapter->addSockets(opts, rooms);
        });
    }
}

void Broadcast::socketsLeave(const QStringList &rooms) const
{
    if (m_nsp) {
        m_nsp->run([opts = NamespacePrivate::options(*this), rooms](Namespace *nsp) {
            nsp->d->adapter->delSockets(opts, rooms);
        });
    }
}

void Broadcast::disconnectSockets(DisconnectMode mode) const
{
    if (m_nsp) {
        m_nsp->run([opts = NamespacePrivate::options(*this), mode](Namespace *nsp) {
            nsp->d->adapter->disconnectSockets(opts, mode == DisconnectMode::Close);
        });
    }
}

} // namespace SocketIo
