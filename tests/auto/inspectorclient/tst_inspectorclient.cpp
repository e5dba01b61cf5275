// SPDX-License-Identifier: MIT
// The inspector's client connections (ui/clientconnection.h, ui/clientspanel.h) against our own
// SocketIo::Server in this process: the Clients pane, the composer's "As client" target, pinned
// listeners, answers to the server's acks, reconnection, and the rows in the traffic log.
#include "clientcommandline.h"
#include "clientconnection.h"
#include "clientspanel.h"
#include "emitcomposer.h"
#include "filterbar.h"
#include "flowrecorder.h"
#include "mainwindow.h"
#include "servermonitor.h"
#include "trafficfilter.h"
#include "trafficmodel.h"

#include <SocketIo/namespace.h>
#include <SocketIo/server.h>
#include <SocketIo/socket.h>

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

#include <memory>

using namespace SocketIo;
using namespace Inspector;

class tst_InspectorClient : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void connectsAndLogsRows();
    void composerEmitsAsClientWithAck();
    void pinnedListenerShowsLatestArguments();
    void serverAckIsAnswered();
    void pingFigures();
    void reconnectsToANewServerOnTheSamePort();
    void disconnectAndReconnectButtons();
    void recordFromThePanel();
    void selectingAConnectionFiltersTheTraffic();
    void namespacesAndRefusal();
    void savedConnectionsRoundTrip();
    void commandLineValues();
    void commandParsers();

private:
    std::unique_ptr<Server> makeServer(quint16 port);
    ClientConnection *connectClient(const QString &nsps = QStringLiteral("/"), quint16 port = 0);
    QList<TrafficRow> clientRows(const QString &source) const;

    QTemporaryDir m_settingsDir;
    std::unique_ptr<Server> m_server;
    std::unique_ptr<MainWindow> m_window;
    quint16 m_port = 0;
};

void tst_InspectorClient::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_settingsDir.isValid());
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.path());
    QCoreApplication::setOrganizationName(QStringLiteral("SocketIoInspectorClientTests"));
    QSettings().clear();
}

std::unique_ptr<Server> tst_InspectorClient::makeServer(quint16 port)
{
    ServerOptions options;
    options.engine.pingInterval = std::chrono::milliseconds(200);
    options.engine.pingTimeout = std::chrono::milliseconds(400);
    options.engine.allowEIO3 = true;
    auto server = std::make_unique<Server>(options);
    for (const char *name : { "/", "/chat" }) {
        Namespace *nsp = server->of(QString::fromLatin1(name));
        QObject::connect(nsp, &Namespace::socketConnected, server.get(), [](Socket *socket) {
            socket->emitEvent(QStringLiteral("welcome"), { socket->nsp()->name(), 42 });
            socket->on(QStringLiteral("echo"), socket, [](const QVariantList &args, const Ack &ack) {
                QVariantList reply{ QStringLiteral("echoed") };
                reply.append(args);
                ack.send(reply);
            });
        });
    }
    if (!server->listen(QHostAddress::LocalHost, port))
        return nullptr;
    return server;
}

void tst_InspectorClient::init()
{
    m_server = makeServer(0);
    QVERIFY(m_server);
    m_port = m_server->serverPort();
    m_window = std::make_unique<MainWindow>(m_server.get());
    m_window->monitor()->traffic()->setFlushInterval(10);
}

void tst_InspectorClient::cleanup()
{
    m_window.reset();
    m_server.reset();
}

ClientConnection *tst_InspectorClient::connectClient(const QString &nsps, quint16 port)
{
    ClientConnectionOptions options;
    options.url = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port ? port : m_port));
    for (const QString &nsp : nsps.split(QLatin1Char(',')))
        options.namespaces.append({ nsp, {} });
    options.reconnectionDelayMs = 20;
    options.reconnectionDelayMaxMs = 100;
    return m_window->clientsPanel()->addConnection(options);
}

QList<TrafficRow> tst_InspectorClient::clientRows(const QString &source) const
{
    TrafficModel *traffic = m_window->monitor()->traffic();
    traffic->flush();
    QList<TrafficRow> rows;
    for (int i = 0; i < traffic->rowCount(); ++i) {
        if (traffic->rowAt(i).source == source)
            rows.append(traffic->rowAt(i));
    }
    return rows;
}

