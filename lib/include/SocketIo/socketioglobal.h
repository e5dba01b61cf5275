// SPDX-License-Identifier: MIT
#pragma once

#include <SocketIo/socketio_export.h>

#include <QMetaType>
#include <QObject>
#include <QString>

namespace SocketIo {
Q_NAMESPACE_EXPORT(SOCKETIO_EXPORT)

// The two Engine.IO transports.
enum class Transport { Polling = 0x1, WebSocket = 0x2 };
Q_DECLARE_FLAGS(Transports, Transport)
Q_FLAG_NS(Transports)
Q_ENUM_NS(Transport)

// Engine.IO packet types, with their wire digits.
enum class EnginePacketType { Open = 0, Close = 1, Ping = 2, Pong = 3, Message = 4, Upgrade = 5, Noop = 6 };
Q_ENUM_NS(EnginePacketType)

// Socket.IO packet types, with their wire digits.
enum class SocketIoPacketType {
    None = -1, // not a Socket.IO packet (Engine.IO control, binary attachment, undecodable)
    Connect = 0,
    Disconnect = 1,
    Event = 2,
    Ack = 3,
    ConnectError = 4,
    BinaryEvent = 5,
    BinaryAck = 6,
};
Q_ENUM_NS(SocketIoPacketType)

// Why an Engine.IO session ended; closeReasonString() gives the reference's reason string.
enum class CloseReason {
    TransportClose, // "transport close": the client closed (close packet, socket closed)
    TransportError, // "transport error": I/O error, overlapping poll, payload too large
    PingTimeout, // "ping timeout"
    ParseError, // "parse error": a packet that does not decode
    ForcedClose, // "forced close": EngineSession::close()
    ForcedServerClose, // "forced server close": EngineServer::close()
    // "send buffer full": the client did not read and more than EngineOptions::maxSendBufferSize
    // waited for it (not in engine.io, which has no limit)
    SendBufferFull,
};
Q_ENUM_NS(CloseReason)

SOCKETIO_EXPORT QString closeReasonString(CloseReason reason);

// Why a socket left its namespace; disconnectReasonString() gives socket.io's reason string.
enum class DisconnectReason {
    ServerNamespaceDisconnect, // "server namespace disconnect": Socket::disconnect()
    ClientNamespaceDisconnect, // "client namespace disconnect": the client left the namespace
    ServerShuttingDown, // "server shutting down": Server::close()
    PingTimeout, // "ping timeout"
    TransportClose, // "transport close"
    TransportError, // "transport error"
    ParseError, // "parse error": the client sent a malformed packet
    ForcedClose, // "forced close": the connection was closed on purpose
    ForcedServerClose, // "forced server close": Socket::disconnect(DisconnectMode::Close)
    // "send buffer full": the connection was closed because its client did not read (see
    // EngineOptions::maxSendBufferSize; not in socket.io, which has no limit)
    SendBufferFull,
};
Q_ENUM_NS(DisconnectReason)
SOCKETIO_EXPORT QString disconnectReasonString(DisconnectReason reason);

enum class DisconnectMode {
    Namespace, // leave this namespace; the connection stays (socket.disconnect())
    Close, // close the whole connection (socket.disconnect(true))
};
Q_ENUM_NS(DisconnectMode)

// How an acknowledgement we asked for ended.
enum class AckStatus { Received, TimedOut, Disconnected };
Q_ENUM_NS(AckStatus)

SOCKETIO_EXPORT QString transportName(Transport transport); // "polling", "websocket"

} // namespace SocketIo

Q_DECLARE_OPERATORS_FOR_FLAGS(SocketIo::Transports)
