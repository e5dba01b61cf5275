// SPDX-License-Identifier: MIT
#include "redisconnection.h"
#include "redislogging_p.h"
#include "redismessage.h"

#include <SocketIo/namespace.h>
#include <SocketIo/redisadapter.h>
#include <SocketIo/server.h>

#include <QElapsedTimer>
#include <QHash>
#include <QPointer>
#include <QRandomGenerator>
#include <QTimer>

#include <deque>
#include <hiredis/hiredis.h>

Q_LOGGING_CATEGORY(lcRedis, "socketio.redis", QtInfoMsg)

namespace SocketIo {

using namespace Redis;

namespace {

// uid2(6): what the node adapter uses for its uid and request ids.
QString randomId(int length = 6)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    QString id;
    id.reserve(length);
    for (int i = 0; i < length; ++i)
        id.append(QLatin1Char(alphabet[QRandomGenerator::global()->bounded(int(sizeof(alphabet) - 1))]));
    return id;
}

QStringList sorted(const QSet<QString> &set)
{
    QStringList list(set.cbegin(), set.cend());
    list.sort();
    return list;
}

BroadcastOptions toOptions(const RequestOptions &opts)
{
    BroadcastOptions result;
    result.rooms = QSet<QString>(opts.rooms.cbegin(), opts.rooms.cend());
    result.except = QSet<QString>(opts.except.cbegin(), opts.except.cend());
    result.flags.isVolatile = opts.isVolatile;
    if (opts.compress)
        result.flags.compress = *opts.compress;
    result.flags.timeout = std::chrono::milliseconds(opts.timeout);
    return result;
}

RequestOptions toRequestOptions(const BroadcastOptions &opts)
{
    RequestOptions result;
    result.rooms = sorted(opts.rooms);
    result.except = sorted(opts.except);
    result.isVolatile = opts.flags.isVolatile;
    if (!opts.flags.compress)
        result.compress = false;
    result.timeout = opts.flags.timeout.count();
    return result;
}

SocketRecord toRecord(const RemoteSocket &socket)
{
    return { socket.id, socket.handshake, sorted(socket.rooms), socket.data };
}

RemoteSocket fromRecord(const SocketRecord &record)
{
    RemoteSocket socket;
    socket.id = record.id;
    socket.handshake = record.handshake;
    socket.rooms = QSet<QString>(record.rooms.cbegin(), record.rooms.cend());
    socket.data = record.data;
    return socket;
}

} // namespace

// --- RedisNamespaceAdapter ---------------------------------------------------------------------

// socket.io's RedisAdapter for one namespace: local delivery through InMemoryAdapter, the rest
// through the hub's connections.
class RedisNamespaceAdapter : public InMemoryAdapter
{
public:
    RedisNamespaceAdapter(Namespace *nsp, RedisAdapter *hub);
    ~RedisNamespaceAdapter() override;

    void broadcast(const EventPacket &packet, const BroadcastOptions &opts) override;
    void broadcastWithAck(const EventPacket &packet, const BroadcastOptions &opts,
                          ClientCountCallback clientCount, ClientAckCallback ack) override;
    void fetchSockets(const BroadcastOptions &opts, FetchCallback callback) override;
    void addSockets(const BroadcastOptions &opts, const QStringList &rooms) override;
    void delSockets(const BroadcastOptions &opts, const QStringList &rooms) override;
    void disconnectSockets(const BroadcastOptions &opts, bool close) override;
    void allRooms(RoomsCallback callback) override;
    void serverSideEmit(const QString &event, const QVariantList &args) override;
    void serverSideEmitWithAck(const QString &event, const QVariantList &args,
                               ServerSideAckCallback callback) override;
    void serverCount(ServerCountCallback callback) override;
    // serverCount() that tells whether Redis answered (ok false: away, or hung past commandTimeout).
    void countServers(std::function<void(int servers, bool ok)> callback);

    void onBroadcastMessage(const QByteArray &channel, const QByteArray &message);
    void onRequest(const QByteArray &message);
    void onResponse(const QByteArray &message);

