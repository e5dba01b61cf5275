// SPDX-License-Identifier: MIT
#include "engineclient_p.h"
#include "protocol/arguments.h"
#include "protocol/msgpackpacket.h"
#include "protocol/socketiopacket.h"

#include <SocketIo/client.h>

#include <QCborMap>
#include <QDateTime>
#include <QHash>
#include <QMap>
#include <QMetaMethod>
#include <QNetworkAccessManager>
#include <QPromise>
#include <QRandomGenerator>
#include <QSslCertificate>
#include <QThread>

#include <atomic>
#include <cmath>
#include <optional>

namespace SocketIo {

using Protocol::EnginePacket;
using Protocol::SocketIoPacket;

// --- private classes -------------------------------------------------------------------------

class ManagerPrivate
{
public:
    explicit ManagerPrivate(Manager *q)
        : q(q)
    { }

    void openEngine();
    void onEngineOpened();
    void onEngineFailed(const QString &message);
    void onEngineClosed(const QString &reason, const QString &description);
    void onEnginePacket(const EnginePacket &packet);
    void observe(Transport transport, bool outgoing, const EnginePacket &packet);
    void dispatch(const SocketIoPacket &packet);
    void dispatchDirect(Arguments::Direct &&direct);
    void reconnect();
    void maybeClose(); // socket.io-client's Manager._destroy: close when no socket is active
    void sendEncoded(const Arguments::Encoded &encoded);
    void dropEngine();
    std::chrono::milliseconds backoffDuration();
    bool isWritable() const { return engine && engine->isWritable(); }

    Manager *q;
    QUrl url;
    ManagerOptions options;
    QNetworkAccessManager *nam = nullptr;
    QPointer<EngineClient> engine;
    Manager::State state = Manager::State::Closed;
    QMap<QString, ClientSocket *> sockets;
    Protocol::SocketIoDecoder decoder;
    // The packet encoding: ManagerOptions::parser (Engine.IO v3: always JSON).
    Arguments::Format format = Arguments::Format::Json;
    QTimer reconnectTimer;
    int attempts = 0; // the backoff's
    bool reconnecting = false;
    bool skipReconnect = false;
    std::optional<QSslConfiguration> ssl;
};

struct ClientAck::State
{
    QPointer<ClientSocket> socket;
    qint64 id = -1;
    std::atomic<bool> answered{ false };
};

class ClientSocketPrivate
{
public:
    struct Handler
    {
        QString event;
        QPointer<QObject> context;
        ClientSocket::EventHandler handler;
    };
    struct AnyEntry
    {
        QPointer<QObject> context;
        ClientSocket::AnyHandler handler;
    };
    struct PendingAck
    {
        QPointer<QObject> context;
        bool hasContext = false;
        AckCallback callback;
        QTimer *timer = nullptr;
    };
    struct Buffered
    {
        Arguments::Encoded encoded;
        QString event;
        QVariantList args;
        qint64 ackId = -1;
    };

    ClientSocketPrivate(ClientSocket *q, Manager *manager, const QString &nsp)
        : q(q)
        , manager(manager)
        , nsp(nsp)
    { }

    ManagerPrivate *md() const { return manager->d.get(); }
    void sendConnect();
    void onPacket(const SocketIoPacket &packet);
    void onEvent(QString event, QVariantList args, qint64 id);
    void onAck(qint64 id, const QVariantList &args);
    void onConnected(const QString &sid, const QString &newPid = {});
    void onClose(const QString &reason);
    void onManagerClose(const QString &reason);
    void onServerDisconnect();
    void connectError(const QString &message, const QVariant &data);
    void send(const QString &event, const QVariantList &args, const Arguments::Encoded &encoded);
    bool doEmit(const QString &event, const QVariantList &args, qint64 ackId, bool isVolatile);
    void finishAck(qint64 id, AckStatus status, const QVariantList &args);
    void clearAcks(bool all);
    qint64 registerAck(QObject *context, AckCallback callback, std::chrono::milliseconds timeout);

