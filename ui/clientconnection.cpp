// SPDX-License-Identifier: MIT
#include "clientconnection.h"

#include "flowrecorder.h"

#include <SocketIo/json.h>

#include <QCborMap>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSettings>
#include <QUrlQuery>

using namespace SocketIo;

namespace Inspector {

namespace {

QString normalizedNamespace(QString nsp)
{
    nsp = nsp.trimmed();
    if (nsp.isEmpty())
        return QStringLiteral("/");
    if (!nsp.startsWith(QLatin1Char('/')))
        nsp.prepend(QLatin1Char('/'));
    return nsp;
}

QString normalizedPath(QString path)
{
    path = path.trimmed();
    if (path.isEmpty())
        return QStringLiteral("/socket.io/");
    if (!path.startsWith(QLatin1Char('/')))
        path.prepend(QLatin1Char('/'));
    if (!path.endsWith(QLatin1Char('/')))
        path.append(QLatin1Char('/'));
    return path;
}

bool isObjectJson(const QString &text)
{
    const auto value = parseClientJson(text);
    return value && value->metaType() == QMetaType::fromType<QCborMap>();
}

} // namespace

// --- JSON helpers ------------------------------------------------------------------------------

std::optional<QVariant> parseClientJson(const QString &text)
{
    bool ok = false;
    QVariant value = parseJsonArgument(text.trimmed().toUtf8(), &ok);
    if (!ok)
        return std::nullopt;
    if (value.metaType() == QMetaType::fromType<QCborMap>()) {
        const QCborMap map = value.value<QCborMap>();
        if (map.size() == 1 && map.contains(QStringLiteral("$binary"))) {
            const QByteArray base64 = map.value(QStringLiteral("$binary")).toString().toLatin1();
            const auto decoded =
                QByteArray::fromBase64Encoding(base64, QByteArray::AbortOnBase64DecodingErrors);
            if (!decoded)
                return std::nullopt;
            return QVariant(*decoded);
        }
    }
    return value;
}

std::optional<QVariantList> parseClientReply(const QString &text)
{
    if (text.trimmed().isEmpty())
        return QVariantList();
    const auto value = parseClientJson(text);
    if (!value)
        return std::nullopt;
    if (value->metaType() == QMetaType::fromType<QVariantList>())
        return value->toList();
    return QVariantList{ *value };
}

// --- ClientConnectionOptions -------------------------------------------------------------------

ManagerOptions ClientConnectionOptions::managerOptions() const
{
    ManagerOptions o;
    o.path = normalizedPath(path);
    o.transports = transports;
    o.query = QUrlQuery(query);
    o.extraHeaders = headers;
    o.reconnection = reconnection;
    o.reconnectionAttempts = reconnectionAttempts;
    o.reconnectionDelay = std::chrono::milliseconds(qMax(0, reconnectionDelayMs));
    o.reconnectionDelayMax = std::chrono::milliseconds(qMax(reconnectionDelayMs, reconnectionDelayMaxMs));
    o.timeout = std::chrono::milliseconds(qMax(1, timeoutMs));
    o.engineIoProtocol = eio3 ? 3 : 4;
    o.caFile = caFile;
    return o;
}

QVariantMap ClientConnectionOptions::toVariant() const
{
    QVariantList nsps;
    for (const ClientNamespaceOptions &n : namespaces)
        nsps.append(QVariantMap{ { QStringLiteral("nsp"), n.nsp }, { QStringLiteral("auth"), n.auth } });
    QStringList headerLines;
    for (const auto &[name, value] : headers)
        headerLines.append(QString::fromUtf8(name + ": " + value));
    QVariantMap replies;
    for (auto it = ackReplies.cbegin(); it != ackReplies.cend(); ++it)
        replies.insert(it.key(), it.value());
    return {
        { QStringLiteral("name"), name },
        { QStringLiteral("url"), url.toString() },
        { QStringLiteral("path"), path },
        { QStringLiteral("namespaces"), nsps },
        { QStringLiteral("headers"), headerLines },
        { QStringLiteral("query"), query },
        { QStringLiteral("transports"), transportsText(transports) },
        { QStringLiteral("eio3"), eio3 },
        { QStringLiteral("caFile"), caFile },
        { QStringLiteral("reconnection"), reconnection },
        { QStringLiteral("reconnectionAttempts"), reconnectionAttempts },
        { QStringLiteral("reconnectionDelayMs"), reconnectionDelayMs },
        { QStringLiteral("reconnectionDelayMaxMs"), reconnectionDelayMaxMs },
        { QStringLiteral("timeoutMs"), timeoutMs },
        { QStringLiteral("pinned"), pinned },
        { QStringLiteral("onlyPinned"), onlyPinned },
        { QStringLiteral("ackReplies"), replies },
    };
}

ClientConnectionOptions ClientConnectionOptions::fromVariant(const QVariantMap &map)
{
    ClientConnectionOptions o;
    o.name = map.value(QStringLiteral("name")).toString();
    o.url = QUrl(map.value(QStringLiteral("url")).toString());
    o.path = map.value(QStringLiteral("path"), o.path).toString();
    const QVariantList nsps = map.value(QStringLiteral("namespaces")).toList();
    for (const QVariant &v : nsps) {
        const QVariantMap n = v.toMap();
        o.namespaces.append({ normalizedNamespace(n.value(QStringLiteral("nsp")).toString()),
                              n.value(QStringLiteral("auth")).toString() });
    }
    const QStringList headerLines = map.value(QStringLiteral("headers")).toStringList();
    for (const QString &line : headerLines) {
        QPair<QByteArray, QByteArray> header;
        if (parseHeader(line, &header))
            o.headers.append(header);
    }
    o.query = map.value(QStringLiteral("query")).toString();
    o.transports = parseTransports(map.value(QStringLiteral("transports")).toString()).value_or(o.transports);
    o.eio3 = map.value(QStringLiteral("eio3")).toBool();
    o.caFile = map.value(QStringLiteral("caFile")).toString();
    o.reconnection = map.value(QStringLiteral("reconnection"), true).toBool();
    o.reconnectionAttempts = map.value(QStringLiteral("reconnectionAttempts"), -1).toInt();
    o.reconnectionDelayMs = map.value(QStringLiteral("reconnectionDelayMs"), 1000).toInt();
    o.reconnectionDelayMaxMs = map.value(QStringLiteral("reconnectionDelayMaxMs"), 5000).toInt();
    o.timeoutMs = map.value(QStringLiteral("timeoutMs"), 20000).toInt();
    o.pinned = map.value(QStringLiteral("pinned")).toStringList();
    o.onlyPinned = map.value(QStringLiteral("onlyPinned")).toBool();
    const QVariantMap replies = map.value(QStringLiteral("ackReplies")).toMap();
    for (auto it = replies.cbegin(); it != replies.cend(); ++it)
        o.ackReplies.insert(it.key(), it.value().toString());
    return o;
}

QString ClientConnectionOptions::validate() const
{
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || url.host().isEmpty()
        || (scheme != QLatin1String("http") && scheme != QLatin1String("https")
            && scheme != QLatin1String("ws") && scheme != QLatin1String("wss")))
        return tr(
            "The URL must be http://, https://, ws:// or wss:// with a host, e.g. http://localhost:3000");
    for (const ClientNamespaceOptions &n : namespaces) {
        if (!n.auth.trimmed().isEmpty() && !isObjectJson(n.auth))
            return tr("The auth of %1 is not a JSON object.").arg(n.nsp);
    }
    if (!caFile.isEmpty() && !QFileInfo(caFile).isReadable())
        return tr("Cannot read the CA file %1.").arg(caFile);
    if (!transports)
        return tr("Choose at least one transport.");
    for (auto it = ackReplies.cbegin(); it != ackReplies.cend(); ++it) {
        if (!parseClientReply(it.value()))
            return tr("The ack reply of %1 is not valid JSON.").arg(it.key());
    }
    return {};
}

