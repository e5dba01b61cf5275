// SPDX-License-Identifier: MIT
#pragma once

#include <SocketIo/socketioglobal.h>

#include <QByteArray>
#include <QString>

namespace SocketIo {

// One Engine.IO packet seen by the server, as a value snapshot (see
// EngineServer::trafficObserved). Safe to queue to other threads and keep.
struct SOCKETIO_EXPORT TrafficEvent
{
    enum class Direction { Incoming, Outgoing };

    qint64 timestampMs = 0; // milliseconds since the epoch
    QString sessionId; // Engine.IO sid
    SocketIo::Transport transport = SocketIo::Transport::Polling;
    Direction direction = Direction::Incoming;
    EnginePacketType type = EnginePacketType::Message;
    bool binary = false; // a binary message
    qint64 size = 0; // encoded size on the wire (without HTTP/WebSocket framing)
    QByteArray data; // packet data: message text (UTF-8) or bytes, "probe", open JSON...
};

} // namespace SocketIo

Q_DECLARE_METATYPE(SocketIo::TrafficEvent)