    const QString uid = randomId();
    const Channels channels;
    const QByteArray specificResponse;

private:
    struct Pending
    {
        RequestType type = RequestType::Sockets;
        int expected = 0; // servers (including this one, except for server-side emits)
        int received = 0;
        QList<RemoteSocket> sockets;
        QSet<QString> rooms;
        QVariantList responses;
        FetchCallback fetch;
        RoomsCallback roomsCallback;
        ServerSideAckCallback serverSide;
        QTimer *timer = nullptr;
    };
    struct AckRequest
    {
        ClientCountCallback clientCount;
        ClientAckCallback ack;
    };
    void publish(const QByteArray &channel, const QByteArray &message);
    void startRequest(Pending pending, const RequestMessage &request);
    void finish(const QString &requestId, bool timedOut);

    QPointer<RedisAdapter> m_hub;
    QHash<QString, Pending> m_requests;
    QHash<QString, AckRequest> m_ackRequests;
};

// --- RedisAdapterPrivate -----------------------------------------------------------------------

class RedisAdapterPrivate
{
public:
    RedisAdapterPrivate(RedisAdapter *q, const QUrl &url, const RedisAdapterOptions &options);
    void updateState();
    void route(const QByteArray &pattern, const QByteArray &channel, const QByteArray &message);
    // Every message for other servers: published now, or queued (maxQueuedBytes) while Redis is
    // away or has more than that unanswered.
    void publish(const QByteArray &channel, const QByteArray &message);
    void flushQueue();
    void dropped(qint64 count, const char *why);
    // Unanswered bytes beyond which messages wait in the queue: room for a burst written in one
    // event-loop turn (hiredis writes when the loop runs), a bound when Redis hangs.
    qint64 inFlightCap() const
    {
        return options.maxQueuedBytes > 0 ? 4 * options.maxQueuedBytes : 16 * 1024 * 1024;
    }

    struct Queued
    {
        QByteArray channel;
        QByteArray message;
    };
    std::deque<Queued> queue;
    qint64 queuedBytes = 0;
    qint64 droppedMessages = 0;
    qint64 droppedSinceLog = 0;
    qint64 dropLoggedAt = -1;
    QElapsedTimer clock;

    RedisAdapter *const q;
    QUrl url;
    RedisAdapterOptions options;
    Endpoint endpoint;
    QString configError;
    Redis::Connection *pub = nullptr;
    Redis::Connection *sub = nullptr;
    RedisAdapter::State state = RedisAdapter::State::Disconnected;
    QHash<QByteArray, QPointer<RedisNamespaceAdapter>> byPattern;
    QHash<QByteArray, QPointer<RedisNamespaceAdapter>> byRequest;
    QHash<QByteArray, QPointer<RedisNamespaceAdapter>> byResponse;
};

RedisAdapterPrivate::RedisAdapterPrivate(RedisAdapter *q, const QUrl &url, const RedisAdapterOptions &options)
    : q(q)
    , url(url)
    , options(options)
{
    const auto parsed = Endpoint::fromUrl(url, &configError);
    if (parsed)
        endpoint = *parsed;
    pub = new Redis::Connection(endpoint, QStringLiteral("publish"), q);
    sub = new Redis::Connection(endpoint, QStringLiteral("subscribe"), q);
    clock.start();
    for (Redis::Connection *connection : { pub, sub }) {
        connection->setBackoff(options.reconnectDelayMin, options.reconnectDelayMax);
        connection->setConnectTimeout(options.connectTimeout);
        connection->setCommandTimeout(options.commandTimeout);
        QObject::connect(connection, &Redis::Connection::stateChanged, q, [this] { updateState(); });
    }
    QObject::connect(pub, &Redis::Connection::stateChanged, q, [this](Redis::Connection::State state) {
        if (state == Redis::Connection::State::Connected)
            flushQueue();
    });
    QObject::connect(pub, &Redis::Connection::drained, q, [this] { flushQueue(); });
    QObject::connect(sub, &Redis::Connection::messageReceived, q,
                     [this](const QByteArray &pattern, const QByteArray &channel, const QByteArray &message) {
                         route(pattern, channel, message);
                     });
    if (parsed) {
        pub->open();
        sub->open();
    } else {
        qCWarning(lcRedis).noquote() << "not connecting:" << configError;
    }
}

