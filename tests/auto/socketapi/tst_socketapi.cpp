// SPDX-License-Identifier: MIT
//
// The Socket.IO API's traps, over loopback with a raw client that shows the exact wire:
// reserved event names refused on every emit path (one list: SocketIoCodec::isReservedEventName),
// and Socket::close() (socket.io's socket.disconnect()), which no longer shares its name with
// QObject::disconnect().

#include "../socketioserver/rawclient.h"

#include <SocketIo/namespace.h>
#include <SocketIo/server.h>
#include <SocketIo/socket.h>

#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

#include <memory>
#include <type_traits>

using namespace SocketIo;
using namespace std::chrono_literals;

namespace {

constexpr int Timeout = 5000;

// socket->disconnect(mode) must not compile: the Socket.IO operation is close(), and
// socket->disconnect() is QObject's alone (before, Socket::disconnect(DisconnectMode) sat next to
// `using QObject::disconnect`, and socket->disconnect() silently cut the signal connections).
template<typename T, typename = void> struct HasDisconnectWithMode : std::false_type
{
};
template<typename T>
struct HasDisconnectWithMode<T, std::void_t<decltype(std::declval<T &>().disconnect(DisconnectMode::Close))>>
    : std::true_type
{
};
static_assert(!HasDisconnectWithMode<Socket>::value, "Socket.IO's disconnect is Socket::close()");
static_assert(std::is_void_v<decltype(std::declval<Socket &>().close())>, "close() leaves the namespace");

} // namespace

class tst_SocketApi : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void reservedEventRefused_data();
    void reservedEventRefused();
    void closeTellsClient();
    void closeWholeConnection();
    void qobjectDisconnectTellsClientNothing();

private:
    // Connects client to nsp; returns the server's socket (null on failure).
    Socket *connectSocket(RawClient &client, const QByteArray &nsp = "/");

    std::unique_ptr<Server> m_server;
    quint16 m_port = 0;
};

void tst_SocketApi::initTestCase()
{
    qRegisterMetaType<SocketIo::DisconnectReason>();
}

void tst_SocketApi::init()
{
    ServerOptions options;
    options.engine.pingInterval = 60000ms;
    options.engine.pingTimeout = 60000ms;
    m_server = std::make_unique<Server>(options);
    m_server->of(QStringLiteral("/custom"));
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    m_port = m_server->serverPort();
}

void tst_SocketApi::cleanup()
{
    m_server.reset();
}

Socket *tst_SocketApi::connectSocket(RawClient &client, const QByteArray &nsp)
{
    if (!client.waitForOpen(Timeout))
        return nullptr;
    const QByteArray prefix = nsp == "/" ? QByteArray("40") : QByteArray("40" + nsp + ',');
    client.send(prefix);
    const QByteArray reply = client.nextText();
    if (!reply.startsWith(QByteArray(prefix + "{\"sid\":\""))) {
        qWarning() << "unexpected CONNECT reply" << reply;
        return nullptr;
    }
    const QString sid = QString::fromUtf8(reply.mid(prefix.size() + 8).chopped(2));
    return m_server->of(QString::fromUtf8(nsp))->socket(sid);
}

// Every emit path, with every reserved name: a warning, nothing on the wire, no ack callback.
void tst_SocketApi::reservedEventRefused_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("event");
    const QStringList paths{ QStringLiteral("Socket"),         QStringLiteral("Socket+ack"),
                             QStringLiteral("Namespace"),      QStringLiteral("Namespace.to(room)"),
                             QStringLiteral("Broadcast+acks"), QStringLiteral("Broadcast.except"),
                             QStringLiteral("Server"),         QStringLiteral("other thread") };
    const QStringList names{ QStringLiteral("connect"),     QStringLiteral("connect_error"),
                             QStringLiteral("disconnect"),  QStringLiteral("disconnecting"),
                             QStringLiteral("newListener"), QStringLiteral("removeListener") };
    for (const QString &path : paths) {
        for (const QString &name : names)
            QTest::addRow("%s %s", qPrintable(path), qPrintable(name)) << path << name;
    }
}

