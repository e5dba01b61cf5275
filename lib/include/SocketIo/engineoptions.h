// SPDX-License-Identifier: MIT
#pragma once

#include <SocketIo/socketioglobal.h>

#include <QByteArray>
#include <QStringList>

#include <chrono>
#include <optional>

/// \file
/// \brief Options of the Engine.IO server: EngineOptions, CorsOptions, CookieOptions.

namespace SocketIo {

/// \brief Cross-origin settings, as the `cors` option of socket.io (the npm "cors" package).
///
/// Empty origins: no CORS headers at all (same-origin only, the reference's default). A value,
/// part of EngineOptions.
struct SOCKETIO_EXPORT CorsOptions
{
    QStringList origins; ///< "*" allows any origin; otherwise exact "scheme://host[:port]"
    bool credentials = false; ///< Access-Control-Allow-Credentials: true (origin is echoed, never "*")
    QByteArrayList allowedHeaders; ///< empty: reflect Access-Control-Request-Headers
    std::chrono::seconds maxAge{ 0 }; ///< 0: no Access-Control-Max-Age

    /// \brief Whether CORS headers are sent at all (origins is not empty).
    bool isEnabled() const { return !origins.isEmpty(); }
};

/// \brief The optional "io" cookie set on the handshake, used by load balancers for sticky sessions.
///
/// Set only on polling handshakes (QWebSocketServer writes the WebSocket's 101 answer).
struct SOCKETIO_EXPORT CookieOptions
{
    /// \brief The cookie's name; its value is the session id.
    QByteArray name = QByteArrayLiteral("io");
    /// \brief The cookie's Path attribute.
    QByteArray path = QByteArrayLiteral("/");
    /// \brief Whether the cookie has the HttpOnly attribute.
    bool httpOnly = true;
    /// \brief The SameSite attribute ("Lax", "Strict", "None"; empty: none).
    QByteArray sameSite = QByteArrayLiteral("Lax");
};

/// \brief Who may open a new session: caps checked at every handshake (EngineOptions::limits).
///
/// Refused handshakes are answered 403 {"code":4,"message":...} with the reason ("too many
/// sessions", "too many sessions from this address", "too many handshakes from this address"),
/// counted (EngineServer::refusedHandshakeCount()) and logged (at most a few lines a second).
/// Client addresses are IPv4 addresses or IPv6 /64 prefixes. Behind a reverse proxy on another
/// host every client has the proxy's address: set the per-address caps to 0 there (a proxy on
/// this host is loopback, which is not limited by default).
struct SOCKETIO_EXPORT ConnectionLimits
{
    int maxSessions = 0; ///< open sessions in all; 0: no limit (the process's file limit)
    int maxSessionsPerAddress = 1000; ///< open sessions per client address; 0: no limit
    /// \brief New sessions per second per client address (a token bucket); 0: no limit.
    double handshakesPerSecondPerAddress = 50;
    /// \brief The bucket holds this many seconds' worth of handshakes (a burst after a restart).
    double handshakeBurstSeconds = 4;
    /// \brief Apply the per-address caps to loopback clients too (off: local tools, tests and a
    /// reverse proxy on this host are not limited).
    bool limitLoopback = false;
};

/// \brief Engine.IO server options with the reference server's defaults (engine.io 6.x).
///
/// A value: EngineServer copies it (EngineServer::setOptions() applies to requests and
/// sessions from then on). ServerOptions::engine holds the Socket.IO server's.
struct SOCKETIO_EXPORT EngineOptions
{
    QString path = QStringLiteral("/engine.io/"); ///< the socket.io Server sets "/socket.io/"
    /// \brief How often the server pings a v4 client (v3 clients ping the server at this interval).
    std::chrono::milliseconds pingInterval{ 25000 };
    /// \brief How long after a ping the pong may arrive before the session closes ("ping timeout");
    /// a v3 client's ping must arrive within pingInterval + pingTimeout.
    std::chrono::milliseconds pingTimeout{ 20000 };
    /// \brief How long an upgrade from polling to WebSocket may take before it is abandoned.
    std::chrono::milliseconds upgradeTimeout{ 10000 };
    qint64 maxHttpBufferSize = 1000000; ///< per message (WebSocket) and per POST body (polling)
    /// \brief The transports clients may use (handshake or upgrade); others are refused.
    Transports transports = Transport::Polling | Transport::WebSocket;
    /// \brief Whether polling sessions may upgrade to WebSocket (the handshake's `upgrades`).
    bool allowUpgrades = true;
    /// \brief Whether Engine.IO v3 clients (`EIO=3`, socket.io-client 2.x) are accepted.
    bool allowEIO3 = false;
    /// \brief Cross-origin settings; none by default.
    CorsOptions cors;
    std::optional<CookieOptions> cookie; ///< off by default, as in the reference
    bool httpCompression = true; ///< gzip/deflate polling responses when accepted
    /// \brief Polling responses smaller than this many bytes are never compressed.
    qint64 httpCompressionThreshold = 1024;
    /// \brief Output waiting for one client (its WebSocket's write buffer, or the packets waiting
    /// for its next poll), bounding what a client that stops reading can cost. Past it the session is
    /// closed with CloseReason::SendBufferFull; volatile messages are dropped while more than a
    /// quarter of it waits. One message larger than the limit still goes to a client that has
    /// nothing waiting. 0: no limit (volatile messages are then dropped beyond 256 KiB). Not in
    /// engine.io, which buffers without bound.
    qint64 maxSendBufferSize = 4 * 1024 * 1024;
    /// \brief Give freed memory back to the system after a burst of sessions has closed: once
    /// at least this many sessions closed since the last time (or the count fell below half of
    /// its peak), the heap is trimmed (glibc's malloc_trim) a second later, at most once a second.
    /// Without it glibc keeps the memory of a connection storm for the next one. 0: never.
    int trimMemoryAfterClosures = 1000;
    /// \brief Trim too once sessions closed since the last time had this much output waiting
    /// that they never took (sessions closed with "send buffer full" or "send timeout": a few
    /// stalled readers can hold maxSendBufferSize each). 0: only the closure count decides.
    /// Not used when trimMemoryAfterClosures is 0.
    qint64 trimMemoryAfterDroppedBytes = 64 * 1024 * 1024;
    /// \brief Caps on new sessions (all, per client address, handshake rate); not in engine.io.
    ConnectionLimits limits;

