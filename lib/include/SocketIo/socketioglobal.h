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

// Why an Engine.IO session ended; closeReasonString() gives the reference's reason string.
enum class CloseReason {
    TransportClose, // "transport close": the client closed (close packet, socket closed)
    TransportError, // "transport error": I/O error, overlapping poll, payload too large
    PingTimeout, // "ping timeout"
    ParseError, // "parse error": a packet that does not decode
    ForcedClose, // "forced close": EngineSession::close()
    ForcedServerClose, // "forced server close": EngineServer::close()
};
Q_ENUM_NS(CloseReason)

SOCKETIO_EXPORT QString closeReasonString(CloseReason reason);
SOCKETIO_EXPORT QString transportName(Transport transport); // "polling", "websocket"

} // namespace SocketIo

Q_DECLARE_OPERATORS_FOR_FLAGS(SocketIo::Transports)
