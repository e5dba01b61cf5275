// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/enginepacket.h"

#include <SocketIo/socketioglobal.h>

#include <QList>
#include <QLoggingCategory>
#include <QNetworkRequest>
#include <QObject>
#include <QPointer>
#include <QSslConfiguration>
#include <QTimer>
#include <QUrl>
#include <QUrlQuery>

#include <chrono>
#include <functional>
#include <optional>

class QNetworkAccessManager;
class QNetworkReply;
class QWebSocket;

Q_DECLARE_LOGGING_CATEGORY(lcClient) // socketio.client

namespace SocketIo {

// What an EngineClient needs to know: the manager's options, resolved.
struct EngineClientConfig
{
    QUrl url; // http or https, path included
    QUrlQuery query; // the user's query
    QList<QPair<QByteArray, QByteArray>> headers;
    Transports transports = Transport::Polling | Transport::WebSocket;
    bool upgrade = true;
    int protocol = 4;
    std::optional<QSslConfiguration> ssl;
    bool ignoreSslErrors = false;
    qint64 maxIncomingBytes = 100 * 1000 * 1000;
    std::chrono::milliseconds timeout{ 20000 };
};

class ClientTransport;

// The manager's QNetworkAccessManager (polling requests, the cookie jar), created on first use
// when \a create: a WebSocket-only connection never needs one.
using NamProvider = std::function<QNetworkAccessManager *(bool create)>;

// The client side of one Engine.IO session (engine.io-client's Socket): handshake over the
// first transport, heartbeat, the upgrade from polling to WebSocket, a write buffer flushed
// when the transport can take it (polling payloads cut at the server's maxPayload).
// One use: after failed() or closed() it emits nothing more; delete it then.
class EngineClient : public QObject
{
    Q_OBJECT
public:
    enum class State { Idle, Opening, Open, Closed };

    EngineClient(EngineClientConfig config, NamProvider nam, QObject *parent = nullptr);
    ~EngineClient() override;

    void open();
    // Queues a packet and flushes when possible.
    void send(const Protocol::EnginePacket &packet);
    // Sends a close packet (best effort) and closes: closed("forced close") follows, synchronously.
    void close();
    // Closes for a protocol fault detected above (e.g. "parse error").
    void closeWithReason(const QString &reason, const QString &description);

    State state() const { return m_state; }
    QString sid() const { return m_sid; }
    Transport transport() const;
    bool isWritable() const; // open, transport writable, not upgrading
    int protocol() const { return m_config.protocol; }

Q_SIGNALS:
    void opened();
    void packetReceived(const SocketIo::Protocol::EnginePacket &packet);
    void upgraded(SocketIo::Transport transport);
    void failed(const QString &message); // the handshake did not complete
    void closed(const QString &reason, const QString &description);
    // Every packet as it is written to or read from a transport (probes included), for
    // Manager::trafficObserved. outgoing: written by this client.
    void packetObserved(SocketIo::Transport transport, bool outgoing,
                        const SocketIo::Protocol::EnginePacket &packet);

private:
    void write(ClientTransport *transport, const QList<Protocol::EnginePacket> &packets);
    void observeIncoming(Transport transport, const Protocol::EnginePacket &packet);
    void onPackets(const QList<Protocol::EnginePacket> &packets, Transport from);
    void onHandshake(const QByteArray &json);
    void onTransportError(const QString &message);
    void onTransportClosed();
    void resetPingTimeout();
    void flush();
    void probe();
    void finishUpgrade();
    void abandonProbe(const QString &why);
    void fail(const QString &message);
    void finish(const QString &reason, const QString &description, bool sendClose);
    ClientTransport *createTransport(Transport kind);

    EngineClientConfig m_config;
    NamProvider m_nam;
    State m_state = State::Idle;
    QString m_sid;
    ClientTransport *m_transport = nullptr;
    ClientTransport *m_probe = nullptr;
    bool m_upgrading = false;
    QList<Protocol::EnginePacket> m_writeBuffer;
    std::chrono::milliseconds m_pingInterval{ 25000 };
    std::chrono::milliseconds m_pingTimeout{ 20000 };
    qint64 m_maxPayload = 0;
    QTimer m_openTimer;
    QTimer m_pingTimeoutTimer;
    QTimer m_pingTimer; // v3: the client pings
};

// A client transport: bytes <-> engine packets for one session.
class ClientTransport : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    virtual Transport kind() const = 0;
    virtual void open(const QString &sid) = 0;
    virtual void setSid(const QString &sid) = 0;
    virtual void write(const QList<Protocol::EnginePacket> &packets) = 0;
    virtual bool isWritable() const = 0;
    // Polling: stop polling after the requests in flight; pausedDone() then. WebSocket: at once.
    virtual void pause() = 0;
    virtual bool isPaused() const = 0;
    // Best-effort close packet then stop; emits nothing afterwards.
    virtual void shutdown(bool sendClosePacket) = 0;

Q_SIGNALS:
    void opened();
    void packetsReceived(const QList<SocketIo::Protocol::EnginePacket> &packets);
    void drained();
    void pausedDone();
    void errorOccurred(const QString &message);
    void closedByPeer();
};

} // namespace SocketIo
