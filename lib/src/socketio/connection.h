// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/arguments.h"
#include "protocol/socketiopacket.h"

#include <SocketIo/enginesession.h>
#include <SocketIo/socket.h>

#include <QHash>
#include <QPointer>
#include <QTimer>

#include <vector>

namespace SocketIo {

class Server;
class ServerPrivate;

// One Engine.IO session seen by Socket.IO (socket.io's Client): decodes packets, routes them
// to the session's sockets (one per namespace), writes encoded packets. A child of its session.
class Connection : public QObject
{
    Q_OBJECT
public:
    Connection(ServerPrivate *server, EngineSession *session);
    ~Connection() override;

    EngineSession *session() const { return m_session; }
    Socket *socket(const QString &nsp) const;
    int protocol() const { return m_session->protocolVersion(); }
    // The packet encoding: the server's parser (Engine.IO v3 clients: always JSON).
    Arguments::Format format() const { return m_format; }
    bool isOpen() const { return m_session->state() == EngineSession::State::Open; }
    // The socket id a v3 client expects for nsp ("<nsp>#<engine id>", the engine id for "/");
    // empty for v4 clients, whose socket ids are random.
    QString socketIdFor(const QString &nsp) const;

    // Writes an encoded packet (text frame, then its attachments). Volatile packets are
    // dropped when the transport cannot take them at once.
    void send(const Arguments::Encoded &packet, bool isVolatile = false);
    void send(const Protocol::SocketIoPacket &packet) { send(Arguments::encode(packet, m_format)); }

    // A socket is created for a CONNECT (middleware pending), has connected, or is gone.
    void socketConnecting(Socket *socket);
    void socketConnected(Socket *socket);
    void socketRemoved(Socket *socket);
    // Every socket leaves with reason, then the session closes.
    void close(DisconnectReason reason);
    // socket.disconnect(true): every socket leaves with a DISCONNECT packet, then the session closes.
    void disconnectAll();

private:
    void onText(const QByteArray &text);
    void onBinary(const QByteArray &data);
    void onDecoded(Protocol::SocketIoDecoder::Status status);
    void onPacket(Protocol::SocketIoPacket packet);
    void connectNamespace(const QString &name, const QJsonValue &auth);
    void onSessionClosed(CloseReason reason, const QString &description);
    void protocolError(const QString &description);
    void closeSockets(DisconnectReason reason);
    void setSocket(Socket *socket);

    ServerPrivate *m_server;
    // Null once the Server's QObject is being destroyed (its private is gone by then): the
    // destructor unregisters this connection from the server only while it is alive.
    QPointer<Server> m_serverObject;
    QString m_id; // the session's id, for the destructor (the session is half-destroyed by then)
    EngineSession *m_session;
    Protocol::SocketIoDecoder m_decoder;
    // Connected or connecting, by namespace: a flat list (a connection nearly always has one
    // namespace; a one-entry QHash costs more than a kilobyte).
    struct NamespaceSocket
    {
        QString nsp;
        QPointer<Socket> socket;
    };
    std::vector<NamespaceSocket> m_sockets;
    QTimer m_connectTimer;
    bool m_closing = false;
    Arguments::Format m_format = Arguments::Format::Json;
};

} // namespace SocketIo
