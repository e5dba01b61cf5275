// SPDX-License-Identifier: MIT
#pragma once

#include <SocketIo/engineserver.h> // before server.h, which uses QTcpServer undeclared
#include <SocketIo/server.h>

#include <QObject>

namespace Inspector {

// Server::trafficObserved, re-emitted by a child of the server, for receivers that may be
// destroyed before the server (the window's monitor, the headless printer).
//
// Why: Server::disconnectNotify() calls isSignalConnected(), which takes the signal/slot mutex
// that Qt may already hold when it calls disconnectNotify() (an explicit disconnect() always
// holds it; a receiver's destructor holds its own, which is the same mutex for some pairs of
// addresses). Disconnecting a receiver of trafficObserved can therefore deadlock. The relay
// connects once and is destroyed with the server, when disconnectNotify() no longer dispatches
// to Server's override.
class TrafficRelay : public QObject
{
    Q_OBJECT
public:
    // The server's relay, created on first use; owned by the server.
    static TrafficRelay *of(SocketIo::Server *server);

Q_SIGNALS:
    void trafficObserved(const SocketIo::TrafficEvent &event);

private:
    explicit TrafficRelay(SocketIo::Server *server);
};

} // namespace Inspector
