// SPDX-License-Identifier: MIT
#include "flowreplayer.h"

using namespace SocketIo;

namespace Inspector {

namespace {

QString ackKey(const TrafficRow &row)
{
    return row.sessionId + QLatin1Char('\n') + row.nsp + QLatin1Char('\n') + QString::number(row.ackId);
}

} // namespace

FlowReplayer::FlowReplayer(const FlowRecording &recording, const QUrl &url, const Options &options,
                           QObject *parent)
    : QObject(parent)
    , m_recording(recording)
    , m_url(url)
    , m_options(options)
    , m_recorder(new FlowRecorder(this))
{
    m_emits = m_recording.emits();
    for (const FlowItem &item : m_recording.received())
        ++m_expectedAtEnd[item.key()];
    m_ackReplies = m_recording.clientAckReplies();
    for (const TrafficRow &row : std::as_const(m_recording.rows)) {
        if (row.socketIoType == SocketIoPacketType::Connect
            && row.direction == TrafficEvent::Direction::Incoming) {
            m_recordedBase = row.timestampMs;
            break;
        }
    }
    if (m_recordedBase < 0)
        m_recordedBase = m_emits.isEmpty() ? 0 : m_emits.constFirst().timestampMs;

    m_quiet.setSingleShot(true);
    m_quiet.setInterval(m_options.quietPeriod);
    connect(&m_quiet, &QTimer::timeout, this, [this] {
        m_quietExpired = true;
        schedule();
    });
    m_connectTimer.setSingleShot(true);
    connect(&m_connectTimer, &QTimer::timeout, this, [this] {
        if (!m_connected)
            finish(tr("cannot connect to %1: no answer within %2 ms")
                       .arg(m_url.toString())
                       .arg(m_options.connectTimeout.count()));
    });
    m_emitTimer.setSingleShot(true);
    connect(&m_emitTimer, &QTimer::timeout, this, &FlowReplayer::schedule);
    connect(m_recorder, &FlowRecorder::rowRecorded, this, &FlowReplayer::onRow);
}

FlowReplayer::~FlowReplayer()
{
    // The manager goes before the timers would: nothing of it may call back into this.
    if (m_manager) {
        m_manager->disconnect(this);
        for (ClientSocket *socket : m_manager->findChildren<ClientSocket *>())
            socket->disconnect(this);
    }
    m_recorder->stop();
}

void FlowReplayer::start()
{
    if (m_started)
        return;
    m_started = true;
    const QStringList namespaces = m_recording.allNamespaces();
    if (namespaces.isEmpty()) {
        // Finish from the event loop, so a caller connecting finished() after start() sees it.
        QMetaObject::invokeMethod(
            this, [this] { finish(tr("the recording connects no namespace: nothing to replay")); },
            Qt::QueuedConnection);
        return;
    }
    if (!m_url.isValid() || m_url.host().isEmpty()) {
        QMetaObject::invokeMethod(
            this, [this] { finish(tr("not a server URL: %1").arg(m_url.toString())); }, Qt::QueuedConnection);
        return;
    }
    ManagerOptions managerOptions = m_options.manager;
    managerOptions.reconnection = false;
    managerOptions.timeout = m_options.connectTimeout;
    m_manager = std::make_unique<Manager>(m_url, managerOptions);
    FlowRecorder::Header header;
    header.namespaces = namespaces;
    header.auth = m_options.auth.isUndefined() ? m_recording.auth : m_options.auth;
    header.source = m_options.source;
    m_recorder->start(m_manager.get(), header);

    connect(m_manager.get(), &Manager::errorOccurred, this, [this](const QString &message) {
        if (!m_connected)
            finish(tr("cannot connect to %1: %2").arg(m_url.toString(), message));
    });
    connect(m_manager.get(), &Manager::closed, this, [this](const QString &) {
        // The server went away: what came back so far is the result.
        if (m_connected)
            finish();
    });
    for (const QString &nsp : namespaces) {
        ClientSocket *socket = m_manager->socket(nsp);
        const QJsonValue auth = m_options.auth.isUndefined() ? m_recording.authFor(nsp) : m_options.auth;
        if (auth.isObject())
            socket->setAuth(QVariant::fromValue(auth.toObject()));
        connect(socket, &ClientSocket::eventReceived, this,
                [this, socket, nsp](const QString &event, const QVariantList &, qint64 ackId) {
                    const QString key = nsp + QLatin1Char('\n') + event;
                    const int n = ++m_incomingEventCounts[key];
                    if (ackId < 0)
                        return;
                    const auto it = m_ackReplies.constFind(key + QLatin1Char('#') + QString::number(n));
                    if (it != m_ackReplies.cend())
                        socket->sendAck(ackId, *it);
                });
        socket->open();
    }
    m_connectTimer.start(m_options.connectTimeout);
}

void FlowReplayer::abort()
{
    finish();
}

void FlowReplayer::onRow(const TrafficRow &row)
{
    Q_EMIT rowObserved(row);
    if (!row.isSocketIo())
        return;
    if (row.direction == TrafficEvent::Direction::Outgoing) {
        return;
    }
    // What kind of item it is (as FlowRecording::received() numbers them).
    FlowItem item;
    item.nsp = row.nsp;
    switch (row.socketIoType) {
    case SocketIoPacketType::Connect:
        item.kind = FlowItem::Kind::Connect;
        break;
    case SocketIoPacketType::ConnectError:
        item.kind = FlowItem::Kind::ConnectError;
        break;
    case SocketIoPacketType::Disconnect:
        item.kind = FlowItem::Kind::Disconnect;
        break;
    case SocketIoPacketType::Event:
    case SocketIoPacketType::BinaryEvent:
        item.event = row.event;
        break;
    case SocketIoPacketType::Ack:
    case SocketIoPacketType::BinaryAck: {
        // The emit it answers: the replay's own outgoing rows.
        item.kind = FlowItem::Kind::AckReply;
        const QString key = ackKey(row);
        const QList<TrafficRow> &rows = m_recorder->recording().rows;
        for (auto it = rows.crbegin(); it != rows.crend(); ++it) {
            if (it->direction == TrafficEvent::Direction::Outgoing && it->kind == PacketKind::Event
                && it->ackId == row.ackId && ackKey(*it) == key) {
                item.event = it->event;
                break;
            }
        }
        break;
    }
    case SocketIoPacketType::None:
        return;
    }
    ++m_receivedCounts[item.key()];
    if (item.kind == FlowItem::Kind::Connect || item.kind == FlowItem::Kind::ConnectError) {
        if (!m_connected) {
            m_connected = true;
            m_connectTimer.stop();
            m_clock.start();
        }
    }
    m_quietExpired = false;
    m_quiet.start();
    QMetaObject::invokeMethod(this, &FlowReplayer::schedule, Qt::QueuedConnection);
}

bool FlowReplayer::expectationsMet(const QHash<QString, int> &expected) const
{
    for (auto it = expected.cbegin(); it != expected.cend(); ++it) {
        if (m_receivedCounts.value(it.key()) < it.value())
            return false;
    }
    return true;
}

void FlowReplayer::schedule()
{
    if (m_finished || !m_connected)
        return;
    while (m_next < m_emits.size()) {
        const FlowRecording::Emit &e = m_emits.at(m_next);
        if (m_options.timing == Timing::Fast) {
            if (m_waitingAck)
                return;
            if (!m_quietExpired && !expectationsMet(e.receivedBefore)) {
                if (!m_quiet.isActive())
                    m_quiet.start();
                return;
            }
        } else {
            const qint64 due = qMax<qint64>(0, e.timestampMs - m_recordedBase);
            const qint64 elapsed = m_clock.elapsed();
            if (elapsed < due) {
                m_emitTimer.start(int(due - elapsed));
                return;
            }
        }
        sendNext();
        if (m_finished)
            return;
    }
    // Everything sent: wait for what the recording got back, and for the acks.
    if (m_pendingAcks > 0)
        return;
    if (!m_quietExpired && !expectationsMet(m_expectedAtEnd)) {
        if (!m_quiet.isActive())
            m_quiet.start();
        return;
    }
    finish();
}

void FlowReplayer::sendNext()
{
    const FlowRecording::Emit &e = m_emits.at(m_next++);
    Q_EMIT progressed(m_next, int(m_emits.size()));
    m_quietExpired = false;
    m_quiet.start();
    ClientSocket *socket = m_manager->socket(e.nsp);
    if (!socket->isActive() && !socket->isConnected())
        return; // refused: nothing can be sent on it (what is missing shows in the diff)
    if (!e.ack) {
        socket->emitEvent(e.event, e.args);
        return;
    }
    ++m_pendingAcks;
    m_waitingAck = m_options.timing == Timing::Fast;
    const bool sent = socket->emitEvent(
        e.event, e.args, this,
        [this](AckStatus, const QVariantList &) {
            --m_pendingAcks;
            m_waitingAck = false;
            QMetaObject::invokeMethod(this, &FlowReplayer::schedule, Qt::QueuedConnection);
        },
        m_options.ackTimeout);
    if (!sent) {
        --m_pendingAcks;
        m_waitingAck = false;
    }
}

void FlowReplayer::finish(const QString &error)
{
    if (m_finished)
        return;
    m_finished = true;
    m_error = error;
    m_quiet.stop();
    m_connectTimer.stop();
    m_emitTimer.stop();
    m_recorder->stop();
    if (m_manager)
        m_manager->close();
    Q_EMIT finished(error.isEmpty());
}

FlowDiff FlowReplayer::diff(FlowDiff::Options options) const
{
    options.recordedIds += m_recording.ownIds();
    options.replayedIds += replayed().ownIds();
    return FlowDiff::compare(m_recording.received(), replayed().received(), options);
}

} // namespace Inspector
