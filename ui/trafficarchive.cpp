// SPDX-License-Identifier: MIT
#include "trafficarchive.h"

#include <QFile>
#include <QJsonDocument>
#include <QSaveFile>

namespace Inspector {

bool TrafficArchive::write(const QString &fileName, const QByteArray &content, QString *error)
{
    QSaveFile file(fileName);
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size() || !file.commit()) {
        *error = tr("Cannot write %1: %2").arg(fileName, file.errorString());
        return false;
    }
    return true;
}

bool TrafficArchive::writeHar(const QString &fileName, const QList<TrafficRow> &rows,
                              const HarFormat::SessionLookup &sessions, const QString &host, QString *error)
{
    const QJsonObject har = HarFormat::toHar(rows, sessions, host);
    return write(fileName, QJsonDocument(har).toJson(QJsonDocument::Indented), error);
}

bool TrafficArchive::writeJsonLines(const QString &fileName, const QList<TrafficRow> &rows, QString *error)
{
    return write(fileName, HarFormat::toJsonLines(rows), error);
}

std::optional<QList<TrafficRow>> TrafficArchive::readHar(const QString &fileName, QString *error)
{
    QFile file(fileName);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = tr("Cannot read %1: %2").arg(fileName, file.errorString());
        return std::nullopt;
    }
    HarFormat::ImportResult result = HarFormat::fromHar(file.readAll());
    if (!result.error.isEmpty()) {
        *error = tr("Cannot import %1: %2").arg(fileName, result.error);
        return std::nullopt;
    }
    return std::move(result.rows);
}

} // namespace Inspector
