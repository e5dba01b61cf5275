// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

namespace SocketIo {

// 15 bytes from the system's cryptographically secure source as base64url: 20 characters, like
// the reference's base64id. Used for Engine.IO session ids and Socket.IO socket ids.
QString generateId();

} // namespace SocketIo
