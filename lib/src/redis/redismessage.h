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

// A request or response between nodes: JSON when it starts with '{', msgpack otherwise; nullopt
// unless it is an object (map).
std::optional<QVariantMap> decodeRequest(const QByteArray &data);
QByteArray encodeJson(const QVariantMap &object);

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
