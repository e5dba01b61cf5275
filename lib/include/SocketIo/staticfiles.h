// SPDX-License-Identifier: MIT
#pragma once

#include <SocketIo/engineserver.h>

namespace SocketIo {

// A request handler that serves the files below rootDirectory, for a page and its socket on one
// port during development (EngineServer::setRequestHandler(staticFiles(dir))). GET only;
// directories answer with their index.html and are never listed; paths that leave the root
// (.., symbolic links pointing outside) get 404. Content-Type from the file name.
SOCKETIO_EXPORT EngineServer::RequestHandler staticFiles(const QString &rootDirectory);

} // namespace SocketIo
