// SPDX-License-Identifier: MIT
#pragma once

#include "harformat.h"
#include "trafficrow.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

#include <optional>

namespace Inspector {

// Captured traffic to and from files: HAR (as browsers record WebSockets, see HarFormat) and
// JSON Lines, written atomically (QSaveFile); HAR read back. Errors are sentences for the user.
class TrafficArchive
{
    Q_DECLARE_TR_FUNCTIONS(Inspector::TrafficArchive)

public:
    static bool writeHar(const QString &fileName, const QList<TrafficRow> &rows,
                         const HarFormat::SessionLookup &sessions, const QString &host, QString *error);
    static bool writeJsonLines(const QString &fileName, const QList<TrafficRow> &rows, QString *error);
    // The rows of a HAR file, in time order; nullopt with *error set when it cannot be read.
    static std::optional<QList<TrafficRow>> readHar(const QString &fileName, QString *error);

private:
    static bool write(const QString &fileName, const QByteArray &content, QString *error);
};

} // namespace Inspector
