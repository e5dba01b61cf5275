// SPDX-License-Identifier: MIT
#pragma once

#include <SocketIo/socketioglobal.h>

#include <QByteArray>
#include <QJsonValue>
#include <QList>
#include <QString>

/// \file
/// \brief TrafficEvent: one packet in or out, as observers see it.

namespace SocketIo {

/// \brief One Engine.IO packet seen by the server, as a value snapshot.
///
/// See EngineServer::trafficObserved and Server::trafficObserved, which adds the Socket.IO
/// fields. Safe to queue to other threads and keep.
struct SOCKETIO_EXPORT TrafficEvent
{
    /// \brief Which way the packet went, seen by whoever observed it.
    /// - `Incoming`: received (by a server: from the client; by a client Manager: from the server)
    /// - `Outgoing`: sent (by a server: to the client; by a client Manager: to the server)
    enum class Direction { Incoming, Outgoing };

    qint64 timestampMs = 0; ///< milliseconds since the epoch
    QString sessionId; ///< Engine.IO sid
    /// \brief The transport the packet travelled on.
    SocketIo::Transport transport = SocketIo::Transport::Polling;
    /// \brief In or out.
    Direction direction = Direction::Incoming;
    /// \brief The Engine.IO packet type.
    EnginePacketType type = EnginePacketType::Message;
    bool binary = false; ///< a binary message
    qint64 size = 0; ///< encoded size on the wire (without HTTP/WebSocket framing)
    QByteArray data; ///< packet data: message text (UTF-8) or bytes, "probe", open JSON...

    /// \brief Socket.IO level, filled by Server::trafficObserved for text messages that decode:
    /// the packet type (None otherwise).
    SocketIoPacketType socketIoType = SocketIoPacketType::None;
    QString nsp; ///< Socket.IO level: the namespace
    QString socketId; ///< Socket.IO level: the connection's socket in nsp, when it has one
    QString event; ///< Socket.IO level: EVENT / BINARY_EVENT name
    qint64 ackId = -1; ///< Socket.IO level: the ack id; -1: none
    int attachments = 0; ///< Socket.IO level: binary frames that follow (BINARY_EVENT / BINARY_ACK)
    QJsonValue payload; ///< Socket.IO level: the JSON payload; binaries as {"_placeholder":true,"num":N}
    /// \brief Socket.IO level, msgpack parser only: the binaries the packet carries inline, in
    /// the order of the placeholders that stand for them in payload (with the JSON parser they
    /// travel as attachment frames of their own and this stays empty).
    QList<QByteArray> binaries;
};

/// \brief Fills the Socket.IO fields of \a event (socketIoType, nsp, event, ackId,
/// attachments, payload) from its data when it is a text message that holds a Socket.IO packet,
/// with the library's own decoder; returns false and leaves them as they are otherwise (Engine.IO
/// control packets, binary attachments, undecodable text). socketId is the caller's business.
///
/// For tools that build TrafficEvents themselves, e.g. from a recording (the inspector's HAR
/// import). Packets announcing more than \a maxAttachments binary attachments are not decoded.
/// Thread-safe (a pure function).
SOCKETIO_EXPORT bool decodeSocketIoFields(TrafficEvent &event, int maxAttachments = 1000);

/// \brief As decodeSocketIoFields(TrafficEvent &, int), for a connection that uses \a parser.
///
/// With Parser::MsgPack a binary message is one msgpack packet (npm socket.io-msgpack-parser):
/// its fields are filled as for JSON, with the binaries it carries moved to event.binaries and
/// shown in payload as {"_placeholder":true,"num":N}; attachments stays 0. Text messages are
/// decoded as JSON (Engine.IO v3 clients of a msgpack server speak JSON). Thread-safe.
SOCKETIO_EXPORT bool decodeSocketIoFields(TrafficEvent &event, Parser parser, int maxAttachments = 1000);

/// \brief The engine's traffic hook (EngineServer::addTrafficObserver()): every Engine.IO packet in and
/// out, as a TrafficEvent, called synchronously in the server's thread as the packet is read or
/// written. SocketIo::Server builds its own trafficObserved() on it, like any other client; the
/// engine knows nothing of who listens.
///
/// No snapshot is built while no observer wants one (and nothing is connected to
/// EngineServer::trafficObserved): isObserving() is asked for every packet, keep it cheap.
class SOCKETIO_EXPORT TrafficObserver
{
public:
    virtual ~TrafficObserver();
    /// \brief False while this observer has nobody to tell (a relay whose own listeners are gone).
    virtual bool isObserving() const { return true; }
    /// \brief One packet. May remove this or another observer; must not delete the server.
    virtual void observe(const TrafficEvent &event) = 0;
};

} // namespace SocketIo

Q_DECLARE_METATYPE(SocketIo::TrafficEvent)