bool ClientConnectionOptions::parseHeader(const QString &text, QPair<QByteArray, QByteArray> *header)
{
    const qsizetype colon = text.indexOf(QLatin1Char(':'));
    if (colon <= 0)
        return false;
    const QByteArray name = text.left(colon).trimmed().toUtf8();
    if (name.isEmpty() || name.contains(' '))
        return false;
    *header = { name, text.mid(colon + 1).trimmed().toUtf8() };
    return true;
}

std::optional<Transports> ClientConnectionOptions::parseTransports(const QString &text)
{
    const QString t = text.trimmed().toLower();
    if (t == QLatin1String("both"))
        return Transport::Polling | Transport::WebSocket;
    Transports result;
    const QStringList parts = t.split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString &part : parts) {
        if (part.trimmed() == QLatin1String("polling"))
            result |= Transport::Polling;
        else if (part.trimmed() == QLatin1String("websocket"))
            result |= Transport::WebSocket;
        else
            return std::nullopt;
    }
    if (!result)
        return std::nullopt;
    return result;
}

QString ClientConnectionOptions::transportsText(Transports transports)
{
    QStringList names;
    if (transports.testFlag(Transport::Polling))
        names.append(QStringLiteral("polling"));
    if (transports.testFlag(Transport::WebSocket))
        names.append(QStringLiteral("websocket"));
    return names.join(QLatin1Char(','));
}

