// SPDX-License-Identifier: MIT
#include "engineclient_p.h"
#include "protocol/json.h"

#include <QCborArray>
#include <QCborMap>
#include <QMetaMethod>
#include <QNetworkAccessManager>
#include <QNetworkCookie>
#include <QNetworkCookieJar>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QWebSocket>

Q_LOGGING_CATEGORY(lcClient, "socketio.client", QtInfoMsg)

namespace SocketIo {

using Protocol::EnginePacket;
namespace EngineCodec = Protocol::EngineCodec;

namespace {

QUrl transportUrl(const EngineClientConfig &config, Transport kind, const QString &sid)
{
    QUrl url = config.url;
    const bool secure = url.scheme() == QLatin1String("https") || url.scheme() == QLatin1String("wss");
    if (kind == Transport::WebSocket)
        url.setScheme(secure ? QStringLiteral("wss") : QStringLiteral("ws"));
    else
        url.setScheme(secure ? QStringLiteral("https") : QStringLiteral("http"));
    QUrlQuery query = config.query;
    query.removeAllQueryItems(QStringLiteral("EIO"));
    query.addQueryItem(QStringLiteral("EIO"), QString::number(config.protocol));
    query.addQueryItem(QStringLiteral("transport"),
                       kind == Transport::WebSocket ? QStringLiteral("websocket")
                                                    : QStringLiteral("polling"));
    if (!sid.isEmpty())
        query.addQueryItem(QStringLiteral("sid"), sid);
    if (config.protocol == 3 && kind == Transport::Polling)
        query.addQueryItem(QStringLiteral("b64"), QStringLiteral("1")); // text payloads only
    url.setQuery(query);
    return url;
}

QNetworkRequest makeRequest(const EngineClientConfig &config, const QUrl &url)
{
    QNetworkRequest request(url);
    for (const auto &header : config.headers)
        request.setRawHeader(header.first, header.second);
    if (config.ssl)
        request.setSslConfiguration(*config.ssl);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    return request;
}

// HTTP long-polling: one GET in flight to receive, one POST at a time to send.
class PollingClientTransport : public ClientTransport
{
public:
    PollingClientTransport(const EngineClientConfig &config, const NamProvider &nam, QObject *parent)
        : ClientTransport(parent)
        , m_config(config)
        , m_nam(nam)
    { }
    ~PollingClientTransport() override
    {
        if (m_get) {
            m_get->disconnect(this);
            m_get->abort();
        }
        if (m_post)
            m_post->disconnect(this); // let it finish: it may carry the close packet
    }

    Transport kind() const override { return Transport::Polling; }
    void open(const QString &sid) override
    {
        m_sid = sid;
        poll();
    }
    void setSid(const QString &sid) override { m_sid = sid; }
    bool isWritable() const override { return !m_post && !m_stopped; }
    bool isPaused() const override { return m_paused; }

    void write(const QList<EnginePacket> &packets) override
    {
        const QByteArray body = EngineCodec::encodePayload(packets, m_config.protocol);
        QNetworkRequest request = makeRequest(m_config, url());
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("text/plain;charset=UTF-8"));
        m_post = m_nam(true)->post(request, body);
        watch(m_post);
        connect(m_post, &QNetworkReply::finished, this, [this, reply = m_post] {
            reply->deleteLater();
            if (reply != m_post)
                return;
            m_post = nullptr;
            if (reply->error() != QNetworkReply::NoError) {
                Q_EMIT errorOccurred(QStringLiteral("xhr post error: ") + reply->errorString());
                return;
            }
            if (m_pausing)
                checkPaused();
            else
                Q_EMIT drained();
        });
    }

    void pause() override
    {
        m_pausing = true;
        checkPaused();
    }