void tst_InspectorClient::connectsAndLogsRows()
{
    ClientConnection *c = connectClient();
    QCOMPARE(c->name(), QStringLiteral("client 1"));
    QTRY_COMPARE(c->state(), ClientConnection::State::Connected);
    QTRY_VERIFY(c->namespaceInfo(QStringLiteral("/")).connected);
    const QString id = c->namespaceInfo(QStringLiteral("/")).socketId;
    QVERIFY(m_server->of(QStringLiteral("/"))->socket(id)); // the server knows this socket
    QVERIFY(!c->engineId().isEmpty());

    // The tree: Clients -> client 1 (state) -> "/" with the socket id.
    ClientsPanel *panel = m_window->clientsPanel();
    QTreeWidgetItem *item = panel->connectionItem(QStringLiteral("client 1"));
    QVERIFY(item);
    QTRY_VERIFY(item->text(1).startsWith(QStringLiteral("connected")));
    QCOMPARE(panel->namespaceItem(QStringLiteral("client 1"), QStringLiteral("/"))->text(1), id);

    // The log: the client's rows, from the client's side, with the right directions.
    QTRY_VERIFY(!clientRows(QStringLiteral("client 1")).isEmpty());
    bool connectOut = false;
    bool connectIn = false;
    bool welcomeIn = false;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            const QList<TrafficRow> rows = clientRows(QStringLiteral("client 1"));
            for (const TrafficRow &row : rows) {
                if (!row.clientSide)
                    return false;
                if (row.socketIoType == SocketIoPacketType::Connect)
                    (row.direction == TrafficRow::Direction::Outgoing ? connectOut : connectIn) = true;
                if (row.kind == PacketKind::Event && row.event == QLatin1String("welcome")) {
                    welcomeIn = row.direction == TrafficRow::Direction::Incoming
                        && row.nsp == QLatin1String("/") && row.summary.contains(QLatin1String("42"));
                }
            }
            return connectOut && connectIn && welcomeIn;
        }(),
        5000);
    // The server's own rows of the same packets stay server rows.
    bool serverRow = false;
    const QList<TrafficRow> serverRows = clientRows(QString());
    for (const TrafficRow &row : serverRows)
        serverRow = serverRow || (row.event == QLatin1String("welcome") && !row.clientSide);
    QVERIFY(serverRow);
}

void tst_InspectorClient::composerEmitsAsClientWithAck()
{
    ClientConnection *c = connectClient();
    QTRY_VERIFY(c->namespaceInfo(QStringLiteral("/")).connected);
    EmitComposer *composer = m_window->composer();
    QVERIFY(composer->targetKindCombo()->findData(int(ComposerMessage::Target::Client)) >= 0);
    composer->setClientTarget(QStringLiteral("client 1"), QStringLiteral("/"));
    QCOMPARE(composer->clientCombo()->currentText(), QStringLiteral("client 1"));
    QVERIFY(composer->clientCombo()->isVisibleTo(composer));
    composer->eventEdit()->setText(QStringLiteral("echo"));
    composer->clearArguments();
    composer->addArgument(ArgumentEditor::Kind::Json, QStringLiteral("{\"z\": 1, \"a\": [true]}"));
    composer->addArgument(ArgumentEditor::Kind::Hex, QStringLiteral("01 02 ff"));
    composer->ackCheck()->setChecked(true);
    composer->timeoutSpin()->setValue(5000);
    QSignalSpy acks(composer, &EmitComposer::ackFinished);
    QVERIFY2(composer->send(), qPrintable(composer->lastError()));
    QTRY_COMPARE(acks.size(), 1);
    QCOMPARE(acks.first().at(0).value<AckStatus>(), AckStatus::Received);
    const auto replies = acks.first().at(1).value<QList<QVariantList>>();
    QCOMPARE(replies.size(), 1);
    QCOMPARE(replies.first().size(), 3);
    QCOMPARE(replies.first().at(0).toString(), QStringLiteral("echoed"));
    QCOMPARE(replies.first().at(2).toByteArray(), QByteArray::fromHex("0102ff"));
    // The results tree shows the reply as for server-side acks.
    QTreeWidgetItem *result = composer->resultTree()->topLevelItem(0);
    QVERIFY(result->text(1).contains(QLatin1String("client 1")));
    QVERIFY2(result->text(2).startsWith(QStringLiteral("acknowledged")), qPrintable(result->text(2)));
    QCOMPARE(result->child(0)->childCount(), 3);
    QCOMPARE(result->child(0)->child(0)->text(1), QStringLiteral("\"echoed\""));
    // The emit and its ack are in the log as the client saw them, paired.
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            const QList<TrafficRow> rows = clientRows(QStringLiteral("client 1"));
            for (const TrafficRow &row : rows) {
                if (row.kind == PacketKind::Event && row.event == QLatin1String("echo")
                    && row.direction == TrafficRow::Direction::Outgoing && row.pairSeq >= 0)
                    return true;
            }
            return false;
        }(),
        5000);

    // Timeout: an event nobody answers.
    composer->eventEdit()->setText(QStringLiteral("nobody-answers"));
    composer->timeoutSpin()->setValue(50);
    QVERIFY(composer->send());
    QTRY_COMPARE(acks.size(), 2);
    QCOMPARE(acks.at(1).at(0).value<AckStatus>(), AckStatus::TimedOut);
    // A reserved name is refused with a reason.
    composer->eventEdit()->setText(QStringLiteral("disconnect"));
    QVERIFY(!composer->send());
    QVERIFY(!composer->lastError().isEmpty());
}

