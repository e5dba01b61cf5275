// SPDX-License-Identifier: MIT
#pragma once

#include <SocketIo/engineserver.h>
#include <SocketIo/server.h>

#include <QHash>
#include <QMetaMethod>

#include <optional>

namespace SocketIo {

class Connection;

class ServerPrivate
{
public:
    ServerPrivate(Server *q, const ServerOptions &options);

    // The namespace for a client's CONNECT: existing, or created by a dynamic rule; null if refused
    // (*overLimit: a rule matched but ServerOptions::maxNamespaces is reached; counted, logged).
    Namespace *namespaceFor(const QString &name, const QJsonObject &auth, bool *overLimit);
    void observe(TrafficEvent event);
    // Reports the incoming CONNECT held by observe() with the socket it created, if any.
    void releaseHeldConnect();
    // Server::removeNamespace(): its sockets leave, namespaceRemoved, deleted later.
    bool removeNamespace(Namespace *nsp);
    // ServerOptions::cleanupEmptyChildNamespaces: removes nsp if it is a dynamic namespace with
    // no socket, connected or in its middleware.
    void cleanupIfEmpty(Namespace *nsp);
    // A remote address as text; IPv4-mapped IPv6 addresses (::ffff:1.2.3.4) as IPv4.
    static QString addressText(const QHostAddress &address);

    // Server::trafficObserved on the engine's traffic hook.
    class TrafficRelay final : public TrafficObserver
    {
    public:
        explicit TrafficRelay(ServerPrivate *d)
            : d(d)
        { }
        bool isObserving() const override; // something is connected to Server::trafficObserved
        void observe(const TrafficEvent &event) override;

    private:
        ServerPrivate *const d;
    };

    Server *const q;
    ServerOptions options;
    EngineServer *engine;
    const QMetaMethod trafficSignal;
    QAtomicInt trafficConnections; // to Server::trafficObserved; -1: unknown (disconnectNotify)
    TrafficRelay trafficObserver;
    Namespace *mainNamespace = nullptr; // "/", created by Server's constructor
    QHash<QString, Namespace *> namespaces;
    QList<QRegularExpression> dynamicPatterns;
    QList<Server::NamespaceFilter> dynamicFilters;
    QHash<QString, Connection *> connections; // by Engine.IO sid
    AdapterFactory adapterFactory; // empty: InMemoryAdapter
    std::optional<TrafficEvent> heldConnect; // an incoming CONNECT not handled yet
    qint64 refusedNamespaces = 0; // ServerOptions::maxNamespaces
    qint64 namespaceLogMs = -1; // when the last refusal was logged (at most one line a second)
    qint64 namespaceLogSuppressed = 0;
};

} // namespace SocketIo
