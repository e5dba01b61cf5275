// SPDX-License-Identifier: MIT
#pragma once

#include <SocketIo/traffic.h>

#include <QByteArray>
#include <QCoreApplication>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonValue>
#include <QList>
#include <QRegularExpression>
#include <QString>

namespace Inspector {

// What kind of packet a row is, for the packet type filter (a set of these).
enum class PacketKind : unsigned {
    Control = 0x001, // Engine.IO ping, pong (including probes) and noop
    EngineOther = 0x002, // Engine.IO open, close, upgrade, undecodable messages
    Connect = 0x004,
    Disconnect = 0x008,
    Event = 0x010, // EVENT and BINARY_EVENT
    Ack = 0x020, // ACK and BINARY_ACK
    ConnectError = 0x040,
    Attachment = 0x080, // a binary frame carrying an attachment
};
Q_DECLARE_FLAGS(PacketKinds, PacketKind)
constexpr PacketKinds allPacketKinds()
{
    return PacketKinds(0xff);
}

// One captured packet as the traffic log shows it: a value built from a SocketIo::TrafficEvent
// (or from an imported HAR message), with the links the model adds later (ack pairing, binary
// attachments).
struct TrafficRow
{
    Q_DECLARE_TR_FUNCTIONS(Inspector::TrafficRow)

public:
    using Direction = SocketIo::TrafficEvent::Direction;

    qint64 seq = -1; // capture order, set by the model
    qint64 timestampMs = 0;
    Direction direction = Direction::Incoming;
    SocketIo::Transport transport = SocketIo::Transport::Polling;
    SocketIo::EnginePacketType engineType = SocketIo::EnginePacketType::Message;
    SocketIo::SocketIoPacketType socketIoType = SocketIo::SocketIoPacketType::None;
    bool binary = false;
    qint64 size = 0;
    // Who saw the packet: empty for the inspector's own server, else a label such as a client
    // connection's name ("client 1") or an attached server's ("attach: host:port").
    QString source;
    // Seen from a client (the inspector's client connections): "out" is what the client sent.
    // Otherwise from a server: "out" is what the server sent.
    bool clientSide = false;
    // A remark a tool attached to the row, e.g. "mock: login → ack ..." for an event a mock
    // rule answered; shown in the Summary column, its tooltip and the details.
    QString note;
    QString sessionId;
    QString nsp;
    QString socketId;
    QString event;
    qint64 ackId = -1;
    int expectedAttachments = 0;
    QJsonValue payload; // Socket.IO payload (placeholders for binaries)
    QByteArray data; // Engine.IO packet data (text without the type digit, or the binary frame)

    // Filled by the model
    QList<QByteArray> attachments; // binary frames that belong to this BINARY_EVENT/BINARY_ACK
    qint64 attachedTo = -1; // for an attachment frame: the seq of its packet
    qint64 pairSeq = -1; // emit <-> its ack
    qint64 roundTripMs = -1; // on both rows of a pair

    // Precomputed for display and filtering
    QString summary;
    int argCount = 0;
    PacketKind kind = PacketKind::EngineOther;

    static TrafficRow fromEvent(const SocketIo::TrafficEvent &event);
    // Rebuilds a row from the Engine.IO wire form (text frame "42[...]" or a binary frame), as
    // HAR import needs. sessionId and socketId are left to the caller.
    static TrafficRow fromWire(const QByteArray &frame, bool binary, Direction direction, qint64 timestampMs,
                               SocketIo::Transport transport);

    bool isControl() const { return kind == PacketKind::Control; }
    bool isSocketIo() const { return socketIoType != SocketIo::SocketIoPacketType::None; }
    // A Socket.IO packet of the msgpack parser: one binary frame, its binaries inline (in
    // attachments from the start, shown as placeholders in payload).
    bool isMsgpack() const;
    // The frame as it travelled (Engine.IO text with its type digit; binary frames as bytes).
    QByteArray wire() const;
    // The arguments of an EVENT (without its name), ACK, CONNECT (auth/sid), CONNECT_ERROR.
    QJsonArray arguments() const;
    // Short type name: "EVENT", "BINARY_ACK", "ping", "open", "attachment", ...
    QString typeName() const;
    // "Socket.IO" or "Engine.IO"
    QString levelName() const;
    // Everything the free-text filter looks at.
    QString searchText() const;

    void finish(); // recomputes summary, argCount and kind from the fields
};

// Compact one-line JSON, elided to maxChars with an ellipsis.
QString summarizeJson(const QJsonValue &value, int maxChars = 200);
QString summarizeArguments(const QJsonArray &args, int maxChars = 200);
QString socketIoTypeName(SocketIo::SocketIoPacketType type);
QString enginePacketTypeName(SocketIo::EnginePacketType type);
// "12:34:56.789" in local time
QString formatTime(qint64 timestampMs);
// "512 B", "1.5 KiB"
QString formatBytes(qint64 bytes);
// A remote address as text; IPv4-mapped IPv6 addresses (::ffff:1.2.3.4) as IPv4.
QString formatAddress(const QHostAddress &address);
// A shell-style wildcard ("chat:*", "user?") as an anchored expression; '*' also matches '/'.
QRegularExpression wildcardExpression(const QString &pattern);
// Classic 16-bytes-per-line hex dump with offsets and ASCII.
QString hexDump(const QByteArray &data, int maxBytes = 64 * 1024);

} // namespace Inspector

Q_DECLARE_OPERATORS_FOR_FLAGS(Inspector::PacketKinds)
Q_DECLARE_METATYPE(Inspector::TrafficRow)