void RedisAdapterPrivate::updateState()
{
    using S = Redis::Connection::State;
    // Connected: both are (and subscribed); Connecting: an attempt is in progress; otherwise
    // Disconnected (waiting for the next attempt, unless closed).
    RedisAdapter::State next = RedisAdapter::State::Disconnected;
    if (pub->state() == S::Connected && sub->state() == S::Connected)
        next = RedisAdapter::State::Connected;
    else if (pub->state() == S::Connecting || sub->state() == S::Connecting)
        next = RedisAdapter::State::Connecting;
    if (next == state)
        return;
    const RedisAdapter::State previous = std::exchange(state, next);
    if (previous == RedisAdapter::State::Connected || next == RedisAdapter::State::Connected) {
        // Connection state recovery: while not subscribed, this server missed the other
        // servers' broadcasts. A session recovered across that gap would be told "recovered"
        // with events missing: forget the sessions and stored packets instead (clients get a
        // fresh session, as without recovery). Also on connecting: until then nothing came in.
        for (const QPointer<RedisNamespaceAdapter> &adapter : std::as_const(byPattern)) {
            if (adapter)
                adapter->resetRecovery();
        }
    }
    if (next == RedisAdapter::State::Connected)
        qCInfo(lcRedis).noquote() << "connected to redis at" << endpoint.toString();
    else if (previous == RedisAdapter::State::Connected)
        qCWarning(lcRedis).noquote() << "lost redis at" << endpoint.toString()
                                     << "- this server's clients still get its broadcasts; reconnecting";
    else
        qCDebug(lcRedis).noquote() << "redis at" << endpoint.toString() << "is"
                                   << RedisAdapter::stateName(next);
    Q_EMIT q->stateChanged(next);
}

void RedisAdapterPrivate::route(const QByteArray &pattern, const QByteArray &channel,
                                const QByteArray &message)
{
    if (!pattern.isEmpty()) {
        if (RedisNamespaceAdapter *adapter = byPattern.value(pattern))
            adapter->onBroadcastMessage(channel, message);
        return;
    }
    if (RedisNamespaceAdapter *adapter = byRequest.value(channel)) {
        adapter->onRequest(message);
        return;
    }
    if (RedisNamespaceAdapter *adapter = byResponse.value(channel))
        adapter->onResponse(message);
}

void RedisAdapterPrivate::publish(const QByteArray &channel, const QByteArray &message)
{
    if (queue.empty() && pub->state() == Redis::Connection::State::Connected
        && pub->awaitingBytes() < inFlightCap()) {
        pub->command({ QByteArrayLiteral("PUBLISH"), channel, message });
        return;
    }
    if (options.maxQueuedBytes <= 0) {
        dropped(1, "redis is away and maxQueuedBytes is 0");
        return;
    }
    queue.push_back({ channel, message });
    queuedBytes += channel.size() + message.size();
    qint64 gone = 0;
    // The oldest go first: what is delivered once Redis is back is the latest, in order.
    while (queuedBytes > options.maxQueuedBytes && !queue.empty()) {
        queuedBytes -= queue.front().channel.size() + queue.front().message.size();
        queue.pop_front();
        ++gone;
    }
    if (gone > 0)
        dropped(gone, "the queue for redis is full (maxQueuedBytes), oldest first");
    if (pub->state() == Redis::Connection::State::Connected)
        pub->notifyWhenBelow(inFlightCap() / 2);
}

void RedisAdapterPrivate::flushQueue()
{
    while (!queue.empty() && pub->state() == Redis::Connection::State::Connected
           && pub->awaitingBytes() < inFlightCap()) {
        Queued next = std::move(queue.front());
        queue.pop_front();
        queuedBytes -= next.channel.size() + next.message.size();
        pub->command({ QByteArrayLiteral("PUBLISH"), next.channel, next.message });
    }
    if (queue.empty())
        queuedBytes = 0;
    else if (pub->state() == Redis::Connection::State::Connected)
        pub->notifyWhenBelow(inFlightCap() / 2);
}