    ClientSocket *q;
    Manager *manager;
    QString nsp;
    QString id;
    bool connected = false;
    bool active = false;
    QVariant auth;
    ClientSocket::AuthProvider authProvider;
    // Connection state recovery (socket.io-client's _pid and _lastOffset): the private session
    // id of the server's last CONNECT reply (empty when the server does not recover), the last
    // string argument of an event handled since, and whether the last connect recovered.
    QString pid;
    QString lastOffset;
    bool recovered = false;
    qint64 nextAckId = 0;
    QHash<qint64, PendingAck> acks;
    QList<Buffered> sendBuffer;
    struct Received
    {
        QString event;
        QVariantList args;
        qint64 ackId = -1;
    };
    QList<Received> receiveBuffer; // events that arrived before the CONNECT reply
    QList<Handler> handlers;
    QList<AnyEntry> anyHandlers;
    QList<AnyEntry> anyOutgoing;
};

// --- ManagerPrivate ----------------------------------------------------------------------------

void ManagerPrivate::openEngine()
{
    dropEngine();
    decoder.reset();
    EngineClientConfig config;
    config.url = url;
    QString path = options.path.isEmpty() ? QStringLiteral("/socket.io/") : options.path;
    if (!path.startsWith(QLatin1Char('/')))
        path.prepend(QLatin1Char('/'));
    config.url.setPath(path);
    config.url.setQuery(QString());
    config.query = options.query;
    const QUrlQuery urlQuery(url);
    for (const auto &item : urlQuery.queryItems(QUrl::FullyDecoded))
        config.query.addQueryItem(item.first, item.second);
    config.headers = options.extraHeaders;
    config.transports = options.transports;
    if (!(config.transports & (Transport::Polling | Transport::WebSocket)))
        config.transports = Transport::Polling | Transport::WebSocket;
    config.upgrade = options.upgrade;
    config.protocol = options.engineIoProtocol == 3 ? 3 : 4;
    config.ssl = ssl;
    config.ignoreSslErrors = options.ignoreSslErrors;
    config.maxIncomingBytes = options.maxIncomingBytes;
    config.timeout = options.timeout;
    engine = new EngineClient(
        config,
        [this](bool create) {
            if (!nam && create)
                nam = new QNetworkAccessManager(q); // its cookie jar keeps sticky-session cookies
            return nam;
        },
        q);
    EngineClient *e = engine;
    QObject::connect(e, &EngineClient::opened, q, [this] { onEngineOpened(); });
    QObject::connect(e, &EngineClient::failed, q, [this](const QString &m) { onEngineFailed(m); });
    QObject::connect(e, &EngineClient::closed, q,
                     [this](const QString &r, const QString &d) { onEngineClosed(r, d); });
    QObject::connect(e, &EngineClient::packetReceived, q,
                     [this](const EnginePacket &p) { onEnginePacket(p); });
    QObject::connect(e, &EngineClient::upgraded, q, [this](Transport t) { Q_EMIT q->transportUpgraded(t); });
    QObject::connect(e, &EngineClient::packetObserved, q,
                     [this](Transport t, bool outgoing, const EnginePacket &p) { observe(t, outgoing, p); });
    state = Manager::State::Opening;
    e->open();
}

void ManagerPrivate::observe(Transport transport, bool outgoing, const EnginePacket &packet)
{
    if (!q->isSignalConnected(QMetaMethod::fromSignal(&Manager::trafficObserved)))
        return;
    TrafficEvent event;
    event.timestampMs = QDateTime::currentMSecsSinceEpoch();
    event.sessionId = engine ? engine->sid() : QString();
    event.transport = transport;
    event.direction = outgoing ? TrafficEvent::Direction::Outgoing : TrafficEvent::Direction::Incoming;
    event.type = EnginePacketType(int(packet.type));
    event.binary = packet.binary;
    event.size = packet.data.size() + (packet.binary ? 0 : 1);
    event.data = packet.data;
    if (packet.type == EnginePacket::Type::Message
        && decodeSocketIoFields(event, format == Arguments::Format::Json ? Parser::Json : Parser::MsgPack)) {
        if (const ClientSocket *socket = sockets.value(event.nsp))
            event.socketId = socket->id();
    }
    Q_EMIT q->trafficObserved(event);
}

void ManagerPrivate::dropEngine()
{
    if (!engine)
        return;
    engine->disconnect(q);
    engine->deleteLater();
    engine = nullptr;
}

void ManagerPrivate::onEngineOpened()
{
    state = Manager::State::Open;
    Q_EMIT q->opened();
    const QList<ClientSocket *> list = sockets.values();
    for (ClientSocket *socket : list) {
        if (socket->d->active && engine && state == Manager::State::Open)
            socket->d->sendConnect();
    }
    if (reconnecting) {
        reconnecting = false;
        const int attempt = attempts;
        attempts = 0;
        Q_EMIT q->reconnected(attempt);
    }
}

void ManagerPrivate::onEngineFailed(const QString &message)
{
    dropEngine();
    state = Manager::State::Closed;
    Q_EMIT q->errorOccurred(message);
    const QList<ClientSocket *> list = sockets.values();
    for (ClientSocket *socket : list) {
        if (socket->d->active && !socket->d->connected)
            Q_EMIT socket->connectErrorOccurred(message, QVariant());
    }
    if (reconnecting) {
        reconnecting = false;
        Q_EMIT q->reconnectErrorOccurred(message);
        reconnect();
    } else if (options.reconnection && !skipReconnect && attempts == 0) {
        reconnect();
    }
}

void ManagerPrivate::onEngineClosed(const QString &reason, const QString &description)
{
    dropEngine();
    decoder.reset();
    state = Manager::State::Closed;
    attempts = 0;
    Q_EMIT q->closed(reason);
    Q_UNUSED(description);
    const QList<ClientSocket *> list = sockets.values();
    for (ClientSocket *socket : list)
        socket->d->onManagerClose(reason);
    if (options.reconnection && !skipReconnect)
        reconnect();
}

std::chrono::milliseconds ManagerPrivate::backoffDuration()
{
    // socket.io-client's Backoff: min * 2^attempts, jittered by randomizationFactor, capped.
    double ms = double(options.reconnectionDelay.count()) * std::pow(2.0, double(qMin(attempts, 62)));
    ++attempts;
    const double jitter = qBound(0.0, options.randomizationFactor, 1.0);
    if (jitter > 0) {
        const double rand = QRandomGenerator::global()->generateDouble();
        const double deviation = std::floor(rand * jitter * ms);
        ms = (int(std::floor(rand * 10)) & 1) == 0 ? ms - deviation : ms + deviation;
    }
    ms = qMin(ms, double(options.reconnectionDelayMax.count()));
    return std::chrono::milliseconds(qMax<qint64>(0, qint64(ms)));
}

void ManagerPrivate::reconnect()
{
    if (reconnecting || skipReconnect)
        return;
    if (options.reconnectionAttempts >= 0 && attempts >= options.reconnectionAttempts) {
        attempts = 0;
        Q_EMIT q->reconnectFailed();
        return;
    }
    const auto delay = backoffDuration();
    reconnecting = true;
    qCDebug(lcClient) << "reconnecting in" << delay.count() << "ms, attempt" << attempts;
    reconnectTimer.start(delay);
}

void ManagerPrivate::maybeClose()
{
    for (ClientSocket *socket : std::as_const(sockets)) {
        if (socket->d->active)
            return;
    }
    skipReconnect = true;
    reconnecting = false;
    reconnectTimer.stop();
    if (engine)
        engine->close();
    state = Manager::State::Closed;
}

void ManagerPrivate::sendEncoded(const Arguments::Encoded &encoded)
{
    if (!engine)
        return;
    if (encoded.binary) { // one msgpack packet
        engine->send(EnginePacket::binaryMessage(encoded.text));
        return;
    }
    engine->send(EnginePacket::message(encoded.text));
    for (const QByteArray &attachment : encoded.attachments)
        engine->send(EnginePacket::binaryMessage(attachment));
}

void ManagerPrivate::onEnginePacket(const EnginePacket &packet)
{
    using Status = Protocol::SocketIoDecoder::Status;
    if (format != Arguments::Format::Json) {
        // The msgpack parser: every packet is one binary message.
        Protocol::Msgpack::Decoded decoded;
        if (packet.binary)
            decoded = Protocol::Msgpack::decode(packet.data);
        else
            decoded.error = Protocol::SocketIoCodec::Error::UnexpectedText;
        if (!decoded) {
            const QString error = QString::fromLatin1(Protocol::SocketIoCodec::errorMessage(decoded.error));
            qCWarning(lcClient) << "malformed packet from the server:" << error
                                << packet.data.left(120).toHex();
            if (engine)
                engine->closeWithReason(QStringLiteral("parse error"), error);
            return;
        }
        dispatch(*decoded.packet);
        return;
    }
    Status status;
    if (packet.binary) {
        status = decoder.addBinary(packet.data);
    } else {
        if (!decoder.isAwaitingAttachments()) {
            Arguments::Direct direct;
            if (Arguments::decodeDirect(packet.data, &direct)) {
                dispatchDirect(std::move(direct));
                return;
            }
        }
        status = decoder.addText(packet.data);
    }
    if (status == Status::NeedMore)
        return;
    if (status == Status::Error) {
        const QString error = QString::fromLatin1(Protocol::SocketIoCodec::errorMessage(decoder.error()));
        qCWarning(lcClient) << "malformed packet from the server:" << error << packet.data.left(120);
        decoder.reset();
        if (engine)
            engine->closeWithReason(QStringLiteral("parse error"), error);
        return;
    }
    dispatch(decoder.takePacket());
}

void ManagerPrivate::dispatchDirect(Arguments::Direct &&direct)
{
    ClientSocket *socket = sockets.value(direct.nsp);
    if (!socket) {
        qCDebug(lcClient) << "packet for a namespace without socket:" << direct.nsp;
        return;
    }
    if (direct.isAck) {
        socket->d->onAck(direct.id, direct.args);
    } else {
        QString event = direct.args.isEmpty() ? QString() : direct.args.takeFirst().toString();
        socket->d->onEvent(std::move(event), std::move(direct.args), direct.id);
    }
}

void ManagerPrivate::dispatch(const SocketIoPacket &packet)
{
    ClientSocket *socket = sockets.value(packet.nsp);
    if (!socket) {
        qCDebug(lcClient) << "packet for a namespace without socket:" << packet.nsp;
        return;
    }
    socket->d->onPacket(packet);
}

// --- Manager -----------------------------------------------------------------------------------

Manager::Manager(const QUrl &url, const ManagerOptions &options, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<ManagerPrivate>(this))
{
    d->url = url;
    d->options = options;
    // Servers send what their applications emit: as many attachments as node allows in practice,
    // bounded by what one message may weigh.
    Protocol::SocketIoDecoder::Limits limits;
    limits.maxAttachments = 1000;
    limits.maxAttachmentBytes = qMax<qint64>(1, options.maxIncomingBytes);
    d->decoder = Protocol::SocketIoDecoder(limits);
    if (options.parser == Parser::MsgPack && options.engineIoProtocol != 3)
        d->format = Arguments::Format::MsgpackClient;
    if (options.sslConfiguration || !options.caFile.isEmpty()) {
        QSslConfiguration ssl = options.sslConfiguration.value_or(QSslConfiguration::defaultConfiguration());
        if (!options.caFile.isEmpty()) {
            const QList<QSslCertificate> certs = QSslCertificate::fromPath(options.caFile, QSsl::Pem);
            if (certs.isEmpty())
                qCWarning(lcClient) << "no certificate in" << options.caFile;
            ssl.addCaCertificates(certs);
        }
        d->ssl = ssl;
    }
    d->reconnectTimer.setSingleShot(true);
    connect(&d->reconnectTimer, &QTimer::timeout, this, [this] {
        if (d->skipReconnect)
            return;
        Q_EMIT reconnectAttempted(d->attempts);
        if (d->skipReconnect)
            return;
        d->openEngine();
    });
}

Manager::~Manager()
{
    d->skipReconnect = true;
    const QList<ClientSocket *> list = d->sockets.values();
    d->sockets.clear();
    for (ClientSocket *socket : list)
        delete socket;
    if (d->engine) {
        d->engine->disconnect(this);
        d->engine->close();
        delete d->engine;
    }
}

QUrl Manager::url() const
{
    return d->url;
}

ManagerOptions Manager::options() const
{
    return d->options;
}

Manager::State Manager::state() const
{
    return d->state;
}

Transport Manager::transport() const
{
    return d->engine ? d->engine->transport() : Transport::Polling;
}

QString Manager::engineId() const
{
    return d->engine && d->state == State::Open ? d->engine->sid() : QString();
}

ClientSocket *Manager::socket(const QString &nsp)
{
    QString name = nsp.isEmpty() ? QStringLiteral("/") : nsp;
    if (!name.startsWith(QLatin1Char('/')))
        name.prepend(QLatin1Char('/'));
    if (ClientSocket *existing = d->sockets.value(name))
        return existing;
    auto *socket = new ClientSocket(this, name);
    d->sockets.insert(name, socket);
    return socket;
}

void Manager::open()
{
    d->skipReconnect = false;
    if (d->state != State::Closed || d->reconnecting)
        return;
    d->openEngine();
}

void Manager::close()
{
    const QList<ClientSocket *> list = d->sockets.values();
    for (ClientSocket *socket : list) {
        if (socket->isActive())
            socket->close();
    }
    d->skipReconnect = true;
    d->reconnecting = false;
    d->reconnectTimer.stop();
    if (d->engine)
        d->engine->close(); // closed("forced close") follows synchronously
    d->state = State::Closed;
}

// --- ClientAck ---------------------------------------------------------------------------------

ClientAck::ClientAck() = default;

bool ClientAck::isRequested() const
{
    return d && d->id >= 0;
}

bool ClientAck::isAnswered() const
{
    return d && d->answered.load();
}

qint64 ClientAck::id() const
{
    return d ? d->id : -1;
}

void ClientAck::send(const QVariantList &args) const
{
    if (!d || d->id < 0 || d->answered.exchange(true))
        return;
    QPointer<ClientSocket> socket = d->socket;
    const qint64 id = d->id;
    if (!socket)
        return;
    if (QThread::currentThread() == socket->thread()) {
        socket->sendAck(id, args);
        return;
    }
    QMetaObject::invokeMethod(
        socket->manager(),
        [socket, id, args] {
            if (socket)
                socket->sendAck(id, args);
        },
        Qt::QueuedConnection);
}

// --- ClientSocketPrivate -----------------------------------------------------------------------

void ClientSocketPrivate::sendConnect()
{
    EngineClient *engine = md()->engine;
    if (!engine)
        return;
    if (engine->protocol() == 3) {
        // socket.io 2: "/" is connected implicitly; other namespaces by "0/nsp,".
        if (nsp != QLatin1String("/"))
            engine->send(EnginePacket::message(QByteArrayLiteral("0") + nsp.toUtf8() + ','));
        return;
    }
    SocketIoPacket packet;
    packet.type = SocketIoPacket::Type::Connect;
    packet.nsp = nsp;
    const QVariant payload = authProvider ? authProvider() : auth;
    if (payload.isValid() && !payload.isNull())
        packet.data = Arguments::toCbor(payload);
    if (!pid.isEmpty()) {
        // socket.io-client: Object.assign({ pid, offset }, auth); no offset before the first event.
        QCborMap data{ { QStringLiteral("pid"), pid } };
        if (!lastOffset.isEmpty())
            data.insert(QStringLiteral("offset"), lastOffset);
        const QCborMap given = packet.data.toMap();
        for (auto it = given.cbegin(); it != given.cend(); ++it)
            data.insert(it.key(), it.value());
        packet.data = data;
    }
    md()->sendEncoded(Arguments::encode(packet, md()->format));
}

void ClientSocketPrivate::onPacket(const SocketIoPacket &packet)
{
    switch (packet.type) {
    case SocketIoPacket::Type::Connect: {
        if (!active)
            return;
        if (md()->engine && md()->engine->protocol() == 3) {
            const QString sid = md()->engine->sid();
            onConnected(nsp == QLatin1String("/") ? sid : nsp + QLatin1Char('#') + sid);
            return;
        }
        const QString sid = packet.data.toMap().value(QStringLiteral("sid")).toString();
        if (sid.isEmpty()) {
            connectError(
                QStringLiteral(
                    "It seems you are trying to reach a Socket.IO server in v2.x with a v3.x client, "
                    "but they are not compatible (more information here: "
                    "https://socket.io/docs/v3/migrating-from-2-x-to-3-0/)"),
                QVariant());
            return;
        }
        onConnected(sid, packet.data.toMap().value(QStringLiteral("pid")).toString());
        return;
    }
    case SocketIoPacket::Type::ConnectError: {
        QString message;
        QVariant data;
        if (packet.data.isMap()) {
            const QCborMap map = packet.data.toMap();
            message = map.value(QStringLiteral("message")).toString();
            if (map.contains(QStringLiteral("data")))
                data = Arguments::fromCbor(map.value(QStringLiteral("data")), {});
        } else {
            message = packet.data.toString(); // socket.io 2 sends a string
        }
        connectError(message, data);
        return;
    }
    case SocketIoPacket::Type::Event:
    case SocketIoPacket::Type::BinaryEvent: {
        QVariantList args = Arguments::fromPayload(packet.data, packet.attachments);
        QString event = args.isEmpty() ? QString() : args.takeFirst().toString();
        onEvent(std::move(event), std::move(args), packet.id);
        return;
    }
    case SocketIoPacket::Type::Ack:
    case SocketIoPacket::Type::BinaryAck:
        onAck(packet.id, Arguments::fromPayload(packet.data, packet.attachments));
        return;
    case SocketIoPacket::Type::Disconnect:
        onServerDisconnect();
        return;
    }
}

void ClientSocketPrivate::onConnected(const QString &sid, const QString &newPid)
{
    id = sid;
    // socket.io-client: recovered when the server kept the private session id it was sent.
    recovered = !newPid.isEmpty() && newPid == pid;
    pid = newPid;
    connected = true;
    // socket.io-client's emitBuffered: events that arrived before the CONNECT reply (some
    // servers, python-socketio among them, send what the connect handler emits first), then
    // emits made while disconnected, in order; then "connect".
    QPointer<ClientSocket> self(q);
    const QList<Received> received = std::exchange(receiveBuffer, {});
    for (const Received &r : received) {
        onEvent(r.event, r.args, r.ackId);
        if (!self || !connected)
            return;
    }
    const QList<Buffered> buffered = std::exchange(sendBuffer, {});
    for (const Buffered &b : buffered)
        send(b.event, b.args, b.encoded);
    Q_EMIT q->connected();
}

void ClientSocketPrivate::connectError(const QString &message, const QVariant &data)
{
    qCInfo(lcClient) << "namespace" << nsp << "refused:" << message;
    active = false;
    connected = false;
    receiveBuffer.clear();
    QPointer<ClientSocket> self(q);
    Q_EMIT q->connectErrorOccurred(message, data);
    if (self)
        md()->maybeClose();
}

void ClientSocketPrivate::onEvent(QString event, QVariantList args, qint64 ackId)
{
    if (!connected) {
        if (!active || receiveBuffer.size() >= md()->options.maxBufferedPackets) {
            qCWarning(lcClient) << "event before the namespace connected, dropped:" << nsp << event;
            return;
        }
        receiveBuffer.append({ std::move(event), std::move(args), ackId });
        return;
    }
    ClientAck ack;
    if (ackId >= 0) {
        ack.d = std::make_shared<ClientAck::State>();
        ack.d->socket = q;
        ack.d->id = ackId;
    }
    QPointer<ClientSocket> self(q);
    const QList<AnyEntry> any = anyHandlers;
    for (const AnyEntry &entry : any) {
        if (entry.context)
            entry.handler(event, args);
        if (!self)
            return;
    }
    const QList<Handler> list = handlers;
    for (const Handler &h : list) {
        if (h.event == event && h.context)
            h.handler(args, ack);
        if (!self)
            return;
    }
    Q_EMIT q->eventReceived(event, args, ack.isRequested() && !ack.isAnswered() ? ackId : -1);
    // socket.io-client's emitEvent(): with a server that recovers, an event's last string
    // argument is its offset (left in args, as socket.io-client leaves it to its listeners).
    if (self && !pid.isEmpty() && !args.isEmpty() && args.constLast().typeId() == QMetaType::QString)
        lastOffset = args.constLast().toString();
}

void ClientSocketPrivate::onAck(qint64 ackId, const QVariantList &args)
{
    if (!acks.contains(ackId)) {
        qCWarning(lcClient) << "ack with an unknown id from the server, ignored:" << nsp << ackId;
        return;
    }
    finishAck(ackId, AckStatus::Received, args);
}

void ClientSocketPrivate::finishAck(qint64 ackId, AckStatus status, const QVariantList &args)
{
    PendingAck pending = acks.take(ackId);
    if (pending.timer) {
        pending.timer->stop();
        pending.timer->deleteLater();
    }
    if (!pending.callback)
        return;
    if (!pending.hasContext) {
        pending.callback(status, args);
        return;
    }
    QObject *context = pending.context;
    if (!context)
        return;
    if (context->thread() == QThread::currentThread()) {
        pending.callback(status, args);
    } else {
        QMetaObject::invokeMethod(
            context, [callback = pending.callback, status, args] { callback(status, args); },
            Qt::QueuedConnection);
    }
}

void ClientSocketPrivate::clearAcks(bool all)
{
    // socket.io-client's _clearAcks: acks of packets still buffered survive a disconnection.
    const QList<qint64> ids = acks.keys();
    for (qint64 ackId : ids) {
        bool buffered = false;
        for (const Buffered &b : std::as_const(sendBuffer))
            buffered = buffered || b.ackId == ackId;
        if (all || !buffered)
            finishAck(ackId, AckStatus::Disconnected, {});
    }
}

void ClientSocketPrivate::onClose(const QString &reason)
{
    receiveBuffer.clear();
    const bool wasConnected = connected;
    connected = false;
    id.clear();
    QPointer<ClientSocket> self(q);
    if (wasConnected)
        Q_EMIT q->disconnected(reason);
    if (self)
        clearAcks(!active);
}

void ClientSocketPrivate::onManagerClose(const QString &reason)
{
    onClose(reason);
}

void ClientSocketPrivate::onServerDisconnect()
{
    qCInfo(lcClient) << "the server disconnected namespace" << nsp;
    active = false;
    sendBuffer.clear();
    QPointer<ClientSocket> self(q);
    onClose(QStringLiteral("io server disconnect"));
    if (self)
        md()->maybeClose();
}

qint64 ClientSocketPrivate::registerAck(QObject *context, AckCallback callback,
                                        std::chrono::milliseconds timeout)
{
    const qint64 ackId = nextAckId++;
    PendingAck pending;
    pending.context = context;
    pending.hasContext = context != nullptr;
    pending.callback = std::move(callback);
    if (timeout.count() > 0) {
        pending.timer = new QTimer(q);
        pending.timer->setSingleShot(true);
        QObject::connect(pending.timer, &QTimer::timeout, q, [this, ackId] {
            for (qsizetype i = 0; i < sendBuffer.size(); ++i) {
                if (sendBuffer.at(i).ackId == ackId) {
                    sendBuffer.removeAt(i);
                    break;
                }
            }
            finishAck(ackId, AckStatus::TimedOut, {});
        });
        pending.timer->start(timeout);
    }
    acks.insert(ackId, std::move(pending));
    return ackId;
}

void ClientSocketPrivate::send(const QString &event, const QVariantList &args,
                               const Arguments::Encoded &encoded)
{
    QPointer<ClientSocket> self(q);
    const QList<AnyEntry> any = anyOutgoing;
    for (const AnyEntry &entry : any) {
        if (entry.context)
            entry.handler(event, args);
        if (!self)
            return;
    }
    md()->sendEncoded(encoded);
}

bool ClientSocketPrivate::doEmit(const QString &event, const QVariantList &args, qint64 ackId,
                                 bool isVolatile)
{
    const Arguments::Encoded encoded = Arguments::encodeEvent(nsp, event, args, ackId, md()->format);
    if (encoded.text.isEmpty()) {
        qCWarning(lcClient) << "could not encode the arguments of" << event;
        return false;
    }
    const bool writable = md()->isWritable();
    if (isVolatile && !(writable && connected)) {
        qCDebug(lcClient) << "volatile emit dropped:" << event;
        return true;
    }
    if (connected) {
        send(event, args, encoded);
        return true;
    }
    if (sendBuffer.size() >= md()->options.maxBufferedPackets) {
        qCWarning(lcClient) << "send buffer full (" << sendBuffer.size()
                            << "packets): the oldest emit is dropped";
        const Buffered dropped = sendBuffer.takeFirst();
        if (dropped.ackId >= 0)
            finishAck(dropped.ackId, AckStatus::Disconnected, {});
    }
    sendBuffer.append({ encoded, event, args, ackId });
    return true;
}

// --- ClientSocket ------------------------------------------------------------------------------

ClientSocket::ClientSocket(Manager *manager, const QString &nsp)
    : QObject(manager)
    , d(std::make_unique<ClientSocketPrivate>(this, manager, nsp))
{ }

ClientSocket::~ClientSocket()
{
    d->manager->d->sockets.remove(d->nsp);
    for (auto &pending : d->acks) {
        if (pending.timer)
            pending.timer->stop();
    }
}

Manager *ClientSocket::manager() const
{
    return d->manager;
}

QString ClientSocket::nsp() const
{
    return d->nsp;
}

QString ClientSocket::id() const
{
    return d->id;
}

bool ClientSocket::isRecovered() const
{
    return d->recovered;
}

bool ClientSocket::isConnected() const
{
    return d->connected;
}

bool ClientSocket::isActive() const
{
    return d->active;
}

void ClientSocket::setAuth(const QVariant &auth)
{
    d->auth = auth;
    d->authProvider = nullptr;
}

void ClientSocket::setAuthProvider(AuthProvider provider)
{
    d->authProvider = std::move(provider);
}

void ClientSocket::open()
{
    if (d->connected)
        return;
    d->active = true;
    ManagerPrivate *m = d->md();
    m->skipReconnect = false;
    if (m->state == Manager::State::Open)
        d->sendConnect();
    else if (m->state == Manager::State::Closed && !m->reconnecting)
        m->openEngine();
}

void ClientSocket::close()
{
    if (d->connected && d->md()->engine) {
        SocketIoPacket packet;
        packet.type = SocketIoPacket::Type::Disconnect;
        packet.nsp = d->nsp;
        packet.data = QCborValue(QCborValue::Undefined);
        d->md()->sendEncoded(Arguments::encode(packet, d->md()->format));
    }
    d->active = false;
    d->sendBuffer.clear();
    QPointer<ClientSocket> self(this);
    d->onClose(QStringLiteral("io client disconnect"));
    if (self)
        d->md()->maybeClose();
}

// The emit paths' common front: a reserved name is refused (false, with a warning); from another
// thread the emit is queued to the manager's thread, where again() runs it (true). nullopt: go on
// here.
static std::optional<bool> refusedOrQueued(ClientSocket *socket, QObject *manager, const QString &event,
                                           std::function<void(ClientSocket *)> again)
{
    if (Protocol::SocketIoCodec::isReservedEventName(event)) {
        qCWarning(lcClient) << "reserved event name, not emitted:" << event;
        return false;
    }
    if (QThread::currentThread() == socket->thread())
        return std::nullopt;
    QPointer<ClientSocket> self(socket);
    QMetaObject::invokeMethod(
        manager,
        [self, again = std::move(again)] {
            if (self)
                again(self);
        },
        Qt::QueuedConnection);
    return true;
}

bool ClientSocket::emitEvent(const QString &event, const QVariantList &args)
{
    if (const auto done = refusedOrQueued(this, d->manager, event,
                                          [event, args](ClientSocket *s) { s->emitEvent(event, args); }))
        return *done;
    return d->doEmit(event, args, -1, false);
}

bool ClientSocket::emitEvent(const QString &event, const QVariantList &args, QObject *context,
                             AckCallback callback, std::chrono::milliseconds timeout)
{
    QPointer<QObject> ctx(context);
    const bool hasContext = context != nullptr;
    if (const auto done = refusedOrQueued(this, d->manager, event,
                                          [event, args, ctx, hasContext, callback, timeout](ClientSocket *s) {
                                              if (!hasContext || ctx)
                                                  s->emitEvent(event, args, ctx.data(), callback, timeout);
                                          }))
        return *done;
    const qint64 ackId = d->registerAck(context, std::move(callback), timeout);
    return d->doEmit(event, args, ackId, false);
}

QFuture<AckReply> ClientSocket::emitWithAck(const QString &event, const QVariantList &args,
                                            std::chrono::milliseconds timeout)
{
    auto promise = std::make_shared<QPromise<AckReply>>();
    QFuture<AckReply> future = promise->future();
    promise->start();
    const bool ok = emitEvent(
        event, args, nullptr,
        [promise](AckStatus status, const QVariantList &reply) {
            promise->addResult(AckReply{ status, reply });
            promise->finish();
        },
        timeout);
    if (!ok) {
        promise->addResult(AckReply{ AckStatus::Disconnected, {} });
        promise->finish();
    }
    return future;
}

bool ClientSocket::emitVolatile(const QString &event, const QVariantList &args)
{
    if (const auto done = refusedOrQueued(this, d->manager, event,
                                          [event, args](ClientSocket *s) { s->emitVolatile(event, args); }))
        return *done;
    return d->doEmit(event, args, -1, true);
}

void ClientSocket::on(const QString &event, QObject *context, EventHandler handler)
{
    d->handlers.append({ event, context ? context : this, std::move(handler) });
}

void ClientSocket::onRequest(const QString &event, QObject *context, ReplyHandler handler)
{
    on(event, context, [handler = std::move(handler)](const QVariantList &args, const ClientAck &ack) {
        const QVariantList reply = handler(args);
        if (ack.isRequested())
            ack.send(reply);
    });
}

void ClientSocket::off(const QString &event)
{
    d->handlers.removeIf([&event](const ClientSocketPrivate::Handler &h) { return h.event == event; });
}

void ClientSocket::onAny(QObject *context, AnyHandler handler)
{
    d->anyHandlers.append({ context ? context : this, std::move(handler) });
}

void ClientSocket::onAnyOutgoing(QObject *context, AnyHandler handler)
{
    d->anyOutgoing.append({ context ? context : this, std::move(handler) });
}

void ClientSocket::sendAck(qint64 ackId, const QVariantList &args)
{
    if (ackId < 0 || !d->connected)
        return;
    d->md()->sendEncoded(Arguments::encodeAck(d->nsp, ackId, args, d->md()->format));
}

} // namespace SocketIo
