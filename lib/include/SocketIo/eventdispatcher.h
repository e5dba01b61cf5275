// SPDX-License-Identifier: MIT
#pragma once

#include <SocketIo/socketioglobal.h>

QT_BEGIN_NAMESPACE
class QAbstractEventDispatcher;
class QObject;
QT_END_NAMESPACE

/// \file
/// \brief An epoll event dispatcher for servers with many connections (Linux).

namespace SocketIo {

/// \brief A new event dispatcher on Linux epoll for servers with many connections; null where
/// it is unavailable (not Linux, or epoll could not be set up).
///
/// Qt's stock dispatchers look at every socket on each wake-up, so thousands of idle clients
/// slow every active one; this one costs only the sockets that are ready, and keeps timers in
/// a heap. It handles socket notifiers, timers and posted events (no GUI events: for
/// QCoreApplication programs).
///
/// For the main thread, call installEventDispatcher() before constructing QCoreApplication:
/// \code
///     int main(int argc, char *argv[])
///     {
///         SocketIo::installEventDispatcher();
///         QCoreApplication app(argc, argv);
/// \endcode
///
/// For a worker thread, QThread::setEventDispatcher(SocketIo::createEventDispatcher()) before
/// start(). Both return null/false where it is unavailable (not Linux); Qt's dispatcher is used
/// then. The dispatcher belongs to the thread it is installed on (Qt deletes it with the thread);
/// \a parent is its QObject parent until then.
SOCKETIO_EXPORT QAbstractEventDispatcher *createEventDispatcher(QObject *parent = nullptr);
/// \brief Installs createEventDispatcher() for the main thread; false if a QCoreApplication
/// exists already or the platform has none.
SOCKETIO_EXPORT bool installEventDispatcher();

} // namespace SocketIo
