// SPDX-License-Identifier: MIT
#pragma once

#include <SocketIo/socketioglobal.h>

#include <QByteArray>
#include <QStringList>

#include <chrono>
#include <optional>

namespace SocketIo {

// Cross-origin settings, as the `cors` option of socket.io (the npm "cors" package).
// Empty origins: no CORS headers at all (same-origin only, the reference's default).
struct SOCKETIO_EXPORT CorsOptions
{
    QStringList origins; // "*" allows any origin; otherwise exact "scheme://host[:port]"
    bool credentials = false; // Access-Control-Allow-Credentials: true (origin is echoed, never "*")
    QByteArrayList allowedHeaders; // empty: reflect Access-Control-Request-Headers
    std::chrono::seconds maxAge{ 0 }; // 0: no Access-Control-Max-Age

    bool isEnabled() const { return !origins.isEmpty(); }
};

// The optional "io" cookie set on the handshake, used by load balancers for sticky sessions.
struct SOCKETIO_EXPORT CookieOptions
{
    QByteArray name = QByteArrayLiteral("io");
    QByteArray path = QByteArrayLiteral("/");
    bool httpOnly = true;
    QByteArray sameSite = QByteArrayLiteral("Lax");
};

// Engine.IO server options with the reference server's defaults (engine.io 6.x).
struct SOCKETIO_EXPORT EngineOptions
{
    QString path = QStringLiteral("/engine.io/"); // the socket.io Server sets "/socket.io/"
    std::chrono::milliseconds pingInterval{ 25000 };
    std::chrono::milliseconds pingTimeout{ 20000 };
    std::chrono::milliseconds upgradeTimeout{ 10000 };
    qint64 maxHttpBufferSize = 1000000; // per message (WebSocket) and per POST body (polling)
    Transports transports = Transport::Polling | Transport::WebSocket;
    bool allowUpgrades = true;
    bool allowEIO3 = false;
    CorsOptions cors;
    std::optional<CookieOptions> cookie; // off by default, as in the reference
    bool httpCompression = true; // gzip/deflate polling responses when accepted
    qint64 httpCompressionThreshold = 1024;
    // Output waiting for one client (its WebSocket's write buffer, or the packets waiting for its
    // next poll), bounding what a client that stops reading can cost. Past it the session is
    // closed with CloseReason::SendBufferFull; volatile messages are dropped while more than a
    // quarter of it waits. One message larger than the limit still goes to a client that has
    // nothing waiting. 0: no limit (volatile messages are then dropped beyond 256 KiB). Not in
    // engine.io, which buffers without bound.
    qint64 maxSendBufferSize = 4 * 1024 * 1024;

    // HTTP front end
    qsizetype maxHeaderBytes = 16 * 1024; // request line and headers: 431 beyond
    int maxHeaderCount = 100; // 431 beyond
    std::chrono::milliseconds headersTimeout{ 30000 }; // a request head must arrive within (408)
    std::chrono::milliseconds keepAliveTimeout{ 5000 }; // idle keep-alive connections close after
};

} // namespace SocketIo
