// SPDX-License-Identifier: MIT
#pragma once

#include <SocketIo/httpmessage.h>
#include <SocketIo/socketioglobal.h>

#include <QDateTime>
#include <QJsonObject>
#include <QMap>
#include <QStringList>
#include <QVariantMap>

namespace SocketIo {

// Values describing a server's state at one moment (Server::snapshot()), for inspectors and
// other threads: nothing in them points into the server.
struct SOCKETIO_EXPORT SocketSnapshot
{
    QString id;
    QString nsp;
    QString engineSessionId;
    SocketIo::Transport transport = SocketIo::Transport::Polling;
    bool upgraded = false;
    QString remoteAddress;
    QDateTime connectedAt;
    QStringList rooms; // sorted, including the socket's own id room
    QJsonObject auth;
    HttpHeaderList headers;
    QString query;
    QVariantMap data;
};

struct SOCKETIO_EXPORT NamespaceSnapshot
{
    QString name;
    QList<SocketSnapshot> sockets; // by id
    QMap<QString, QStringList> rooms; // room -> socket ids, sorted
};

} // namespace SocketIo

Q_DECLARE_METATYPE(SocketIo::SocketSnapshot)
Q_DECLARE_METATYPE(SocketIo::NamespaceSnapshot)