    void shutdown(bool sendClosePacket) override
    {
        m_stopped = true;
        if (m_get) {
            m_get->disconnect(this);
            m_get->abort();
            m_get->deleteLater();
            m_get = nullptr;
        }
        if (sendClosePacket && !m_sid.isEmpty()) {
            QNetworkRequest request = makeRequest(m_config, url());
            request.setHeader(QNetworkRequest::ContentTypeHeader,
                              QByteArrayLiteral("text/plain;charset=UTF-8"));
            QNetworkReply *reply =
                m_nam(true)->post(request,
                                  EngineCodec::encodePayload(
                                      { EnginePacket::text(EnginePacket::Type::Close) }, m_config.protocol));
            QObject::connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
        }
    }

private:
    QUrl url() const
    {
        QUrl u = transportUrl(m_config, Transport::Polling, m_sid);
        QUrlQuery q(u);
        // Cache busting, as engine.io-client's timestampRequests.
        q.addQueryItem(QStringLiteral("t"), QString::number(QRandomGenerator::global()->generate64(), 36));
        u.setQuery(q);
        return u;
    }

    void watch(QNetworkReply *reply)
    {
        if (m_config.ignoreSslErrors) {
            connect(reply, &QNetworkReply::sslErrors, reply, [reply](const QList<QSslError> &errors) {
                qCWarning(lcClient) << "ignoring TLS errors (insecure):" << errors;
                reply->ignoreSslErrors();
            });
        }
        connect(reply, &QNetworkReply::downloadProgress, this, [this, reply](qint64 received, qint64) {
            if (received > m_config.maxIncomingBytes) {
                qCWarning(lcClient) << "polling response larger than" << m_config.maxIncomingBytes
                                    << "bytes: closing";
                reply->disconnect(this);
                reply->abort();
                reply->deleteLater();
                if (reply == m_get)
                    m_get = nullptr;
                Q_EMIT errorOccurred(QStringLiteral("polling response too large"));
            }
        });
    }

    void poll()
    {
        if (m_stopped || m_get)
            return;
        m_get = m_nam(true)->get(makeRequest(m_config, url()));
        watch(m_get);
        connect(m_get, &QNetworkReply::finished, this, [this, reply = m_get] {
            reply->deleteLater();
            if (reply != m_get)
                return;
            m_get = nullptr;
            if (reply->error() != QNetworkReply::NoError) {
                const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
                QString message = QStringLiteral("xhr poll error: ") + reply->errorString();
                if (status)
                    message += QStringLiteral(" (HTTP %1: %2)")
                                   .arg(status)
                                   .arg(QString::fromUtf8(reply->readAll().left(200)));
                Q_EMIT errorOccurred(message);
                return;
            }
            const QByteArray body = reply->readAll();
            auto decoded = EngineCodec::decodePayload(body, m_config.protocol);
            if (!decoded) {
                qCWarning(lcClient) << "malformed polling payload:"
                                    << EngineCodec::errorMessage(decoded.error);
                Q_EMIT errorOccurred(QStringLiteral("parse error: ")
                                     + QString::fromLatin1(EngineCodec::errorMessage(decoded.error)));
                return;
            }
            QPointer<PollingClientTransport> self(this);
            Q_EMIT packetsReceived(*decoded.value);
            if (!self || m_stopped)
                return;
            if (m_pausing)
                checkPaused();
            else
                poll();
        });
    }

    void checkPaused()
    {
        if (m_paused || m_get || m_post)
            return;
        m_paused = true;
        Q_EMIT pausedDone();
    }

