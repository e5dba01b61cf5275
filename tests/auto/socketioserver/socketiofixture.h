// SPDX-License-Identifier: MIT
//
// The fixture shared by the Socket.IO loopback suites (tst_socketio_*.cpp): for every test a
// server with the echo server (docs/echo-server.md) on "/" and "/custom" and the timings of the
// conformance cases (docs/conformance.md), and the helpers that connect a raw client to it.
#pragma once

#include "rawclient.h"

#include <SocketIo/engineserver.h>
#include <SocketIo/namespace.h>
#include <SocketIo/server.h>
#include <SocketIo/snapshot.h>
#include <SocketIo/socket.h>
#include <SocketIo/socketioglobal.h>
#include <SocketIo/traffic.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSet>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <memory>
#include <optional>

using namespace SocketIo;
using namespace std::chrono_literals;

inline constexpr int Timeout = 5000; // generous: the machine may be busy

// "" for the main namespace, "/custom," otherwise: what follows the packet type on the wire.
inline QByteArray nspPrefix(const QByteArray &nsp)
{
    return nsp == "/" ? QByteArray() : QByteArray(nsp + ',');
}

// Any JSON value (scalars included) parsed from text; Undefined when it does not parse.
inline QJsonValue parseJson(const QByteArray &text)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray('[' + text + ']'), &error);
    if (error.error != QJsonParseError::NoError || doc.array().size() != 1)
        return QJsonValue::Undefined;
    return doc.array().at(0);
}

inline QJsonValue toJson(const QVariantList &args)
{
    return QJsonValue::fromVariant(args);
}

inline const QByteArray Placeholders2 =
    QByteArrayLiteral(R"({"_placeholder":true,"num":0},{"_placeholder":true,"num":1})");

// The echo server's behaviour (docs/echo-server.md) for one namespace, except that `auth` is emitted at once
// (the raw client queues every frame, so nothing is lost).
inline void serveEcho(Namespace *nsp)
{
    QObject::connect(nsp, &Namespace::socketConnected, nsp, [](Socket *socket) {
        socket->emitEvent(QStringLiteral("auth"), { socket->handshake().auth.toVariantMap() });
        QObject::connect(
            socket, &Socket::eventReceived, socket,
            [socket](const QString &event, const QVariantList &args, const Ack &ack) {
                if (event == QLatin1String("message")) {
                    socket->emitEvent(QStringLiteral("message-back"), args);
                } else if (event == QLatin1String("message-with-ack")) {
                    ack.send(args);
                } else if (event == QLatin1String("join") && !args.isEmpty()) {
                    socket->join(args.first().toString());
                } else if (event == QLatin1String("leave") && !args.isEmpty()) {
                    socket->leave(args.first().toString());
                } else if (event == QLatin1String("to-room") && args.size() >= 2) {
                    socket->nsp()->to(args.at(0).toString()).emitEvent(args.at(1).toString(), args.mid(2));
                } else if (event == QLatin1String("broadcast") && !args.isEmpty()) {
                    socket->broadcast().emitEvent(args.at(0).toString(), args.mid(1));
                }
            });
    });
}

class SocketIoFixture : public QObject
{
protected:
    void initTestCase();
    void init();
    void cleanup();

    // Sends CONNECT for nsp (with auth JSON, may be empty) and checks the reply and, for the echo
    // namespaces, the `auth` event. Returns the socket id, empty on failure (with a warning).
    QString connectSocket(RawClient &client, const QByteArray &nsp = QByteArrayLiteral("/"),
                          const QByteArray &auth = {}, bool expectAuthEvent = true);
    Socket *serverSocket(const QString &id, const QString &nsp = QStringLiteral("/")) const;
    // message -> message-back round trip on an echo namespace: the connection still works.
    bool roundTrip(RawClient &client, const QByteArray &nsp = QByteArrayLiteral("/"));

    std::unique_ptr<Server> m_server;
    quint16 m_port = 0;
};

inline void SocketIoFixture::initTestCase()
{
    qRegisterMetaType<SocketIo::Socket *>();
    qRegisterMetaType<SocketIo::Namespace *>();
    qRegisterMetaType<SocketIo::DisconnectReason>();
    qRegisterMetaType<SocketIo::AckStatus>();
}

inline void SocketIoFixture::init()
{
    ServerOptions options;
    options.engine.pingInterval = 300ms;
    options.engine.pingTimeout = 200ms;
    options.connectTimeout = 1000ms;
    m_server = std::make_unique<Server>(options);
    serveEcho(m_server->mainNamespace());
    serveEcho(m_server->of(QStringLiteral("/custom")));
    QVERIFY2(m_server->listen(QHostAddress::LocalHost, 0), qPrintable(m_server->errorString()));
    m_port = m_server->serverPort();
    QVERIFY(m_port != 0);
}

inline void SocketIoFixture::cleanup()
{
    m_server.reset();
    m_port = 0;
}

inline QString SocketIoFixture::connectSocket(RawClient &client, const QByteArray &nsp,
                                              const QByteArray &auth, bool expectAuthEvent)
{
    if (!client.waitForOpen(Timeout)) {
        qWarning("no Engine.IO open packet");
        return {};
    }
    const QByteArray prefix = QByteArray("40" + nspPrefix(nsp));
    client.send(QByteArray(prefix + auth));
    const QByteArray reply = client.nextText();
    if (!reply.startsWith(prefix)) {
        qWarning() << "unexpected CONNECT reply" << reply;
        return {};
    }
    const QJsonObject object = parseJson(reply.mid(prefix.size())).toObject();
    if (object.keys() != QStringList{ QStringLiteral("sid") }) {
        qWarning() << "CONNECT reply is not an object with only sid:" << reply;
        return {};
    }
    const QString sid = object.value(QLatin1String("sid")).toString();
    if (expectAuthEvent) {
        const QByteArray expected =
            QByteArray("42" + nspPrefix(nsp) + "[\"auth\"," + (auth.isEmpty() ? "{}" : auth) + ']');
        const QByteArray event = client.nextText();
        if (event != expected) {
            qWarning() << "expected" << expected << "got" << event;
            return {};
        }
    }
    return sid;
}

inline Socket *SocketIoFixture::serverSocket(const QString &id, const QString &nsp) const
{
    Namespace *n = m_server->findNamespace(nsp);
    return n ? n->socket(id) : nullptr;
}

inline bool SocketIoFixture::roundTrip(RawClient &client, const QByteArray &nsp)
{
    client.send(QByteArray("42" + nspPrefix(nsp) + "[\"message\",\"ping\"]"));
    const QByteArray expected = QByteArray("42" + nspPrefix(nsp) + "[\"message-back\",\"ping\"]");
    const QByteArray reply = client.nextText();
    if (reply != expected) {
        qWarning() << "round trip: expected" << expected << "got" << reply;
        return false;
    }
    return true;
}