void RedisAdapterPrivate::dropped(qint64 count, const char *why)
{
    droppedMessages += count;
    droppedSinceLog += count;
    const qint64 now = clock.elapsed();
    if (dropLoggedAt >= 0 && now - dropLoggedAt < 5000)
        return;
    qCWarning(lcRedis).noquote() << "dropped" << droppedSinceLog << "messages for other servers:" << why
                                 << "-" << droppedMessages << "in all";
    dropLoggedAt = now;
    droppedSinceLog = 0;
}

// --- RedisAdapter ------------------------------------------------------------------------------

RedisAdapter::RedisAdapter(const QUrl &url, const RedisAdapterOptions &options, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<RedisAdapterPrivate>(this, url, options))
{ }

RedisAdapter::~RedisAdapter()
{
    d->pub->close();
    d->sub->close();
}

void RedisAdapter::attach(Server *server)
{
    server->setAdapterFactory(factory());
}

AdapterFactory RedisAdapter::factory()
{
    QPointer<RedisAdapter> hub(this);
    return [hub](Namespace *nsp) -> Adapter * {
        if (!hub)
            return new InMemoryAdapter(nsp);
        return new RedisNamespaceAdapter(nsp, hub.data());
    };
}

QUrl RedisAdapter::url() const
{
    return d->url;
}

RedisAdapterOptions RedisAdapter::options() const
{
    return d->options;
}

RedisAdapter::State RedisAdapter::state() const
{
    return d->state;
}

QString RedisAdapter::errorString() const
{
    if (!d->configError.isEmpty())
        return d->configError;
    const QString pubError =
        d->pub->state() == Redis::Connection::State::Connected ? QString() : d->pub->errorString();
    return pubError.isEmpty() && d->sub->state() != Redis::Connection::State::Connected
        ? d->sub->errorString()
        : pubError;
}

qint64 RedisAdapter::droppedMessageCount() const
{
    return d->droppedMessages;
}

qint64 RedisAdapter::queuedMessageCount() const
{
    return qint64(d->queue.size());
}

QString RedisAdapter::stateName(State state)
{
    switch (state) {
    case State::Disconnected:
        return QStringLiteral("disconnected");
    case State::Connecting:
        return QStringLiteral("connecting");
    case State::Connected:
        return QStringLiteral("connected");
    }
    return {};
}

// --- RedisNamespaceAdapter implementation --------------------------------------------------------

RedisNamespaceAdapter::RedisNamespaceAdapter(Namespace *nsp, RedisAdapter *hub)
    : InMemoryAdapter(nsp)
    , channels(hub->d->options.key, nsp->name())
    , specificResponse(channels.response + uid.toUtf8() + '#')
    , m_hub(hub)
{
    RedisAdapterPrivate *d = hub->d.get();
    d->byPattern.insert(channels.broadcast + '*', this);
    d->byRequest.insert(channels.request, this);
    d->byResponse.insert(channels.response, this);
    d->byResponse.insert(specificResponse, this);
    d->sub->psubscribe(channels.broadcast + '*');
    d->sub->subscribe(channels.request);
    d->sub->subscribe(channels.response);
    d->sub->subscribe(specificResponse);
}

RedisNamespaceAdapter::~RedisNamespaceAdapter()
{
    for (Pending &pending : m_requests)
        delete pending.timer;
    if (!m_hub)
        return;
    RedisAdapterPrivate *d = m_hub->d.get();
    // Only ours: a replacement adapter of the same namespace may have registered already.
    const auto forget = [this](QHash<QByteArray, QPointer<RedisNamespaceAdapter>> &map,
                               const QByteArray &key) {
        const auto it = map.find(key);
        if (it != map.end() && (it->isNull() || it->data() == this))
            map.erase(it);
    };
    forget(d->byPattern, channels.broadcast + '*');
    forget(d->byRequest, channels.request);
    forget(d->byResponse, channels.response);
    forget(d->byResponse, specificResponse);
}

