// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/arguments.h"

#include <SocketIo/adapter.h>
#include <SocketIo/namespace.h>

#include <QHash>
#include <QMetaMethod>
#include <QPointer>

namespace SocketIo {

class Connection;

struct Next::State
{
    QPointer<Namespace> nsp;
    QPointer<Socket> socket;
    int index = 0;
    bool called = false;
};

class NamespacePrivate
{
public:
    NamespacePrivate(Namespace *q, const QString &name, Server *server);

    // A client asks to join: run the middleware, then connect (or refuse).
    void add(Connection *connection, const QJsonObject &auth);
    void runMiddleware(Socket *socket, int index);
    void reject(Socket *socket, const QString &message, const QJsonValue &data);
    void doConnect(Socket *socket);
    void remove(Socket *socket);

    // Rooms and broadcasts go through the adapter (socket.io's Adapter).
    void addToRoom(Socket *socket, const QString &room);
    void removeFromRoom(Socket *socket, const QString &room);
    void removeFromAllRooms(Socket *socket);
    static BroadcastOptions options(const Broadcast &target);
    QList<Socket *> recipients(const Broadcast &broadcast) const; // this server's
    void broadcast(const Broadcast &target, const QString &event, const QVariantList &args);
    void broadcastWithAck(const Broadcast &target, const QString &event, const QVariantList &args,
                          QObject *context, Broadcast::AcksCallback callback);
    // For InMemoryAdapter: the connected sockets among ids, and one packet encoded once and
    // written to each (with an ack id when ack is set).
    QList<Socket *> connectedSockets(const QStringList &ids) const;
    void deliver(const QList<Socket *> &targets, const EventPacket &packet, bool isVolatile,
                 Adapter::ClientAckCallback ack = {});
    // Replaces the adapter, carrying over this server's room memberships without signals.
    void setAdapter(Adapter *replacement);
    qint64 nextAckId() { return m_ackId++; }

    // Class-based handlers.
    void dispatchToHandlers(Socket *socket, const QString &event, const QVariantList &args, const Ack &ack);
    void notifyHandlers(const char *slot, Socket *socket, const QVariantList &args);

    Namespace *const q;
    QString name;
    Server *server;
    QList<Namespace::Middleware> middleware;
    QHash<QString, Socket *> sockets; // connected, by socket id
    Adapter *adapter = nullptr; // a child of q
    QList<QPointer<QObject>> handlers;

private:
    qint64 m_ackId = 0;
};

} // namespace SocketIo