void tst_InspectorClient::pinnedListenerShowsLatestArguments()
{
    ClientConnection *c = connectClient();
    QTRY_VERIFY(c->namespaceInfo(QStringLiteral("/")).connected);
    ClientsPanel *panel = m_window->clientsPanel();
    QVERIFY(panel->selectConnection(QStringLiteral("client 1")));
    panel->pinEvent(QStringLiteral("news"));
    QCOMPARE(c->pinnedEvents(), QStringList{ QStringLiteral("news") });
    QCOMPARE(panel->pinnedTree()->topLevelItemCount(), 1);
    QVERIFY(!c->pinnedValue(QStringLiteral("news")));

    Socket *socket =
        m_server->of(QStringLiteral("/"))->socket(c->namespaceInfo(QStringLiteral("/")).socketId);
    QVERIFY(socket);
    socket->emitEvent(QStringLiteral("news"), { QStringLiteral("first") });
    socket->emitEvent(QStringLiteral("other"), { 1 });
    socket->emitEvent(QStringLiteral("news"),
                      { QStringLiteral("second"), QVariantMap{ { QStringLiteral("n"), 2 } } });
    QTRY_COMPARE(c->pinnedValue(QStringLiteral("news")).value_or(ClientConnection::PinnedValue{}).count, 2);
    const auto latest = *c->pinnedValue(QStringLiteral("news"));
    QCOMPARE(latest.args.size(), 2);
    QCOMPARE(latest.args.at(0).toString(), QStringLiteral("second"));
    QTreeWidgetItem *pinned = panel->pinnedTree()->topLevelItem(0);
    QCOMPARE(pinned->text(0), QStringLiteral("news"));
    QVERIFY2(pinned->text(1).contains(QLatin1String("\"second\"")), qPrintable(pinned->text(1)));
    QCOMPARE(pinned->childCount(), 2);

    // The event list: everything, or only pinned events.
    QTRY_VERIFY(panel->eventsTree()->topLevelItemCount() >= 4); // welcome, news, other, news
    panel->onlyPinnedCheck()->setChecked(true);
    QVERIFY(c->onlyPinned());
    QCOMPARE(panel->eventsTree()->topLevelItemCount(), 2);
    for (int i = 0; i < 2; ++i)
        QCOMPARE(panel->eventsTree()->topLevelItem(i)->text(1), QStringLiteral("news"));
    c->unpinEvent(QStringLiteral("news"));
    QCOMPARE(panel->pinnedTree()->topLevelItemCount(), 0);
    QCOMPARE(panel->eventsTree()->topLevelItemCount(), 0);
}

