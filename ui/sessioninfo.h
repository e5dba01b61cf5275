// SPDX-License-Identifier: MIT
#pragma once

#include <SocketIo/httpmessage.h>
#include <SocketIo/socketioglobal.h>

#include <QString>

namespace Inspector {

// What the inspector remembers about one Engine.IO session (a client), as a value: the request
// that opened it (for the details pane, the handshake tab and HAR export), its transport and the
// last ping round trip.
struct SessionInfo
{
    QString id;
    SocketIo::HttpRequest handshake;
    qint64 openedMs = 0;
    qint64 closedMs = 0; // 0 while open
    QString closeReason;
    SocketIo::Transport transport = SocketIo::Transport::Polling;
    bool upgraded = false;
    qint64 lastPingRoundTripMs = -1;
    qint64 pingSentMs = -1; // internal: the ping waiting for its pong
};

} // namespace Inspector
