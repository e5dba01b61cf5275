// SPDX-License-Identifier: MIT
// The inspector's window attached (File > Attach to server...) to servers it did not start: an
// in-process SocketIo::Server instrumented with AdminInstrumentation, a client of the library's
// Qt client: the tree of the attached server, its event rows with their source, the actions
// and the composer through the admin commands, read-only refusals, a wrong password, raw
// packets, the fleet list and two servers side by side in the selector.
#include "adminattachment.h"
#include "attachview.h"
#include "emitcomposer.h"
#include "mainwindow.h"
#include "serverdetails.h"
#include "servermonitor.h"

#include <SocketIo/admininstrumentation.h>
#include <SocketIo/client.h>
#include <SocketIo/namespace.h>
#include <SocketIo/server.h>
#include <SocketIo/socket.h>

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QLineEdit>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QTreeView>
#include <QTreeWidget>

#include <memory>

using namespace Inspector;
using namespace SocketIo;
using namespace std::chrono_literals;

namespace {
// Made by node's bcryptjs: hashSync("s3cret", 4).
const QByteArray Hash = QByteArrayLiteral("$2a$04$JY.TSj2SiDZP.Kn7qBwfletsnE75ly6w9kgjIdsy.vsUHi8ut/7SO");
constexpr int Timeout = 10000;

// A server of the application being debugged: its own handlers, instrumented.
struct Remote
{
    explicit Remote(AdminOptions options = {}, quint16 port = 0)
    {
        options.statsInterval = 100ms;
        admin = new AdminInstrumentation(&server, options);
        QObject::connect(server.mainNamespace(), &Namespace::socketConnected, &server, [](Socket *socket) {
            socket->on(QStringLiteral("join"), socket, [socket](const QVariantList &args, const Ack &) {
                socket->join(args.value(0).toString());
            });
        });
        listening = server.listen(QHostAddress::LocalHost, port);
    }
    AttachOptions attachOptions() const
    {
        AttachOptions options;
        options.url = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(server.serverPort()));
        return options;
    }
    QString source() const { return QStringLiteral("attach: 127.0.0.1:%1").arg(server.serverPort()); }

    Server server;
    AdminInstrumentation *admin = nullptr;
    bool listening = false;
};

// A client of the remote server (the library's Qt client), connected to "/".
struct Client
{
    explicit Client(quint16 port)
        : manager(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)))
        , socket(manager.socket())
    {
        QObject::connect(socket, &ClientSocket::eventReceived, socket,
                         [this](const QString &event, const QVariantList &args, qint64) {
                             received.append({ event, args });
                         });
        socket->open();
    }
    bool waitForConnected()
    {
        return QTest::qWaitFor([this] { return socket->isConnected(); }, Timeout);
    }
    Manager manager;
    ClientSocket *socket;
    QList<std::pair<QString, QVariantList>> received;
};

bool waitAttached(AdminAttachment *attachment)
{
    return QTest::qWaitFor([attachment] { return attachment->isConnected() && attachment->hasConfig(); },
                           Timeout);
}

} // namespace

class tst_InspectorAttach : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void options();
    void treeRowsAndActions();
    void composerThroughAdminEmit();
    void readOnlyRefused();
    void wrongPassword();
    void rawPackets();
    void twoServersSideBySide();
    void loginAgainAfterRestart();
};