void RedisNamespaceAdapter::publish(const QByteArray &channel, const QByteArray &message)
{
    if (m_hub)
        m_hub->d->publish(channel, message);
}

void RedisNamespaceAdapter::broadcast(const EventPacket &packet, const BroadcastOptions &opts)
{
    if (!opts.flags.local) {
        BroadcastMessage message;
        message.uid = uid;
        message.nsp = nsp()->name();
        message.event = packet.event;
        message.args = packet.args;
        message.rooms = sorted(opts.rooms);
        message.except = sorted(opts.except);
        message.flags = encodeFlags(toRequestOptions(opts));
        const QByteArray channel =
            opts.rooms.size() == 1 ? channels.room(*opts.rooms.cbegin()) : channels.broadcast;
        publish(channel, encodeBroadcast(message));
    }
    InMemoryAdapter::broadcast(packet, opts);
}

void RedisNamespaceAdapter::broadcastWithAck(const EventPacket &packet, const BroadcastOptions &opts,
                                             ClientCountCallback clientCount, ClientAckCallback ack)
{
    if (!opts.flags.local && m_hub) {
        const QString requestId = randomId();
        RequestMessage request;
        request.type = RequestType::Broadcast;
        request.uid = uid;
        request.requestId = requestId;
        request.event = packet.event;
        request.args = packet.args;
        request.nsp = nsp()->name();
        request.opts = toRequestOptions(opts);
        m_ackRequests.insert(requestId, { clientCount, ack });
        // As the node adapter: nothing tells when every remote client answered; forget the
        // request after the broadcast's timeout (or the requests timeout when it has none).
        const auto keep =
            opts.flags.timeout.count() > 0 ? opts.flags.timeout : m_hub->d->options.requestsTimeout;
        QTimer::singleShot(keep, this, [this, requestId] { m_ackRequests.remove(requestId); });
        publish(channels.request, encodeRequest(request));
    }
    InMemoryAdapter::broadcastWithAck(packet, opts, std::move(clientCount), std::move(ack));
}

void RedisNamespaceAdapter::serverCount(ServerCountCallback callback)
{
    countServers([callback](int servers, bool) { callback(servers); });
}

void RedisNamespaceAdapter::countServers(std::function<void(int servers, bool ok)> callback)
{
    if (!m_hub) {
        callback(1, true);
        return;
    }
    m_hub->d->pub->command({ QByteArrayLiteral("PUBSUB"), QByteArrayLiteral("NUMSUB"), channels.request },
                           [callback](redisReply *reply) {
                               int count = 1; // no answer: this server alone
                               if (reply && reply->type == REDIS_REPLY_ARRAY && reply->elements >= 2
                                   && reply->element[1]->type == REDIS_REPLY_INTEGER)
                                   count = std::max(1, int(reply->element[1]->integer));
                               callback(count, reply != nullptr);
                           });
}

void RedisNamespaceAdapter::startRequest(Pending pending, const RequestMessage &request)
{
    const QString requestId = request.requestId.value_or(QString());
    pending.timer = new QTimer(this);
    pending.timer->setSingleShot(true);
    connect(pending.timer, &QTimer::timeout, this, [this, requestId] { finish(requestId, true); });
    pending.timer->start(m_hub ? m_hub->d->options.requestsTimeout : std::chrono::milliseconds(5000));
    m_requests.insert(requestId, std::move(pending));
    publish(channels.request, encodeRequest(request));
}

void RedisNamespaceAdapter::finish(const QString &requestId, bool timedOut)
{
    const auto it = m_requests.find(requestId);
    if (it == m_requests.end())
        return;
    Pending pending = std::move(*it);
    m_requests.erase(it);
    if (pending.timer)
        pending.timer->deleteLater();
    if (timedOut) {
        qCWarning(lcRedis).noquote() << "request" << requestId << "of type" << int(pending.type) << "on"
                                     << nsp()->name() << "timed out:" << pending.received << "of"
                                     << pending.expected << "answers";
    }
    if (pending.fetch)
        pending.fetch(pending.sockets);
    if (pending.roomsCallback)
        pending.roomsCallback(pending.rooms);
    if (pending.serverSide)
        pending.serverSide(timedOut, pending.responses);
}

