// SPDX-License-Identifier: MIT
#pragma once

#include <SocketIo/httpmessage.h>
#include <SocketIo/socketioglobal.h>

#include <QDateTime>
#include <QJsonObject>
#include <QMap>
#include <QStringList>
#include <QVariantMap>

/// \file
/// \brief Value snapshots of a server's namespaces and sockets: NamespaceSnapshot, SocketSnapshot.

namespace SocketIo {

/// \brief One socket at one moment (Server::snapshot(), Server::socketSnapshot()).
///
/// Values describing a server's state at one moment, for inspectors and other threads:
/// nothing in them points into the server.
struct SOCKETIO_EXPORT SocketSnapshot
{
    /// \brief The socket id (Socket::id()).
    QString id;
    /// \brief The name of its namespace.
    QString nsp;
    /// \brief The Engine.IO session id of its connection (Socket::engineSessionId()).
    QString engineSessionId;
    /// \brief The connection's current transport.
    SocketIo::Transport transport = SocketIo::Transport::Polling;
    /// \brief Whether the connection moved from polling to WebSocket.
    bool upgraded = false;
    /// \brief The client's address, as text.
    QString remoteAddress;
    /// \brief When the socket connected to the namespace.
    QDateTime connectedAt;
    QStringList rooms; ///< sorted, including the socket's own id room
    /// \brief The CONNECT packet's auth payload ({} if none).
    QJsonObject auth;
    /// \brief The HTTP headers of the request that opened the connection.
    HttpHeaderList headers;
    /// \brief That request's query string.
    QString query;
    /// \brief The socket's free-form data (Socket::data()).
    QVariantMap data;
};

/// \brief One namespace at one moment: its sockets and rooms (Server::snapshot()).
struct SOCKETIO_EXPORT NamespaceSnapshot
{
    /// \brief The namespace's name, e.g. "/".
    QString name;
    QList<SocketSnapshot> sockets; ///< by id
    QMap<QString, QStringList> rooms; ///< room -> socket ids, sorted
};

} // namespace SocketIo

Q_DECLARE_METATYPE(SocketIo::SocketSnapshot)
Q_DECLARE_METATYPE(SocketIo::NamespaceSnapshot)
