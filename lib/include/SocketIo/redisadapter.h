// SPDX-License-Identifier: MIT
#pragma once

#include <SocketIo/adapter.h>
#include <SocketIo/socketioredis_export.h>

#include <QObject>
#include <QUrl>

#include <chrono>
#include <memory>

/// \file
/// \brief RedisAdapter (library SocketIoRedis, target SocketIo::Redis): rooms and broadcasts
/// shared between servers through Redis. Installed only with that library.

namespace SocketIo {

class Server;
class RedisAdapterPrivate;

/// \brief Options of the RedisAdapter, with the node adapter's defaults.
struct SOCKETIO_REDIS_EXPORT RedisAdapterOptions
{
    QString key = QStringLiteral("socket.io"); ///< channel prefix, as the node adapter's `key`
    std::chrono::milliseconds requestsTimeout{ 5000 }; ///< fetchSockets, allRooms, serverSideEmit acks
    std::chrono::milliseconds reconnectDelayMin{ 100 }; ///< doubles after each failed attempt...
    std::chrono::milliseconds reconnectDelayMax{ 5000 }; ///< ...up to this
    /// \brief How long a connection attempt may take before it counts as failed (until Redis has
    /// answered a PING and confirmed the subscriptions: a stopped Redis accepts connections).
    std::chrono::milliseconds connectTimeout{ 5000 };
    /// \brief A command Redis leaves unanswered this long (PUBLISH, PUBSUB NUMSUB, SUBSCRIBE) means
    /// it hangs: the connection is dropped and made again, and what waited for an answer ends at
    /// once: fetchSockets() and allRooms() with this server's part, serverSideEmit() with acks
    /// timed out (logged in socketio.redis). 0: wait forever. Not in the node adapter.
    std::chrono::milliseconds commandTimeout{ 5000 };
    /// \brief Messages for other servers (broadcasts, requests, responses) kept, in bytes, while
    /// Redis is away or not answering, and published in order when it is back. When full the
    /// oldest are dropped (counted in droppedMessageCount(), logged at most every 5 s). At most
    /// four times this may be written to Redis and not answered yet (a burst within one event-loop
    /// turn; beyond, messages wait in the queue), so a frozen Redis costs at most about five times
    /// this. 0: nothing is kept (dropped while Redis is away; 16 MiB unanswered at most). The node
    /// adapter keeps everything (node-redis' offline queue).
    qint64 maxQueuedBytes = 4 * 1024 * 1024;
};

/// \brief Shares rooms and broadcasts between server processes through Redis.
///
/// Wire-compatible with npm `@socket.io/redis-adapter` 8.x (node servers may be in the same fleet)
/// and `@socket.io/redis-emitter` 5.x (any process can push events to the clients of every
/// server).
/// \code
///   auto *redis = new SocketIo::RedisAdapter(QUrl("redis://127.0.0.1:6379"), {}, &server);
///   redis->attach(&server); // every namespace of server, now and later
/// \endcode
///
/// It holds two connections (publish, subscribe) made with hiredis in this thread. When Redis is
/// unreachable or restarts, nothing blocks: local delivery goes on, messages for other servers
/// wait in a bounded queue (RedisAdapterOptions::maxQueuedBytes, oldest dropped first), requests
/// to them complete with this server's part, and it reconnects with a doubling delay. A Redis
/// that hangs is dropped after RedisAdapterOptions::commandTimeout. The state is logged
/// (socketio.redis) and in stateChanged().
///
/// Thread safety: create and use it in the server's thread. The namespaces' adapters it
/// creates are owned by their namespaces and refer to it weakly: namespaces created after it
/// is destroyed get an InMemoryAdapter.
class SOCKETIO_REDIS_EXPORT RedisAdapter : public QObject
{
    Q_OBJECT
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
public:
    /// \brief The state of the connections to Redis.
    enum class State {
        Disconnected, ///< not connected: waiting for the next attempt (unless the URL is invalid)
        Connecting, ///< an attempt is in progress
        Connected, ///< both connections up, subscribed
    };
    Q_ENUM(State)

    /// \brief Connects to \a url (redis://[:password@]host[:port][/db] or
    /// redis+unix:///path/to/socket) and keeps reconnecting; see state().
    explicit RedisAdapter(const QUrl &url, const RedisAdapterOptions &options = {},
                          QObject *parent = nullptr);
    /// \brief Closes both connections.
    ~RedisAdapter() override;

    /// \brief Server::setAdapterFactory(factory()): every namespace of server gets a Redis adapter.
    void attach(Server *server);
    /// \brief The factory of the namespaces' Redis adapters, for Server::setAdapterFactory().
    AdapterFactory factory();

    /// \brief The Redis URL.
    QUrl url() const;
    /// \brief The options (a copy).
    RedisAdapterOptions options() const;
    /// \brief The connections' state.
    State state() const;
    /// \brief The last connection error, empty while connected.
    QString errorString() const; // the last connection error, empty while connected
    /// \brief Messages for other servers dropped since the start: the queue was full (oldest
    /// first), or Redis was away with RedisAdapterOptions::maxQueuedBytes 0.
    qint64 droppedMessageCount() const;
    /// \brief Messages for other servers waiting for Redis (see RedisAdapterOptions::maxQueuedBytes).
    qint64 queuedMessageCount() const;
    /// \brief The state's name: "disconnected", "connecting", "connected".
    static QString stateName(State state); // "disconnected", "connecting", "connected"

Q_SIGNALS:
    /// \brief The state changed (logged too, category socketio.redis).
    void stateChanged(SocketIo::RedisAdapter::State state);

private:
    friend class RedisAdapterPrivate;
    friend class RedisNamespaceAdapter;
    const std::unique_ptr<RedisAdapterPrivate> d;
};

} // namespace SocketIo