void RedisNamespaceAdapter::fetchSockets(const BroadcastOptions &opts, FetchCallback callback)
{
    const QList<RemoteSocket> local = localSockets(opts);
    if (opts.flags.local || !m_hub) {
        callback(local);
        return;
    }
    QPointer<RedisNamespaceAdapter> self(this);
    countServers([self, opts, local, callback](int servers, bool ok) {
        if (self && !ok)
            qCWarning(lcRedis).noquote() << "fetchSockets on" << self->nsp()->name()
                                         << ": redis is away or does not answer: this server's sockets only";
        if (!self || servers <= 1) {
            callback(local);
            return;
        }
        Pending pending;
        pending.type = RequestType::RemoteFetch;
        pending.expected = servers;
        pending.received = 1;
        pending.sockets = local;
        pending.fetch = callback;
        RequestMessage request;
        request.type = RequestType::RemoteFetch;
        request.uid = self->uid;
        request.requestId = randomId();
        request.opts = toRequestOptions(opts);
        self->startRequest(std::move(pending), request);
    });
}

void RedisNamespaceAdapter::allRooms(RoomsCallback callback)
{
    const QStringList localRooms = rooms();
    const QSet<QString> local(localRooms.cbegin(), localRooms.cend());
    QPointer<RedisNamespaceAdapter> self(this);
    countServers([self, local, callback](int servers, bool ok) {
        if (self && !ok)
            qCWarning(lcRedis).noquote() << "allRooms on" << self->nsp()->name()
                                         << ": redis is away or does not answer: this server's rooms only";
        if (!self || servers <= 1) {
            callback(local);
            return;
        }
        Pending pending;
        pending.type = RequestType::AllRooms;
        pending.expected = servers;
        pending.received = 1;
        pending.rooms = local;
        pending.roomsCallback = callback;
        RequestMessage request;
        request.type = RequestType::AllRooms;
        request.uid = self->uid;
        request.requestId = randomId();
        self->startRequest(std::move(pending), request);
    });
}

void RedisNamespaceAdapter::addSockets(const BroadcastOptions &opts, const QStringList &rooms)
{
    InMemoryAdapter::addSockets(opts, rooms);
    if (!opts.flags.local) {
        RequestMessage request;
        request.type = RequestType::RemoteJoin;
        request.uid = uid;
        request.opts = toRequestOptions(opts);
        request.rooms = rooms;
        publish(channels.request, encodeRequest(request));
    }
}

void RedisNamespaceAdapter::delSockets(const BroadcastOptions &opts, const QStringList &rooms)
{
    InMemoryAdapter::delSockets(opts, rooms);
    if (!opts.flags.local) {
        RequestMessage request;
        request.type = RequestType::RemoteLeave;
        request.uid = uid;
        request.opts = toRequestOptions(opts);
        request.rooms = rooms;
        publish(channels.request, encodeRequest(request));
    }
}

void RedisNamespaceAdapter::disconnectSockets(const BroadcastOptions &opts, bool close)
{
    if (!opts.flags.local) {
        RequestMessage request;
        request.type = RequestType::RemoteDisconnect;
        request.uid = uid;
        request.opts = toRequestOptions(opts);
        request.close = close;
        publish(channels.request, encodeRequest(request));
    }
    InMemoryAdapter::disconnectSockets(opts, close);
}

void RedisNamespaceAdapter::serverSideEmit(const QString &event, const QVariantList &args)
{
    RequestMessage request;
    request.type = RequestType::ServerSideEmit;
    request.uid = uid;
    request.event = event;
    request.args = args;
    publish(channels.request, encodeRequest(request));
}