    EngineClientConfig m_config;
    NamProvider m_nam;
    QString m_sid;
    QNetworkReply *m_get = nullptr;
    QNetworkReply *m_post = nullptr;
    bool m_pausing = false;
    bool m_paused = false;
    bool m_stopped = false;
};

class WebSocketClientTransport : public ClientTransport
{
public:
    WebSocketClientTransport(const EngineClientConfig &config, const NamProvider &nam, QObject *parent)
        : ClientTransport(parent)
        , m_config(config)
        , m_nam(nam)
        , m_ws(new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this))
    {
        m_ws->setMaxAllowedIncomingMessageSize(quint64(qMax<qint64>(1024, config.maxIncomingBytes)));
        connect(m_ws, &QWebSocket::connected, this, [this] {
            m_open = true;
            Q_EMIT opened();
        });
        connect(m_ws, &QWebSocket::disconnected, this, [this] {
            if (m_stopped)
                return;
            m_stopped = true;
            if (m_open)
                Q_EMIT closedByPeer();
            else
                Q_EMIT errorOccurred(QStringLiteral("websocket error: ") + m_ws->errorString());
        });
        connect(m_ws, QOverload<QAbstractSocket::SocketError>::of(&QWebSocket::error), this,
                [this](QAbstractSocket::SocketError) {
                    qCDebug(lcClient) << "websocket error:" << m_ws->errorString();
                });
        connect(m_ws, &QWebSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
            if (m_config.ignoreSslErrors) {
                qCWarning(lcClient) << "ignoring TLS errors (insecure):" << errors;
                m_ws->ignoreSslErrors();
            } else {
                qCWarning(lcClient) << "TLS errors:" << errors;
            }
        });
        connect(m_ws, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
            if (m_stopped)
                return;
            const QByteArray utf8 = text.toUtf8();
            auto packet = EngineCodec::decodeTextFrame(utf8);
            if (!packet) {
                qCWarning(lcClient) << "malformed websocket frame:"
                                    << EngineCodec::errorMessage(packet.error);
                Q_EMIT errorOccurred(QStringLiteral("parse error"));
                return;
            }
            Q_EMIT packetsReceived({ *packet.value });
        });
        connect(m_ws, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray &bytes) {
            if (m_stopped)
                return;
            auto packet = EngineCodec::decodeBinaryFrame(bytes, m_config.protocol);
            if (!packet) {
                Q_EMIT errorOccurred(QStringLiteral("parse error"));
                return;
            }
            Q_EMIT packetsReceived({ *packet.value });
        });
    }
    ~WebSocketClientTransport() override
    {
        m_stopped = true;
        m_ws->disconnect(this);
        m_ws->abort();
    }

    Transport kind() const override { return Transport::WebSocket; }
    void open(const QString &sid) override
    {
        const QUrl url = transportUrl(m_config, Transport::WebSocket, sid);
        QNetworkRequest request = makeRequest(m_config, url);
        // Cookies set by polling responses (sticky sessions) travel with the handshake too.
        QNetworkAccessManager *nam = m_nam(false); // none: no polling request set a cookie
        if (QNetworkCookieJar *jar = nam ? nam->cookieJar() : nullptr) {
            QUrl httpUrl = url;
            httpUrl.setScheme(url.scheme() == QLatin1String("wss") ? QStringLiteral("https")
                                                                   : QStringLiteral("http"));
            const QList<QNetworkCookie> cookies = jar->cookiesForUrl(httpUrl);
            if (!cookies.isEmpty()) {
                QByteArray header;
                for (const QNetworkCookie &cookie : cookies) {
                    if (!header.isEmpty())
                        header += "; ";
                    header += cookie.toRawForm(QNetworkCookie::NameAndValueOnly);
                }
                request.setRawHeader("Cookie", header);
            }
        }
        if (m_config.ssl)
            m_ws->setSslConfiguration(*m_config.ssl);
        m_ws->open(request);
    }
    void setSid(const QString &) override { }
    bool isWritable() const override { return m_open && !m_stopped; }
    bool isPaused() const override { return false; }
    void pause() override { Q_EMIT pausedDone(); }

    void write(const QList<EnginePacket> &packets) override
    {
        for (const EnginePacket &packet : packets) {
            const QByteArray frame = EngineCodec::encodeFrame(packet, m_config.protocol);
            if (packet.binary)
                m_ws->sendBinaryMessage(frame);
            else
                m_ws->sendTextMessage(QString::fromUtf8(frame));
        }
        // No drained(): the socket buffers every frame at once, and the engine flushes itself
        // whenever a WebSocket becomes writable (open, end of the upgrade).
    }

    void shutdown(bool sendClosePacket) override
    {
        if (m_stopped)
            return;
        m_stopped = true;
        if (sendClosePacket && m_open)
            m_ws->sendTextMessage(QStringLiteral("1"));
        m_ws->close();
    }

private:
    EngineClientConfig m_config;
    NamProvider m_nam;
    QWebSocket *m_ws;
    bool m_open = false;
    bool m_stopped = false;
};

} // namespace

EngineClient::EngineClient(EngineClientConfig config, NamProvider nam, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_nam(std::move(nam))
{
    m_openTimer.setSingleShot(true);
    m_openTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_openTimer, &QTimer::timeout, this, [this] { fail(QStringLiteral("timeout")); });
    m_pingTimeoutTimer.setSingleShot(true);
    m_pingTimeoutTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_pingTimeoutTimer, &QTimer::timeout, this, [this] {
        qCInfo(lcClient) << "ping timeout: the server sent nothing for"
                         << (m_pingInterval + m_pingTimeout).count() << "ms";
        finish(QStringLiteral("ping timeout"), {}, false);
    });
    connect(&m_pingTimer, &QTimer::timeout, this,
            [this] { send(EnginePacket::text(EnginePacket::Type::Ping)); });
}

