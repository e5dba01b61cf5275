// SPDX-License-Identifier: MIT
#pragma once

#include <QCoreApplication>
#include <QString>

namespace Inspector {

class ServerMonitor;

// The actions the inspector takes on the live server's sockets, namespaces and rooms, found by
// id through the monitor (the window's buttons and menus call these). Each says what it did, for
// the status bar, or that its target is gone. Server thread (the GUI thread) only.
class ServerActions
{
    Q_DECLARE_TR_FUNCTIONS(Inspector::ServerActions)

public:
    struct Outcome
    {
        bool ok = false; // false: the socket or namespace is gone
        QString message; // what was done, when ok
    };

    explicit ServerActions(ServerMonitor *monitor)
        : m_monitor(monitor)
    { }

    // Socket::close(): leaves the namespace, or closes the whole client connection.
    Outcome disconnectSocket(const QString &nsp, const QString &socketId, bool wholeClient) const;
    Outcome joinRoom(const QString &nsp, const QString &socketId, const QString &room) const;
    Outcome leaveRoom(const QString &nsp, const QString &socketId, const QString &room) const;
    // Every member leaves the room (socketsLeave), which removes it.
    Outcome emptyRoom(const QString &nsp, const QString &room) const;
    Outcome disconnectNamespace(const QString &nsp) const;

private:
    ServerMonitor *m_monitor;
};

} // namespace Inspector
