// SPDX-License-Identifier: MIT
#pragma once

#include <SocketIo/engineserver.h>
#include <SocketIo/server.h>

#include <QHash>

namespace SocketIo {

class Connection;

class ServerPrivate
{
public:
    ServerPrivate(Server *q, const ServerOptions &options);

    // The namespace for a client's CONNECT: existing, or created by a dynamic rule; null if refused.
    Namespace *namespaceFor(const QString &name, const QJsonObject &auth);
    void observe(TrafficEvent event);

    Server *const q;
    ServerOptions options;
    EngineServer *engine;
    QHash<QString, Namespace *> namespaces;
    QList<QRegularExpression> dynamicPatterns;
    QList<Server::NamespaceFilter> dynamicFilters;
    QHash<QString, Connection *> connections; // by Engine.IO sid
};

} // namespace SocketIo