EngineClient::~EngineClient()
{
    delete m_probe;
    delete m_transport;
}

Transport EngineClient::transport() const
{
    return m_transport ? m_transport->kind() : Transport::Polling;
}

bool EngineClient::isWritable() const
{
    return m_state == State::Open && m_transport && m_transport->isWritable() && !m_upgrading;
}

ClientTransport *EngineClient::createTransport(Transport kind)
{
    ClientTransport *t = kind == Transport::WebSocket
        ? static_cast<ClientTransport *>(new WebSocketClientTransport(m_config, m_nam, this))
        : static_cast<ClientTransport *>(new PollingClientTransport(m_config, m_nam, this));
    return t;
}

void EngineClient::observeIncoming(Transport transport, const EnginePacket &packet)
{
    if (isSignalConnected(QMetaMethod::fromSignal(&EngineClient::packetObserved)))
        Q_EMIT packetObserved(transport, false, packet);
}

void EngineClient::write(ClientTransport *transport, const QList<EnginePacket> &packets)
{
    if (isSignalConnected(QMetaMethod::fromSignal(&EngineClient::packetObserved))) {
        for (const EnginePacket &packet : packets)
            Q_EMIT packetObserved(transport->kind(), true, packet);
    }
    transport->write(packets);
}

void EngineClient::open()
{
    if (m_state != State::Idle)
        return;
    m_state = State::Opening;
    const Transport first =
        m_config.transports.testFlag(Transport::Polling) ? Transport::Polling : Transport::WebSocket;
    m_transport = createTransport(first);
    connect(m_transport, &ClientTransport::packetsReceived, this,
            [this, first](const QList<EnginePacket> &packets) { onPackets(packets, first); });
    connect(m_transport, &ClientTransport::drained, this, &EngineClient::flush);
    connect(m_transport, &ClientTransport::errorOccurred, this, &EngineClient::onTransportError);
    connect(m_transport, &ClientTransport::closedByPeer, this, &EngineClient::onTransportClosed);
    if (m_config.timeout.count() > 0)
        m_openTimer.start(m_config.timeout);
    qCDebug(lcClient) << "opening" << transportName(first) << transportUrl(m_config, first, {});
    m_transport->open({});
}

void EngineClient::send(const EnginePacket &packet)
{
    if (m_state == State::Closed)
        return;
    m_writeBuffer.append(packet);
    flush();
}

void EngineClient::flush()
{
    if (m_state != State::Open || !m_transport || !m_transport->isWritable() || m_upgrading
        || m_writeBuffer.isEmpty())
        return;
    qsizetype count = m_writeBuffer.size();
    if (m_transport->kind() == Transport::Polling && m_maxPayload > 0) {
        // engine.io-client's _getWritablePackets: cut the payload before it passes maxPayload.
        qint64 size = 1;
        for (qsizetype i = 0; i < m_writeBuffer.size(); ++i) {
            const EnginePacket &p = m_writeBuffer.at(i);
            size += p.binary ? (p.data.size() + 2) / 3 * 4 + 1 : p.data.size();
            if (i > 0 && size > m_maxPayload) {
                count = i;
                break;
            }
            size += 2;
        }
    }
    const QList<EnginePacket> batch = m_writeBuffer.mid(0, count);
    m_writeBuffer.remove(0, count);
    write(m_transport, batch);
}

