// SPDX-License-Identifier: MIT
#include "connection.h"

#include "logging_p.h"
#include "namespace_p.h"
#include "protocol/msgpackpacket.h"
#include "server_p.h"
#include "socket_p.h"

#include <QCborArray>
#include <QCborMap>
#include <QJsonArray>
#include <QJsonObject>
#include <QScopeGuard>

#include <algorithm>

namespace SocketIo {

using namespace Protocol;
using Type = SocketIoPacket::Type;

namespace {

QString decodeQueryPart(QByteArray part)
{
    return QString::fromUtf8(QByteArray::fromPercentEncoding(part.replace('+', ' ')));
}

// Engine.IO v3 clients (socket.io-client 2.x) send a namespace's query string in its CONNECT
// ("0/custom?token=abc,"). socket.io 4 reads every v3 packet's namespace as a URL (Client.ondecoded,
// url.parse(nsp, true)): the path is the namespace, the query (values as strings, a repeated key
// as an array) is the CONNECT's auth.
QString splitV3Namespace(const QString &nsp, QJsonObject *query)
{
    const qsizetype hash = nsp.indexOf(QLatin1Char('#'));
    const QString url = hash < 0 ? nsp : nsp.left(hash);
    const qsizetype mark = url.indexOf(QLatin1Char('?'));
    if (mark < 0)
        return url;
    const QByteArray text = url.mid(mark + 1).toUtf8();
    for (const QByteArray &pair : text.split('&')) {
        if (pair.isEmpty())
            continue;
        const qsizetype eq = pair.indexOf('=');
        const QString key = decodeQueryPart(eq < 0 ? pair : pair.left(eq));
        const QString value = eq < 0 ? QString() : decodeQueryPart(pair.mid(eq + 1));
        const QJsonValue existing = query->value(key);
        if (existing.isUndefined()) {
            query->insert(key, value);
        } else {
            QJsonArray values = existing.isArray() ? existing.toArray() : QJsonArray{ existing };
            values.append(value);
            query->insert(key, values);
        }
    }
    return url.left(mark);
}

} // namespace

Connection::Connection(ServerPrivate *server, EngineSession *session)
    : QObject(session)
    , m_server(server)
    , m_serverObject(server->q)
    , m_id(session->id())
    , m_session(session)
    , m_decoder({ server->options.maxAttachments, server->options.engine.maxHttpBufferSize })
    , m_format(server->options.parser == Parser::MsgPack && session->protocolVersion() != 3
                   ? Arguments::Format::MsgpackServer
                   : Arguments::Format::Json)
{
    connect(session, &EngineSession::textMessageReceived, this, &Connection::onText);
    connect(session, &EngineSession::binaryMessageReceived, this, &Connection::onBinary);
    connect(session, &EngineSession::closed, this, &Connection::onSessionClosed);
    if (session->protocolVersion() == 3) {
        // Engine.IO v3 clients (socket.io-client 2.x) join the main namespace implicitly. The
        // connect timeout still applies: a middleware may refuse them.
        QMetaObject::invokeMethod(
            this, [this] { connectNamespace(QStringLiteral("/"), QJsonValue::Undefined); },
            Qt::QueuedConnection);
    }
    m_connectTimer.setSingleShot(true);
    connect(&m_connectTimer, &QTimer::timeout, this, [this] {
        // A socket still in its middleware does not count: it has not joined yet.
        const bool joined = std::any_of(m_sockets.cbegin(), m_sockets.cend(), [](const NamespaceSocket &s) {
            return s.socket && s.socket->isConnected();
        });
        if (!joined) {
            qCInfo(lcServer).noquote()
                << "connection" << m_session->id() << "joined no namespace in time: closing";
            close(DisconnectReason::ForcedServerClose);
        }
    });
    m_connectTimer.start(server->options.connectTimeout);
}

Connection::~Connection()
{
    // A direct call instead of a connection per session to our destroyed() signal.
    if (m_serverObject)
        m_server->connections.remove(m_id);
}

Socket *Connection::socket(const QString &nsp) const
{
    for (const NamespaceSocket &entry : m_sockets) {
        if (entry.nsp == nsp)
            return entry.socket;
    }
    return nullptr;
}

void Connection::send(const Arguments::Encoded &packet, bool isVolatile)
{
    if (!isOpen())
        return;
    if (packet.binary) { // one msgpack packet
        if (isVolatile)
            m_session->sendVolatileBinary(packet.text);
        else
            m_session->sendBinary(packet.text);
        return;
    }
    if (isVolatile) {
        if (!m_session->sendVolatileText(packet.text))
            return; // the client is not keeping up: dropped (attachments too)
    } else {
        m_session->sendText(packet.text);
    }
    for (const QByteArray &attachment : packet.attachments)
        m_session->sendBinary(attachment);
}

void Connection::onText(const QByteArray &text)
{
    // After this connection has handled a message: a CONNECT it carried has created its socket
    // by now (a direct call instead of a second connection per session to this signal).
    ServerPrivate *const server = m_server;
    const auto release = qScopeGuard([server] { server->releaseHeldConnect(); });
    if (m_format != Arguments::Format::Json) {
        protocolError(QString::fromLatin1(SocketIoCodec::errorMessage(SocketIoCodec::Error::UnexpectedText)));
        return;
    }
    // Events and acks to a joined namespace, read straight into their arguments when the
    // payload allows; everything else (and every v3 packet: their namespaces carry queries)
    // through the decoder.
    if (!m_closing && !m_decoder.isAwaitingAttachments() && protocol() != 3) {
        Arguments::Direct packet;
        if (Arguments::decodeDirect(text, &packet)) {
            Socket *socket = this->socket(packet.nsp);
            if (socket && socket->d->connected) {
                if (packet.isAck)
                    socket->d->onAck(packet.id, std::move(packet.args));
                else
                    socket->d->onEvent(packet.id, std::move(packet.args));
                return;
            }
        }
    }
    onDecoded(m_decoder.addText(text));
}

void Connection::onBinary(const QByteArray &data)
{
    if (m_format != Arguments::Format::Json) {
        // The msgpack parser: every packet is one binary message, whole.
        ServerPrivate *const server = m_server;
        const auto release = qScopeGuard([server] { server->releaseHeldConnect(); });
        Msgpack::Decoded decoded = Msgpack::decode(data);
        if (!decoded)
            protocolError(QString::fromLatin1(SocketIoCodec::errorMessage(decoded.error)));
        else
            onPacket(std::move(*decoded.packet));
        return;
    }
    onDecoded(m_decoder.addBinary(data));
}

void Connection::onDecoded(SocketIoDecoder::Status status)
{
    switch (status) {
    case SocketIoDecoder::Status::Packet:
        onPacket(m_decoder.takePacket());
        break;
    case SocketIoDecoder::Status::NeedMore:
        break;
    case SocketIoDecoder::Status::Error:
        protocolError(QString::fromLatin1(SocketIoCodec::errorMessage(m_decoder.error())));
        break;
    }
}

void Connection::protocolError(const QString &description)
{
    qCInfo(lcServer).noquote() << "connection" << m_session->id() << "from"
                               << m_session->remoteAddress().toString()
                               << "sent a malformed packet:" << description;
    close(DisconnectReason::ParseError);
}

QString Connection::socketIdFor(const QString &nsp) const
{
    // socket.io 4 gives v3 clients the ids socket.io-client 2.x derives from the engine id.
    if (protocol() != 3)
        return {};
    return nsp == QLatin1String("/") ? m_session->id() : nsp + QLatin1Char('#') + m_session->id();
}

void Connection::onPacket(SocketIoPacket packet)
{
    if (m_closing)
        return;
    if (protocol() == 3) {
        QJsonObject query;
        packet.nsp = splitV3Namespace(packet.nsp, &query);
        if (packet.type == Type::Connect)
            packet.data = QCborMap::fromJsonObject(query);
    }
    Socket *socket = this->socket(packet.nsp);
    if (!socket && packet.type == Type::Connect) {
        connectNamespace(packet.nsp, packet.data.toJsonValue());
        return;
    }
    if (socket && socket->d->connected && packet.type != Type::Connect && packet.type != Type::ConnectError) {
        switch (packet.type) {
        case Type::Event:
        case Type::BinaryEvent:
            socket->d->onEvent(std::move(packet));
            break;
        case Type::Ack:
        case Type::BinaryAck:
            socket->d->onAck(std::move(packet));
            break;
        case Type::Disconnect:
            socket->d->onClose(DisconnectReason::ClientNamespaceDisconnect);
            break;
        default:
            break;
        }
        return;
    }
    // socket.io (Client.ondecoded) closes a connection that talks to a namespace it has not
    // joined, or joins twice: "invalid state", a forced server close.
    qCInfo(lcServer).noquote() << "connection" << m_session->id() << "sent packet type" << int(packet.type)
                               << "for namespace" << packet.nsp << "in an invalid state: closing";
    close(DisconnectReason::ForcedServerClose);
}

void Connection::connectNamespace(const QString &name, const QJsonValue &auth)
{
    if (m_closing)
        return;
    const QJsonObject authObject = auth.toObject();
    bool overLimit = false;
    Namespace *nsp = m_server->namespaceFor(name, authObject, &overLimit);
    if (!nsp) {
        if (!overLimit)
            qCInfo(lcServer).noquote()
                << "connection" << m_session->id() << "asked for unknown namespace" << name;
        SocketIoPacket error;
        error.type = Type::ConnectError;
        error.nsp = name;
        // The same object for v3 clients as socket.io 4 sends (2.x emits it as an `error` event).
        error.data = QCborMap{ { QStringLiteral("message"),
                                 overLimit ? QStringLiteral("Too many namespaces")
                                           : QStringLiteral("Invalid namespace") } };
        send(error);
        return;
    }
    nsp->d->add(this, authObject);
}

void Connection::setSocket(Socket *socket)
{
    const QString name = socket->d->nsp->name();
    for (NamespaceSocket &entry : m_sockets) {
        if (entry.nsp == name) {
            entry.socket = socket;
            return;
        }
    }
    m_sockets.push_back({ name, socket });
}

void Connection::socketConnecting(Socket *socket)
{
    setSocket(socket);
}

void Connection::socketConnected(Socket *socket)
{
    setSocket(socket);
    m_connectTimer.stop();
}

void Connection::socketRemoved(Socket *socket)
{
    const QString name = socket->d->nsp->name();
    const auto it = std::find_if(m_sockets.begin(), m_sockets.end(),
                                 [&](const NamespaceSocket &entry) { return entry.nsp == name; });
    if (it != m_sockets.end() && it->socket == socket)
        m_sockets.erase(it);
}

void Connection::close(DisconnectReason reason)
{
    if (m_closing)
        return;
    m_closing = true;
    closeSockets(reason);
    m_session->close();
}

void Connection::disconnectAll()
{
    if (m_closing)
        return;
    const auto sockets = m_sockets;
    for (const NamespaceSocket &entry : sockets) {
        if (entry.socket)
            entry.socket->close(DisconnectMode::Namespace);
    }
    close(DisconnectReason::ServerNamespaceDisconnect);
}

void Connection::onSessionClosed(CloseReason reason, const QString &description)
{
    Q_UNUSED(description)
    DisconnectReason why = DisconnectReason::TransportClose;
    switch (reason) {
    case CloseReason::TransportClose:
        why = DisconnectReason::TransportClose;
        break;
    case CloseReason::TransportError:
        why = DisconnectReason::TransportError;
        break;
    case CloseReason::PingTimeout:
        why = DisconnectReason::PingTimeout;
        break;
    case CloseReason::ParseError:
        why = DisconnectReason::ParseError;
        break;
    case CloseReason::ForcedClose:
        why = DisconnectReason::ForcedClose;
        break;
    case CloseReason::ForcedServerClose:
        why = DisconnectReason::ForcedServerClose;
        break;
    case CloseReason::SendBufferFull:
        why = DisconnectReason::SendBufferFull;
        break;
    case CloseReason::SendTimeout:
        why = DisconnectReason::SendTimeout;
        break;
    }
    m_closing = true;
    closeSockets(why);
}

void Connection::closeSockets(DisconnectReason reason)
{
    const auto sockets = std::exchange(m_sockets, {});
    for (const NamespaceSocket &entry : sockets) {
        if (entry.socket)
            entry.socket->d->onClose(reason);
    }
}

} // namespace SocketIo
