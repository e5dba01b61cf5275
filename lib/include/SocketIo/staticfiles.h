// SPDX-License-Identifier: MIT
#pragma once

#include <SocketIo/engineserver.h>

/// \file
/// \brief staticFiles(): a request handler that serves a directory.

namespace SocketIo {

/// \brief A request handler that serves the files below \a rootDirectory, for a page and its
/// socket on one port during development (EngineServer::setRequestHandler(staticFiles(dir))).
///
/// GET only (other methods get 405); directories answer with their index.html and are never
/// listed; paths that leave the root (.., symbolic links pointing outside) get 404.
/// Content-Type from the file name. The handler is a copyable callable holding the directory's
/// canonical path, resolved now.
SOCKETIO_EXPORT EngineServer::RequestHandler staticFiles(const QString &rootDirectory);

} // namespace SocketIo
