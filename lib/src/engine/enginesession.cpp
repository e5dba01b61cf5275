// SPDX-License-Identifier: MIT
#include "engineserver_p.h"
#include "enginesession_p.h"
#include "logging_p.h"
#include "transport/pollingtransport.h"
#include "transport/websockettransport.h"

#include <QDateTime>
#include <QWebSocket>

namespace SocketIo {

using namespace Protocol;
using Type = EnginePacket::Type;

EngineSession::EngineSession(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<EngineSessionPrivate>(this))
{ }

EngineSession::~EngineSession() = default;

QString EngineSession::id() const
{
    return d->id;
}

int EngineSession::protocolVersion() const
{
    return d->protocol;
}

Transport EngineSession::transport() const
{
    return d->transportType;
}

bool EngineSession::isUpgraded() const
{
    return d->upgraded;
}

EngineSession::State EngineSession::state() const
{
    return d->state;
}

const HttpRequest &EngineSession::handshake() const
{
    return d->handshake;
}

QHostAddress EngineSession::remoteAddress() const
{
    return d->handshake.remoteAddress;
}

bool EngineSession::isWritable() const
{
    return d->state == State::Open && d->transport && d->transport->isWritable() && !d->upgrading
        && !d->overflowed && d->bufferedBytes() <= d->volatileThreshold();
}

qint64 EngineSession::bytesToWrite() const
{
    return d->bufferedBytes();
}

qint64 EngineSession::droppedVolatileCount() const
{
    return d->droppedVolatile;
}

bool EngineSession::sendVolatileText(const QByteArray &utf8)
{
    if (!isWritable() && d->state == State::Open)
        d->catchUp(); // may close the session (a write error)
    if (!isWritable()) {
        if (d->state == State::Open)
            ++d->droppedVolatile;
        return false;
    }
    sendText(utf8);
    return true;
}

bool EngineSession::sendVolatileBinary(const QByteArray &data)
{
    if (!isWritable() && d->state == State::Open)
        d->catchUp();
    if (!isWritable()) {
        if (d->state == State::Open)
            ++d->droppedVolatile;
        return false;
    }
    sendBinary(data);
    return true;
}

void EngineSession::sendText(const QByteArray &utf8)
{
    d->sendPacket(EnginePacket::message(utf8));
}

void EngineSession::sendBinary(const QByteArray &data)
{
    d->sendPacket(EnginePacket::binaryMessage(data));
}

void EngineSession::close()
{
    d->closeGracefully();
}

// ---------------------------------------------------------------------------------------------

EngineSessionPrivate::EngineSessionPrivate(EngineSession *q)
    : q(q)
{ }

EngineSessionPrivate::~EngineSessionPrivate()
{
    for (SessionTimers::Timer *timer : { &heartbeatTimer, &upgradeTimeoutTimer, &closeTimer })
        stopTimer(*timer);
}

void EngineSessionPrivate::startTimer(SessionTimers::Timer &timer, std::chrono::milliseconds interval,
                                      TimerKind kind)
{
    if (server)
        server->timers.start(timer, interval, this, kind);
}

void EngineSessionPrivate::stopTimer(SessionTimers::Timer &timer)
{
    if (server) // gone with the server otherwise (see ~EngineServerPrivate)
        server->timers.stop(timer);
}

void EngineSessionPrivate::timerExpired(int kind)
{
    switch (TimerKind(kind)) {
    case PingInterval:
        sendPacket(EnginePacket::text(Type::Ping));
        startTimer(heartbeatTimer, options->pingTimeout, PingTimeout);
        break;
    case PingTimeout: {
        const auto ms = protocol == 3 ? options->pingInterval + options->pingTimeout : options->pingTimeout;
        onClose(CloseReason::PingTimeout, QStringLiteral("no heartbeat within %1 ms").arg(ms.count()));
        break;
    }
    case UpgradeTimeout:
        abortUpgrade(QStringLiteral("upgrade timeout"));
        break;
    case CloseTimeout:
        onClose(CloseReason::ForcedClose, QStringLiteral("close timeout"));
        break;
    }
}

void EngineSessionPrivate::open(EngineServerPrivate *server_, std::shared_ptr<const EngineOptions> options_,
                                QString id_, int protocol_, HttpRequest handshake_,
                                EngineTransport *transport_)
{
    server = server_;
    options = std::move(options_);
    id = std::move(id_);
    protocol = protocol_;
    handshake = std::move(handshake_);
    // Kept for the session's lifetime: no growth slack (the parser's list grew header by header).
    handshake.headers.squeeze();
    transport = transport_;
    transportType = transport->type();
    transport->setParent(q);
    state = EngineSession::State::Open;

    const bool offerUpgrade = transport->type() == Transport::Polling && options->allowUpgrades
        && options->transports.testFlag(Transport::WebSocket);
    QByteArray json = QByteArrayLiteral("{\"sid\":\"") + id.toLatin1() + QByteArrayLiteral("\",\"upgrades\":")
        + (offerUpgrade ? QByteArrayLiteral("[\"websocket\"]") : QByteArrayLiteral("[]"))
        + QByteArrayLiteral(",\"pingInterval\":") + QByteArray::number(qint64(options->pingInterval.count()))
        + QByteArrayLiteral(",\"pingTimeout\":") + QByteArray::number(qint64(options->pingTimeout.count()))
        + QByteArrayLiteral(",\"maxPayload\":") + QByteArray::number(options->maxHttpBufferSize) + '}';
    sendPacket(EnginePacket::text(Type::Open, std::move(json)));
    if (protocol == 3)
        resetPingTimeout(); // v3: the client pings
    else
        schedulePing();
}

PollingTransport *EngineSessionPrivate::pollingTransport() const
{
    return transport && transport->type() == Transport::Polling ? static_cast<PollingTransport *>(transport)
                                                                : nullptr;
}

bool EngineSessionPrivate::canUpgrade() const
{
    return state == EngineSession::State::Open && !upgrading && !upgraded && !upgradeTransport
        && transport->type() == Transport::Polling && options->allowUpgrades
        && options->transports.testFlag(Transport::WebSocket);
}

void EngineSessionPrivate::schedulePing()
{
    startTimer(heartbeatTimer, options->pingInterval, PingInterval);
}

void EngineSessionPrivate::resetPingTimeout()
{
    startTimer(heartbeatTimer,
               protocol == 3 ? options->pingInterval + options->pingTimeout : options->pingTimeout,
               PingTimeout);
}

namespace {
qint64 packetSize(const EnginePacket &packet)
{
    return packet.data.size() + (packet.binary ? 0 : 1);
}
} // namespace

qint64 EngineSessionPrivate::volatileThreshold() const
{
    return options->maxSendBufferSize > 0 ? options->maxSendBufferSize / 4 : 256 * 1024;
}

void EngineSessionPrivate::catchUp()
{
    if (!transport || transport->bufferedBytes() == flushedAt)
        return;
    transport->flush();
    if (transport) // a write error closes the session from inside flush()
        flushedAt = transport->bufferedBytes();
}

bool EngineSessionPrivate::admit(const EnginePacket &packet)
{
    const qint64 limit = options->maxSendBufferSize;
    if (limit <= 0)
        return true;
    const qint64 size = packetSize(packet);
    qint64 buffered = bufferedBytes();
    if (buffered == 0 || buffered + size <= limit)
        return true;
    // A burst written in one event-loop turn has not reached the network yet: let it go now,
    // so only what the client really does not take counts. A write error closes the session
    // from inside flush() (the transport is gone then).
    catchUp();
    if (state != EngineSession::State::Open)
        return false;
    buffered = bufferedBytes();
    if (buffered == 0 || buffered + size <= limit)
        return true;
    overflowed = true;
    state = EngineSession::State::Closing; // nothing more is sent or received
    stopTimer(heartbeatTimer);
    overflowDescription = QStringLiteral("%1 bytes waiting for the client, limit %2 (maxSendBufferSize)")
                              .arg(buffered)
                              .arg(limit);
    qCInfo(lcEngine).noquote() << "session" << id << "closing: send buffer full:" << overflowDescription;
    // Not from inside the write: the caller (an emit, a broadcast loop) sees no disconnect
    // signals under its feet.
    QMetaObject::invokeMethod(
        q, [this] { onClose(CloseReason::SendBufferFull, overflowDescription); }, Qt::QueuedConnection);
    return false;
}

void EngineSessionPrivate::sendPacket(EnginePacket packet)
{
    if (state != EngineSession::State::Open || overflowed || !admit(packet))
        return;
    // WebSocket writes are buffered by the socket anyway; polling batches the packets of one
    // event-loop turn into one response.
    if (transportType == Transport::WebSocket && !upgrading) {
        if (writeBuffer.isEmpty() && transport->isWritable()) { // the hot path: no list
            transport->send(packet);
            return;
        }
        writeBufferBytes += packetSize(packet);
        writeBuffer.append(std::move(packet));
        flush();
        return;
    }
    writeBufferBytes += packetSize(packet);
    writeBuffer.append(std::move(packet));
    scheduleFlush();
}

void EngineSessionPrivate::scheduleFlush()
{
    if (flushScheduled)
        return;
    flushScheduled = true;
    QMetaObject::invokeMethod(
        q,
        [this] {
            flushScheduled = false;
            flush();
        },
        Qt::QueuedConnection);
}

void EngineSessionPrivate::flush()
{
    if (state == EngineSession::State::Closed || writeBuffer.isEmpty() || !transport->isWritable())
        return;
    const QList<EnginePacket> packets = std::exchange(writeBuffer, {});
    writeBufferBytes = 0;
    ++flushes;
    transport->send(packets);
}

void EngineSessionPrivate::checkSendProgress(qint64 nowMs, qint64 timeoutMs)
{
    if (state != EngineSession::State::Open || !transport || upgrading || overflowed
        || bufferedBytes() == 0) {
        stalledSinceMs = -1;
        return;
    }
    const qint64 progress = flushes + transport->writtenBytes();
    if (stalledSinceMs < 0 || progress != progressMark) {
        progressMark = progress;
        stalledSinceMs = nowMs;
        return;
    }
    if (nowMs - stalledSinceMs < timeoutMs)
        return;
    const QString description =
        QStringLiteral("%1 bytes waiting for the client, none taken for %2 ms (sendTimeout)")
            .arg(bufferedBytes())
            .arg(nowMs - stalledSinceMs);
    qCInfo(lcEngine).noquote() << "session" << id << "closing: send timeout:" << description;
    onClose(CloseReason::SendTimeout, description);
}

void EngineSessionPrivate::closeGracefully()
{
    if (state != EngineSession::State::Open)
        return;
    stopTimer(heartbeatTimer);
    if (upgradeTransport)
        abortUpgrade(QStringLiteral("session closing"));
    if (transport->type() == Transport::WebSocket) {
        flush();
        state = EngineSession::State::Closing;
        onClose(CloseReason::ForcedClose, {});
        return;
    }
    // Polling (engine.io Socket.close: wait for "drain"): what is queued goes out first, and the
    // close packet in a response of its own. socket.io-client handles decoded packets on the next
    // tick but a close packet at once, so a close in the same payload would overtake a DISCONNECT.
    state = EngineSession::State::Closing;
    startTimer(closeTimer, options->pingInterval + options->pingTimeout, CloseTimeout);
    if (transport->isWritable())
        transportWritable(transport);
}

void EngineSessionPrivate::onClose(CloseReason reason, const QString &description)
{
    if (state == EngineSession::State::Closed)
        return;
    if (overflowed && reason != CloseReason::SendBufferFull) {
        // The transport went first (the client gave up, too): the cause stays the same.
        onClose(CloseReason::SendBufferFull, overflowDescription);
        return;
    }
    state = EngineSession::State::Closed;
    for (SessionTimers::Timer *timer : { &heartbeatTimer, &upgradeTimeoutTimer, &closeTimer })
        stopTimer(*timer);
    if (reason == CloseReason::SendBufferFull || reason == CloseReason::SendTimeout)
        droppedAtClose = bufferedBytes();
    writeBuffer.clear();
    writeBufferBytes = 0;
    if (upgradeTransport)
        std::exchange(upgradeTransport, nullptr)->close();
    if (reason == CloseReason::SendBufferFull || reason == CloseReason::SendTimeout)
        std::exchange(transport, nullptr)->abort(); // what waits would never be read
    else
        std::exchange(transport, nullptr)->close();
    qCDebug(lcEngine).noquote() << "session" << id << "closed:" << closeReasonString(reason) << description;
    Q_EMIT q->closed(reason, description);
    server->sessionClosed(q, reason, description);
}

void EngineSessionPrivate::observe(EngineTransport *via, const EnginePacket &packet, bool outgoing,
                                   qint64 size)
{
    if (!server || !server->isObserving())
        return;
    TrafficEvent event;
    event.timestampMs = QDateTime::currentMSecsSinceEpoch();
    event.sessionId = id;
    event.transport = via->type();
    event.direction = outgoing ? TrafficEvent::Direction::Outgoing : TrafficEvent::Direction::Incoming;
    event.type = EnginePacketType(packet.type);
    event.binary = packet.binary;
    event.size = size;
    event.data = packet.data;
    server->notifyTraffic(event);
}

// --- EngineTransport::Listener ---------------------------------------------------------------------

void EngineSessionPrivate::transportPacket(EngineTransport *from, EnginePacket packet)
{
    if (from == upgradeTransport) {
        observe(from, packet, false, 1 + packet.data.size());
        onUpgradePacket(std::move(packet));
        return;
    }
    if (from != transport || state != EngineSession::State::Open)
        return; // engine.io ignores packets once the session is closing
    observe(from, packet, false, (packet.binary ? 0 : 1) + packet.data.size());

    switch (packet.type) {
    case Type::Pong:
        if (protocol == 3) {
            onClose(CloseReason::TransportError, QStringLiteral("invalid heartbeat direction"));
            return;
        }
        schedulePing(); // replaces the ping timeout
        Q_EMIT q->heartbeat();
        break;
    case Type::Ping:
        if (protocol != 3) {
            onClose(CloseReason::TransportError, QStringLiteral("invalid heartbeat direction"));
            return;
        }
        resetPingTimeout();
        sendPacket(EnginePacket::text(Type::Pong, packet.data));
        Q_EMIT q->heartbeat();
        break;
    case Type::Message:
        if (packet.binary)
            Q_EMIT q->binaryMessageReceived(packet.data);
        else
            Q_EMIT q->textMessageReceived(packet.data);
        break;
    case Type::Close:
        onClose(CloseReason::TransportClose, QStringLiteral("client sent close"));
        break;
    case Type::Open:
    case Type::Upgrade:
    case Type::Noop:
        break;
    }
}

void EngineSessionPrivate::transportWritable(EngineTransport *from)
{
    if (from != transport)
        return;
    if (!writeBuffer.isEmpty()) {
        flush();
    } else if (state == EngineSession::State::Closing) {
        transport->send({ EnginePacket::text(Type::Close) });
    } else if (upgrading) {
        // A GET during the upgrade returns at once so the client can pause polling.
        transport->send({ EnginePacket::text(Type::Noop) });
    }
}

void EngineSessionPrivate::transportParseError(EngineTransport *from, const QString &description)
{
    if (from == upgradeTransport) {
        abortUpgrade(description);
        return;
    }
    if (from == transport) {
        qCInfo(lcEngine).noquote() << "session" << id << "parse error:" << description;
        onClose(CloseReason::ParseError, description);
    }
}

void EngineSessionPrivate::transportError(EngineTransport *from, const QString &description)
{
    if (from == upgradeTransport) {
        abortUpgrade(description);
        return;
    }
    if (from == transport) {
        qCInfo(lcEngine).noquote() << "session" << id << "transport error:" << description;
        onClose(CloseReason::TransportError, description);
    }
}

void EngineSessionPrivate::transportClosed(EngineTransport *from, const QString &description)
{
    if (from == upgradeTransport) {
        abortUpgrade(description.isEmpty() ? QStringLiteral("probe closed") : description);
        return;
    }
    if (from != transport)
        return;
    if (state == EngineSession::State::Closing)
        onClose(CloseReason::ForcedClose, description);
    else
        onClose(CloseReason::TransportClose, description);
}

void EngineSessionPrivate::transportSent(EngineTransport *via, const EnginePacket &packet, qint64 encodedSize)
{
    observe(via, packet, true, encodedSize);
    if (packet.type == Type::Close && state == EngineSession::State::Closing && via == transport)
        onClose(CloseReason::ForcedClose, {});
}

// --- Upgrade (engine.io Socket.maybeUpgrade) ------------------------------------------------------

void EngineSessionPrivate::beginUpgrade(QWebSocket *socket)
{
    upgradeTransport = new WebSocketTransport(socket, protocol, options->maxHttpBufferSize, this, q);
    startTimer(upgradeTimeoutTimer, options->upgradeTimeout, UpgradeTimeout);
    qCDebug(lcEngine).noquote() << "session" << id << "probing websocket";
}

void EngineSessionPrivate::onUpgradePacket(EnginePacket packet)
{
    EngineTransport *probe = upgradeTransport;
    if (packet.type == Type::Ping && packet.data == "probe") {
        probe->send({ EnginePacket::text(Type::Pong, QByteArrayLiteral("probe")) });
        if (!upgrading) {
            upgrading = true;
            Q_EMIT q->upgrading(Transport::WebSocket);
        }
        // Let a parked GET return so the client can pause polling.
        if (upgradeTransport == probe && transport->isWritable() && writeBuffer.isEmpty())
            transport->send({ EnginePacket::text(Type::Noop) });
        return;
    }
    if (packet.type == Type::Upgrade && state != EngineSession::State::Closed) {
        stopTimer(upgradeTimeoutTimer);
        EngineTransport *polling = std::exchange(transport, probe);
        transportType = transport->type();
        upgradeTransport = nullptr;
        static_cast<PollingTransport *>(polling)->discard();
        polling->setListener(nullptr);
        polling->deleteLater();
        upgrading = false;
        upgraded = true;
        qCDebug(lcEngine).noquote() << "session" << id << "upgraded to websocket";
        Q_EMIT q->upgraded(Transport::WebSocket);
        flush();
        if (state == EngineSession::State::Closing)
            onClose(CloseReason::ForcedClose, {});
        return;
    }
    abortUpgrade(QStringLiteral("unexpected packet during upgrade"));
}

void EngineSessionPrivate::abortUpgrade(const QString &why)
{
    if (!upgradeTransport)
        return;
    qCDebug(lcEngine).noquote() << "session" << id << "upgrade aborted:" << why;
    stopTimer(upgradeTimeoutTimer);
    std::exchange(upgradeTransport, nullptr)->close();
    upgrading = false;
    flush();
}

} // namespace SocketIo