void RedisNamespaceAdapter::serverSideEmitWithAck(const QString &event, const QVariantList &args,
                                                  ServerSideAckCallback callback)
{
    QPointer<RedisNamespaceAdapter> self(this);
    countServers([self, event, args, callback](int servers, bool ok) {
        if (!ok) { // the other servers could not be asked: as if none answered in time
            if (self)
                qCWarning(lcRedis).noquote()
                    << "serverSideEmit" << event << "with acks on" << self->nsp()->name()
                    << ": redis is away or does not answer: timed out";
            callback(true, {});
            return;
        }
        const int others = servers - 1;
        if (!self || others <= 0) {
            callback(false, {});
            return;
        }
        Pending pending;
        pending.type = RequestType::ServerSideEmit;
        pending.expected = others;
        pending.serverSide = callback;
        RequestMessage request;
        request.type = RequestType::ServerSideEmit;
        request.uid = self->uid;
        request.requestId = randomId();
        request.event = event;
        request.args = args;
        self->startRequest(std::move(pending), request);
    });
}

void RedisNamespaceAdapter::onBroadcastMessage(const QByteArray &channel, const QByteArray &message)
{
    if (!channel.startsWith(channels.broadcast) || !channel.endsWith('#'))
        return;
    const QString room = QString::fromUtf8(
        channel.mid(channels.broadcast.size(), channel.size() - channels.broadcast.size() - 1));
    if (!room.isEmpty() && !hasRoom(room))
        return; // nobody here is in that room
    const auto decoded = decodeBroadcast(message);
    if (!decoded) {
        qCDebug(lcRedis).noquote() << "ignoring a malformed broadcast on" << QString::fromUtf8(channel);
        return;
    }
    if (decoded->uid == uid || decoded->nsp != nsp()->name())
        return;
    BroadcastOptions opts;
    opts.rooms = QSet<QString>(decoded->rooms.cbegin(), decoded->rooms.cend());
    opts.except = QSet<QString>(decoded->except.cbegin(), decoded->except.cend());
    opts.flags.isVolatile = decoded->flags.value(QStringLiteral("volatile")).toBool();
    opts.flags.local = true;
    InMemoryAdapter::broadcast({ decoded->event, decoded->args }, opts);
}