    // HTTP front end
    qsizetype maxHeaderBytes = 16 * 1024; ///< HTTP front end: request line and headers; 431 beyond
    int maxHeaderCount = 100; ///< HTTP front end: headers per request; 431 beyond
    /// \brief The request line and headers must arrive within this, from the request's first
    /// byte (408 and the connection closes; a slowloris). The body has its own: bodyTimeout.
    std::chrono::milliseconds headersTimeout{ 30000 };
    /// \brief Once the head is in, the body must keep coming: in every period of this length at
    /// least minBodyRate bytes a second must arrive, else 408 and the connection closes. A slow
    /// but live upload is never cut off, however long it takes (at most maxHttpBufferSize at
    /// minBodyRate). 0: no limit. Not in engine.io (node's http server: requestTimeout 300 s).
    std::chrono::milliseconds bodyTimeout{ 30000 };
    /// \brief Bytes a second a request body must average over each bodyTimeout period (as
    /// Apache's mod_reqtimeout MinRate=500); 0: one byte per period is enough.
    qint64 minBodyRate = 500;
    std::chrono::milliseconds keepAliveTimeout{ 5000 }; ///< idle keep-alive connections close after
    /// \brief Output waiting for a client that takes none of it for this long closes the session
    /// (CloseReason::SendTimeout, DisconnectReason::SendTimeout, "send timeout"): a WebSocket whose
    /// write buffer does not move, packets waiting for a poll that does not come. Checked every
    /// half of it, so the close comes between one and one and a half times it after the last
    /// progress; a slow reader that takes anything is not closed. Also the longest an HTTP
    /// connection that is closing may wait for its last response to be read. 0: no limit. Not in
    /// engine.io (a peer that reads nothing but answers pings stays forever).
    std::chrono::milliseconds sendTimeout{ 30000 };
};

} // namespace SocketIo