void EngineClient::onPackets(const QList<EnginePacket> &packets, Transport from)
{
    QPointer<EngineClient> self(this);
    for (const EnginePacket &packet : packets) {
        if (!self || m_state == State::Closed)
            return;
        // One at a time, as it is handled: a CONNECT reply sets the socket id the packets after
        // it in the same payload are observed with.
        observeIncoming(from, packet);
        if (!self || m_state == State::Closed)
            return;
        if (m_state == State::Opening) {
            if (packet.type != EnginePacket::Type::Open) {
                fail(QStringLiteral("parse error: the first packet is not an open packet"));
                return;
            }
            onHandshake(packet.data);
            continue;
        }
        if (m_config.protocol == 3)
            resetPingTimeout(); // v3: any packet proves the server alive
        switch (packet.type) {
        case EnginePacket::Type::Ping:
            resetPingTimeout();
            send(EnginePacket::text(EnginePacket::Type::Pong, packet.data));
            break;
        case EnginePacket::Type::Pong:
        case EnginePacket::Type::Noop:
            break;
        case EnginePacket::Type::Message:
            Q_EMIT packetReceived(packet);
            break;
        case EnginePacket::Type::Close:
            finish(QStringLiteral("transport close"), QStringLiteral("the server closed the session"), false);
            return;
        case EnginePacket::Type::Open:
        case EnginePacket::Type::Upgrade:
            qCWarning(lcClient) << "unexpected packet from the server:" << int(packet.type);
            finish(QStringLiteral("parse error"), QStringLiteral("unexpected packet"), true);
            return;
        }
    }
}

void EngineClient::onHandshake(const QByteArray &json)
{
    const auto value = Protocol::Json::parse(json);
    const QCborMap map = value ? value->toMap() : QCborMap();
    const QString sid = map.value(QStringLiteral("sid")).toString();
    if (sid.isEmpty()) {
        fail(QStringLiteral("parse error: invalid handshake"));
        return;
    }
    m_sid = sid;
    m_pingInterval = std::chrono::milliseconds(
        qMax<qint64>(1, map.value(QStringLiteral("pingInterval")).toInteger(25000)));
    m_pingTimeout =
        std::chrono::milliseconds(qMax<qint64>(1, map.value(QStringLiteral("pingTimeout")).toInteger(20000)));
    m_maxPayload = map.value(QStringLiteral("maxPayload")).toInteger(0);
    m_openTimer.stop();
    m_transport->setSid(m_sid);
    m_state = State::Open;
    qCDebug(lcClient) << "open: sid" << m_sid << "pingInterval" << m_pingInterval.count() << "pingTimeout"
                      << m_pingTimeout.count() << "maxPayload" << m_maxPayload;
    resetPingTimeout();
    if (m_config.protocol == 3)
        m_pingTimer.start(m_pingInterval);
    QPointer<EngineClient> self(this);
    Q_EMIT opened();
    if (!self || m_state != State::Open)
        return;
    bool canUpgrade = false;
    const QCborArray upgrades = map.value(QStringLiteral("upgrades")).toArray();
    for (const QCborValue &u : upgrades)
        canUpgrade = canUpgrade || u.toString() == QLatin1String("websocket");
    if (m_transport->kind() == Transport::Polling && canUpgrade && m_config.upgrade
        && m_config.transports.testFlag(Transport::WebSocket))
        probe();
    flush();
}

void EngineClient::resetPingTimeout()
{
    m_pingTimeoutTimer.start(m_pingInterval + m_pingTimeout);
}

void EngineClient::probe()
{
    m_probe = createTransport(Transport::WebSocket);
    ClientTransport *probe = m_probe;
    connect(probe, &ClientTransport::opened, this, [this, probe] {
        write(probe, { EnginePacket::text(EnginePacket::Type::Ping, QByteArrayLiteral("probe")) });
    });
    connect(probe, &ClientTransport::packetsReceived, this,
            [this, probe](const QList<EnginePacket> &packets) {
                if (probe != m_probe)
                    return;
                if (m_upgrading) {
                    // Already switching; anything early is kept for after the switch.
                    onPackets(packets, Transport::WebSocket);
                    return;
                }
                for (const EnginePacket &packet : packets)
                    observeIncoming(Transport::WebSocket, packet);
                if (packets.size() != 1 || packets.first().type != EnginePacket::Type::Pong
                    || packets.first().data != "probe") {
                    abandonProbe(QStringLiteral("unexpected probe answer"));
                    return;
                }
                m_upgrading = true;
                connect(m_transport, &ClientTransport::pausedDone, this, &EngineClient::finishUpgrade,
                        Qt::UniqueConnection);
                m_transport->pause();
            });
    connect(probe, &ClientTransport::errorOccurred, this,
            [this](const QString &message) { abandonProbe(message); });
    connect(probe, &ClientTransport::closedByPeer, this, [this] { abandonProbe(QStringLiteral("closed")); });
    probe->open(m_sid);
}

