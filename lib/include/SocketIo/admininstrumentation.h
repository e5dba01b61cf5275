// SPDX-License-Identifier: MIT
#pragma once

#include <SocketIo/adapter.h>
#include <SocketIo/snapshot.h>

#include <QCborMap>
#include <QObject>

#include <chrono>
#include <memory>

/// \file
/// \brief AdminInstrumentation: lets the official Socket.IO Admin UI (\@socket.io/admin-ui 0.5)
/// watch and drive a Server, as node's `instrument(io, options)` does.

namespace SocketIo {

class AdminInstrumentationPrivate;
class Namespace;
class Server;
class Socket;

/// \brief The options of AdminInstrumentation, named after those of node's `instrument()`.
struct SOCKETIO_EXPORT AdminOptions
{
    /// \brief What the instrumentation reports (node's `mode` option).
    /// - `Development`: everything, including every event received and sent with its arguments
    ///   (`event_received`, `event_sent`) and the socket list (`all_sockets`, `socket_*`, `room_*`)
    /// - `Production`: only `server_stats` with the aggregated counts
    enum class Mode { Development, Production };

    /// \brief The admin namespace (node's `namespaceName`).
    QString namespaceName = QStringLiteral("/admin");
    /// \brief Basic authentication: the user name. Empty: no authentication (node's
    /// `auth: false`); anyone reaching the namespace is an admin.
    QString username;
    /// \brief Basic authentication: the password's bcrypt hash (`$2a$`, `$2b$` or `$2y$`, e.g.
    /// made by node's bcryptjs or python3-bcrypt), checked with the system's crypt library.
    QByteArray passwordHash;
    /// \brief Read-only: the admin commands (emit, join, leave, _disconnect) are not offered and
    /// are ignored (node's `readonly`).
    bool readOnly = false;
    /// \brief What is reported, see Mode.
    Mode mode = Mode::Development;
    /// \brief The id this server reports in `server_stats`; empty: the host name (as node).
    QString serverId;
    /// \brief How often `server_stats` is sent (node: every 2 s).
    std::chrono::milliseconds statsInterval{ 2000 };

    /// \brief Our extension to the protocol (not in node's instrument()): offer the raw packet
    /// stream, every Engine.IO packet in and out as a TrafficEvent's fields, to admins that ask
    /// for it with the `raw_packets` command. Announced in `config` as the feature
    /// "RAW_PACKETS". Development mode only (production reports no per-packet data); allowed in
    /// read-only mode (it only observes). Off by default: an official Admin UI never asks, and
    /// `config` then lists exactly node's features.
    bool rawPackets = false;
    /// \brief How often the packets an admin asked for are sent to it, in one `raw_packets`
    /// event per batch.
    std::chrono::milliseconds rawPacketsInterval{ 150 };
    /// \brief At most this many packets per batch; the packets beyond are dropped and counted
    /// in the batch's `dropped` field (and in droppedRawPacketCount()).
    int rawPacketsBatchLimit = 1000;
    /// \brief Packet data longer than this is cut in the stream (`truncated` is set; `size`
    /// keeps the real size).
    int rawPacketsMaxDataBytes = 64 * 1024;
};

/// \brief Instruments a Server for the Socket.IO Admin UI: the protocol of \@socket.io/admin-ui
/// 0.5's `instrument()`, event for event and field for field.
///
/// Creates the admin namespace (AdminOptions::namespaceName), checks basic authentication
/// against a bcrypt hash (the check runs in a worker thread, never in the server's) and answers
/// a good login with a `session` id that logs in again without the password; a bad one is
/// refused with "invalid credentials". Admins receive `config` (the supported features),
/// `server_stats` every statsInterval and, in development mode, `all_sockets`,
/// `socket_connected`, `socket_updated` (transport upgrades), `socket_disconnected`,
/// `room_joined`, `room_left`, `event_received` and `event_sent`. Unless read-only, admins may
/// send the commands `emit`, `join`, `leave` and `_disconnect`, each with an optional room filter.
///
/// Cost: while no admin is connected to this server nothing is observed (no per-event or
/// per-packet work; only namespace creation is watched). With admins, what is sent to them is
/// volatile: an admin that does not keep up (its EngineSession is not writable) misses events,
/// counted in droppedEventCount(), and the server's memory stays bounded.
///
/// With an adapter shared by several servers (Redis) the admin events are broadcast through it,
/// as node's are: each server reports its own `server_stats` to the admins of every server, and
/// `all_sockets` lists the sockets of every server (Broadcast::fetchSockets()). A server streams
/// its socket events and aggregated counts while at least one admin is connected to it.
///
/// The raw packet stream (AdminOptions::rawPackets, our extension): an admin sends
/// `raw_packets` with `{"enabled": true}` (an ack, if asked, answers `{"enabled": true}`), and
/// from then on receives, every rawPacketsInterval while there were packets, an event
/// `raw_packets` with one object `{"packets": [...], "dropped": N}`. Each packet is
/// `{"timestamp", "sessionId", "transport" ("polling"/"websocket"), "direction" ("in"/"out",
/// seen by the server), "type" (the Engine.IO packet type's digit), "binary", "size", "data"
/// (the text, or base64 for binary frames), "socketId"}` and `"truncated": true` when data was
/// cut. Decode the Socket.IO fields with decodeSocketIoFields(). The admins' own sessions are
/// never in the stream. Nothing is observed until an admin asks; a batch that the admin cannot
/// take now (its transport is not writable) is dropped and counted, so an admin never slows the
/// server and memory stays bounded. `{"enabled": false}` or leaving stops it.
///
/// Differences from node: `event_sent` also reports broadcasts (Socket::onAnyOutgoing() sees
/// them; node's onAnyOutgoing only sees Socket.emit); admin commands act on existing namespaces
/// only (node's io.of() would create one).
///
/// Thread safety: create and use it in the server's thread. It is a child of \a parent (by
/// default the server) and must not outlive the server.
class SOCKETIO_EXPORT AdminInstrumentation : public QObject
{
    Q_OBJECT
public:
    /// \brief Instruments \a server with \a options; the admin namespace exists from now on.
    /// The parent defaults to the server.
    explicit AdminInstrumentation(Server *server, const AdminOptions &options = {},
                                  QObject *parent = nullptr);
    /// \brief Stops observing the server; admins already connected stay connected but receive
    /// nothing more.
    ~AdminInstrumentation() override;

