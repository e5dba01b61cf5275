// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QStringList>
#include <QVariant>

#include <optional>

// The wire format of @socket.io/redis-adapter 8.x and @socket.io/redis-emitter 5.x: msgpack as
// notepack.io writes it (binary as bin, Date as the timestamp extension, undefined as nil) for
// broadcasts and for BROADCAST requests and acks, JSON for the other requests and responses.
// Pure codec: QtCore and msgpack-c only.
namespace SocketIo::Redis {

// QVariant <-> msgpack. QByteArray is bin, QString str, QVariantMap/QVariantHash map with str
// keys, QVariantList/QStringList array, integral doubles int (as notepack writes JS numbers),
// invalid or null nil. Decoding gives qint64/quint64, double, bool, QString, QByteArray,
// QVariantList, QVariantMap, QDateTime (timestamp extension) and null (std::nullptr_t).
QByteArray packMsgpack(const QVariant &value);
// Exactly one msgpack value filling data; nullopt when malformed, truncated, followed by more
// bytes, nested deeper than 64 or with a map key that is not a string or integer.
std::optional<QVariant> unpackMsgpack(const QByteArray &data);

// The broadcast message: [uid, packet {type, data: [event, ...args], nsp, id?}, opts {rooms,
// except, flags}].
struct BroadcastMessage
{
    QString uid;
    QString nsp = QStringLiteral("/");
    int type = 2; // Socket.IO EVENT
    QString event;
    QVariantList args;
    QStringList rooms;
    QStringList except;
    QVariantMap flags; // volatile, compress, local, timeout... as sent
};
QByteArray encodeBroadcast(const BroadcastMessage &message);
// nullopt when it is not such a message (shape, types) or not an EVENT with a string name.
std::optional<BroadcastMessage> decodeBroadcast(const QByteArray &data);

// A request or response between nodes as a map: JSON when it starts with '{', msgpack
// otherwise; nullopt unless it is an object (map). encodeJson writes the keys in sorted order.
std::optional<QVariantMap> decodeObject(const QByteArray &data);
QByteArray encodeJson(const QVariantMap &object);

// @socket.io/redis-adapter's RequestType: the `type` of requests, and of the answers to
// SERVER_SIDE_EMIT and BROADCAST.
enum class RequestType : int {
    Sockets = 0,
    AllRooms = 1,
    RemoteJoin = 2,
    RemoteLeave = 3,
    RemoteDisconnect = 4,
    RemoteFetch = 5,
    ServerSideEmit = 6,
    Broadcast = 7,
    BroadcastClientCount = 8,
    BroadcastAck = 9,
};

// A request's `opts`: {rooms, except} and, on BROADCAST only, {flags: {volatile?, compress?,
// timeout?}}. Rooms that are numbers arrive as their decimal text.
struct RequestOptions
{
    QStringList rooms;
    QStringList except;
    bool isVolatile = false;
    std::optional<bool> compress; // written only when false, as the Qt side never sets true
    qint64 timeout = 0; // ms; written only when > 0
};
// The flags object of a BROADCAST request or a broadcast message: only what is set.
QVariantMap encodeFlags(const RequestOptions &opts);

// A socket as FETCH_SOCKETS answers describe it: {id, handshake, rooms, data}.
struct SocketRecord
{
    QString id;
    QVariantMap handshake;
    QStringList rooms;
    QVariantMap data;
};

// A request on <key>-request#<nsp>#. Which fields travel depends on the type:
//   SOCKETS            uid, requestId, rooms
//   ALL_ROOMS          uid, requestId
//   REMOTE_JOIN/LEAVE  uid, opts, rooms (or the older form: uid, requestId, sid, room)
//   REMOTE_DISCONNECT  uid, opts, close (or the older form: uid, requestId, sid, close)
//   REMOTE_FETCH       uid, requestId, opts
//   SERVER_SIDE_EMIT   uid, data: [event, ...args], requestId when an answer is expected
//   BROADCAST          uid, requestId, packet {type: 2, data: [event, ...args], nsp}, opts with flags
// BROADCAST is msgpack (its arguments may hold binary), the others JSON, as the node adapter writes.
struct RequestMessage
{
    RequestType type = RequestType::Sockets; // a request without a type is SOCKETS, as in node
    QString uid;
    std::optional<QString> requestId;
    std::optional<RequestOptions> opts;
    QStringList rooms; // SOCKETS: the rooms asked about; REMOTE_JOIN/LEAVE: the rooms to join/leave
    bool close = false; // REMOTE_DISCONNECT
    QString sid; // the older REMOTE_JOIN/LEAVE/DISCONNECT form, for one socket
    QString room; // the older REMOTE_JOIN/LEAVE form
    QString event; // SERVER_SIDE_EMIT, BROADCAST
    QVariantList args; // SERVER_SIDE_EMIT, BROADCAST
    QString nsp = QStringLiteral("/"); // BROADCAST: the packet's namespace
};
QByteArray encodeRequest(const RequestMessage &request);
// nullopt when it is not an object, or when a SERVER_SIDE_EMIT has no non-empty data or a
// BROADCAST no packet whose data starts with a string event name (both are ignored).
std::optional<RequestMessage> decodeRequest(const QByteArray &data);

// A response on <key>-response#<nsp># (node answers there too, not on the specific channel):
//   SOCKETS            requestId, sockets: [id...]
//   ALL_ROOMS          requestId, rooms
//   REMOTE_FETCH       requestId, sockets: [{id, handshake, rooms, data}...]
//   REMOTE_JOIN/...    requestId (the older form)
//   SERVER_SIDE_EMIT   type, requestId, data (the answer)
//   BROADCAST          type BROADCAST_CLIENT_COUNT, requestId, clientCount; then per client
//                      type BROADCAST_ACK, requestId, packet (its ack's first argument), msgpack
struct ResponseMessage
{
    std::optional<RequestType> type; // only on the answers to SERVER_SIDE_EMIT and BROADCAST
    QString requestId;
    // `sockets`: ids in a SOCKETS answer, records in a FETCH_SOCKETS one. Only the request
    // tells which, so decoding fills both from a list (a record per item, from a non-object an
    // empty one; an id per item, numbers as their text) and the caller reads its own.
    std::optional<QStringList> socketIds;
    std::optional<QList<SocketRecord>> sockets;
    std::optional<QStringList> rooms; // ALL_ROOMS, when a list
    QVariant data; // SERVER_SIDE_EMIT: the answer (invalid when absent)
    int clientCount = 0; // BROADCAST_CLIENT_COUNT
    QVariant packet; // BROADCAST_ACK
};
QByteArray encodeResponse(const ResponseMessage &response);
// nullopt unless it is an object.
std::optional<ResponseMessage> decodeResponse(const QByteArray &data);

// The channels of one namespace.
struct Channels
{
    Channels(const QString &key, const QString &nsp);
    QByteArray broadcast; // <key>#<nsp>#
    QByteArray request; // <key>-request#<nsp>#
    QByteArray response; // <key>-response#<nsp>#
    QByteArray room(const QString &room) const { return broadcast + room.toUtf8() + '#'; }
};

} // namespace SocketIo::Redis
