// SPDX-License-Identifier: MIT
#include "redisconnection.h"

#include "redislogging_p.h"

#include <QFile>
#include <QHostAddress>
#include <QHostInfo>
#include <QSocketNotifier>
#include <QUrl>
#include <QUrlQuery>

#include <cstring>
#include <hiredis/async.h>
#include <hiredis/hiredis.h>
#include <vector>

namespace SocketIo::Redis {

std::optional<Endpoint> Endpoint::fromUrl(const QUrl &url, QString *error)
{
    Endpoint endpoint;
    const QString scheme = url.scheme();
    if (scheme == QLatin1String("redis+unix") || scheme == QLatin1String("unix")) {
        endpoint.unixPath = url.path();
        if (endpoint.unixPath.isEmpty()) {
            *error = QStringLiteral("no socket path in %1").arg(url.toString());
            return std::nullopt;
        }
        const QString db = QUrlQuery(url).queryItemValue(QStringLiteral("db"));
        endpoint.database = db.toInt();
    } else if (scheme == QLatin1String("redis") || scheme.isEmpty()) {
        if (!url.host().isEmpty())
            endpoint.host = url.host();
        endpoint.port = quint16(url.port(6379));
        const QString path = url.path().mid(1);
        if (!path.isEmpty()) {
            bool ok = false;
            endpoint.database = path.toInt(&ok);
            if (!ok) {
                *error = QStringLiteral("bad database number in %1").arg(url.toString());
                return std::nullopt;
            }
        }
    } else {
        *error =
            QStringLiteral("unsupported scheme %1 (redis://host:port/db or redis+unix:///path)").arg(scheme);
        return std::nullopt;
    }
    endpoint.password = url.password().toUtf8();
    return endpoint;
}

QString Endpoint::toString() const
{
    if (!unixPath.isEmpty())
        return QStringLiteral("unix:") + unixPath;
    return host + QLatin1Char(':') + QString::number(port);
}

Connection::Connection(const Endpoint &endpoint, const QString &name, QObject *parent)
    : QObject(parent)
    , m_endpoint(endpoint)
    , m_name(name)
{
    m_reconnectTimer.setSingleShot(true);
    m_connectTimer.setSingleShot(true);
    m_connectTimer.setInterval(std::chrono::milliseconds(5000));
    connect(&m_reconnectTimer, &QTimer::timeout, this, &Connection::open);
    connect(&m_connectTimer, &QTimer::timeout, this, [this] {
        if (m_state != State::Connecting)
            return;
        if (m_lookupId >= 0) {
            QHostInfo::abortHostLookup(m_lookupId);
            m_lookupId = -1;
        }
        abandon(m_ac ? QStringLiteral("connected, but redis did not answer within %1 ms")
                           .arg(m_connectTimer.interval())
                     : QStringLiteral("connect timed out"));
    });
    m_watchdog.setSingleShot(true);
    m_watchdog.setInterval(std::chrono::milliseconds(5000));
    connect(&m_watchdog, &QTimer::timeout, this, &Connection::onWatchdog);
}

namespace {
// A command's callback and its size (for the awaited bytes).
struct Pending
{
    Connection::ReplyCallback callback;
    qint64 bytes = 0;
};
} // namespace

void Connection::setCommandTimeout(std::chrono::milliseconds timeout)
{
    m_watchdog.setInterval(timeout);
}

void Connection::notifyWhenBelow(qint64 bytes)
{
    m_drainMark = bytes;
    if (m_awaitingBytes <= bytes) {
        m_drainMark = -1;
        QMetaObject::invokeMethod(this, &Connection::drained, Qt::QueuedConnection);
    }
}

void Connection::sent(qint64 bytes)
{
    ++m_awaiting;
    m_awaitingBytes += bytes;
    if (m_watchdog.interval() > 0 && !m_watchdog.isActive()) {
        m_repliesMark = m_replies;
        m_watchdog.start();
    }
}

void Connection::answered(qint64 bytes)
{
    ++m_replies;
    if (m_awaiting > 0)
        --m_awaiting;
    m_awaitingBytes = std::max<qint64>(0, m_awaitingBytes - bytes);
    if (m_drainMark >= 0 && m_awaitingBytes <= m_drainMark) {
        m_drainMark = -1;
        QMetaObject::invokeMethod(this, &Connection::drained, Qt::QueuedConnection);
    }
}

void Connection::onWatchdog()
{
    if (!m_ac || m_awaiting <= 0)
        return;
    if (m_replies != m_repliesMark) { // answers come: slow perhaps, not hung
        m_repliesMark = m_replies;
        m_watchdog.start();
        return;
    }
    abandon(QStringLiteral("%1 commands unanswered for %2 ms: redis hangs")
                .arg(m_awaiting)
                .arg(m_watchdog.interval()));
}

void Connection::abandon(const QString &error)
{
    m_watchdog.stop();
    if (redisAsyncContext *ac = m_ac) {
        const int unanswered = m_awaiting;
        dropContext(); // commands sent from the callbacks below fail at once
        // The pending callbacks run with a null reply (ac->data back for them), then it is gone.
        ac->data = this;
        redisAsyncFree(ac);
        if (unanswered > 0)
            qCDebug(lcRedis).noquote() << m_name << "dropped" << unanswered << "unanswered commands";
    }
    lost(error);
}

Connection::~Connection()
{
    close();
}

void Connection::setBackoff(std::chrono::milliseconds min, std::chrono::milliseconds max)
{
    m_backoffMin = std::max(min, std::chrono::milliseconds(1));
    m_backoffMax = std::max(max, m_backoffMin);
    m_backoff = m_backoffMin;
}

void Connection::setConnectTimeout(std::chrono::milliseconds timeout)
{
    m_connectTimer.setInterval(timeout);
}

void Connection::open()
{
    m_wanted = true;
    if (m_ac || m_lookupId >= 0)
        return;
    m_reconnectTimer.stop();
    setState(State::Connecting);
    m_connectTimer.start();
    if (!m_endpoint.unixPath.isEmpty()) {
        connectTo(QString());
        return;
    }
    if (!QHostAddress(m_endpoint.host).isNull()) {
        connectTo(m_endpoint.host);
        return;
    }
    // hiredis would resolve the name with a blocking getaddrinfo(): resolve it here instead.
    m_lookupId = QHostInfo::lookupHost(m_endpoint.host, this, [this](const QHostInfo &info) {
        m_lookupId = -1;
        const auto addresses = info.addresses();
        if (info.error() != QHostInfo::NoError || addresses.isEmpty()) {
            lost(QStringLiteral("cannot resolve %1: %2").arg(m_endpoint.host, info.errorString()));
            return;
        }
        QHostAddress chosen = addresses.first();
        for (const QHostAddress &address : addresses) {
            if (address.protocol() == QAbstractSocket::IPv4Protocol) {
                chosen = address;
                break;
            }
        }
        connectTo(chosen.toString());
    });
}

void Connection::close()
{
    m_wanted = false;
    m_reconnectTimer.stop();
    m_connectTimer.stop();
    if (m_lookupId >= 0) {
        QHostInfo::abortHostLookup(m_lookupId);
        m_lookupId = -1;
    }
    m_watchdog.stop();
    if (redisAsyncContext *ac = m_ac) {
        dropContext();
        redisAsyncFree(ac); // pending callbacks run with a null reply; ac->data is null: not ours any more
    }
    m_awaiting = 0;
    m_awaitingBytes = 0;
    setState(State::Disconnected);
}

void Connection::connectTo(const QString &address)
{
    redisAsyncContext *ac = m_endpoint.unixPath.isEmpty()
        ? redisAsyncConnect(address.toLatin1().constData(), m_endpoint.port)
        : redisAsyncConnectUnix(QFile::encodeName(m_endpoint.unixPath).constData());
    if (!ac) {
        lost(QStringLiteral("cannot allocate a hiredis context"));
        return;
    }
    if (ac->err) {
        const QString error = QString::fromLocal8Bit(ac->errstr);
        redisAsyncFree(ac);
        lost(error);
        return;
    }
    m_ac = ac;
    ac->data = this;
    m_read = new QSocketNotifier(ac->c.fd, QSocketNotifier::Read, this);
    m_write = new QSocketNotifier(ac->c.fd, QSocketNotifier::Write, this);
    m_read->setEnabled(false);
    connect(m_read, &QSocketNotifier::activated, this, [this] {
        if (m_ac)
            redisAsyncHandleRead(m_ac);
    });
    connect(m_write, &QSocketNotifier::activated, this, [this] {
        if (m_ac)
            redisAsyncHandleWrite(m_ac);
    });
    ac->ev.data = this;
    ac->ev.addRead = &Connection::addRead;
    ac->ev.delRead = &Connection::delRead;
    ac->ev.addWrite = &Connection::addWrite;
    ac->ev.delWrite = &Connection::delWrite;
    ac->ev.cleanup = &Connection::cleanup;
    redisAsyncSetConnectCallback(ac, &Connection::onConnect);
    redisAsyncSetDisconnectCallback(ac, &Connection::onDisconnect);
    // Writable once the non-blocking connect finished (or failed): hiredis then reports it.
    m_write->setEnabled(true);
}

void Connection::dropContext()
{
    if (m_ac) {
        m_ac->data = nullptr;
        m_ac->ev.data = nullptr;
        m_ac->ev.addRead = nullptr;
        m_ac->ev.delRead = nullptr;
        m_ac->ev.addWrite = nullptr;
        m_ac->ev.delWrite = nullptr;
        m_ac->ev.cleanup = nullptr;
        m_ac->onConnect = nullptr;
        m_ac->onDisconnect = nullptr;
        m_ac = nullptr;
    }
    m_subscribing = false;
    m_awaiting = 0;
    m_awaitingBytes = 0;
    if (m_drainMark >= 0) { // nothing is awaited any more
        m_drainMark = -1;
        QMetaObject::invokeMethod(this, &Connection::drained, Qt::QueuedConnection);
    }
    // Not deleted here: we may be inside one of their activated() signals.
    for (QSocketNotifier *notifier : { m_read, m_write }) {
        if (notifier) {
            notifier->setEnabled(false);
            notifier->deleteLater();
        }
    }
    m_read = nullptr;
    m_write = nullptr;
}

void Connection::lost(const QString &error)
{
    m_connectTimer.stop();
    m_error = error;
    if (!m_wanted)
        return;
    if (!m_warned) {
        qCWarning(lcRedis).noquote() << m_name << "connection to" << m_endpoint.toString()
                                     << "lost or refused:" << error << "- retrying";
        m_warned = true;
    } else {
        qCDebug(lcRedis).noquote() << m_name << "still no connection to" << m_endpoint.toString() << ":"
                                   << error;
    }
    setState(State::Disconnected);
    scheduleReconnect();
}

void Connection::scheduleReconnect()
{
    if (!m_wanted)
        return;
    m_reconnectTimer.start(m_backoff);
    m_backoff = std::min(m_backoff * 2, m_backoffMax);
}

void Connection::setState(State state)
{
    if (state == State::Connected && m_state != State::Connected) {
        m_connectTimer.stop();
        m_backoff = m_backoffMin;
        if (m_warned)
            qCInfo(lcRedis).noquote() << m_name << "connected again to" << m_endpoint.toString();
        else
            qCDebug(lcRedis).noquote() << m_name << "connected to" << m_endpoint.toString();
        m_warned = false;
        m_error.clear();
    }
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void Connection::command(const QByteArrayList &args, ReplyCallback callback)
{
    if (!m_ac || !m_subscribing) {
        if (callback)
            callback(nullptr);
        return;
    }
    std::vector<const char *> argv;
    std::vector<size_t> argvlen;
    argv.reserve(size_t(args.size()));
    argvlen.reserve(size_t(args.size()));
    qint64 bytes = 0;
    for (const QByteArray &arg : args) {
        argv.push_back(arg.constData());
        argvlen.push_back(size_t(arg.size()));
        bytes += arg.size() + 16; // with RESP framing, about
    }
    auto *privdata = new Pending{ std::move(callback), bytes };
    if (redisAsyncCommandArgv(m_ac, &Connection::onReply, privdata, int(argv.size()), argv.data(),
                              argvlen.data())
        != REDIS_OK) {
        const ReplyCallback failed = std::move(privdata->callback);
        delete privdata;
        if (failed)
            failed(nullptr);
        return;
    }
    sent(bytes);
}

void Connection::subscribe(const QByteArray &channel)
{
    if (m_channels.contains(channel))
        return;
    m_channels.insert(channel);
    if (m_ac && m_subscribing) {
        const char *argv[] = { "SUBSCRIBE", channel.constData() };
        const size_t argvlen[] = { 9, size_t(channel.size()) };
        if (redisAsyncCommandArgv(m_ac, &Connection::onSubscription, nullptr, 2, argv, argvlen) == REDIS_OK) {
            sent(0);
            if (m_state != State::Connected)
                ++m_unconfirmed;
        }
    }
}

void Connection::psubscribe(const QByteArray &pattern)
{
    if (m_patterns.contains(pattern))
        return;
    m_patterns.insert(pattern);
    if (m_ac && m_subscribing) {
        const char *argv[] = { "PSUBSCRIBE", pattern.constData() };
        const size_t argvlen[] = { 10, size_t(pattern.size()) };
        if (redisAsyncCommandArgv(m_ac, &Connection::onSubscription, nullptr, 2, argv, argvlen) == REDIS_OK) {
            sent(0);
            if (m_state != State::Connected)
                ++m_unconfirmed;
        }
    }
}

void Connection::sendSubscriptions()
{
    // One command per channel: hiredis keeps one callback entry per channel.
    for (const QByteArray &channel : std::as_const(m_channels)) {
        const char *argv[] = { "SUBSCRIBE", channel.constData() };
        const size_t argvlen[] = { 9, size_t(channel.size()) };
        if (redisAsyncCommandArgv(m_ac, &Connection::onSubscription, nullptr, 2, argv, argvlen) == REDIS_OK) {
            sent(0);
            ++m_unconfirmed;
        }
    }
    for (const QByteArray &pattern : std::as_const(m_patterns)) {
        const char *argv[] = { "PSUBSCRIBE", pattern.constData() };
        const size_t argvlen[] = { 10, size_t(pattern.size()) };
        if (redisAsyncCommandArgv(m_ac, &Connection::onSubscription, nullptr, 2, argv, argvlen) == REDIS_OK) {
            sent(0);
            ++m_unconfirmed;
        }
    }
}

// --- hiredis callbacks -------------------------------------------------------------------------

void Connection::onConnect(const redisAsyncContext *ac, int status)
{
    auto *self = static_cast<Connection *>(ac->data);
    if (!self)
        return;
    if (status != REDIS_OK) {
        const QString error = QString::fromLocal8Bit(ac->errstr);
        self->dropContext(); // hiredis frees the context when this returns
        self->lost(error);
        return;
    }
    qCDebug(lcRedis).noquote() << self->m_name << "connection to" << self->m_endpoint.toString()
                               << "open, waiting for redis to answer";
    // Commands first (AUTH, SELECT), then the subscriptions; Connected once they are confirmed.
    const auto send = [self](const char *name, const QByteArray &arg) {
        const char *argv[] = { name, arg.constData() };
        const size_t argvlen[] = { strlen(name), size_t(arg.size()) };
        redisAsyncCommandArgv(self->m_ac, nullptr, nullptr, 2, argv, argvlen);
    };
    if (!self->m_endpoint.password.isEmpty())
        send("AUTH", self->m_endpoint.password);
    if (self->m_endpoint.database != 0)
        send("SELECT", QByteArray::number(self->m_endpoint.database));
    self->m_unconfirmed = 0;
    self->m_subscribing = true;
    // Connected once Redis answers (a frozen one accepts connections but answers nothing).
    const char *ping[] = { "PING" };
    const size_t pingLength[] = { 4 };
    if (redisAsyncCommandArgv(self->m_ac, &Connection::onPing, nullptr, 1, ping, pingLength) == REDIS_OK) {
        self->sent(0);
        ++self->m_unconfirmed;
    }
    self->sendSubscriptions();
    if (self->m_unconfirmed == 0)
        self->setState(State::Connected);
}

void Connection::onPing(redisAsyncContext *ac, void *reply, void *)
{
    auto *self = static_cast<Connection *>(ac->data);
    if (!self || !reply || !self->m_ac)
        return;
    self->answered(0);
    if (self->m_unconfirmed > 0 && --self->m_unconfirmed == 0)
        self->setState(State::Connected);
}

void Connection::onDisconnect(const redisAsyncContext *ac, int status)
{
    auto *self = static_cast<Connection *>(ac->data);
    if (!self)
        return;
    const QString error =
        status == REDIS_OK ? QStringLiteral("connection closed") : QString::fromLocal8Bit(ac->errstr);
    self->dropContext(); // hiredis frees the context when this returns
    self->lost(error);
}

void Connection::onReply(redisAsyncContext *ac, void *reply, void *privdata)
{
    auto *pending = static_cast<Pending *>(privdata);
    if (!pending)
        return;
    auto *self = static_cast<Connection *>(ac->data);
    if (self && reply)
        self->answered(pending->bytes);
    if (pending->callback && self)
        pending->callback(static_cast<redisReply *>(reply));
    delete pending;
}

void Connection::onSubscription(redisAsyncContext *ac, void *r, void *)
{
    auto *self = static_cast<Connection *>(ac->data);
    auto *reply = static_cast<redisReply *>(r);
    if (!self || !reply || reply->type != REDIS_REPLY_ARRAY || reply->elements < 3)
        return;
    const auto text = [reply](size_t i) {
        const redisReply *e = reply->element[i];
        return e->type == REDIS_REPLY_STRING ? QByteArray(e->str, qsizetype(e->len)) : QByteArray();
    };
    const QByteArray kind = text(0);
    ++self->m_replies; // any message is a sign of life
    if (kind == "subscribe" || kind == "psubscribe") {
        self->answered(0);
        --self->m_replies;
        if (self->m_unconfirmed > 0 && --self->m_unconfirmed == 0 && self->m_ac)
            self->setState(State::Connected);
        return;
    }
    if (kind == "message")
        Q_EMIT self->messageReceived(QByteArray(), text(1), text(2));
    else if (kind == "pmessage" && reply->elements >= 4)
        Q_EMIT self->messageReceived(text(1), text(2), text(3));
}

void Connection::addRead(void *data)
{
    if (auto *self = static_cast<Connection *>(data); self && self->m_read)
        self->m_read->setEnabled(true);
}

void Connection::delRead(void *data)
{
    if (auto *self = static_cast<Connection *>(data); self && self->m_read)
        self->m_read->setEnabled(false);
}

void Connection::addWrite(void *data)
{
    if (auto *self = static_cast<Connection *>(data); self && self->m_write)
        self->m_write->setEnabled(true);
}

void Connection::delWrite(void *data)
{
    if (auto *self = static_cast<Connection *>(data); self && self->m_write)
        self->m_write->setEnabled(false);
}

void Connection::cleanup(void *data)
{
    if (auto *self = static_cast<Connection *>(data)) {
        if (self->m_read)
            self->m_read->setEnabled(false);
        if (self->m_write)
            self->m_write->setEnabled(false);
    }
}

} // namespace SocketIo::Redis