void tst_InspectorAttach::options()
{
    AttachOptions options;
    options.url = QUrl(QStringLiteral("http://example.com:3000"));
    QCOMPARE(options.resolvedNamespace(), QStringLiteral("/admin"));
    QCOMPARE(options.hostPort(), QStringLiteral("example.com:3000"));
    options.url = QUrl(QStringLiteral("https://example.com/ops"));
    QCOMPARE(options.resolvedNamespace(), QStringLiteral("/ops"));
    QCOMPARE(options.hostPort(), QStringLiteral("example.com:443"));
    options.adminNamespace = QStringLiteral("other");
    QCOMPARE(options.resolvedNamespace(), QStringLiteral("/other"));

    // node's serialized socket, as all_sockets and socket_connected carry it
    QVariantMap handshake{
        { QStringLiteral("address"), QStringLiteral("::1") },
        { QStringLiteral("headers"), QVariantMap{ { QStringLiteral("host"), QStringLiteral("h") } } },
        { QStringLiteral("query"), QVariantMap{ { QStringLiteral("EIO"), QStringLiteral("4") } } },
        { QStringLiteral("issued"), 1700000000000LL },
        { QStringLiteral("auth"), QVariantMap{ { QStringLiteral("token"), 1 } } }
    };
    const SocketSnapshot s = AdminAttachment::snapshotFromAdmin(
        { { QStringLiteral("id"), QStringLiteral("abc") },
          { QStringLiteral("clientId"), QStringLiteral("sid1") },
          { QStringLiteral("transport"), QStringLiteral("websocket") },
          { QStringLiteral("nsp"), QStringLiteral("/chat") },
          { QStringLiteral("data"), QVariantMap{ { QStringLiteral("user"), QStringLiteral("ann") } } },
          { QStringLiteral("handshake"), handshake },
          { QStringLiteral("rooms"), QVariantList{ QStringLiteral("abc"), QStringLiteral("lobby") } } });
    QCOMPARE(s.id, QStringLiteral("abc"));
    QCOMPARE(s.nsp, QStringLiteral("/chat"));
    QCOMPARE(s.engineSessionId, QStringLiteral("sid1"));
    QCOMPARE(s.transport, Transport::WebSocket);
    QCOMPARE(s.remoteAddress, QStringLiteral("::1"));
    QCOMPARE(s.connectedAt.toMSecsSinceEpoch(), 1700000000000LL);
    QCOMPARE(s.rooms, QStringList({ QStringLiteral("abc"), QStringLiteral("lobby") }));
    QCOMPARE(s.auth.value(QLatin1String("token")).toInt(), 1);
    QCOMPARE(s.data.value(QStringLiteral("user")).toString(), QStringLiteral("ann"));
    QCOMPARE(s.query, QStringLiteral("EIO=4"));
    QCOMPARE(s.headers.size(), 1);
}

