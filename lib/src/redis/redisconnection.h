// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArrayList>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>
#include <QUrl>

#include <chrono>
#include <functional>
#include <optional>

struct redisAsyncContext;
struct redisReply;
QT_BEGIN_NAMESPACE
class QSocketNotifier;
QT_END_NAMESPACE

namespace SocketIo::Redis {

// Where the server is: host and port, or a unix socket path (redis://host:port/,
// redis+unix:///path or unix:///path).
struct Endpoint
{
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 6379;
    QString unixPath;
    QByteArray password;
    int database = 0;
    static std::optional<Endpoint> fromUrl(const QUrl &url, QString *error);
    QString toString() const;
};

// One hiredis async connection driven by QSocketNotifiers in this thread: connects, and when
// the connection fails or drops, connects again after a delay that doubles up to a maximum.
// Commands sent while it is not connected fail at once (callback with nullptr). Subscriptions
// are remembered and made again on every new connection; their messages go to messageReceived.
// Connected means connected, a PING answered and every remembered subscription confirmed by
// the server (a Redis that accepts the TCP connection but is frozen never gets there: the connect
// timeout covers the whole way). A command (or subscription) unanswered for the command timeout
// means a hung Redis: the connection is dropped, pending callbacks get nullptr, and it reconnects.
// Never blocks: the connect is non-blocking, host names are resolved with QHostInfo.
class Connection : public QObject
{
    Q_OBJECT
public:
    enum class State { Disconnected, Connecting, Connected };
    Q_ENUM(State)

    Connection(const Endpoint &endpoint, const QString &name, QObject *parent = nullptr);
    ~Connection() override;

    void setBackoff(std::chrono::milliseconds min, std::chrono::milliseconds max);
    void setConnectTimeout(std::chrono::milliseconds timeout);
    void setCommandTimeout(std::chrono::milliseconds timeout); // 0: none
    // Bytes of commands sent and not answered yet (in hiredis' buffers, the kernel's or Redis').
    qint64 awaitingBytes() const { return m_awaitingBytes; }
    // drained() once awaitingBytes() is at most bytes (queued, never from inside a command).
    void notifyWhenBelow(qint64 bytes);
    void open();
    void close();
    State state() const { return m_state; }
    QString errorString() const { return m_error; }

    // reply is null when the command could not be sent or the connection went away.
    using ReplyCallback = std::function<void(redisReply *reply)>;
    void command(const QByteArrayList &args, ReplyCallback callback = {});

    void subscribe(const QByteArray &channel);
    void psubscribe(const QByteArray &pattern);

Q_SIGNALS:
    void stateChanged(SocketIo::Redis::Connection::State state);
    void drained();
    // A published message: pattern is empty for SUBSCRIBE channels.
    void messageReceived(const QByteArray &pattern, const QByteArray &channel, const QByteArray &message);

private:
    static void onConnect(const redisAsyncContext *ac, int status);
    static void onDisconnect(const redisAsyncContext *ac, int status);
    static void onReply(redisAsyncContext *ac, void *reply, void *privdata);
    static void onSubscription(redisAsyncContext *ac, void *reply, void *privdata);
    static void onPing(redisAsyncContext *ac, void *reply, void *privdata);
    static void addRead(void *data);
    static void delRead(void *data);
    static void addWrite(void *data);
    static void delWrite(void *data);
    static void cleanup(void *data);

    void connectTo(const QString &address);
    void lost(const QString &error);
    void setState(State state);
    void scheduleReconnect();
    void sendSubscriptions();
    void dropContext();
    // Drops the connection now; pending callbacks run with nullptr. Not from a hiredis callback.
    void abandon(const QString &error);
    void sent(qint64 bytes); // a command that expects a reply went out
    void answered(qint64 bytes); // ...and its reply came
    void onWatchdog();

    Endpoint m_endpoint;
    QString m_name;
    redisAsyncContext *m_ac = nullptr;
    QSocketNotifier *m_read = nullptr;
    QSocketNotifier *m_write = nullptr;
    QTimer m_reconnectTimer;
    QTimer m_connectTimer;
    QTimer m_watchdog; // commandTimeout: armed while replies are awaited
    int m_awaiting = 0; // commands and subscriptions sent, not answered
    qint64 m_awaitingBytes = 0;
    qint64 m_replies = 0; // replies so far (anything from Redis)
    qint64 m_repliesMark = 0; // m_replies when the watchdog was armed
    qint64 m_drainMark = -1; // notifyWhenBelow()
    std::chrono::milliseconds m_backoffMin{ 100 };
    std::chrono::milliseconds m_backoffMax{ 5000 };
    std::chrono::milliseconds m_backoff{ 100 };
    State m_state = State::Disconnected;
    QString m_error;
    bool m_wanted = false;
    bool m_warned = false;
    int m_lookupId = -1;
    bool m_subscribing = false; // the connection is up: commands and subscriptions go out
    int m_unconfirmed = 0; // subscriptions sent on this connection, not confirmed yet
    QSet<QByteArray> m_channels;
    QSet<QByteArray> m_patterns;
};

} // namespace SocketIo::Redis
