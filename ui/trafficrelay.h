// SPDX-License-Identifier: MIT
#pragma once

#include <SocketIo/engineserver.h>
#include <SocketIo/server.h>

#include <QObject>

namespace Inspector {

// Server::trafficObserved, re-emitted by a child of the server, for receivers that may be
// destroyed before the server (the window's monitor, the headless printer): they connect to and
// disconnect from the relay, and the server keeps one connection for its whole life.
//
// Why it was added: Server::disconnectNotify() used to call isSignalConnected(), which takes
// the signal/slot mutex that Qt may already hold when it calls disconnectNotify(), so
// disconnecting a receiver of trafficObserved could deadlock. Server no longer overrides
// connectNotify()/disconnectNotify() (it asks isSignalConnected() for each packet, from its own
// connection to the engine), so that reason is gone; whether the relay is still needed is to be
// re-tested. While the relay exists the server counts as observed: it builds traffic snapshots
// and decodes their Socket.IO fields for every packet.
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
