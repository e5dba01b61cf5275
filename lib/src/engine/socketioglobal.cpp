// SPDX-License-Identifier: MIT
#include "logging_p.h"
#include "protocol/httprequestparser.h"

#include <SocketIo/httpmessage.h>
#include <SocketIo/socketioglobal.h>
#include <SocketIo/traffic.h>

Q_LOGGING_CATEGORY(lcHttp, "socketio.http", QtInfoMsg)
Q_LOGGING_CATEGORY(lcEngine, "socketio.engine", QtInfoMsg)
Q_LOGGING_CATEGORY(lcTransport, "socketio.transport", QtInfoMsg)
Q_LOGGING_CATEGORY(lcServer, "socketio.server", QtInfoMsg)

namespace SocketIo {

QString closeReasonString(CloseReason reason)
{
    switch (reason) {
    case CloseReason::TransportClose:
        return QStringLiteral("transport close");
    case CloseReason::TransportError:
        return QStringLiteral("transport error");
    case CloseReason::PingTimeout:
        return QStringLiteral("ping timeout");
    case CloseReason::ParseError:
        return QStringLiteral("parse error");
    case CloseReason::ForcedClose:
        return QStringLiteral("forced close");
    case CloseReason::ForcedServerClose:
        return QStringLiteral("forced server close");
    case CloseReason::SendBufferFull:
        return QStringLiteral("send buffer full");
    case CloseReason::SendTimeout:
        return QStringLiteral("send timeout");
    }
    return {};
}

QString transportName(Transport transport)
{
    return transport == Transport::WebSocket ? QStringLiteral("websocket") : QStringLiteral("polling");
}

QByteArray HttpRequest::header(QByteArrayView name) const
{
    return Protocol::headerValue(headers, name);
}

HttpResponse HttpResponse::text(int status, const QByteArray &body, const QByteArray &contentType)
{
    HttpResponse response;
    response.status = status;
    response.headers.append({ QByteArrayLiteral("Content-Type"), contentType });
    response.body = body;
    return response;
}

} // namespace SocketIo