void RedisNamespaceAdapter::onRequest(const QByteArray &message)
{
    const auto decoded = decodeRequest(message);
    if (!decoded) {
        qCDebug(lcRedis) << "ignoring a malformed request";
        return;
    }
    const RequestMessage &request = *decoded;
    const QString requestId = request.requestId.value_or(QString());
    const bool mine = request.uid == uid;
    const auto respond = [this](const ResponseMessage &response) {
        publish(channels.response, encodeResponse(response));
    };
    switch (request.type) {
    case RequestType::Sockets: {
        if (mine || m_requests.contains(requestId))
            return;
        ResponseMessage response;
        response.requestId = requestId;
        response.socketIds = sorted(sockets(QSet<QString>(request.rooms.cbegin(), request.rooms.cend())));
        respond(response);
        return;
    }
    case RequestType::AllRooms: {
        if (mine || m_requests.contains(requestId))
            return;
        ResponseMessage response;
        response.requestId = requestId;
        response.rooms = rooms();
        respond(response);
        return;
    }
    case RequestType::RemoteJoin:
    case RequestType::RemoteLeave:
    case RequestType::RemoteDisconnect: {
        if (mine)
            return; // done locally when sent
        if (request.opts) {
            BroadcastOptions opts = toOptions(*request.opts);
            opts.flags.local = true;
            const QStringList rooms = QSet<QString>(request.rooms.cbegin(), request.rooms.cend()).values();
            if (request.type == RequestType::RemoteJoin)
                InMemoryAdapter::addSockets(opts, rooms);
            else if (request.type == RequestType::RemoteLeave)
                InMemoryAdapter::delSockets(opts, rooms);
            else
                InMemoryAdapter::disconnectSockets(opts, request.close);
            return;
        }
        // The older form: one socket by id.
        Socket *socket = nsp()->socket(request.sid);
        if (!socket)
            return;
        if (request.type == RequestType::RemoteJoin)
            socket->join(request.room);
        else if (request.type == RequestType::RemoteLeave)
            socket->leave(request.room);
        else
            socket->close(request.close ? DisconnectMode::Close : DisconnectMode::Namespace);
        ResponseMessage response;
        response.requestId = requestId;
        respond(response);
        return;
    }
    case RequestType::RemoteFetch: {
        if (mine || m_requests.contains(requestId))
            return;
        const BroadcastOptions opts = toOptions(request.opts.value_or(RequestOptions()));
        QList<SocketRecord> records;
        const QList<RemoteSocket> local = localSockets(opts);
        for (const RemoteSocket &socket : local)
            records.append(toRecord(socket));
        ResponseMessage response;
        response.requestId = requestId;
        response.sockets = records;
        respond(response);
        return;
    }
    case RequestType::ServerSideEmit: {
        if (mine)
            return;
        ServerSideAck ack;
        if (request.requestId) {
            QPointer<RedisNamespaceAdapter> self(this);
            ack = ServerSideAck([self, requestId](const QVariant &reply) {
                if (self) {
                    ResponseMessage response;
                    response.type = RequestType::ServerSideEmit;
                    response.requestId = requestId;
                    response.data = reply;
                    self->publish(self->channels.response, encodeResponse(response));
                }
            });
        }
        Q_EMIT nsp()->serverSideEventReceived(request.event, request.args, ack);
        return;
    }
    case RequestType::Broadcast: {
        if (mine || m_ackRequests.contains(requestId))
            return;
        BroadcastOptions opts = toOptions(request.opts.value_or(RequestOptions()));
        opts.flags.local = true;
        QPointer<RedisNamespaceAdapter> self(this);
        InMemoryAdapter::broadcastWithAck(
            { request.event, request.args }, opts,
            [self, requestId](int clientCount) {
                if (self) {
                    ResponseMessage response;
                    response.type = RequestType::BroadcastClientCount;
                    response.requestId = requestId;
                    response.clientCount = clientCount;
                    self->publish(self->channels.response, encodeResponse(response));
                }
            },
            [self, requestId](bool answered, const QVariantList &reply) {
                // socket.io hands the first argument of a client's ack to the broadcaster.
                if (self && answered) {
                    ResponseMessage response;
                    response.type = RequestType::BroadcastAck;
                    response.requestId = requestId;
                    response.packet = reply.value(0);
                    self->publish(self->channels.response, encodeResponse(response));
                }
            });
        return;
    }
    default:
        qCDebug(lcRedis) << "ignoring request type" << int(request.type);
    }
}

void RedisNamespaceAdapter::onResponse(const QByteArray &message)
{
    const auto decoded = decodeResponse(message);
    if (!decoded)
        return;
    const ResponseMessage &response = *decoded;
    const QString &requestId = response.requestId;
    if (const auto ackIt = m_ackRequests.constFind(requestId); ackIt != m_ackRequests.cend()) {
        const AckRequest request = *ackIt;
        if (response.type == RequestType::BroadcastClientCount && request.clientCount)
            request.clientCount(response.clientCount);
        else if (response.type == RequestType::BroadcastAck && request.ack)
            request.ack(true, { response.packet });
        return;
    }
    const auto it = m_requests.find(requestId);
    if (it == m_requests.end())
        return;
    Pending &pending = *it;
    switch (pending.type) {
    case RequestType::RemoteFetch:
        if (!response.sockets)
            return;
        for (const SocketRecord &socket : *response.sockets)
            pending.sockets.append(fromRecord(socket));
        ++pending.received;
        break;
    case RequestType::AllRooms:
        if (!response.rooms)
            return;
        pending.rooms.unite(QSet<QString>(response.rooms->cbegin(), response.rooms->cend()));
        ++pending.received;
        break;
    case RequestType::ServerSideEmit:
        pending.responses.append(response.data);
        ++pending.received;
        break;
    default:
        return;
    }
    if (pending.received >= pending.expected)
        finish(requestId, false);
}

} // namespace SocketIo
