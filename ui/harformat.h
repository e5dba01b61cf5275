// SPDX-License-Identifier: MIT
#pragma once

#include "sessioninfo.h"
#include "trafficrow.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QJsonObject>
#include <QList>

#include <functional>
#include <optional>

namespace Inspector {

// The traffic log as files: HAR 1.2 with one entry per Engine.IO session carrying its frames in
// `_webSocketMessages` (the form Chrome and Firefox DevTools and proxies such as Charles and
// mitmproxy read and write), JSON Lines (one packet per line), and HAR import (our own files,
// browsers' WebSocket entries, and Engine.IO long-polling requests).
class HarFormat
{
    Q_DECLARE_TR_FUNCTIONS(Inspector::HarFormat)

public:
    using SessionLookup = std::function<std::optional<SessionInfo>(const QString &sessionId)>;

    static QJsonObject toHar(const QList<TrafficRow> &rows, const SessionLookup &sessions = {},
                             const QString &defaultHost = QStringLiteral("localhost"));
    static QByteArray toJsonLines(const QList<TrafficRow> &rows);
    static QJsonObject toJson(const TrafficRow &row);

    struct ImportResult
    {
        QList<TrafficRow> rows; // in time order
        int sessions = 0;
        QString error; // empty on success
    };
    static ImportResult fromHar(const QByteArray &json);
};

} // namespace Inspector
