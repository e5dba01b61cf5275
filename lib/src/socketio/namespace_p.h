// SPDX-License-Identifier: MIT
#pragma once

#include "arguments.h"

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

    // Rooms (socket.io-adapter's in-memory adapter).
    void addToRoom(Socket *socket, const QString &room);
    void removeFromRoom(Socket *socket, const QString &room);
    QList<Socket *> recipients(const Broadcast &broadcast) const;
    void broadcast(const Broadcast &target, const QString &event, const QVariantList &args);
    void broadcastWithAck(const Broadcast &target, const QString &event, const QVariantList &args,
                          QObject *context, Broadcast::AcksCallback callback);
    qint64 nextAckId() { return m_ackId++; }

    // Class-based handlers.
    void dispatchToHandlers(Socket *socket, const QString &event, const QVariantList &args, const Ack &ack);
    void notifyHandlers(const char *slot, Socket *socket, const QVariantList &args);

    Namespace *const q;
    QString name;
    Server *server;
    QList<Namespace::Middleware> middleware;
    QHash<QString, Socket *> sockets; // connected, by socket id
    QHash<QString, QSet<Socket *>> rooms;
    QList<QPointer<QObject>> handlers;

private:
    qint64 m_ackId = 0;
};

} // namespace SocketIo