void tst_InspectorClient::serverAckIsAnswered()
{
    ClientConnection *c = connectClient();
    QTRY_VERIFY(c->namespaceInfo(QStringLiteral("/")).connected);
    Socket *socket =
        m_server->of(QStringLiteral("/"))->socket(c->namespaceInfo(QStringLiteral("/")).socketId);
    QVERIFY(socket);
    QList<std::pair<AckStatus, QVariantList>> answers;
    auto ask = [&](const QString &event) {
        EmitOptions options;
        options.ackTimeout = std::chrono::milliseconds(5000);
        socket->emitEvent(
            event, { 7 }, this,
            [&answers](AckStatus status, const QVariantList &args) {
                answers.append({ status, args });
            },
            options);
    };
    // By default: an empty ack, at once.
    ask(QStringLiteral("question"));
    QTRY_COMPARE(answers.size(), 1);
    QCOMPARE(answers.at(0).first, AckStatus::Received);
    QVERIFY(answers.at(0).second.isEmpty());
    // A fixed reply for the event, and one for any other event.
    QVERIFY(c->setAckReply(QStringLiteral("question"), QStringLiteral("[\"yes\", {\"n\": 2}]")));
    QVERIFY(c->setAckReply(QStringLiteral("*"), QStringLiteral("\"default\"")));
    QVERIFY(!c->setAckReply(QStringLiteral("bad"), QStringLiteral("[oops")));
    ask(QStringLiteral("question"));
    ask(QStringLiteral("anything"));
    QTRY_COMPARE(answers.size(), 3);
    QCOMPARE(answers.at(1).second.size(), 2);
    QCOMPARE(answers.at(1).second.at(0).toString(), QStringLiteral("yes"));
    QCOMPARE(answers.at(2).second, QVariantList{ QStringLiteral("default") });
    // The panel lists the replies.
    QVERIFY(m_window->clientsPanel()->selectConnection(QStringLiteral("client 1")));
    QCOMPARE(m_window->clientsPanel()->ackRepliesTree()->topLevelItemCount(), 2);
    // The event list marks the ack requests and tells what was answered.
    QTreeWidget *events = m_window->clientsPanel()->eventsTree();
    QTRY_VERIFY(events->topLevelItemCount() >= 4);
    QTreeWidgetItem *last = events->topLevelItem(events->topLevelItemCount() - 1);
    QVERIFY2(last->text(1).startsWith(QStringLiteral("anything [ack")), qPrintable(last->text(1)));
    QTreeWidgetItem *answered = last->child(last->childCount() - 1);
    QCOMPARE(answered->text(0), QStringLiteral("answered"));
    QCOMPARE(answered->text(3), QStringLiteral("\"default\""));
    QCOMPARE(c->events().last().ackReply, QVariantList{ QStringLiteral("default") });
    c->clearEvents();
    QCOMPARE(events->topLevelItemCount(), 0);
}

void tst_InspectorClient::pingFigures()
{
    // Engine.IO v4: the server pings; the client knows the probe's round trip and the last ping.
    ClientConnection *v4 = connectClient();
    QTRY_COMPARE(v4->transport(), Transport::WebSocket);
    QVERIFY(v4->probeRoundTripMs() >= 0);
    QTRY_VERIFY(v4->lastServerPingMs() > 0); // pingInterval 200 ms
    QCOMPARE(v4->pingIntervalMs(), 200);
    QCOMPARE(v4->roundTripMs(), -1);
    QVERIFY2(v4->pingText().startsWith(QStringLiteral("probe ")), qPrintable(v4->pingText()));
    // Engine.IO v3: the client pings, a real round trip.
    ClientConnectionOptions options;
    options.url = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_port));
    options.eio3 = true;
    options.transports = Transport::Polling;
    ClientConnection *v3 = m_window->clientsPanel()->addConnection(options);
    QCOMPARE(v3->name(), QStringLiteral("client 2"));
    QTRY_VERIFY(v3->namespaceInfo(QStringLiteral("/")).connected);
    QTRY_VERIFY(v3->roundTripMs() >= 0);
    QCOMPARE(v3->probeRoundTripMs(), -1);
    QVERIFY2(v3->pingText().startsWith(QStringLiteral("RTT ")), qPrintable(v3->pingText()));
    QTRY_VERIFY(m_window->clientsPanel()
                    ->connectionItem(QStringLiteral("client 2"))
                    ->text(1)
                    .contains(QLatin1String("RTT")));
    QVERIFY(m_window->clientsPanel()->overviewLabel()->text().contains(QLatin1String("Engine.IO v3")));
}

