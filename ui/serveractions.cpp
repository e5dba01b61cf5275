// SPDX-License-Identifier: MIT
#include "serveractions.h"

#include "servermonitor.h"

#include <SocketIo/namespace.h>
#include <SocketIo/socket.h>

using namespace SocketIo;

namespace Inspector {

ServerActions::Outcome ServerActions::disconnectSocket(const QString &nsp, const QString &socketId,
                                                       bool wholeClient) const
{
    Socket *socket = m_monitor->findSocket(nsp, socketId);
    if (!socket)
        return {};
    socket->close(wholeClient ? DisconnectMode::Close : DisconnectMode::Namespace);
    return { true,
             wholeClient ? tr("Closed the connection of socket %1").arg(socketId)
                         : tr("Disconnected socket %1 from %2").arg(socketId, nsp) };
}

ServerActions::Outcome ServerActions::joinRoom(const QString &nsp, const QString &socketId,
                                               const QString &room) const
{
    Socket *socket = m_monitor->findSocket(nsp, socketId);
    if (!socket)
        return {};
    if (!socket->join(room))
        return { true, tr("Socket %1 cannot join %2 (at its room limit)").arg(socketId, room) };
    return { true, tr("Socket %1 joined %2").arg(socketId, room) };
}

ServerActions::Outcome ServerActions::leaveRoom(const QString &nsp, const QString &socketId,
                                                const QString &room) const
{
    Socket *socket = m_monitor->findSocket(nsp, socketId);
    if (!socket)
        return {};
    socket->leave(room);
    return { true, tr("Socket %1 left %2").arg(socketId, room) };
}

ServerActions::Outcome ServerActions::emptyRoom(const QString &nsp, const QString &room) const
{
    Namespace *n = m_monitor->findNamespace(nsp);
    if (!n)
        return {};
    n->in(room).socketsLeave({ room });
    return { true, tr("Emptied room %1").arg(room) };
}

ServerActions::Outcome ServerActions::disconnectNamespace(const QString &nsp) const
{
    Namespace *n = m_monitor->findNamespace(nsp);
    if (!n)
        return {};
    n->disconnectSockets();
    return { true, tr("Disconnected every socket of %1").arg(nsp) };
}

} // namespace Inspector
