// SPDX-License-Identifier: MIT
#pragma once

#include "sessioninfo.h"

#include <SocketIo/snapshot.h>

#include <QWidget>

#include <optional>

QT_BEGIN_NAMESPACE
class QLabel;
class QLineEdit;
class QPushButton;
class QStackedWidget;
class QTreeWidget;
class QTreeWidgetItem;
QT_END_NAMESPACE

namespace Inspector {

// What is selected in the server tree, in detail, with its actions:
//  - a socket: id, Engine.IO session, transport (and upgrade), remote address, connected since,
//    last ping round trip, rooms, handshake headers, query and auth, user data; disconnect the
//    socket or its whole client, join or leave a room, filter the traffic by it;
//  - a room: its members; empty it (every member leaves), filter the traffic by it;
//  - a namespace: counts; disconnect all its sockets, filter the traffic by it.
class ServerDetails : public QWidget
{
    Q_OBJECT
public:
    explicit ServerDetails(QWidget *parent = nullptr);

    void showNothing();
    void showSocket(const SocketIo::SocketSnapshot &socket, const std::optional<SessionInfo> &session);
    void showSocketGone(const QString &nsp, const QString &id);
    void showRoom(const QString &nsp, const QString &room, const QStringList &members);
    void showNamespace(const QString &nsp, int sockets, int rooms);

    QString currentNamespace() const { return m_nsp; }
    QString currentSocket() const { return m_socketId; }
    QString currentRoom() const { return m_room; }
    QLineEdit *roomEdit() const { return m_roomEdit; }
    QTreeWidget *socketTree() const { return m_socketTree; }

Q_SIGNALS:
    void disconnectSocketRequested(const QString &nsp, const QString &socketId);
    void disconnectClientRequested(const QString &nsp, const QString &socketId);
    void joinRequested(const QString &nsp, const QString &socketId, const QString &room);
    void leaveRequested(const QString &nsp, const QString &socketId, const QString &room);
    void emptyRoomRequested(const QString &nsp, const QString &room);
    void disconnectNamespaceRequested(const QString &nsp);
    void emitToRequested(const QString &nsp, const QString &room, const QString &socketId);
    void filterSocketRequested(const QString &nsp, const QString &socketId);
    void filterRoomRequested(const QString &nsp, const QString &room);
    void filterNamespaceRequested(const QString &nsp);

private:
    QStackedWidget *m_stack;
    QLabel *m_empty;
    // socket page
    QTreeWidget *m_socketTree;
    QLineEdit *m_roomEdit;
    // room page
    QLabel *m_roomTitle;
    QTreeWidget *m_members;
    // namespace page
    QLabel *m_nspTitle;
    QTreeWidgetItem *m_sinceItem = nullptr;
    QString m_signature;
    QString m_nsp;
    QString m_socketId;
    QString m_room;
};

} // namespace Inspector