void tst_InspectorClient::reconnectsToANewServerOnTheSamePort()
{
    // Another server than the window's own, so that it can go away.
    std::unique_ptr<Server> remote = makeServer(0);
    QVERIFY(remote);
    const quint16 port = remote->serverPort();
    ClientConnection *c = connectClient(QStringLiteral("/"), port);
    QTRY_VERIFY(c->namespaceInfo(QStringLiteral("/")).connected);
    const QString firstSid = c->engineId();
    QSignalSpy notes(c, &ClientConnection::noteAdded);
    remote.reset(); // deleted: the connection drops
    QTRY_COMPARE(c->state(), ClientConnection::State::Reconnecting);
    QTRY_VERIFY(c->reconnectAttempt() >= 1);
    QTRY_VERIFY(m_window->clientsPanel()->connectionItem(c->name())->text(1).startsWith(
        QStringLiteral("reconnecting")));
    QVERIFY(!c->namespaceInfo(QStringLiteral("/")).connected);
    // A new server listens on the same port.
    remote = makeServer(port);
    QVERIFY(remote);
    QTRY_COMPARE_WITH_TIMEOUT(c->state(), ClientConnection::State::Connected, 10000);
    QTRY_VERIFY(c->namespaceInfo(QStringLiteral("/")).connected);
    QVERIFY(c->engineId() != firstSid);
    QVERIFY(remote->of(QStringLiteral("/"))->socket(c->namespaceInfo(QStringLiteral("/")).socketId));
    QStringList texts;
    for (const QList<QVariant> &note : std::as_const(notes))
        texts.append(note.at(0).toString());
    QVERIFY2(texts.contains(QStringLiteral("disconnected (transport close)"))
                 || texts.contains(QStringLiteral("disconnected (transport error)")),
             qPrintable(texts.join(QLatin1Char('\n'))));
    QVERIFY2(!texts.filter(QStringLiteral("reconnecting (attempt")).isEmpty(),
             qPrintable(texts.join(QLatin1Char('\n'))));
    // The welcome of the new server arrived after the reconnection.
    QTRY_VERIFY(c->events().size() >= 2);
    QCOMPARE(c->events().last().event, QStringLiteral("welcome"));
}

void tst_InspectorClient::disconnectAndReconnectButtons()
{
    ClientConnection *c = connectClient();
    QTRY_VERIFY(c->namespaceInfo(QStringLiteral("/")).connected);
    const QString id = c->namespaceInfo(QStringLiteral("/")).socketId;
    ClientsPanel *panel = m_window->clientsPanel();
    QVERIFY(panel->selectConnection(QStringLiteral("client 1")));
    QSignalSpy gone(m_server->of(QStringLiteral("/")), &Namespace::socketDisconnected);
    QVERIFY(panel->disconnectButton()->isEnabled());
    QTest::mouseClick(panel->disconnectButton(), Qt::LeftButton);
    QTRY_COMPARE(gone.size(), 1);
    QCOMPARE(gone.first().at(0).toString(), id);
    QCOMPARE(c->state(), ClientConnection::State::Disconnected);
    QVERIFY(!panel->disconnectButton()->isEnabled());
    QTRY_VERIFY(panel->connectionItem(QStringLiteral("client 1"))
                    ->text(1)
                    .startsWith(QStringLiteral("disconnected")));
    QTest::mouseClick(panel->reconnectButton(), Qt::LeftButton);
    QTRY_VERIFY(c->namespaceInfo(QStringLiteral("/")).connected);
    QVERIFY(c->namespaceInfo(QStringLiteral("/")).socketId != id);
    QCOMPARE(m_server->of(QStringLiteral("/"))->socketCount(), 1);
    // Remove: the connection goes, and so does its node.
    QTest::mouseClick(panel->removeButton(), Qt::LeftButton);
    QTRY_COMPARE(m_server->of(QStringLiteral("/"))->socketCount(), 0);
    QVERIFY(!panel->connectionItem(QStringLiteral("client 1")));
    QVERIFY(m_window->clientConnections()->connections().isEmpty());
}

