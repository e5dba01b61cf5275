// SPDX-License-Identifier: MIT
// Linked into a copy of a loopback suite: installs the epoll event dispatcher for the main
// thread before main() constructs the QCoreApplication, so the whole suite runs on it.
#include <SocketIo/eventdispatcher.h>

#include <cstdio>
#include <cstdlib>

namespace {
const bool installed = [] {
    if (!SocketIo::installEventDispatcher()) {
        std::fprintf(stderr, "the epoll event dispatcher could not be installed\n");
        std::abort();
    }
    return true;
}();
} // namespace