QString ClientConnectionOptions::namespaceOfUrl(const QUrl &url)
{
    QString path = url.path();
    while (path.size() > 1 && path.endsWith(QLatin1Char('/')))
        path.chop(1);
    return normalizedNamespace(path);
}

QUrl ClientConnectionOptions::originOf(const QUrl &url)
{
    QUrl origin = url.adjusted(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment);
    return origin;
}

// --- ClientConnection --------------------------------------------------------------------------

ClientConnection::ClientConnection(const ClientConnectionOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
{
    m_options.path = normalizedPath(m_options.path);
    if (m_options.namespaces.isEmpty())
        m_options.namespaces.append(ClientNamespaceOptions{});
    for (ClientNamespaceOptions &n : m_options.namespaces)
        n.nsp = normalizedNamespace(n.nsp);
    m_manager =
        new Manager(ClientConnectionOptions::originOf(m_options.url), m_options.managerOptions(), this);
    connect(m_manager, &Manager::trafficObserved, this, &ClientConnection::onTraffic);
    connect(m_manager, &Manager::opened, this, [this] {
        m_lost = false;
        m_gaveUp = false;
        m_attempt = 0;
        m_lastError.clear();
        note(tr("connected (sid %1, %2)").arg(m_manager->engineId(), transportName(m_manager->transport())));
        updateState();
    });
    connect(m_manager, &Manager::closed, this, [this](const QString &reason) {
        m_lost = m_started && m_options.reconnection;
        m_probeSent = m_pingSent = -1;
        note(tr("disconnected (%1)").arg(reason));
        updateState();
    });
    connect(m_manager, &Manager::errorOccurred, this, [this](const QString &message) {
        m_lastError = message;
        note(tr("connect_error: %1").arg(message));
        m_lost = m_started && m_options.reconnection;
        if (m_started && !m_options.reconnection) {
            m_gaveUp = true;
            updateState();
            Q_EMIT gaveUp();
            return;
        }
        updateState();
    });
    connect(m_manager, &Manager::reconnectAttempted, this, [this](int attempt) {
        m_attempt = attempt;
        note(tr("reconnecting (attempt %1)").arg(attempt));
        updateState();
    });
    connect(m_manager, &Manager::reconnected, this,
            [this](int attempt) { note(tr("reconnected after %n attempt(s)", nullptr, attempt)); });
    connect(m_manager, &Manager::reconnectFailed, this, [this] {
        m_gaveUp = true;
        note(tr("reconnection failed: giving up after %n attempt(s)", nullptr, m_attempt));
        updateState();
        Q_EMIT gaveUp();
    });
    connect(m_manager, &Manager::transportUpgraded, this, [this](Transport transport) {
        note(tr("upgraded to %1").arg(transportName(transport)));
        Q_EMIT changed();
    });
    for (const ClientNamespaceOptions &n : std::as_const(m_options.namespaces))
        addSocket(n.nsp, n.auth);
    for (const QString &event : std::as_const(m_options.pinned))
        m_pinned.insert(event, PinnedValue{ event, {}, {}, 0, 0 });
}

ClientConnection::~ClientConnection()
{
    // Quietly: nothing observes a connection that is going away.
    blockSignals(true);
    stopRecording(); // the file complete before the manager goes
    m_manager->disconnect(this);
    delete m_manager;
}

ClientConnectionOptions ClientConnection::options() const
{
    return m_options;
}

QString ClientConnection::stateText() const
{
    switch (m_state) {
    case State::Disconnected:
        return m_gaveUp ? tr("disconnected (gave up)") : tr("disconnected");
    case State::Connecting:
        return tr("connecting");
    case State::Connected:
        return tr("connected");
    case State::Reconnecting:
        return m_attempt > 0 ? tr("reconnecting (attempt %1)").arg(m_attempt) : tr("reconnecting");
    }
    return {};
}

Transport ClientConnection::transport() const
{
    return m_manager->transport();
}

QString ClientConnection::engineId() const
{
    return m_manager->engineId();
}

QStringList ClientConnection::namespaces() const
{
    return m_order;
}

ClientConnection::NamespaceInfo ClientConnection::namespaceInfo(const QString &nsp) const
{
    NamespaceInfo info = m_info.value(normalizedNamespace(nsp));
    if (ClientSocket *s = socket(nsp)) {
        info.socketId = s->id();
        info.connected = s->isConnected();
        info.active = s->isActive();
    }
    return info;
}

ClientSocket *ClientConnection::socket(const QString &nsp) const
{
    const QString name = normalizedNamespace(nsp);
    return m_order.contains(name) ? m_manager->socket(name) : nullptr;
}

QString ClientConnection::pingText() const
{
    if (m_options.eio3)
        return m_rtt >= 0 ? tr("RTT %1 ms").arg(m_rtt) : QString();
    QStringList parts;
    if (m_probeRtt >= 0)
        parts.append(tr("probe %1 ms").arg(m_probeRtt));
    if (m_lastServerPing >= 0 && m_state == State::Connected) {
        const qint64 ago = QDateTime::currentMSecsSinceEpoch() - m_lastServerPing;
        parts.append(tr("ping %1 s ago").arg(ago / 1000));
    }
    return parts.join(QStringLiteral(" \u00b7 "));
}

ClientSocket *ClientConnection::addSocket(const QString &nsp, const QString &auth)
{
    ClientSocket *s = m_manager->socket(nsp);
    const QString name = s->nsp();
    if (!m_order.contains(name)) {
        m_order.append(name);
        m_info.insert(name, NamespaceInfo{ name, {}, false, false, {}, {} });
        connect(s, &ClientSocket::connected, this, [this, s, name] {
            m_info[name].lastError.clear();
            note(tr("%1 connected as %2").arg(name, s->id()));
            Q_EMIT changed();
        });
        connect(s, &ClientSocket::disconnected, this, [this, name](const QString &reason) {
            m_info[name].lastReason = reason;
            note(tr("%1 disconnected (%2)").arg(name, reason));
            Q_EMIT changed();
        });
        connect(s, &ClientSocket::connectErrorOccurred, this,
                [this, name](const QString &message, const QVariant &data) {
                    m_info[name].lastError = message;
                    // Engine-level failures are told once by the connection.
                    if (m_manager->state() == Manager::State::Open) {
                        QString text = tr("%1 connect_error: %2").arg(name, message);
                        if (data.isValid() && !data.isNull())
                            text += QLatin1Char(' ') + QString::fromUtf8(toJson(data));
                        note(text);
                    }
                    Q_EMIT changed();
                });
        connect(s, &ClientSocket::eventReceived, this,
                [this, name](const QString &event, const QVariantList &args, qint64 ackId) {
                    onEvent(name, event, args, ackId);
                });
    }
    if (!auth.trimmed().isEmpty()) {
        if (const auto value = parseClientJson(auth))
            s->setAuth(*value);
    }
    return s;
}

void ClientConnection::open()
{
    m_started = true;
    m_gaveUp = false;
    for (const QString &nsp : std::as_const(m_order))
        m_manager->socket(nsp)->open();
    updateState();
}

bool ClientConnection::connectNamespace(const QString &nsp, const QString &auth)
{
    const QString name = normalizedNamespace(nsp);
    if (!auth.trimmed().isEmpty() && !isObjectJson(auth)) {
        m_lastError = tr("The auth of %1 is not a JSON object.").arg(name);
        return false;
    }
    const bool known = m_order.contains(name);
    ClientSocket *s = addSocket(name, auth);
    bool listed = false;
    for (ClientNamespaceOptions &n : m_options.namespaces) {
        if (n.nsp == name) {
            listed = true;
            if (!auth.trimmed().isEmpty())
                n.auth = auth;
        }
    }
    if (!listed)
        m_options.namespaces.append({ name, auth });
    m_started = true;
    m_gaveUp = false;
    s->open();
    if (!known)
        Q_EMIT namespacesChanged();
    updateState();
    return true;
}

void ClientConnection::disconnectNamespace(const QString &nsp)
{
    if (ClientSocket *s = socket(nsp))
        s->close();
    if (m_manager->state() == Manager::State::Closed)
        m_started = false;
    updateState();
}

void ClientConnection::reconnect()
{
    m_started = false;
    m_manager->close();
    m_probeRtt = m_rtt = -1;
    open();
}

void ClientConnection::disconnectFromServer()
{
    m_started = false;
    m_lost = false;
    m_manager->close();
    updateState();
}

bool ClientConnection::emitEvent(const QString &nsp, const QString &event, const QVariantList &args)
{
    ClientSocket *s = socket(nsp);
    if (!s || !s->emitEvent(event, args))
        return false;
    addEvent({ QDateTime::currentMSecsSinceEpoch(), s->nsp(), event, args, true, -1, {} });
    return true;
}

bool ClientConnection::emitEvent(const QString &nsp, const QString &event, const QVariantList &args,
                                 QObject *context, AckCallback callback, std::chrono::milliseconds timeout)
{
    ClientSocket *s = socket(nsp);
    if (!s || !s->emitEvent(event, args, context, std::move(callback), timeout))
        return false;
    addEvent({ QDateTime::currentMSecsSinceEpoch(), s->nsp(), event, args, true, -1, {} });
    return true;
}

void ClientConnection::pinEvent(const QString &event)
{
    if (event.isEmpty() || m_options.pinned.contains(event))
        return;
    m_options.pinned.append(event);
    PinnedValue value{ event, {}, {}, 0, 0 };
    // The latest arrival already in the list counts.
    for (auto it = m_events.crbegin(); it != m_events.crend(); ++it) {
        if (!it->outgoing && it->event == event) {
            value = PinnedValue{ event, it->nsp, it->args, it->timestampMs, 1 };
            break;
        }
    }
    m_pinned.insert(event, value);
    Q_EMIT pinnedChanged();
    if (m_options.onlyPinned)
        Q_EMIT eventsChanged();
}

void ClientConnection::unpinEvent(const QString &event)
{
    if (!m_options.pinned.removeAll(event))
        return;
    m_pinned.remove(event);
    Q_EMIT pinnedChanged();
    if (m_options.onlyPinned)
        Q_EMIT eventsChanged();
}

std::optional<ClientConnection::PinnedValue> ClientConnection::pinnedValue(const QString &event) const
{
    const auto it = m_pinned.constFind(event);
    if (it == m_pinned.cend() || it->count == 0)
        return std::nullopt;
    return *it;
}

void ClientConnection::setOnlyPinned(bool on)
{
    if (m_options.onlyPinned == on)
        return;
    m_options.onlyPinned = on;
    Q_EMIT eventsChanged();
}

QList<ClientConnection::EventEntry> ClientConnection::events() const
{
    QList<EventEntry> list;
    for (const EventEntry &e : m_events) {
        if (!m_options.onlyPinned || m_options.pinned.contains(e.event))
            list.append(e);
    }
    return list;
}

bool ClientConnection::startRecording(const QString &fileName)
{
    stopRecording();
    FlowRecorderHeader header;
    header.namespaces = namespaces();
    header.source = name();
    const QList<ClientNamespaceOptions> &nsps = m_options.namespaces;
    if (!nsps.isEmpty() && !nsps.constFirst().auth.trimmed().isEmpty())
        header.auth = QJsonDocument::fromJson(nsps.constFirst().auth.toUtf8()).object();
    auto *recorder = new FlowRecorder(this);
    recorder->setKeepInMemory(false); // the file is the recording
    if (!recorder->start(m_manager, header, fileName)) {
        m_lastError = recorder->errorString();
        delete recorder;
        return false;
    }
    m_recorder = recorder;
    Q_EMIT recordingChanged(true);
    Q_EMIT noteAdded(tr("recording to %1").arg(QDir::toNativeSeparators(fileName)));
    return true;
}

void ClientConnection::stopRecording()
{
    if (!m_recorder)
        return;
    const QString file = m_recorder->fileName();
    m_recorder->stop();
    delete std::exchange(m_recorder, nullptr);
    Q_EMIT recordingChanged(false);
    Q_EMIT noteAdded(tr("recording to %1 stopped").arg(QDir::toNativeSeparators(file)));
}

bool ClientConnection::isRecording() const
{
    return m_recorder != nullptr;
}

QString ClientConnection::recordingFile() const
{
    return m_recorder ? m_recorder->fileName() : QString();
}

bool ClientConnection::setAckReply(const QString &event, const QString &json)
{
    if (event.isEmpty())
        return false;
    if (json.trimmed().isEmpty()) {
        if (m_options.ackReplies.remove(event))
            Q_EMIT ackRepliesChanged();
        return true;
    }
    if (!parseClientReply(json))
        return false;
    m_options.ackReplies.insert(event, json.trimmed());
    Q_EMIT ackRepliesChanged();
    return true;
}

void ClientConnection::onTraffic(const TrafficEvent &event)
{
    const bool out = event.direction == TrafficEvent::Direction::Outgoing;
    const bool probe = event.data == "probe";
    bool pingChanged = false;
    switch (event.type) {
    case EnginePacketType::Open: {
        const QJsonObject handshake = QJsonDocument::fromJson(event.data).object();
        m_pingInterval = handshake.value(QStringLiteral("pingInterval")).toInteger(-1);
        break;
    }
    case EnginePacketType::Ping:
        if (out && probe) {
            m_probeSent = event.timestampMs;
        } else if (out) {
            m_pingSent = event.timestampMs; // v3: the client pings
        } else {
            m_lastServerPing = event.timestampMs; // v4: the server pings
            pingChanged = true;
        }
        break;
    case EnginePacketType::Pong:
        if (!out && probe && m_probeSent >= 0) {
            m_probeRtt = event.timestampMs - m_probeSent;
            m_probeSent = -1;
            pingChanged = true;
        } else if (!out && !probe && m_pingSent >= 0) {
            m_rtt = event.timestampMs - m_pingSent;
            m_pingSent = -1;
            pingChanged = true;
        }
        break;
    default:
        break;
    }
    TrafficRow row = TrafficRow::fromEvent(event);
    row.source = m_options.name;
    row.clientSide = true;
    Q_EMIT rowObserved(row);
    if (pingChanged)
        Q_EMIT changed();
}

void ClientConnection::onEvent(const QString &nsp, const QString &event, const QVariantList &args,
                               qint64 ackId)
{
    EventEntry entry{ QDateTime::currentMSecsSinceEpoch(), nsp, event, args, false, ackId, {} };
    if (ackId >= 0) {
        // Never leave the server waiting: the configured reply, or an empty ack.
        QString text = m_options.ackReplies.value(event);
        if (text.isEmpty())
            text = m_options.ackReplies.value(QStringLiteral("*"));
        entry.ackReply = parseClientReply(text).value_or(QVariantList());
    }
    addEvent(entry);
    if (m_pinned.contains(event)) {
        PinnedValue &p = m_pinned[event];
        p.nsp = nsp;
        p.args = args;
        p.timestampMs = QDateTime::currentMSecsSinceEpoch();
        ++p.count;
        Q_EMIT pinnedChanged();
    }
    if (ackId >= 0) {
        if (ClientSocket *s = socket(nsp))
            s->sendAck(ackId, entry.ackReply);
        Q_EMIT ackAnswered(nsp, event, ackId, entry.ackReply);
    }
}

void ClientConnection::clearEvents()
{
    m_events.clear();
    Q_EMIT eventsChanged();
}

void ClientConnection::addEvent(const EventEntry &entry)
{
    m_events.push_back(entry);
    while (int(m_events.size()) > maxEvents())
        m_events.pop_front();
    if (!m_options.onlyPinned || m_options.pinned.contains(entry.event))
        Q_EMIT eventsChanged();
}

void ClientConnection::note(const QString &text)
{
    Q_EMIT noteAdded(text);
}

void ClientConnection::setState(State state)
{
    m_state = state;
}

void ClientConnection::updateState()
{
    State state = State::Connecting;
    if (m_manager->state() == Manager::State::Open)
        state = State::Connected;
    else if (!m_started || m_gaveUp)
        state = State::Disconnected;
    else if (m_lost)
        state = State::Reconnecting;
    setState(state);
    Q_EMIT changed();
}

// --- ClientConnectionList ----------------------------------------------------------------------

ClientConnectionList::ClientConnectionList(QObject *parent)
    : QObject(parent)
{ }

ClientConnectionList::~ClientConnectionList()
{
    const QList<ClientConnection *> list = m_connections;
    m_connections.clear();
    qDeleteAll(list);
}

QString ClientConnectionList::uniqueName(const QString &wanted) const
{
    QString name = wanted.trimmed();
    if (!name.isEmpty() && !find(name))
        return name;
    int n = 0;
    do {
        name = tr("client %1").arg(++n);
    } while (find(name));
    return name;
}

ClientConnection *ClientConnectionList::add(ClientConnectionOptions options)
{
    options.name = uniqueName(options.name);
    auto *connection = new ClientConnection(options, this);
    m_connections.append(connection);
    connect(connection, &ClientConnection::rowObserved, this, &ClientConnectionList::rowObserved);
    Q_EMIT added(connection);
    return connection;
}

void ClientConnectionList::remove(ClientConnection *connection)
{
    if (!m_connections.removeOne(connection))
        return;
    Q_EMIT removed(connection);
    connection->disconnectFromServer();
    connection->deleteLater();
}

ClientConnection *ClientConnectionList::find(const QString &name) const
{
    for (ClientConnection *c : m_connections) {
        if (c->name() == name)
            return c;
    }
    return nullptr;
}

QList<ClientConnectionOptions> ClientConnectionList::savedConnections()
{
    QList<ClientConnectionOptions> list;
    const QVariantList saved = QSettings().value(QStringLiteral("clients/saved")).toList();
    for (const QVariant &v : saved)
        list.append(ClientConnectionOptions::fromVariant(v.toMap()));
    return list;
}

void ClientConnectionList::saveConnection(const ClientConnectionOptions &options)
{
    QVariantList saved;
    bool replaced = false;
    const QList<ClientConnectionOptions> list = savedConnections();
    for (const ClientConnectionOptions &o : list) {
        if (o.name == options.name) {
            saved.append(options.toVariant());
            replaced = true;
        } else {
            saved.append(o.toVariant());
        }
    }
    if (!replaced)
        saved.append(options.toVariant());
    QSettings().setValue(QStringLiteral("clients/saved"), saved);
}

void ClientConnectionList::removeSavedConnection(const QString &name)
{
    QVariantList saved;
    const QList<ClientConnectionOptions> list = savedConnections();
    for (const ClientConnectionOptions &o : list) {
        if (o.name != name)
            saved.append(o.toVariant());
    }
    QSettings().setValue(QStringLiteral("clients/saved"), saved);
}

} // namespace Inspector
