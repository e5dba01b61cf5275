// SPDX-License-Identifier: MIT
#pragma once

#include <SocketIo/socketio_export.h>

#include <QMetaType>
#include <QObject>
#include <QString>

/// \file
/// \brief The library's enums and their reason strings, shared by every other header.

namespace SocketIo {
Q_NAMESPACE_EXPORT(SOCKETIO_EXPORT)

/// \brief The two Engine.IO transports (flags: EngineOptions::transports combines them).
/// - `Polling`: HTTP long-polling
/// - `WebSocket`: WebSocket (RFC 6455), directly or upgraded from polling
enum class Transport { Polling = 0x1, WebSocket = 0x2 };
/// \brief A set of Transport values (QFlags).
Q_DECLARE_FLAGS(Transports, Transport)
Q_FLAG_NS(Transports)
Q_ENUM_NS(Transport)

/// \brief Engine.IO packet types, with their wire digits.
/// - `Open`: the handshake's answer, with sid and timings (`0`)
/// - `Close`: the session ends (`1`)
/// - `Ping`: heartbeat or upgrade probe (`2`)
/// - `Pong`: its answer (`3`)
/// - `Message`: application data, text or binary (`4`)
/// - `Upgrade`: the client switches to WebSocket (`5`)
/// - `Noop`: nothing; answers a pending poll during an upgrade (`6`)
enum class EnginePacketType { Open = 0, Close = 1, Ping = 2, Pong = 3, Message = 4, Upgrade = 5, Noop = 6 };
Q_ENUM_NS(EnginePacketType)

/// \brief Socket.IO packet types, with their wire digits.
/// - `None`: not a Socket.IO packet (Engine.IO control, binary attachment, undecodable)
/// - `Connect`: CONNECT, joining a namespace (`0`)
/// - `Disconnect`: DISCONNECT, leaving a namespace (`1`)
/// - `Event`: EVENT (`2`)
/// - `Ack`: ACK, the answer to an event that asked for one (`3`)
/// - `ConnectError`: CONNECT_ERROR, a refused CONNECT (`4`)
/// - `BinaryEvent`: BINARY_EVENT, an event followed by binary attachments (`5`)
/// - `BinaryAck`: BINARY_ACK, an ack followed by binary attachments (`6`)
enum class SocketIoPacketType {
    None = -1, ///< not a Socket.IO packet (Engine.IO control, binary attachment, undecodable)
    Connect = 0,
    Disconnect = 1,
    Event = 2,
    Ack = 3,
    ConnectError = 4,
    BinaryEvent = 5,
    BinaryAck = 6,
};
Q_ENUM_NS(SocketIoPacketType)

/// \brief Why an Engine.IO session ended; closeReasonString() gives the reference's reason string.
enum class CloseReason {
    TransportClose, ///< "transport close": the client closed (close packet, socket closed)
    TransportError, ///< "transport error": I/O error, overlapping poll, payload too large
    PingTimeout, ///< "ping timeout"
    ParseError, ///< "parse error": a packet that does not decode
    ForcedClose, ///< "forced close": EngineSession::close()
    ForcedServerClose, ///< "forced server close": EngineServer::close()
    /// "send buffer full": the client did not read and more than EngineOptions::maxSendBufferSize
    /// waited for it (not in engine.io, which has no limit)
    SendBufferFull,
    /// "send timeout": output waited for the client and it took none of it for
    /// EngineOptions::sendTimeout (not in engine.io)
    SendTimeout,
};
Q_ENUM_NS(CloseReason)

/// \brief The reason string engine.io reports for \a reason, e.g. "ping timeout".
SOCKETIO_EXPORT QString closeReasonString(CloseReason reason);

/// \brief Why a socket left its namespace; disconnectReasonString() gives socket.io's reason string.
enum class DisconnectReason {
    ServerNamespaceDisconnect, ///< "server namespace disconnect": Socket::close(), either mode
    ClientNamespaceDisconnect, ///< "client namespace disconnect": the client left the namespace
    ServerShuttingDown, ///< "server shutting down": Server::close()
    PingTimeout, ///< "ping timeout"
    TransportClose, ///< "transport close"
    TransportError, ///< "transport error"
    ParseError, ///< "parse error": the client sent a malformed packet
    ForcedClose, ///< "forced close": the connection was closed on purpose
    ForcedServerClose, ///< "forced server close": no namespace joined in time, or an invalid state
    /// "send buffer full": the connection was closed because its client did not read (see
    /// EngineOptions::maxSendBufferSize; not in socket.io, which has no limit)
    SendBufferFull,
    /// "send timeout": the connection was closed because its client took none of the output
    /// waiting for it for EngineOptions::sendTimeout (not in socket.io)
    SendTimeout,
};
Q_ENUM_NS(DisconnectReason)
/// \brief The reason string socket.io reports for \a reason, e.g. "client namespace disconnect".
SOCKETIO_EXPORT QString disconnectReasonString(DisconnectReason reason);

/// \brief What Socket::close() and disconnectSockets() end.
enum class DisconnectMode {
    Namespace, ///< leave this namespace; the connection stays (socket.disconnect())
    Close, ///< every namespace, then the connection (socket.disconnect(true))
};
Q_ENUM_NS(DisconnectMode)

/// \brief How an acknowledgement we asked for ended.
/// - `Received`: the client answered; the callback gets its arguments
/// - `TimedOut`: no answer within the ack timeout
/// - `Disconnected`: the socket disconnected before answering
/// - `Refused`: not sent: the socket already awaits ServerOptions::maxPendingAcks answers (server
///   only; not in socket.io, which keeps every pending ack)
enum class AckStatus { Received, TimedOut, Disconnected, Refused };
Q_ENUM_NS(AckStatus)

/// \brief How Socket.IO packets are encoded (socket.io's `parser` option). Both ends must use the
/// same; a server uses one for all its namespaces (ServerOptions::parser), a client Manager one
/// for its connection (ManagerOptions::parser).
/// - `Json`: socket.io-parser, the default: text frames, binaries as attachment frames
/// - `MsgPack`: npm socket.io-msgpack-parser: every packet one msgpack binary frame, binaries
///   inline (no attachments); Engine.IO v4 only
enum class Parser { Json, MsgPack };
Q_ENUM_NS(Parser)

/// \brief The transport's name on the wire: "polling" or "websocket".
SOCKETIO_EXPORT QString transportName(Transport transport); // "polling", "websocket"

} // namespace SocketIo

Q_DECLARE_OPERATORS_FOR_FLAGS(SocketIo::Transports)
