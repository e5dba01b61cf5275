// SPDX-License-Identifier: MIT
#pragma once

#include <SocketIo/socketioglobal.h>

#include <QByteArray>
#include <QJsonValue>
#include <QString>

namespace SocketIo {

// One Engine.IO packet seen by the server, as a value snapshot (see
// EngineServer::trafficObserved and Server::trafficObserved, which adds the Socket.IO fields).
// Safe to queue to other threads and keep.
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

    // Socket.IO level, filled by Server::trafficObserved for text messages that decode.
    SocketIoPacketType socketIoType = SocketIoPacketType::None;
    QString nsp; // namespace
    QString socketId; // the connection's socket in nsp, when it has one
    QString event; // EVENT / BINARY_EVENT name
    qint64 ackId = -1; // -1: none
    int attachments = 0; // binary frames that follow (BINARY_EVENT / BINARY_ACK)
    QJsonValue payload; // the JSON payload; binaries appear as {"_placeholder":true,"num":N}
};

} // namespace SocketIo

Q_DECLARE_METATYPE(SocketIo::TrafficEvent)