// The Clients pane records a connection's session into a file that the replayer reads.
void tst_InspectorClient::recordFromThePanel()
{
    ClientConnection *c = connectClient();
    QTRY_VERIFY(c->namespaceInfo(QStringLiteral("/")).connected);
    ClientsPanel *panel = m_window->clientsPanel();
    QVERIFY(panel->selectConnection(QStringLiteral("client 1")));
    QVERIFY(panel->recordButton()->isEnabled());
    QVERIFY(!panel->recordButton()->isChecked());
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("session.jsonl"));
    QVERIFY(panel->recordCurrent(file));
    QVERIFY(c->isRecording());
    QVERIFY(panel->recordButton()->isChecked());
    QVERIFY(panel->connectionItem(QStringLiteral("client 1"))->text(1).contains(QStringLiteral("recording")));
    bool answered = false;
    QVERIFY(c->emitEvent(
        QStringLiteral("/"), QStringLiteral("echo"), { QStringLiteral("recorded") }, this,
        [&](AckStatus status, const QVariantList &) { answered = status == AckStatus::Received; },
        std::chrono::milliseconds(5000)));
    QTRY_VERIFY(answered);
    // Stopping from the button closes the file.
    QTest::mouseClick(panel->recordButton(), Qt::LeftButton);
    QVERIFY(!c->isRecording());
    QVERIFY(!panel->recordButton()->isChecked());
    QString error;
    const auto recording = FlowRecording::load(file, &error);
    QVERIFY2(recording, qPrintable(error));
    const QList<FlowRecording::Emit> emits = recording->emits();
    QCOMPARE(emits.size(), 1);
    QCOMPARE(emits.first().event, QStringLiteral("echo"));
    // The ack reply came back and is in the recording.
    bool ackRecorded = false;
    for (const FlowItem &item : recording->received())
        ackRecorded |= item.kind == FlowItem::Kind::AckReply;
    QVERIFY(ackRecorded);
    // An unwritable file is refused, the button stays off.
    QVERIFY(!panel->recordCurrent(dir.filePath(QStringLiteral("missing/dir/x.jsonl"))));
    QVERIFY(!panel->recordButton()->isChecked());
}

void tst_InspectorClient::selectingAConnectionFiltersTheTraffic()
{
    ClientConnection *c = connectClient(QStringLiteral("/,/chat"));
    QTRY_VERIFY(c->namespaceInfo(QStringLiteral("/chat")).connected);
    ClientsPanel *panel = m_window->clientsPanel();
    TrafficFilterProxy *proxy = m_window->trafficProxy();
    QVERIFY(m_window->linkTreeAction()->isChecked());
    QVERIFY(panel->selectConnection(QStringLiteral("client 1")));
    QCOMPARE(proxy->sourceFilter(), QStringLiteral("client 1"));
    m_window->monitor()->traffic()->flush();
    QVERIFY(proxy->rowCount() > 0);
    for (int i = 0; i < proxy->rowCount(); ++i)
        QCOMPARE(proxy->index(i, 0).data(TrafficModel::SourceRole).toString(), QStringLiteral("client 1"));
    QVERIFY(panel->selectConnection(QStringLiteral("client 1"), QStringLiteral("/chat")));
    QCOMPARE(proxy->namespaceFilter(), QStringLiteral("/chat"));
    // The root clears the scope; a server node replaces it.
    panel->tree()->setCurrentItem(panel->tree()->topLevelItem(0));
    QVERIFY(proxy->sourceFilter().isNull());
    QVERIFY(panel->selectConnection(QStringLiteral("client 1")));
    QVERIFY(m_window->selectNamespace(QStringLiteral("/")));
    QVERIFY(proxy->sourceFilter().isNull());
}

void tst_InspectorClient::namespacesAndRefusal()
{
    m_server->of(QStringLiteral("/guarded"))->use([](Socket *socket, const Next &next) {
        if (socket->handshake().auth.value(QStringLiteral("token")).toString() == QLatin1String("ok"))
            next();
        else
            next.reject(QStringLiteral("not authorized"));
    });
    ClientConnection *c = connectClient();
    QTRY_VERIFY(c->namespaceInfo(QStringLiteral("/")).connected);
    QSignalSpy namespaces(c, &ClientConnection::namespacesChanged);
    QVERIFY(!c->connectNamespace(QStringLiteral("/guarded"), QStringLiteral("[1]"))); // not an object
    QVERIFY(c->connectNamespace(QStringLiteral("/guarded"), QStringLiteral("{\"token\": \"bad\"}")));
    QCOMPARE(namespaces.size(), 1);
    QTRY_COMPARE(c->namespaceInfo(QStringLiteral("/guarded")).lastError, QStringLiteral("not authorized"));
    QTRY_VERIFY(m_window->clientsPanel()
                    ->namespaceItem(QStringLiteral("client 1"), QStringLiteral("/guarded"))
                    ->text(1)
                    .contains(QLatin1String("not authorized")));
    QVERIFY(c->connectNamespace(QStringLiteral("/guarded"), QStringLiteral("{\"token\": \"ok\"}")));
    QTRY_VERIFY(c->namespaceInfo(QStringLiteral("/guarded")).connected);
    // Both namespaces share one Engine.IO connection.
    QCOMPARE(m_server->engine()->sessionCount(), 1);
    // The composer lists the connection's namespaces.
    EmitComposer *composer = m_window->composer();
    composer->setClientTarget(QStringLiteral("client 1"), QStringLiteral("/guarded"));
    QCOMPARE(composer->namespaceCombo()->currentText(), QStringLiteral("/guarded"));
    QVERIFY(composer->namespaceCombo()->findText(QStringLiteral("/guarded")) >= 0);
}

