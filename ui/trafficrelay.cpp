// SPDX-License-Identifier: MIT
#include "trafficrelay.h"

namespace Inspector {

TrafficRelay::TrafficRelay(SocketIo::Server *server)
    : QObject(server)
{
    setObjectName(QStringLiteral("SocketIoInspectorTrafficRelay"));
    connect(server, &SocketIo::Server::trafficObserved, this, &TrafficRelay::trafficObserved);
}

TrafficRelay *TrafficRelay::of(SocketIo::Server *server)
{
    if (auto *relay = server->findChild<TrafficRelay *>(QString(), Qt::FindDirectChildrenOnly))
        return relay;
    return new TrafficRelay(server);
}

} // namespace Inspector
