// SPDX-License-Identifier: MIT
#include "connection.h"
#include "namespace_p.h"
#include "server_p.h"
#include "socket_p.h"

#include <SocketIo/enginesession.h>

#include <QRandomGenerator>

namespace SocketIo {

ServerOptions::ServerOptions()
{
    engine.path = QStringLiteral("/socket.io/");
}

Server::Server(QObject *parent)
    : Server(ServerOptions(), parent)
{ }

Server::Server(const ServerOptions &options, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<ServerPrivate>(this, options))
{
    connect(d->engine, &EngineServer::sessionOpened, this,
            [this](EngineSession *session) { new Connection(d.get(), session); });
    mainNamespace();
}

Server::~Server()
{
    close();
}

ServerOptions Server::options() const
{
    return d->options;
}

bool Server::listen(const QHostAddress &address, quint16 port)
{
    return d->engine->listen(address, port);
}

void Server::close()
{
    const auto all = d->namespaces.values();
    for (Namespace *nsp : all) {
        const auto sockets = nsp->sockets();
        for (Socket *socket : sockets)
            socket->d->onClose(DisconnectReason::ServerShuttingDown);
    }
    d->engine->close();
}

bool Server::isListening() const
{
    return d->engine->isListening();
}

QHostAddress Server::serverAddress() const
{
    return d->engine->serverAddress();
}

quint16 Server::serverPort() const
{
    return d->engine->serverPort();
}

QString Server::errorString() const
{
    return d->engine->errorString();
}

EngineServer *Server::engine() const
{
    return d->engine;
}

Namespace *Server::of(const QString &name)
{
    const QString normalized = name.startsWith(QLatin1Char('/')) ? name : QLatin1Char('/') + name;
    if (Namespace *existing = d->namespaces.value(normalized))
        return existing;
    auto *nsp = new Namespace(normalized, this);
    d->namespaces.insert(normalized, nsp);
    Q_EMIT namespaceCreated(nsp);
    return nsp;
}

Namespace *Server::findNamespace(const QString &name) const
{
    return d->namespaces.value(name);
}

QList<Namespace *> Server::namespaces() const
{
    return d->namespaces.values();
}

void Server::addDynamicNamespace(const QRegularExpression &pattern)
{
    d->dynamicPatterns.append(pattern);
}

void Server::addDynamicNamespace(NamespaceFilter filter)
{
    d->dynamicFilters.append(std::move(filter));
}

// --- ServerPrivate ---------------------------------------------------------------------------

ServerPrivate::ServerPrivate(Server *q, const ServerOptions &options)
    : q(q)
    , options(options)
    , engine(new EngineServer(options.engine, q))
{
    qRegisterMetaType<SocketIo::Ack>();
    qRegisterMetaType<SocketIo::DisconnectReason>();
}

Namespace *ServerPrivate::namespaceFor(const QString &name, const QJsonObject &auth)
{
    if (Namespace *existing = namespaces.value(name))
        return existing;
    for (const QRegularExpression &pattern : std::as_const(dynamicPatterns)) {
        if (pattern.match(name).hasMatch())
            return q->of(name);
    }
    for (const Server::NamespaceFilter &filter : std::as_const(dynamicFilters)) {
        if (filter(name, auth))
            return q->of(name);
    }
    return nullptr;
}

QString ServerPrivate::generateId()
{
    quint32 words[4];
    QRandomGenerator::system()->fillRange(words);
    const QByteArray bytes(reinterpret_cast<const char *>(words), 15);
    return QString::fromLatin1(
        bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

} // namespace SocketIo
