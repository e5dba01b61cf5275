// SPDX-License-Identifier: MIT
#pragma once

#include <QLoggingCategory>

// Logging categories of the library; enable with QT_LOGGING_RULES="socketio.*.debug=true".
Q_DECLARE_LOGGING_CATEGORY(lcHttp) // socketio.http
Q_DECLARE_LOGGING_CATEGORY(lcEngine) // socketio.engine
Q_DECLARE_LOGGING_CATEGORY(lcTransport) // socketio.transport
Q_DECLARE_LOGGING_CATEGORY(lcServer) // socketio.server