void tst_InspectorAttach::treeRowsAndActions()
{
    Remote remote;
    QVERIFY(remote.listening);
    Server own;
    MainWindow window(&own);
    window.show();
    AdminAttachment *attachment = window.attachTo(remote.attachOptions());
    QVERIFY(attachment);
    QAbstractItemModelTester tester(attachment->tree(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(waitAttached(attachment));
    // The selector shows the attached server; the tree is its tree.
    QCOMPARE(window.attachments()->sourceCombo()->count(), 2);
    QCOMPARE(window.attachments()->current(), attachment);
    QCOMPARE(window.serverTree()->model(), attachment->tree());

    Client client(remote.server.serverPort());
    QVERIFY(client.waitForConnected());
    const QString id = client.socket->id();
    client.socket->emitEvent(QStringLiteral("join"), { QStringLiteral("red") });
    client.socket->emitEvent(QStringLiteral("hello"), { 1, QVariantMap{ { QStringLiteral("x"), true } } });

    // Namespaces -> sockets -> rooms of the attached server.
    QVERIFY(QTest::qWaitFor(
        [&] {
            attachment->flushTree();
            return attachment->tree()->members(QStringLiteral("/"), QStringLiteral("red")).contains(id);
        },
        Timeout));
    QVERIFY(attachment->tree()->namespaces().contains(QStringLiteral("/")));
    QVERIFY(attachment->tree()->namespaces().contains(QStringLiteral("/admin")));
    QVERIFY(window.selectSocket(QStringLiteral("/"), id));
    QCOMPARE(window.serverDetails()->currentSocket(), id);
    QVERIFY(window.selectRoom(QStringLiteral("/"), QStringLiteral("red")));

    // The events in the one traffic log, with the attached server's source.
    TrafficModel *traffic = window.monitor()->traffic();
    auto findRow = [&](const QString &event, TrafficRow::Direction direction) -> std::optional<TrafficRow> {
        traffic->flush();
        for (int i = 0; i < traffic->rowCount(); ++i) {
            const TrafficRow &row = traffic->rowAt(i);
            if (row.event == event && row.direction == direction && row.socketId == id)
                return row;
        }
        return std::nullopt;
    };
    QVERIFY(QTest::qWaitFor(
        [&] { return findRow(QStringLiteral("hello"), TrafficRow::Direction::Incoming).has_value(); },
        Timeout));
    const TrafficRow hello = *findRow(QStringLiteral("hello"), TrafficRow::Direction::Incoming);
    QCOMPARE(hello.source, remote.source());
    QCOMPARE(hello.nsp, QStringLiteral("/"));
    QCOMPARE(hello.argCount, 2);
    QCOMPARE(hello.summary, QStringLiteral("1, {\"x\":true}"));
    QVERIFY(!hello.clientSide);

    // The fleet list: this one server, from its server_stats.
    QTreeWidget *servers = window.attachments()->serversList();
    QVERIFY(QTest::qWaitFor([&] { return servers->topLevelItemCount() == 1; }, Timeout));
    QCOMPARE(servers->topLevelItem(0)->text(3), QString::number(QCoreApplication::applicationPid()));
    QVERIFY(attachment->stats()->totalConnects() >= 0);

    // Actions from the window go through the admin commands.
    QVERIFY(window.joinRoom(QStringLiteral("/"), id, QStringLiteral("blue")));
    QVERIFY(QTest::qWaitFor(
        [&] {
            Socket *s = remote.server.mainNamespace()->socket(id);
            return s && s->rooms().contains(QStringLiteral("blue"));
        },
        Timeout));
    QVERIFY(window.leaveRoom(QStringLiteral("/"), id, QStringLiteral("red")));
    QVERIFY(QTest::qWaitFor(
        [&] {
            attachment->flushTree();
            return !attachment->tree()->members(QStringLiteral("/"), QStringLiteral("red")).contains(id);
        },
        Timeout));
    QSignalSpy disconnected(client.socket, &ClientSocket::disconnected);
    QVERIFY(window.disconnectSocket(QStringLiteral("/"), id, false));
    QVERIFY(disconnected.wait(Timeout));
    QCOMPARE(disconnected.first().first().toString(), QStringLiteral("io server disconnect"));
    QCOMPARE(remote.server.mainNamespace()->socketCount(), 0);
    QVERIFY(QTest::qWaitFor(
        [&] {
            attachment->flushTree();
            return !attachment->tree()->socket(QStringLiteral("/"), id);
        },
        Timeout));

    // Back to the own server: its tree and its actions.
    window.attachments()->setCurrentIndex(0);
    QCOMPARE(window.serverTree()->model(), window.monitor()->tree());
    QVERIFY(!window.disconnectSocket(QStringLiteral("/"), id, false));
    QCOMPARE(window.lastError(), QStringLiteral("The socket or namespace is gone."));

    // Detach: no more commands.
    window.attachments()->setCurrentIndex(1);
    window.attachments()->detachAction()->trigger();
    QCOMPARE(attachment->state(), AdminAttachment::State::Detached);
    QVERIFY(!window.joinRoom(QStringLiteral("/"), id, QStringLiteral("x")));
    QVERIFY(window.lastError().contains(QStringLiteral("Not connected")));
    QVERIFY(QTest::qWaitFor([&] { return remote.admin->adminCount() == 0; }, Timeout));
}

void tst_InspectorAttach::composerThroughAdminEmit()
{
    Remote remote;
    QVERIFY(remote.listening);
    Server own;
    MainWindow window(&own);
    AdminAttachment *attachment = window.attachTo(remote.attachOptions());
    QVERIFY(waitAttached(attachment));
    Client client(remote.server.serverPort());
    QVERIFY(client.waitForConnected());
    EmitComposer *composer = window.composer();
    composer->setTarget(QStringLiteral("/"), QString(), client.socket->id());
    composer->eventEdit()->setText(QStringLiteral("notice"));
    composer->clearArguments();
    composer->addArgument(ArgumentEditor::Kind::Json, QStringLiteral("{\"text\":\"hi\"}"));
    composer->ackCheck()->setChecked(false);
    QVERIFY2(composer->send(), qPrintable(composer->lastError()));
    QVERIFY(QTest::qWaitFor([&] { return !client.received.isEmpty(); }, Timeout));
    QCOMPARE(client.received.first().first, QStringLiteral("notice"));
    QCOMPARE(client.received.first().second.value(0).toMap().value(QStringLiteral("text")).toString(),
             QStringLiteral("hi"));
    // The admin protocol has no acks: refused with a reason, not sent.
    composer->ackCheck()->setChecked(true);
    QVERIFY(!composer->send());
    QVERIFY(composer->lastError().contains(QStringLiteral("ack")));
}

void tst_InspectorAttach::readOnlyRefused()
{
    AdminOptions options;
    options.readOnly = true;
    Remote remote(options);
    QVERIFY(remote.listening);
    Server own;
    MainWindow window(&own);
    AdminAttachment *attachment = window.attachTo(remote.attachOptions());
    QVERIFY(waitAttached(attachment));
    QVERIFY(attachment->isReadOnly());
    Client client(remote.server.serverPort());
    QVERIFY(client.waitForConnected());
    const QString id = client.socket->id();
    QVERIFY(!window.disconnectSocket(QStringLiteral("/"), id, false));
    QVERIFY2(window.lastError().contains(QStringLiteral("read-only")), qPrintable(window.lastError()));
    QVERIFY(!window.emptyRoom(QStringLiteral("/"), QStringLiteral("red")));
    QVERIFY(window.lastError().contains(QStringLiteral("read-only")));
    window.composer()->setTarget(QStringLiteral("/"), QString(), id);
    window.composer()->eventEdit()->setText(QStringLiteral("notice"));
    window.composer()->ackCheck()->setChecked(false);
    QVERIFY(!window.composer()->send());
    QVERIFY(window.composer()->lastError().contains(QStringLiteral("read-only")));
    QCOMPARE(remote.server.mainNamespace()->socketCount(), 1);
    QVERIFY(client.socket->isConnected());
}

void tst_InspectorAttach::wrongPassword()
{
    AdminOptions options;
    options.username = QStringLiteral("admin");
    options.passwordHash = Hash;
    Remote remote(options);
    QVERIFY(remote.listening);
    AttachOptions attach = remote.attachOptions();
    attach.username = QStringLiteral("admin");
    attach.password = QStringLiteral("wrong");
    AdminAttachment bad(attach);
    QSignalSpy errors(&bad, &AdminAttachment::errorOccurred);
    bad.start();
    QVERIFY(errors.wait(Timeout));
    QCOMPARE(errors.first().first().toString(), QStringLiteral("invalid credentials"));
    QCOMPARE(bad.state(), AdminAttachment::State::Failed);

    attach.password = QStringLiteral("s3cret");
    AdminAttachment good(attach);
    good.start();
    QVERIFY(waitAttached(&good));
    QCOMPARE(remote.admin->adminCount(), 1);
}

void tst_InspectorAttach::rawPackets()
{
    AdminOptions options;
    options.rawPackets = true;
    Remote remote(options);
    QVERIFY(remote.listening);
    Server own;
    MainWindow window(&own);
    AdminAttachment *attachment = window.attachTo(remote.attachOptions());
    QVERIFY(waitAttached(attachment));
    QVERIFY(attachment->offersRawPackets());
    QVERIFY(QTest::qWaitFor([&] { return attachment->isStreamingRawPackets(); }, Timeout));
    QVERIFY(QTest::qWaitFor([&] { return remote.admin->rawPacketSubscriberCount() == 1; }, Timeout));
    Client client(remote.server.serverPort());
    QVERIFY(client.waitForConnected());
    client.socket->emitEvent(QStringLiteral("hello"), { QStringLiteral("wire") });
    TrafficModel *traffic = window.monitor()->traffic();
    // Engine.IO level rows too (the open packet), and the event once, as the wire had it.
    auto count = [&](auto predicate) {
        traffic->flush();
        int n = 0;
        for (int i = 0; i < traffic->rowCount(); ++i)
            n += predicate(traffic->rowAt(i)) ? 1 : 0;
        return n;
    };
    const QString source = remote.source();
    QVERIFY(QTest::qWaitFor(
        [&] {
            return count([&](const TrafficRow &r) {
                       return r.source == source && r.event == QLatin1String("hello");
                   })
                == 1;
        },
        Timeout));
    QVERIFY(count([&](const TrafficRow &r) {
                return r.source == source && r.engineType == EnginePacketType::Open
                    && r.sessionId == client.manager.engineId();
            })
            == 1);
    const int hello = count([&](const TrafficRow &r) {
        return r.source == source && r.event == QLatin1String("hello")
            && r.wire() == "42[\"hello\",\"wire\"]";
    });
    QCOMPARE(hello, 1);
}

void tst_InspectorAttach::twoServersSideBySide()
{
    Remote first;
    Remote second;
    QVERIFY(first.listening && second.listening);
    Server own;
    QVERIFY(own.listen(QHostAddress::LocalHost, 0));
    MainWindow window(&own);
    AdminAttachment *a = window.attachTo(first.attachOptions());
    AdminAttachment *b = window.attachTo(second.attachOptions());
    QVERIFY(waitAttached(a) && waitAttached(b));
    QComboBox *combo = window.attachments()->sourceCombo();
    QCOMPARE(combo->count(), 3);
    QVERIFY(QTest::qWaitFor([&] { return combo->itemText(0).contains(QString::number(own.serverPort())); },
                            Timeout));
    QCOMPARE(combo->itemText(1), QStringLiteral("Attached: 127.0.0.1:%1").arg(first.server.serverPort()));
    QCOMPARE(combo->itemText(2), QStringLiteral("Attached: 127.0.0.1:%1").arg(second.server.serverPort()));
    Client toFirst(first.server.serverPort());
    QVERIFY(toFirst.waitForConnected());
    combo->setCurrentIndex(1);
    QCOMPARE(window.serverTree()->model(), a->tree());
    QVERIFY(QTest::qWaitFor([&] { return window.selectSocket(QStringLiteral("/"), toFirst.socket->id()); },
                            Timeout));
    combo->setCurrentIndex(2);
    QCOMPARE(window.serverTree()->model(), b->tree());
    QVERIFY(!window.selectSocket(QStringLiteral("/"), toFirst.socket->id()));
    // Both servers in the fleet list.
    QVERIFY(QTest::qWaitFor([&] { return window.attachments()->serversList()->topLevelItemCount() == 2; },
                            Timeout));
}

void tst_InspectorAttach::loginAgainAfterRestart()
{
    AdminOptions options;
    options.username = QStringLiteral("admin");
    options.passwordHash = Hash;
    auto remote = std::make_unique<Remote>(options);
    QVERIFY(remote->listening);
    const quint16 port = remote->server.serverPort();
    AttachOptions attach = remote->attachOptions();
    attach.username = QStringLiteral("admin");
    attach.password = QStringLiteral("s3cret");
    AdminAttachment attachment(attach);
    QSignalSpy configs(&attachment, &AdminAttachment::configReceived);
    attachment.start();
    QVERIFY(waitAttached(&attachment));
    // The server restarts on the same port: its sessions are gone, so the session id the
    // attachment logs in with is refused, and the password logs in again.
    remote.reset();
    QVERIFY(
        QTest::qWaitFor([&] { return attachment.state() == AdminAttachment::State::Reconnecting; }, Timeout));
    remote = std::make_unique<Remote>(options, port);
    QVERIFY(remote->listening);
    QVERIFY(QTest::qWaitFor([&] { return configs.size() == 2 && attachment.isConnected(); }, Timeout));
    QCOMPARE(remote->admin->adminCount(), 1);
    Client client(port);
    QVERIFY(client.waitForConnected());
    QVERIFY(QTest::qWaitFor(
        [&] {
            attachment.flushTree();
            return attachment.tree()->socket(QStringLiteral("/"), client.socket->id()).has_value();
        },
        Timeout));
}

QTEST_MAIN(tst_InspectorAttach)
#include "tst_inspectorattach.moc"
