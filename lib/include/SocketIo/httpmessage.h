// SPDX-License-Identifier: MIT
#pragma once

#include <SocketIo/socketioglobal.h>

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QUrlQuery>

#include <utility>

namespace SocketIo {

using HttpHeaderList = QList<std::pair<QByteArray, QByteArray>>;

// An HTTP request as the server received it: a value, safe to copy and keep.
struct SOCKETIO_EXPORT HttpRequest
{
    QByteArray method; // "GET"
    QByteArray target; // raw request target with query
    QString path; // decoded path, e.g. "/engine.io/"
    QUrlQuery query; // decoded query
    HttpHeaderList headers; // as sent
    QByteArray body;
    QHostAddress remoteAddress;
    quint16 remotePort = 0;
    bool secure = false;

    QByteArray header(QByteArrayView name) const; // case-insensitive, empty if absent
};

// A complete response for RequestHandler callbacks. Content-Length is added by the server.
struct SOCKETIO_EXPORT HttpResponse
{
    int status = 200;
    HttpHeaderList headers;
    QByteArray body;

    static HttpResponse text(int status, const QByteArray &body,
                             const QByteArray &contentType = QByteArrayLiteral("text/plain; charset=UTF-8"));
};

} // namespace SocketIo

Q_DECLARE_METATYPE(SocketIo::HttpRequest)
