// SPDX-License-Identifier: MIT
#include "logging_p.h"

#include <SocketIo/staticfiles.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMimeDatabase>

namespace SocketIo {

namespace {

QByteArray contentType(const QString &fileName)
{
    static const QHash<QString, QByteArray> common{
        { QStringLiteral("html"), "text/html; charset=UTF-8" },
        { QStringLiteral("htm"), "text/html; charset=UTF-8" },
        { QStringLiteral("js"), "text/javascript; charset=UTF-8" },
        { QStringLiteral("mjs"), "text/javascript; charset=UTF-8" },
        { QStringLiteral("css"), "text/css; charset=UTF-8" },
        { QStringLiteral("json"), "application/json" },
        { QStringLiteral("map"), "application/json" },
        { QStringLiteral("svg"), "image/svg+xml" },
        { QStringLiteral("png"), "image/png" },
        { QStringLiteral("jpg"), "image/jpeg" },
        { QStringLiteral("jpeg"), "image/jpeg" },
        { QStringLiteral("gif"), "image/gif" },
        { QStringLiteral("ico"), "image/x-icon" },
        { QStringLiteral("txt"), "text/plain; charset=UTF-8" },
        { QStringLiteral("wasm"), "application/wasm" },
        { QStringLiteral("woff2"), "font/woff2" },
    };
    const QString suffix = QFileInfo(fileName).suffix().toLower();
    const auto it = common.constFind(suffix);
    if (it != common.cend())
        return *it;
    return QMimeDatabase().mimeTypeForFile(fileName, QMimeDatabase::MatchExtension).name().toUtf8();
}

HttpResponse notFound()
{
    return HttpResponse::text(404, QByteArrayLiteral("Not Found"));
}

} // namespace

EngineServer::RequestHandler staticFiles(const QString &rootDirectory)
{
    const QString root = QFileInfo(rootDirectory).canonicalFilePath();
    return [root](const HttpRequest &request) -> HttpResponse {
        if (request.method != "GET") {
            HttpResponse response = HttpResponse::text(405, QByteArrayLiteral("Method Not Allowed"));
            response.headers.append({ QByteArrayLiteral("Allow"), QByteArrayLiteral("GET") });
            return response;
        }
        if (root.isEmpty())
            return notFound();
        const QString path = request.path;
        // Refuse anything that could climb out before touching the file system.
        const QStringList segments = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
        for (const QString &segment : segments) {
            if (segment == QLatin1String("..") || segment.contains(QLatin1Char('\\'))
                || segment.contains(QChar(0)))
                return notFound();
        }
        QFileInfo info(root + QLatin1Char('/') + segments.join(QLatin1Char('/')));
        if (info.isDir())
            info.setFile(info.absoluteFilePath() + QStringLiteral("/index.html"));
        const QString canonical = info.canonicalFilePath(); // resolves symbolic links
        if (canonical.isEmpty() || !info.isFile()
            || !(canonical == root || canonical.startsWith(root + QLatin1Char('/'))))
            return notFound();
        QFile file(canonical);
        if (!file.open(QIODevice::ReadOnly))
            return notFound();
        HttpResponse response;
        response.headers.append({ QByteArrayLiteral("Content-Type"), contentType(canonical) });
        response.headers.append({ QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-cache") });
        response.body = file.readAll();
        qCDebug(lcHttp).noquote() << "static" << path << "->" << canonical << response.body.size() << "bytes";
        return response;
    };
}

} // namespace SocketIo
