// SPDX-License-Identifier: MIT
#pragma once

#include <SocketIo/socketioglobal.h>

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QUrlQuery>

#include <utility>

/// \file
/// \brief HTTP requests and responses as values: HttpRequest, HttpResponse.

namespace SocketIo {

/// \brief HTTP header fields as (name, value) pairs, in their order, names as sent.
using HttpHeaderList = QList<std::pair<QByteArray, QByteArray>>;

/// \brief An HTTP request as the server received it: a value, safe to copy and keep.
struct SOCKETIO_EXPORT HttpRequest
{
    QByteArray method; ///< "GET"
    QByteArray target; ///< raw request target with query
    QString path; ///< decoded path, e.g. "/engine.io/"
    QUrlQuery query; ///< decoded query
    HttpHeaderList headers; ///< as sent
    /// \brief The request body (empty for a GET, and for a WebSocket upgrade).
    QByteArray body;
    /// \brief The client's address.
    QHostAddress remoteAddress;
    /// \brief The client's port.
    quint16 remotePort = 0;
    /// \brief Whether the request arrived over TLS (the server listens on plain TCP today, so
    /// false).
    bool secure = false;

    /// \brief The value of the header called \a name (case-insensitive); empty if absent.
    QByteArray header(QByteArrayView name) const; // case-insensitive, empty if absent
};

/// \brief A complete response for EngineServer::RequestHandler callbacks. Content-Length is
/// added by the server.
struct SOCKETIO_EXPORT HttpResponse
{
    /// \brief The status code.
    int status = 200;
    /// \brief Header fields to send (Content-Length is added by the server).
    HttpHeaderList headers;
    /// \brief The body.
    QByteArray body;

    /// \brief A response with \a status, \a body and a Content-Type header of \a contentType.
    static HttpResponse text(int status, const QByteArray &body,
                             const QByteArray &contentType = QByteArrayLiteral("text/plain; charset=UTF-8"));
};

} // namespace SocketIo

Q_DECLARE_METATYPE(SocketIo::HttpRequest)