void tst_SocketApi::reservedEventRefused()
{
    QFETCH(QString, path);
    QFETCH(QString, event);
    RawClient client(m_port);
    Socket *socket = connectSocket(client);
    QVERIFY(socket);
    socket->join(QStringLiteral("room"));
    Namespace *nsp = m_server->mainNamespace();
    const QVariantList args{ 1 };
    bool called = false;
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(QStringLiteral("refused to emit %1 .*reserved").arg(event)));
    if (path == QLatin1String("Socket")) {
        socket->emitEvent(event, args);
    } else if (path == QLatin1String("Socket+ack")) {
        socket->emitEvent(event, args, this, [&](AckStatus, const QVariantList &) { called = true; });
    } else if (path == QLatin1String("Namespace")) {
        nsp->emitEvent(event, args);
    } else if (path == QLatin1String("Namespace.to(room)")) {
        nsp->to(QStringLiteral("room")).emitEvent(event, args);
    } else if (path == QLatin1String("Broadcast+acks")) {
        nsp->all().timeout(1000ms).emitEvent(event, args, this,
                                             [&](AckStatus, const QList<QVariantList> &) { called = true; });
    } else if (path == QLatin1String("Broadcast.except")) {
        nsp->except(QStringLiteral("other")).emitEvent(event, args);
    } else if (path == QLatin1String("Server")) {
        m_server->emitEvent(event, args);
    } else if (path == QLatin1String("other thread")) {
        // Refused in the caller's thread, before anything is queued.
        std::unique_ptr<QThread> thread(QThread::create([nsp, event, args] { nsp->emitEvent(event, args); }));
        thread->start();
        QVERIFY(thread->wait(Timeout));
    }
    // A marker behind it on the same connection: the first frame the client sees.
    socket->emitEvent(QStringLiteral("marker"));
    QCOMPARE(client.nextText(), QByteArray(R"(42["marker"])"));
    QCoreApplication::processEvents(); // a queued callback would have run
    QVERIFY(!called);
}

void tst_SocketApi::closeTellsClient()
{
    RawClient client(m_port);
    Socket *socket = connectSocket(client);
    Socket *custom = connectSocket(client, "/custom");
    QVERIFY(socket && custom);
    QSignalSpy disconnecting(socket, &Socket::disconnecting);
    QSignalSpy disconnected(socket, &Socket::disconnected);
    QSignalSpy nspDisconnected(m_server->mainNamespace(), &Namespace::socketDisconnected);
    const QString id = socket->id();

    socket->close(); // socket.disconnect(): this namespace only
    QCOMPARE(client.nextText(), QByteArray("41"));
    QCOMPARE(disconnecting.count(), 1);
    QCOMPARE(disconnected.count(), 1);
    const auto reason = disconnected.at(0).at(0).value<DisconnectReason>();
    QCOMPARE(reason, DisconnectReason::ServerNamespaceDisconnect);
    QCOMPARE(disconnectReasonString(reason), QStringLiteral("server namespace disconnect"));
    QCOMPARE(nspDisconnected.count(), 1);
    QCOMPARE(nspDisconnected.at(0).at(0).toString(), id);

    // The connection and its other namespace carry on.
    custom->emitEvent(QStringLiteral("still"));
    QCOMPARE(client.nextText(), QByteArray(R"(42/custom,["still"])"));
    QVERIFY(!client.isClosed());
}

void tst_SocketApi::closeWholeConnection()
{
    RawClient client(m_port);
    Socket *socket = connectSocket(client);
    Socket *custom = connectSocket(client, "/custom");
    QVERIFY(socket && custom);
    QSignalSpy mainDisconnected(socket, &Socket::disconnected);
    QSignalSpy customDisconnected(custom, &Socket::disconnected);

    socket->close(DisconnectMode::Close); // socket.disconnect(true)
    QByteArrayList got{ client.nextText(), client.nextText() };
    std::sort(got.begin(), got.end());
    QCOMPARE(got, (QByteArrayList{ "41", "41/custom," }));
    QVERIFY(client.waitForClosed(Timeout));
    QTRY_COMPARE_WITH_TIMEOUT(mainDisconnected.count(), 1, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(customDisconnected.count(), 1, Timeout);
    QCOMPARE(disconnectReasonString(mainDisconnected.at(0).at(0).value<DisconnectReason>()),
             QStringLiteral("server namespace disconnect"));
}

void tst_SocketApi::qobjectDisconnectTellsClientNothing()
{
    // What the old overload set made easy to write by mistake: QObject::disconnect() cuts this
    // socket's signal connections and nothing else. The client stays in the namespace.
    RawClient client(m_port);
    Socket *socket = connectSocket(client);
    QVERIFY(socket);
    int received = 0;
    connect(socket, &Socket::eventReceived, this, [&] { ++received; });
    socket->QObject::disconnect(); // spelled out: close() is the Socket.IO operation
    client.send(R"(42["hello"])");
    socket->emitEvent(QStringLiteral("marker"));
    QCOMPARE(client.nextText(), QByteArray(R"(42["marker"])"));
    QVERIFY(socket->isConnected());
    QCOMPARE(received, 0);
}

QTEST_GUILESS_MAIN(tst_SocketApi)
#include "tst_socketapi.moc"