void tst_InspectorClient::savedConnectionsRoundTrip()
{
    ClientConnectionOptions o;
    o.name = QStringLiteral("staging");
    o.url = QUrl(QStringLiteral("https://example.test:8443"));
    o.path = QStringLiteral("/ws/");
    o.namespaces = { { QStringLiteral("/"), QStringLiteral("{\"token\":\"x\"}") },
                     { QStringLiteral("/chat"), {} } };
    o.headers = { { "Authorization", "Bearer abc" } };
    o.query = QStringLiteral("room=1");
    o.transports = Transport::WebSocket;
    o.eio3 = true;
    o.pinned = { QStringLiteral("news") };
    o.ackReplies.insert(QStringLiteral("question"), QStringLiteral("[1]"));
    ClientConnectionList::saveConnection(o);
    ClientConnectionList::saveConnection(o); // replaces, no duplicate
    const auto saved = ClientConnectionList::savedConnections();
    QCOMPARE(saved.size(), 1);
    QCOMPARE(saved.first().toVariant(), o.toVariant());
    const ManagerOptions m = saved.first().managerOptions();
    QCOMPARE(m.engineIoProtocol, 3);
    QCOMPARE(m.transports, Transports(Transport::WebSocket));
    QCOMPARE(m.path, QStringLiteral("/ws/"));

    // The dialog shows a saved connection and gives it back.
    ClientConnectionDialog dialog;
    QCOMPARE(dialog.savedCombo()->count(), 2);
    dialog.setOptions(saved.first());
    const ClientConnectionOptions back = dialog.options();
    QCOMPARE(back.url, o.url);
    QCOMPARE(back.namespaces.size(), 2);
    QCOMPARE(back.headers, o.headers);
    QVERIFY(back.eio3);
    QCOMPARE(back.transports, Transports(Transport::WebSocket));
    // A URL path is a namespace; a bad auth is refused.
    dialog.urlEdit()->setText(QStringLiteral("http://localhost:3000/admin"));
    QCOMPARE(dialog.options().namespaces.first().nsp, QStringLiteral("/admin"));
    QCOMPARE(dialog.options().url, QUrl(QStringLiteral("http://localhost:3000")));
    dialog.authEdit()->setPlainText(QStringLiteral("not json"));
    dialog.accept();
    QVERIFY(!dialog.errorLabel()->text().isEmpty());
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
    ClientConnectionList::removeSavedConnection(QStringLiteral("staging"));
    QVERIFY(ClientConnectionList::savedConnections().isEmpty());
}

void tst_InspectorClient::commandLineValues()
{
    QPair<QByteArray, QByteArray> header;
    QVERIFY(ClientConnectionOptions::parseHeader(QStringLiteral("X-Token:  a: b "), &header));
    QCOMPARE(header.first, QByteArray("X-Token"));
    QCOMPARE(header.second, QByteArray("a: b"));
    QVERIFY(!ClientConnectionOptions::parseHeader(QStringLiteral("novalue"), &header));
    QCOMPARE(ClientConnectionOptions::parseTransports(QStringLiteral("websocket")),
             Transports(Transport::WebSocket));
    QCOMPARE(ClientConnectionOptions::parseTransports(QStringLiteral("polling,websocket")),
             Transport::Polling | Transport::WebSocket);
    QVERIFY(!ClientConnectionOptions::parseTransports(QStringLiteral("carrier-pigeon")));
    QCOMPARE(ClientConnectionOptions::namespaceOfUrl(QUrl(QStringLiteral("http://h:1/chat/"))),
             QStringLiteral("/chat"));
    QCOMPARE(ClientConnectionOptions::namespaceOfUrl(QUrl(QStringLiteral("http://h:1"))),
             QStringLiteral("/"));
    QStringList values;
    QVERIFY(splitJsonValues(QStringLiteral(" 1 {\"a b\": [1, 2]} hello \"x \\\" y\" [[]] "), &values));
    QCOMPARE(values,
             (QStringList{ QStringLiteral("1"), QStringLiteral("{\"a b\": [1, 2]}"), QStringLiteral("hello"),
                           QStringLiteral("\"x \\\" y\""), QStringLiteral("[[]]") }));
    values.clear();
    QVERIFY(!splitJsonValues(QStringLiteral("{\"open\": 1"), &values));
    const auto binary = parseClientJson(QStringLiteral("{\"$binary\": \"AQID\"}"));
    QVERIFY(binary);
    QCOMPARE(binary->toByteArray(), QByteArray("\x01\x02\x03"));
    QCOMPARE(parseClientReply(QStringLiteral("5"))->size(), 1);
    QCOMPARE(parseClientReply(QStringLiteral("[1, 2]"))->size(), 2);
    QVERIFY(!parseClientReply(QStringLiteral("[1,")));
}