    /// \brief The options in effect (a copy).
    AdminOptions options() const;
    /// \brief The admin namespace (owned by the server).
    Namespace *adminNamespace() const;
    /// \brief The admins connected to this server.
    int adminCount() const;
    /// \brief Events not sent to an admin because it could not keep up, since construction.
    qint64 droppedEventCount() const;
    /// \brief Admins that asked for the raw packet stream (AdminOptions::rawPackets).
    int rawPacketSubscriberCount() const;
    /// \brief Raw packets not sent to admins (over the batch limit or the admin busy), since
    /// construction.
    qint64 droppedRawPacketCount() const;
    /// \brief The features announced in `config`, e.g. "EMIT", ..., "AGGREGATED_EVENTS",
    /// "ALL_EVENTS", as node's instrument() computes them from the options, and our
    /// "RAW_PACKETS" (AdminOptions::rawPackets, development mode).
    QStringList supportedFeatures() const;

    /// \brief Whether \a password matches \a bcryptHash, by the system's crypt library
    /// (libxcrypt's crypt_r); false for anything that is not a bcrypt hash. Slow on purpose
    /// (the hash's cost); thread-safe.
    static bool verifyPassword(const QByteArray &password, const QByteArray &bcryptHash);
    /// \brief Whether \a hash is a bcrypt hash the crypt library accepts (`$2a$`, `$2b$`, `$2y$`
    /// with a cost and 53 characters of salt and digest).
    static bool isPasswordHash(const QByteArray &hash);
    /// \brief \a socket as node's admin-ui serializes it: id, clientId, transport, nsp, data,
    /// handshake (address, headers, query, issued, secure, time, url, xdomain) and rooms, in
    /// that key order.
    static QCborMap serializeSocket(const Socket *socket);
    /// \brief A socket of another server (Broadcast::fetchSockets()) of namespace \a nsp,
    /// serialized the same way; clientId and transport are only known for local sockets.
    static QCborMap serializeSocket(const RemoteSocket &socket, const QString &nsp);
    /// \brief A date as JavaScript's `new Date() + ""` writes it, e.g.
    /// "Thu Dec 03 2026 14:36:56 GMT+0000 (Coordinated Universal Time)" (handshake.time).
    static QString javaScriptDateString(const QDateTime &time);

Q_SIGNALS:
    /// \brief An admin logged in and joined the admin namespace.
    void adminConnected(const QString &socketId);
    /// \brief An admin left.
    void adminDisconnected(const QString &socketId);

private:
    friend class AdminInstrumentationPrivate;
    const std::unique_ptr<AdminInstrumentationPrivate> d;
};

} // namespace SocketIo