void EngineClient::abandonProbe(const QString &why)
{
    qCDebug(lcClient) << "upgrade to websocket abandoned:" << why;
    if (!m_probe)
        return;
    m_probe->disconnect(this);
    m_probe->deleteLater();
    m_probe = nullptr;
    if (m_upgrading) {
        m_upgrading = false;
        finish(QStringLiteral("transport error"), QStringLiteral("upgrade failed: ") + why, false);
    }
}

void EngineClient::finishUpgrade()
{
    if (!m_probe || m_state != State::Open)
        return;
    ClientTransport *old = m_transport;
    old->disconnect(this);
    old->deleteLater();
    m_transport = m_probe;
    m_probe = nullptr;
    m_transport->disconnect(this);
    connect(m_transport, &ClientTransport::packetsReceived, this,
            [this](const QList<EnginePacket> &packets) { onPackets(packets, Transport::WebSocket); });
    connect(m_transport, &ClientTransport::drained, this, &EngineClient::flush);
    connect(m_transport, &ClientTransport::errorOccurred, this, &EngineClient::onTransportError);
    connect(m_transport, &ClientTransport::closedByPeer, this, &EngineClient::onTransportClosed);
    write(m_transport, { EnginePacket::text(EnginePacket::Type::Upgrade) });
    m_upgrading = false;
    qCDebug(lcClient) << "upgraded to websocket";
    QPointer<EngineClient> self(this);
    Q_EMIT upgraded(Transport::WebSocket);
    if (self)
        flush();
}

void EngineClient::onTransportError(const QString &message)
{
    if (m_state == State::Opening) {
        fail(message);
        return;
    }
    qCInfo(lcClient) << "transport error:" << message;
    finish(message.startsWith(QLatin1String("parse error")) ? QStringLiteral("parse error")
                                                            : QStringLiteral("transport error"),
           message, false);
}

void EngineClient::onTransportClosed()
{
    if (m_state == State::Opening) {
        fail(QStringLiteral("websocket error: closed during the handshake"));
        return;
    }
    finish(QStringLiteral("transport close"), QStringLiteral("the connection closed"), false);
}

void EngineClient::fail(const QString &message)
{
    if (m_state == State::Closed)
        return;
    qCInfo(lcClient) << "connection failed:" << message;
    m_state = State::Closed;
    m_openTimer.stop();
    if (m_transport)
        m_transport->shutdown(false);
    Q_EMIT failed(message);
}

void EngineClient::close()
{
    if (m_state == State::Opening) {
        m_state = State::Closed;
        m_openTimer.stop();
        m_transport->shutdown(false);
        Q_EMIT closed(QStringLiteral("forced close"), {});
        return;
    }
    if (m_state != State::Open)
        return;
    // Packets still waiting go first when the transport can take them now (engine.io-client
    // waits for the drain; a close must not hang on a stalled server).
    if (m_transport->isWritable() && !m_writeBuffer.isEmpty() && !m_upgrading) {
        QList<EnginePacket> batch = m_writeBuffer;
        m_writeBuffer.clear();
        write(m_transport, batch);
    }
    finish(QStringLiteral("forced close"), {}, true);
}

void EngineClient::closeWithReason(const QString &reason, const QString &description)
{
    qCWarning(lcClient) << "closing the connection:" << reason << description;
    finish(reason, description, true);
}

void EngineClient::finish(const QString &reason, const QString &description, bool sendClose)
{
    if (m_state == State::Closed)
        return;
    if (m_state == State::Opening) {
        fail(description.isEmpty() ? reason : description);
        return;
    }
    m_state = State::Closed;
    m_pingTimeoutTimer.stop();
    m_pingTimer.stop();
    m_openTimer.stop();
    m_writeBuffer.clear();
    if (m_probe) {
        m_probe->disconnect(this);
        m_probe->shutdown(false);
    }
    if (m_transport)
        m_transport->shutdown(sendClose);
    qCDebug(lcClient) << "closed:" << reason << description;
    Q_EMIT closed(reason, description);
}

} // namespace SocketIo