QTEST_MAIN(tst_InspectorClient)
// The headless commands: the text and the JSON Lines forms become the same ClientCommand.
void tst_InspectorClient::commandParsers()
{
    using Kind = ClientCommand::Kind;
    QString error;
    auto text =
        ClientCommand::fromText(QStringLiteral("emit-ack /chat \"two words\" 1 {\"a\": [1]} word"), &error);
    QVERIFY2(text, qPrintable(error));
    QCOMPARE(text->kind, Kind::Emit);
    QCOMPARE(text->nsp, QStringLiteral("/chat"));
    QCOMPARE(text->event, QStringLiteral("two words"));
    QCOMPARE(text->args.size(), 3);
    QCOMPARE(text->args.at(2).toString(), QStringLiteral("word"));
    QVERIFY(text->ack);
    QVERIFY(!text->wait); // emit-ack does not hold the next commands
    QVERIFY(!ClientCommand::fromText(QStringLiteral("# comment"), &error));
    QVERIFY(error.isEmpty());
    QVERIFY(!ClientCommand::fromText(QStringLiteral("emit"), &error));
    QVERIFY(!error.isEmpty());
    QVERIFY(ClientCommand::fromText(QStringLiteral("disconnect"), &error)->wholeConnection);
    QVERIFY(!ClientCommand::fromText(QStringLiteral("disconnect /chat"), &error)->wholeConnection);

    auto json = ClientCommand::fromJson(
        R"({"cmd":"emit","event":"up","args":["a",{"$binary":"AQI="},[{"$binary":"Aw=="}]],"ack":true,"timeoutMs":500})",
        &error);
    QVERIFY2(json, qPrintable(error));
    QCOMPARE(json->kind, Kind::Emit);
    QVERIFY(json->nsp.isEmpty()); // the connection's first namespace
    QCOMPARE(json->args.at(1).toByteArray(), QByteArray("\x01\x02"));
    QCOMPARE(json->args.at(2).toList().value(0).toByteArray(), QByteArray("\x03"));
    QVERIFY(json->ack && json->wait);
    QCOMPARE(json->timeoutMs, 500);
    json = ClientCommand::fromJson(R"({"cmd":"connect","nsp":"/admin","auth":{"token":"x"}})", &error);
    QCOMPARE(json->kind, Kind::Connect);
    QCOMPARE(json->nsp, QStringLiteral("/admin"));
    QCOMPARE(json->auth, QStringLiteral("{\"token\":\"x\"}"));
    json = ClientCommand::fromJson(R"({"cmd":"ack","ackId":3,"args":["yes"]})", &error);
    QCOMPARE(json->kind, Kind::Ack);
    QCOMPARE(json->ackId, 3);
    QCOMPARE(ClientCommand::fromJson(R"({"cmd":"disconnect"})", &error)->nsp, QStringLiteral("/"));
    QCOMPARE(ClientCommand::fromJson(R"({"cmd":"close"})", &error)->kind, Kind::Quit);
    QVERIFY(!ClientCommand::fromJson(R"({"cmd":"ack"})", &error));
    QVERIFY(!ClientCommand::fromJson(R"({"cmd":"emit","event":"e","args":5})", &error));
    QVERIFY(!ClientCommand::fromJson(R"({"cmd":"nope"})", &error));
    QVERIFY(!ClientCommand::fromJson("[1]", &error));
}

#include "tst_inspectorclient.moc"
