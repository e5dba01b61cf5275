// SPDX-License-Identifier: MIT
// The inspector's window against a real server in this process, with raw Engine.IO clients over
// loopback (exact wire strings) and the real npm socket.io-client in a node process: the tree,
// traffic rows and filters, details, the composer's emits and acks, the socket actions,
// pause/autoscroll, HAR and JSON Lines export/import, start/stop and settings, and the German
// catalog.
#include "chartspanel.h"
#include "chartwidget.h"
#include "eioclient.h"
#include "emitcomposer.h"
#include "filterbar.h"
#include "headlessprinter.h"
#include "mainwindow.h"
#include "nodeclient.h"
#include "serverdetails.h"
#include "servermonitor.h"
#include "serversettings.h"
#include "trafficdetails.h"
#include "trafficfilter.h"

#include <SocketIo/engineserver.h>
#include <SocketIo/server.h>

#include <QAbstractItemModelTester>
#include <QAction>
#include <QCborMap>
#include <QCheckBox>
#include <QComboBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableView>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>
#include <QTreeView>
#include <QTreeWidget>

#include <memory>
#include <numeric>

using namespace Inspector;
using namespace SocketIo;

// The node client or a failure saying what is missing (never a skip).
#define START_NODE_CLIENT(client, ...)                                                                       \
    if (const QString missing = NodeClient::missing(); !missing.isEmpty())                                   \
        QFAIL(qPrintable(missing));                                                                          \
    NodeClient client(__VA_ARGS__);                                                                          \
    QVERIFY2(client.waitForReady(), qPrintable(client.errorOutput()))

namespace {
constexpr int Timeout = NodeClient::Timeout;

QJsonArray jsonArray(const char *json)
{
    return QJsonDocument::fromJson(json).array();
}
} // namespace

class tst_InspectorWidgets : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void treeShowsNamespacesSocketsAndRooms();
    void trafficRowsDetailsAndFilters();
    void composerEmitsToSocketWithAck();
    void composerBroadcastsToRoomExceptRooms();
    void composerValidatesArguments();
    void composerAckTimesOutOrDisconnects();
    void composerResendsFromTrafficRow();
    void socketActions();
    void pauseClearAndAutoscroll();
    void exportAndImportHar();
    void startStopFromSettings();
    void chartsFollowTheServer();
    void germanCatalog();
    void monitorsComeAndGoWhileTheServerLives();

    // The real npm socket.io-client (node, polling then WebSocket) against the window's server
    void realClientTreeTrafficAndFilters();
    void realClientGetsComposerEmitAndAcks();
    void realClientSeesSocketActions();
    void realClientOnLongPolling();
    void settingsApplyWhileRunning();

private:
    quint16 port() const { return m_server->serverPort(); }
    // A client connected to nsp; returns its socket id.
    QString connectClient(EioClient &client, const QString &nsp = QStringLiteral("/"));
    int findRow(const std::function<bool(const TrafficRow &)> &pred) const;

    std::unique_ptr<Server> m_server;
    std::unique_ptr<MainWindow> m_window;
    // The window's models under the tester while real traffic goes through them.
    std::vector<std::unique_ptr<QAbstractItemModelTester>> m_testers;
    QTemporaryDir m_settingsDir; // this process's own QSettings (tests may run side by side)
};

void tst_InspectorWidgets::initTestCase()
{
    // Window state and composer history go to a throw-away location of this process.
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_settingsDir.isValid());
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.path());
    QCoreApplication::setOrganizationName(QStringLiteral("SocketIoInspectorTests"));
    QSettings().clear();
}

void tst_InspectorWidgets::init()
{
    m_server = std::make_unique<Server>();
    // "/chat" puts everyone in "lobby", like the demo.
    connect(m_server->of(QStringLiteral("/chat")), &Namespace::socketConnected, m_server.get(),
            [](Socket *socket) { socket->join(QStringLiteral("lobby")); });
    m_server->addDynamicNamespace(QRegularExpression(QStringLiteral("^/dyn-")));
    m_window = std::make_unique<MainWindow>(m_server.get());
    for (QAbstractItemModel *model : std::initializer_list<QAbstractItemModel *>{
             m_window->monitor()->tree(), m_window->monitor()->traffic(), m_window->trafficProxy() })
        m_testers.push_back(std::make_unique<QAbstractItemModelTester>(
            model, QAbstractItemModelTester::FailureReportingMode::QtTest));
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    m_window->resize(1400, 900);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void tst_InspectorWidgets::cleanup()
{
    m_testers.clear();
    m_window.reset();
    m_server.reset();
}

QString tst_InspectorWidgets::connectClient(EioClient &client, const QString &nsp)
{
    if (!client.waitForOpen())
        return {};
    return client.connectTo(nsp);
}

int tst_InspectorWidgets::findRow(const std::function<bool(const TrafficRow &)> &pred) const
{
    const TrafficModel *model = m_window->monitor()->traffic();
    for (int i = 0; i < model->rowCount(); ++i) {
        if (pred(model->rowAt(i)))
            return i;
    }
    return -1;
}

void tst_InspectorWidgets::treeShowsNamespacesSocketsAndRooms()
{
    EioClient client(port());
    const QString mainId = connectClient(client);
    QVERIFY(!mainId.isEmpty());
    const QString chatId = client.connectTo(QStringLiteral("/chat"));
    QVERIFY(!chatId.isEmpty());
    const QString dynId = client.connectTo(QStringLiteral("/dyn-1"));
    QVERIFY(!dynId.isEmpty());

    ServerTreeModel *tree = m_window->monitor()->tree();
    QTRY_VERIFY(tree->socketIndex(QStringLiteral("/chat"), chatId).isValid());
    QTRY_VERIFY(tree->socketIndex(QStringLiteral("/"), mainId).isValid());
    QTRY_VERIFY(tree->namespaces().contains(QStringLiteral("/dyn-1"))); // dynamic namespaces appear
    QTRY_COMPARE(tree->members(QStringLiteral("/chat"), QStringLiteral("lobby")), QStringList{ chatId });
    QCOMPARE(tree->socketCount(), 3);
    // The view shows the model, namespaces expanded.
    QTreeView *view = m_window->serverTree();
    QCOMPARE(view->model(), tree);
    QVERIFY(view->isExpanded(tree->namespaceIndex(QStringLiteral("/chat"))));
    QCOMPARE(tree->namespaceIndex(QStringLiteral("/chat")).siblingAtColumn(1).data().toString(),
             QStringLiteral("1 socket(s)"));

    // Socket details
    QVERIFY(m_window->selectSocket(QStringLiteral("/chat"), chatId));
    ServerDetails *details = m_window->serverDetails();
    QCOMPARE(details->currentSocket(), chatId);
    QTreeWidget *fields = details->socketTree();
    auto field = [fields](const QString &name) -> QTreeWidgetItem * {
        const auto items = fields->findItems(name, Qt::MatchExactly);
        return items.isEmpty() ? nullptr : items.first();
    };
    QVERIFY(field(QStringLiteral("engine session")));
    QCOMPARE(field(QStringLiteral("engine session"))->text(1), client.engineSid());
    QCOMPARE(field(QStringLiteral("transport"))->text(1), QStringLiteral("websocket"));
    QVERIFY(field(QStringLiteral("remote address"))->text(1).contains(QLatin1String("127.0.0.1")));
    QVERIFY(field(QStringLiteral("query"))->text(1).contains(QLatin1String("EIO=4")));
    QVERIFY(field(QStringLiteral("headers"))->childCount() > 0);
    QTreeWidgetItem *rooms = field(QStringLiteral("rooms"));
    QCOMPARE(rooms->childCount(), 2); // its own id room and lobby
    // Selecting a socket filters the traffic by it (linked tree).
    QCOMPARE(m_window->trafficProxy()->socketFilter(), chatId);
    QVERIFY(m_window->filterBar()->scopeLabel()->text().contains(chatId));

    // A room node shows its members.
    QVERIFY(m_window->selectRoom(QStringLiteral("/chat"), QStringLiteral("lobby")));
    QCOMPARE(details->currentRoom(), QStringLiteral("lobby"));
    QCOMPARE(m_window->trafficProxy()->roomFilter(), QStringLiteral("lobby"));

    // The socket leaves: its node goes.
    client.send("41/chat,");
    QTRY_VERIFY(!tree->socketIndex(QStringLiteral("/chat"), chatId).isValid());
    QTRY_VERIFY(tree->rooms(QStringLiteral("/chat")).isEmpty());
    QCOMPARE(tree->socketCount(), 2);
}

void tst_InspectorWidgets::trafficRowsDetailsAndFilters()
{
    EioClient client(port());
    const QString id = connectClient(client);
    QVERIFY(!id.isEmpty());
    client.send("42[\"hello\",1,{\"a\":true}]");
    client.send("42[\"noise\",\"x\"]");
    TrafficModel *traffic = m_window->monitor()->traffic();
    QTRY_VERIFY(findRow([](const TrafficRow &r) { return r.event == QLatin1String("noise"); }) >= 0);
    const int helloRow = findRow([](const TrafficRow &r) { return r.event == QLatin1String("hello"); });
    QVERIFY(helloRow >= 0);
    const TrafficRow &hello = traffic->rowAt(helloRow);
    QCOMPARE(hello.socketId, id);
    QCOMPARE(hello.direction, TrafficEvent::Direction::Incoming);
    QCOMPARE(hello.argCount, 2);

    // Event include filter, "N of M"
    TrafficFilterProxy *proxy = m_window->trafficProxy();
    m_window->filterBar()->includeEdit()->setText(QStringLiteral("hello"));
    QCOMPARE(proxy->rowCount(), 1);
    QCOMPARE(m_window->filterBar()->countLabel()->text(), QStringLiteral("1 of %1").arg(traffic->rowCount()));
    QVERIFY(m_window->captureLabel()->text().contains(QStringLiteral("1 of %1").arg(traffic->rowCount())));

    // Details of the selected row: one JSON tree per argument, the raw wire form.
    QTableView *table = m_window->trafficView();
    table->setCurrentIndex(proxy->index(0, 0));
    TrafficDetails *details = m_window->trafficDetails();
    QTreeWidget *args = details->argumentsTree();
    QCOMPARE(args->topLevelItemCount(), 2);
    QCOMPARE(args->topLevelItem(0)->text(1), QStringLiteral("1"));
    QCOMPARE(args->topLevelItem(1)->childCount(), 1);
    QCOMPARE(args->topLevelItem(1)->child(0)->text(0), QStringLiteral("a"));
    QCOMPARE(args->topLevelItem(1)->child(0)->text(2), QStringLiteral("boolean"));
    QCOMPARE(details->rawText(), QStringLiteral("42[\"hello\",1,{\"a\":true}]"));

    // Exclude, direction, text: combined.
    m_window->filterBar()->includeEdit()->clear();
    m_window->filterBar()->excludeEdit()->setText(QStringLiteral("noise"));
    QVERIFY(findRow([](const TrafficRow &) { return true; }) >= 0);
    for (int i = 0; i < proxy->rowCount(); ++i)
        QVERIFY(proxy->index(i, TrafficModel::EventColumn).data().toString() != QLatin1String("noise"));
    m_window->filterBar()->directionCombo()->setCurrentIndex(2); // out only
    for (int i = 0; i < proxy->rowCount(); ++i)
        QCOMPARE(proxy->index(i, TrafficModel::DirectionColumn).data().toString(), QStringLiteral("out"));
    m_window->filterBar()->resetAll();
    m_window->filterBar()->searchEdit()->setText(QStringLiteral("\"a\":true"));
    QCOMPARE(proxy->rowCount(), 1);
    m_window->filterBar()->regexCheck()->setChecked(true);
    m_window->filterBar()->searchEdit()->setText(QStringLiteral("^(hello|noise) "));
    QCOMPARE(proxy->rowCount(), 2);
    m_window->filterBar()->resetAll();

    // Control frames are hidden by default and shown on request.
    QVERIFY(!m_window->filterBar()->controlCheck()->isChecked());
    QVERIFY(!proxy->showControl());
    m_window->filterBar()->controlCheck()->setChecked(true);
    QVERIFY(proxy->showControl());
}

void tst_InspectorWidgets::composerEmitsToSocketWithAck()
{
    EioClient client(port());
    const QString id = connectClient(client);
    QVERIFY(!id.isEmpty());
    QVERIFY(m_window->selectSocket(QStringLiteral("/"), id));

    EmitComposer *composer = m_window->composer();
    composer->setTarget(QStringLiteral("/"), QString(), id); // what "Emit to..." does
    QCOMPARE(composer->socketEdit()->text(), id);
    composer->eventEdit()->setText(QStringLiteral("question"));
    composer->clearArguments();
    // Members go out in the order they were written (not sorted).
    composer->addArgument(ArgumentEditor::Kind::Json,
                          QStringLiteral("{\"q\": 1, \"b\": {\"z\": 0, \"a\": 1}}"));
    composer->addArgument(ArgumentEditor::Kind::Hex, QStringLiteral("de ad be ef"));
    composer->addArgument(ArgumentEditor::Kind::Json, QStringLiteral("\"third\""));
    composer->ackCheck()->setChecked(true);
    composer->timeoutSpin()->setValue(5000);
    QVERIFY(composer->sendButton()->isEnabled());
    QSignalSpy finished(composer, &EmitComposer::ackFinished);
    QTest::mouseClick(composer->sendButton(), Qt::LeftButton);
    QVERIFY2(composer->lastError().isEmpty(), qPrintable(composer->lastError()));

    // The client gets a BINARY_EVENT with an ack id and its attachment.
    const QByteArray event = client.takeStartingWith("451-");
    QVERIFY2(!event.isEmpty(), "no BINARY_EVENT arrived");
    const QRegularExpressionMatch m =
        QRegularExpression(
            QStringLiteral("^451-(\\d+)\\[\"question\",\\{\"q\":1,\"b\":\\{\"z\":0,\"a\":1\\}\\},"
                           "\\{\"_placeholder\":true,"
                           "\"num\":0\\},\"third\"\\]$"))
            .match(QString::fromUtf8(event));
    QVERIFY2(m.hasMatch(), event.constData());
    QCOMPARE(client.takeStartingWith("<binary:"), QByteArray("<binary:deadbeef>"));
    client.send("43" + m.captured(1).toUtf8() + "[\"yes\",{\"n\":2}]");

    QTRY_COMPARE(finished.count(), 1);
    QCOMPARE(finished.first().at(0).value<AckStatus>(), AckStatus::Received);
    const auto replies = finished.first().at(1).value<QList<QVariantList>>();
    QCOMPARE(replies.size(), 1);
    QCOMPARE(replies.first().size(), 2);
    QCOMPARE(replies.first().at(0), QVariant(QStringLiteral("yes")));
    // Objects arrive as QCborMap (members in the client's order).
    QCOMPARE(replies.first().at(1).value<QCborMap>(), (QCborMap{ { QStringLiteral("n"), 2 } }));
    // Every reply argument is shown.
    QTreeWidgetItem *result = composer->resultTree()->topLevelItem(0);
    QVERIFY(result->text(2).startsWith(QLatin1String("acknowledged in")));
    QCOMPARE(result->childCount(), 1);
    QCOMPARE(result->child(0)->childCount(), 2);
    QCOMPARE(result->child(0)->child(1)->child(0)->text(0), QStringLiteral("n"));
    // In the traffic log the emit is paired with its ack.
    QTRY_VERIFY(findRow([](const TrafficRow &r) {
                    return r.event == QLatin1String("question") && r.kind == PacketKind::Event
                        && r.pairSeq >= 0;
                })
                >= 0);
    const int emitRow = findRow([](const TrafficRow &r) {
        return r.event == QLatin1String("question") && r.kind == PacketKind::Event;
    });
    QCOMPARE(m_window->monitor()->traffic()->rowAt(emitRow).attachments,
             QList<QByteArray>{ QByteArray::fromHex("deadbeef") });
    // History
    QCOMPARE(composer->historyList()->count(), 1);
    QVERIFY(composer->historyList()->item(0)->text().startsWith(QLatin1String("question")));

    // Details of the emit: the attachment in hex and the pairing.
    m_window->filterBar()->clearScope();
    m_window->filterBar()->includeEdit()->setText(QStringLiteral("question"));
    TrafficFilterProxy *proxy = m_window->trafficProxy();
    QTRY_VERIFY(proxy->rowCount() >= 1);
    m_window->trafficView()->setCurrentIndex(proxy->index(0, 0));
    TrafficDetails *details = m_window->trafficDetails();
    QVERIFY(details->hexText().contains(QLatin1String("de ad be ef")));
    QVERIFY(details->ackText().contains(QLatin1String("Round trip")));
    QCOMPARE(details->argumentsTree()->topLevelItemCount(), 3);
    QVERIFY(details->argumentsTree()->topLevelItem(1)->text(1).contains(QLatin1String("4 byte")));
}

void tst_InspectorWidgets::composerBroadcastsToRoomExceptRooms()
{
    EioClient one(port());
    EioClient two(port());
    const QString a = connectClient(one, QStringLiteral("/chat"));
    const QString b = connectClient(two, QStringLiteral("/chat"));
    QVERIFY(!a.isEmpty() && !b.isEmpty());
    m_window->joinRoom(QStringLiteral("/chat"), b, QStringLiteral("muted"));

    EmitComposer *composer = m_window->composer();
    composer->setTarget(QStringLiteral("/chat"), QStringLiteral("lobby"), QString());
    QCOMPARE(composer->targetKindCombo()->currentText(), QStringLiteral("Room"));
    composer->exceptEdit()->setText(QStringLiteral("muted"));
    composer->eventEdit()->setText(QStringLiteral("news"));
    composer->clearArguments();
    composer->addArgument(ArgumentEditor::Kind::Json, QStringLiteral("[1, 2, 3]"));
    composer->ackCheck()->setChecked(true);
    composer->timeoutSpin()->setValue(10000);
    QSignalSpy finished(composer, &EmitComposer::ackFinished);
    QVERIFY(composer->send());

    const QByteArray event = one.takeStartingWith("42/chat,");
    const QRegularExpressionMatch m =
        QRegularExpression(QStringLiteral("^42/chat,(\\d+)\\[\"news\",\\[1,2,3\\]\\]$"))
            .match(QString::fromUtf8(event));
    QVERIFY2(m.hasMatch(), event.constData());
    one.send("43/chat," + m.captured(1).toUtf8() + "[\"got it\"]");
    QTRY_COMPARE(finished.count(), 1);
    QCOMPARE(finished.first().at(0).value<AckStatus>(), AckStatus::Received);
    QCOMPARE(finished.first().at(1).value<QList<QVariantList>>(),
             QList<QVariantList>{ QVariantList{ QStringLiteral("got it") } });
    // The excluded room's member got nothing.
    for (const QByteArray &frame : two.frames())
        QVERIFY2(!frame.contains("news"), frame.constData());
    QVERIFY(composer->resultTree()->topLevelItem(0)->text(1).contains(QLatin1String("1 socket")));
}

void tst_InspectorWidgets::composerValidatesArguments()
{
    EmitComposer *composer = m_window->composer();
    composer->setTarget(QStringLiteral("/"), QString(), QString());
    composer->clearArguments();
    composer->eventEdit()->setText(QStringLiteral("ev"));
    QVERIFY(composer->sendButton()->isEnabled());
    ArgumentEditor *json = composer->addArgument(ArgumentEditor::Kind::Json, QStringLiteral("{\"a\": "));
    QVERIFY(!json->isValid());
    QVERIFY(json->status().startsWith(QLatin1String("Invalid JSON")));
    QVERIFY(!composer->sendButton()->isEnabled());
    json->setText(QStringLiteral("{\"a\": [1, null]}"));
    QVERIFY(json->isValid());
    QCOMPARE(json->status(), QStringLiteral("Valid JSON (object)"));
    QVERIFY(composer->sendButton()->isEnabled());
    json->setText(QStringLiteral("1 2"));
    QVERIFY(!json->isValid());
    json->setText(QStringLiteral("null"));
    QVERIFY(json->isValid());
    QCOMPARE(json->value().typeId(), int(QMetaType::Nullptr));

    ArgumentEditor *hex = composer->addArgument(ArgumentEditor::Kind::Hex, QStringLiteral("abc"));
    QVERIFY(!hex->isValid());
    hex->setText(QStringLiteral("0xab, cd"));
    QVERIFY(hex->isValid());
    QCOMPARE(hex->value().toByteArray(), QByteArray::fromHex("abcd"));
    ArgumentEditor *b64 = composer->addArgument(ArgumentEditor::Kind::Base64, QStringLiteral("3q2+7w=="));
    QVERIFY(b64->isValid());
    QCOMPARE(b64->value().toByteArray(), QByteArray::fromHex("deadbeef"));
    b64->setText(QStringLiteral("not base64!"));
    QVERIFY(!b64->isValid());

    QTemporaryDir dir;
    QFile file(dir.filePath(QStringLiteral("blob.bin")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray::fromHex("00010203"));
    file.close();
    b64->setKind(ArgumentEditor::Kind::File);
    b64->setText(file.fileName());
    QVERIFY(b64->isValid());
    QCOMPARE(b64->value().toByteArray(), QByteArray::fromHex("00010203"));
    b64->setText(dir.filePath(QStringLiteral("missing")));
    QVERIFY(!b64->isValid());
    QVERIFY(!composer->sendButton()->isEnabled());
    QVERIFY(!composer->send());
    QVERIFY(!composer->lastError().isEmpty());

    composer->clearArguments();
    composer->eventEdit()->clear();
    QVERIFY(!composer->sendButton()->isEnabled());
    // A socket that does not exist.
    composer->setTarget(QStringLiteral("/"), QString(), QStringLiteral("nobody"));
    composer->eventEdit()->setText(QStringLiteral("ev"));
    QVERIFY(!composer->send());
    QVERIFY(composer->lastError().contains(QLatin1String("nobody")));
}

void tst_InspectorWidgets::composerAckTimesOutOrDisconnects()
{
    EioClient client(port());
    const QString id = connectClient(client);
    QVERIFY(!id.isEmpty());
    EmitComposer *composer = m_window->composer();
    composer->setTarget(QStringLiteral("/"), QString(), id);
    composer->eventEdit()->setText(QStringLiteral("unanswered"));
    composer->clearArguments();
    composer->ackCheck()->setChecked(true);
    composer->timeoutSpin()->setValue(100); // the client never answers
    QSignalSpy finished(composer, &EmitComposer::ackFinished);
    QVERIFY(composer->send());
    QVERIFY(!client.takeStartingWith("420[\"unanswered\"").isEmpty());
    QTRY_COMPARE(finished.count(), 1);
    QCOMPARE(finished.first().at(0).value<AckStatus>(), AckStatus::TimedOut);
    QVERIFY(composer->resultTree()->topLevelItem(0)->text(2).startsWith(QLatin1String("timed out after")));

    // Waiting for an ack when the client goes away.
    composer->timeoutSpin()->setValue(600000);
    composer->eventEdit()->setText(QStringLiteral("pending"));
    QVERIFY(composer->send());
    QVERIFY(!client.takeStartingWith("421[\"pending\"").isEmpty());
    client.close();
    QTRY_COMPARE(finished.count(), 2);
    QCOMPARE(finished.at(1).at(0).value<AckStatus>(), AckStatus::Disconnected);
    // The newest result comes first.
    QCOMPARE(composer->resultTree()->topLevelItem(0)->text(2), QStringLiteral("disconnected before the ack"));
    QVERIFY(composer->resultTree()->topLevelItem(1)->text(2).startsWith(QLatin1String("timed out after")));
}

void tst_InspectorWidgets::composerResendsFromTrafficRow()
{
    EioClient client(port());
    const QString id = connectClient(client);
    client.send("42[\"echo\",{\"k\":\"v\"},7]");
    QTRY_VERIFY(findRow([](const TrafficRow &r) { return r.event == QLatin1String("echo"); }) >= 0);
    const TrafficRow row = m_window->monitor()->traffic()->rowAt(
        findRow([](const TrafficRow &r) { return r.event == QLatin1String("echo"); }));
    EmitComposer *composer = m_window->composer();
    composer->loadFromRow(row);
    QCOMPARE(composer->eventEdit()->text(), QStringLiteral("echo"));
    QCOMPARE(composer->socketEdit()->text(), id);
    QCOMPARE(composer->argumentCount(), 2);
    QCOMPARE(composer->argument(0)->text(), QStringLiteral("{\"k\":\"v\"}"));
    QCOMPARE(composer->argument(1)->text(), QStringLiteral("7"));
    QVERIFY(composer->send());
    QCOMPARE(client.takeStartingWith("42[\"echo\""), QByteArray("42[\"echo\",{\"k\":\"v\"},7]"));
    // History entries load back into the form.
    composer->eventEdit()->setText(QStringLiteral("changed"));
    composer->loadMessage(
        ComposerMessage::fromVariant(composer->historyList()->item(0)->data(Qt::UserRole).toMap()));
    QCOMPARE(composer->eventEdit()->text(), QStringLiteral("echo"));

    // Saved messages outlive the window.
    composer->saveMessage(QStringLiteral("my echo"));
    QCOMPARE(composer->savedList()->count(), 1);
    MainWindow second(m_server.get());
    EmitComposer *other = second.composer();
    QCOMPARE(other->savedList()->count(), 1);
    QVERIFY(other->savedList()->item(0)->text().startsWith(QLatin1String("my echo: echo")));
    other->loadMessage(ComposerMessage::fromVariant(other->savedList()->item(0)->data(Qt::UserRole).toMap()));
    QCOMPARE(other->eventEdit()->text(), QStringLiteral("echo"));
    QCOMPARE(other->argumentCount(), 2);
    QCOMPARE(other->argument(0)->text(), QStringLiteral("{\"k\":\"v\"}"));
}

void tst_InspectorWidgets::socketActions()
{
    EioClient client(port());
    const QString id = connectClient(client, QStringLiteral("/chat"));
    QVERIFY(!id.isEmpty());
    const QString mainId = client.connectTo(QStringLiteral("/"));
    QVERIFY(!mainId.isEmpty());
    QVERIFY(m_window->selectSocket(QStringLiteral("/chat"), id));
    ServerDetails *details = m_window->serverDetails();
    Namespace *chat = m_server->of(QStringLiteral("/chat"));

    // Join and leave with the details pane's buttons.
    details->roomEdit()->setText(QStringLiteral("vip"));
    QTest::mouseClick(details->findChild<QPushButton *>(QStringLiteral("joinButton")), Qt::LeftButton);
    QVERIFY(chat->socket(id)->rooms().contains(QStringLiteral("vip")));
    ServerTreeModel *tree = m_window->monitor()->tree();
    QTRY_COMPARE(tree->members(QStringLiteral("/chat"), QStringLiteral("vip")), QStringList{ id });
    QTest::mouseClick(details->findChild<QPushButton *>(QStringLiteral("leaveButton")), Qt::LeftButton);
    QVERIFY(!chat->socket(id)->rooms().contains(QStringLiteral("vip")));
    QTRY_VERIFY(!tree->rooms(QStringLiteral("/chat")).contains(QStringLiteral("vip")));

    // Empty a room from its page.
    QVERIFY(m_window->selectRoom(QStringLiteral("/chat"), QStringLiteral("lobby")));
    QTest::mouseClick(details->findChild<QPushButton *>(QStringLiteral("emptyRoomButton")), Qt::LeftButton);
    QCOMPARE(chat->roomSize(QStringLiteral("lobby")), 0);
    QTRY_VERIFY(!tree->rooms(QStringLiteral("/chat")).contains(QStringLiteral("lobby")));

    // Disconnect the socket: the client gets a DISCONNECT for /chat and stays connected.
    QVERIFY(m_window->selectSocket(QStringLiteral("/chat"), id));
    QTest::mouseClick(details->findChild<QPushButton *>(QStringLiteral("disconnectSocketButton")),
                      Qt::LeftButton);
    QCOMPARE(client.takeStartingWith("41/chat,"), QByteArray("41/chat,"));
    QTRY_VERIFY(!tree->socketIndex(QStringLiteral("/chat"), id).isValid());
    QVERIFY(!client.isClosed());

    // Disconnect the whole client from its "/" socket.
    QVERIFY(m_window->selectSocket(QStringLiteral("/"), mainId));
    QTest::mouseClick(details->findChild<QPushButton *>(QStringLiteral("disconnectClientButton")),
                      Qt::LeftButton);
    QVERIFY(client.waitForClosed());
    QTRY_COMPARE(tree->socketCount(), 0);
    // Actions on sockets that are gone report failure.
    QVERIFY(!m_window->disconnectSocket(QStringLiteral("/"), mainId, false));
    QVERIFY(!m_window->joinRoom(QStringLiteral("/"), mainId, QStringLiteral("x")));
    QVERIFY(!m_window->emptyRoom(QStringLiteral("/nowhere"), QStringLiteral("x")));
}

void tst_InspectorWidgets::pauseClearAndAutoscroll()
{
    EioClient client(port());
    QVERIFY(!connectClient(client).isEmpty());
    TrafficModel *traffic = m_window->monitor()->traffic();
    QTRY_VERIFY(traffic->rowCount() >= 2);

    // Pause: rows wait; resume: they appear.
    m_window->pauseAction()->trigger();
    QVERIFY(traffic->isPaused());
    const int before = traffic->rowCount();
    client.send("42[\"while-paused\"]");
    QTRY_COMPARE(traffic->pendingCount(), 1);
    traffic->flush();
    QCOMPARE(traffic->rowCount(), before);
    QVERIFY(m_window->captureLabel()->text().contains(QLatin1String("paused")));
    m_window->pauseAction()->trigger();
    QTRY_COMPARE(traffic->rowCount(), before + 1);

    // Clear
    traffic->clear();
    QCOMPARE(m_window->trafficProxy()->rowCount(), 0);

    // Autoscroll follows the bottom, stops when the user scrolls up, resumes on request.
    for (int i = 0; i < 300; ++i)
        client.send("42[\"bulk\"," + QByteArray::number(i) + ']');
    QTRY_COMPARE(traffic->rowCount(), 300);
    QScrollBar *bar = m_window->trafficView()->verticalScrollBar();
    QTRY_VERIFY(bar->maximum() > 0);
    QTRY_COMPARE(bar->value(), bar->maximum());
    QVERIFY(m_window->isAutoScroll());
    bar->setValue(0); // the user scrolls up
    QVERIFY(!m_window->isAutoScroll());
    QVERIFY(!m_window->autoScrollAction()->isChecked());
    for (int i = 0; i < 50; ++i)
        client.send("42[\"more\"," + QByteArray::number(i) + ']');
    QTRY_COMPARE(traffic->rowCount(), 350);
    QCOMPARE(bar->value(), 0);
    m_window->autoScrollAction()->trigger();
    QVERIFY(m_window->isAutoScroll());
    QTRY_COMPARE(bar->value(), bar->maximum());
}

void tst_InspectorWidgets::exportAndImportHar()
{
    EioClient client(port());
    const QString id = connectClient(client);
    client.send("421[\"ping-me\",{\"x\":1}]");
    client.send("451-[\"blob\",{\"_placeholder\":true,\"num\":0}]");
    client.sendBinary(QByteArray::fromHex("0102ff"));
    QTRY_VERIFY(findRow([](const TrafficRow &r) { return r.kind == PacketKind::Attachment; }) >= 0);
    TrafficModel *traffic = m_window->monitor()->traffic();
    traffic->flush();
    // Control frames are hidden and a filter is on: the view shows fewer rows than the buffer has.
    m_window->filterBar()->includeEdit()->setText(QStringLiteral("ping-me"));
    TrafficFilterProxy *proxy = m_window->trafficProxy();
    QCOMPARE(proxy->rowCount(), 1);
    const int buffered = traffic->rowCount();
    QVERIFY(buffered > 4);

    auto harMessages = [](const QString &fileName) {
        QFile file(fileName);
        if (!file.open(QIODevice::ReadOnly))
            return QJsonArray();
        const QJsonObject log =
            QJsonDocument::fromJson(file.readAll()).object().value(QLatin1String("log")).toObject();
        QJsonArray all;
        for (const QJsonValue &entry : log.value(QLatin1String("entries")).toArray()) {
            for (const QJsonValue &m : entry.toObject().value(QLatin1String("_webSocketMessages")).toArray())
                all.append(m);
        }
        return all;
    };

    // Everything buffered (the default), whatever the filters show.
    QTemporaryDir dir;
    const QString har = dir.filePath(QStringLiteral("session.har"));
    QVERIFY2(m_window->exportHar(har), qPrintable(m_window->lastError()));
    QFile file(har);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonArray entries = QJsonDocument::fromJson(file.readAll())
                                   .object()
                                   .value(QLatin1String("log"))
                                   .toObject()
                                   .value(QLatin1String("entries"))
                                   .toArray();
    QCOMPARE(entries.size(), 1); // one session
    QVERIFY(entries.first()
                .toObject()
                .value(QLatin1String("request"))
                .toObject()
                .value(QLatin1String("url"))
                .toString()
                .contains(client.engineSid()));
    const QJsonArray messages = harMessages(har);
    QCOMPARE(messages.size(), buffered);
    bool found = false;
    for (const QJsonValue &m : messages) {
        const QJsonObject o = m.toObject();
        if (o.value(QLatin1String("data")).toString() == QLatin1String("421[\"ping-me\",{\"x\":1}]")) {
            found = true;
            QCOMPARE(o.value(QLatin1String("type")).toString(), QStringLiteral("send")); // from the client
            QCOMPARE(o.value(QLatin1String("opcode")).toInt(), 1);
            QCOMPARE(o.value(QLatin1String("_socketId")).toString(), id);
        }
    }
    QVERIFY(found);
    // Only the shown rows, on request.
    const QString shownHar = dir.filePath(QStringLiteral("shown.har"));
    QVERIFY(m_window->exportHar(shownHar, MainWindow::ExportScope::ShownRows));
    QCOMPARE(harMessages(shownHar).size(), 1);

    // JSON Lines: one packet a line, all or shown.
    const QString jsonl = dir.filePath(QStringLiteral("session.jsonl"));
    QVERIFY(m_window->exportJsonLines(jsonl));
    QFile lines(jsonl);
    QVERIFY(lines.open(QIODevice::ReadOnly));
    const QList<QByteArray> jsonLines = lines.readAll().split('\n');
    QCOMPARE(jsonLines.size(), buffered + 1); // the last line ends too
    QVERIFY(jsonLines.last().isEmpty());
    int withAttachments = 0;
    for (int i = 0; i < buffered; ++i) {
        const QJsonObject o = QJsonDocument::fromJson(jsonLines.at(i)).object();
        QVERIFY2(o.contains(QLatin1String("timestampMs")), jsonLines.at(i).constData());
        QVERIFY(o.contains(QLatin1String("wire")) || o.contains(QLatin1String("data")));
        if (o.value(QLatin1String("event")).toString() == QLatin1String("blob")) {
            QCOMPARE(o.value(QLatin1String("attachments")).toArray(),
                     QJsonArray{ QString::fromLatin1(QByteArray::fromHex("0102ff").toBase64()) });
            ++withAttachments;
        }
    }
    QCOMPARE(withAttachments, 1);
    const QString shownJsonl = dir.filePath(QStringLiteral("shown.jsonl"));
    QVERIFY(m_window->exportJsonLines(shownJsonl, MainWindow::ExportScope::ShownRows));
    QFile shownLines(shownJsonl);
    QVERIFY(shownLines.open(QIODevice::ReadOnly));
    QCOMPARE(shownLines.readAll().count('\n'), 1);

    // Import gives back the same rows: time, direction, transport, session, socket, wire form,
    // attachments and ack pairing.
    QList<TrafficRow> before;
    for (int i = 0; i < buffered; ++i)
        before.append(traffic->rowAt(i));
    traffic->clear();
    QVERIFY2(m_window->importHar(har), qPrintable(m_window->lastError()));
    QVERIFY(traffic->isPaused()); // looking at a recording
    QCOMPARE(traffic->rowCount(), buffered);
    for (int i = 0; i < buffered; ++i) {
        const TrafficRow &a = before.at(i);
        const TrafficRow &b = traffic->rowAt(i);
        const QByteArray where = QByteArray::number(i) + ": " + a.wire();
        QVERIFY2(a.timestampMs == b.timestampMs, where.constData());
        QVERIFY2(a.direction == b.direction, where.constData());
        QVERIFY2(a.transport == b.transport, where.constData());
        QVERIFY2(a.sessionId == b.sessionId, where.constData());
        QVERIFY2(a.socketId == b.socketId, where.constData());
        QVERIFY2(a.nsp == b.nsp && a.event == b.event && a.ackId == b.ackId, where.constData());
        QVERIFY2(a.binary == b.binary && a.wire() == b.wire(), where.constData());
        QVERIFY2(a.kind == b.kind && a.attachments == b.attachments, where.constData());
        QVERIFY2((a.pairSeq >= 0) == (b.pairSeq >= 0), where.constData());
    }
    QCOMPARE(proxy->rowCount(), 1); // the filters apply to what was imported
    QVERIFY(!m_window->importHar(dir.filePath(QStringLiteral("missing.har"))));
    QVERIFY(!m_window->lastError().isEmpty());
}

void tst_InspectorWidgets::startStopFromSettings()
{
    QVERIFY(m_server->isListening());
    ServerSettingsPanel *settings = m_window->settingsPanel();
    // Apply while running (the window notices a server started outside it).
    QTRY_VERIFY(settings->applyButton()->isEnabled());
    m_window->stopServer();
    QVERIFY(!m_server->isListening());
    QVERIFY(!settings->applyButton()->isEnabled());
    QCOMPARE(m_window->serverLabel()->text(), QStringLiteral("Stopped"));

    settings->portSpin()->setValue(0);
    settings->pathEdit()->setText(QStringLiteral("io"));
    settings->pingIntervalSpin()->setValue(300);
    settings->pingTimeoutSpin()->setValue(400);
    settings->corsEdit()->setText(QStringLiteral("https://a.example, https://b.example"));
    QTest::mouseClick(settings->startStopButton(), Qt::LeftButton);
    QVERIFY(m_server->isListening());
    const EngineOptions options = m_server->engine()->options();
    QCOMPARE(options.path, QStringLiteral("/io/"));
    QCOMPARE(options.pingInterval.count(), 300);
    QCOMPARE(options.pingTimeout.count(), 400);
    QCOMPARE(options.cors.origins,
             (QStringList{ QStringLiteral("https://a.example"), QStringLiteral("https://b.example") }));
    QVERIFY(m_window->serverLabel()->text().contains(QStringLiteral(":%1/io/").arg(m_server->serverPort())));

    EioClient client(m_server->serverPort(), QStringLiteral("/io/"));
    QVERIFY(!connectClient(client).isEmpty());
    QTRY_VERIFY(client.pingCount() >= 1); // the new ping interval applies
    QTRY_VERIFY(m_window->serverLabel()->text().contains(QLatin1String("1 client")));

    // A port in use: the error shows and the server stays stopped.
    m_window->stopServer();
    QTcpServer blocker;
    QVERIFY(blocker.listen(QHostAddress::Any, 0));
    settings->portSpin()->setValue(blocker.serverPort());
    QVERIFY(!m_window->startServer());
    QVERIFY(settings->statusLabel()->text().contains(QString::number(blocker.serverPort())));
    QVERIFY(!m_server->isListening());
}

void tst_InspectorWidgets::chartsFollowTheServer()
{
    EioClient client(port());
    QVERIFY(!connectClient(client).isEmpty());
    client.send("42[\"x\"]");
    QTRY_VERIFY(m_window->monitor()->tree()->socketCount() == 1);
    QTRY_VERIFY(findRow([](const TrafficRow &r) { return r.event == QLatin1String("x"); }) >= 0);
    StatsCollector *stats = m_window->monitor()->stats();
    stats->tick(); // close the current second now rather than waiting for it
    ChartsPanel *charts = m_window->charts();
    QCOMPARE(charts->connectionsChart()->series().first().values.constLast(), 1.0);
    // The per-second timer may have closed a second in between: count over the whole history.
    auto total = [](const QList<double> &values) {
        return std::accumulate(values.cbegin(), values.cend(), 0.0);
    };
    QVERIFY(total(charts->packetsChart()->series().at(0).values) >= 2.0); // CONNECT and the event in
    QVERIFY(total(charts->bytesChart()->series().at(1).values) > 0); // open, CONNECT reply out
    QCOMPARE(total(charts->churnChart()->series().at(0).values), 1.0); // one connect
    client.close();
    QTRY_COMPARE(m_window->monitor()->tree()->socketCount(), 0);
    stats->tick();
    QVERIFY(charts->reasonsLabel()->text().contains(QLatin1String("transport close")));
    // Drawing does not need data or size.
    charts->packetsChart()->resize(300, 150);
    QVERIFY(!charts->packetsChart()->grab().isNull());
}

void tst_InspectorWidgets::germanCatalog()
{
    // The catalogs are embedded under :/i18n; German switches the user-visible strings.
    QVERIFY(QFile::exists(QStringLiteral(":/i18n/inspector_de.qm")));
    QVERIFY(QFile::exists(QStringLiteral(":/i18n/socketio_de.qm")));
    QTranslator german;
    QVERIFY(german.load(QLocale(QLocale::German), QStringLiteral("inspector"), QStringLiteral("_"),
                        QStringLiteral(":/i18n")));
    QCoreApplication::installTranslator(&german);
    TrafficModel model;
    QCOMPARE(model.headerData(TrafficModel::TimeColumn, Qt::Horizontal).toString(), QStringLiteral("Zeit"));
    MainWindow window(m_server.get());
    QCOMPARE(window.windowTitle(), QStringLiteral("Socket.IO-Inspektor"));
    QCOMPARE(window.composer()->sendButton()->text(), QStringLiteral("Senden"));
    QCoreApplication::removeTranslator(&german);
}

void tst_InspectorWidgets::monitorsComeAndGoWhileTheServerLives()
{
    // Each receiver of Server::trafficObserved that goes away before the server used to risk a
    // deadlock in Server::disconnectNotify() (depending on addresses); many of them make it
    // near certain. The inspector's receivers connect through a relay that lives with the server.
    for (int i = 0; i < 300; ++i) {
        auto monitor = std::make_unique<ServerMonitor>(m_server.get());
        HeadlessPrinter::Options options;
        auto printer = std::make_unique<HeadlessPrinter>(m_server.get(), options, stderr);
        // Destroyed in both orders.
        if (i % 2) {
            monitor.reset();
            printer.reset();
        } else {
            printer.reset();
            monitor.reset();
        }
    }
    EioClient client(port());
    QVERIFY(!connectClient(client).isEmpty());
    QTRY_VERIFY(m_window->monitor()->traffic()->rowCount() >= 2); // the window's monitor still sees traffic
}

void tst_InspectorWidgets::realClientTreeTrafficAndFilters()
{
    START_NODE_CLIENT(node, port());
    const QString mainId = node.connectSocket(QStringLiteral("a"), QStringLiteral("/"),
                                              { { QStringLiteral("token"), QStringLiteral("t-1") } });
    QVERIFY2(!mainId.isEmpty(), qPrintable(node.errorOutput()));
    const QString chatId = node.connectSocket(QStringLiteral("b"), QStringLiteral("/chat"));
    QVERIFY(!chatId.isEmpty());

    // The tree: both sockets, the room, and the upgrade to WebSocket.
    ServerTreeModel *tree = m_window->monitor()->tree();
    QTRY_VERIFY_WITH_TIMEOUT(tree->socketIndex(QStringLiteral("/"), mainId).isValid(), Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(tree->socketIndex(QStringLiteral("/chat"), chatId).isValid(), Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(tree->members(QStringLiteral("/chat"), QStringLiteral("lobby")),
                              QStringList{ chatId }, Timeout);
    QVERIFY(!node.waitFor(QStringLiteral("upgrade"), QStringLiteral("a")).isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(tree->socket(QStringLiteral("/"), mainId)->transport, Transport::WebSocket,
                              Timeout);

    // Its details: auth, address (IPv4), transport and upgrade, the engine session.
    QVERIFY(m_window->selectSocket(QStringLiteral("/"), mainId));
    QTreeWidget *fields = m_window->serverDetails()->socketTree();
    auto field = [fields](const QString &name) -> QTreeWidgetItem * {
        const auto items = fields->findItems(name, Qt::MatchExactly);
        return items.isEmpty() ? nullptr : items.first();
    };
    QTRY_COMPARE_WITH_TIMEOUT(field(QStringLiteral("transport"))->text(1),
                              QStringLiteral("websocket (upgraded from polling)"), Timeout);
    QCOMPARE(field(QStringLiteral("remote address"))->text(1), QStringLiteral("127.0.0.1"));
    QTreeWidgetItem *auth = field(QStringLiteral("auth"));
    QVERIFY(auth && auth->childCount() == 1);
    QCOMPARE(auth->child(0)->text(0), QStringLiteral("token"));
    QVERIFY(auth->child(0)->text(1).contains(QLatin1String("t-1")));
    QVERIFY(field(QStringLiteral("query"))->text(1).contains(QLatin1String("EIO=4")));

    // Traffic from the client, each row with its socket; the CONNECT too.
    node.emitEvent(QStringLiteral("a"), QStringLiteral("hello"), jsonArray(R"([1, {"x": "y"}])"));
    node.emitEvent(QStringLiteral("b"), QStringLiteral("chat message"), jsonArray(R"(["hi"])"));
    const auto incomingEvent = [](const QString &event, const QString &socket) {
        return [event, socket](const TrafficRow &r) {
            return r.event == event && r.socketId == socket
                && r.direction == TrafficEvent::Direction::Incoming;
        };
    };
    QTRY_VERIFY_WITH_TIMEOUT(findRow(incomingEvent(QStringLiteral("hello"), mainId)) >= 0, Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(findRow(incomingEvent(QStringLiteral("chat message"), chatId)) >= 0, Timeout);
    const TrafficRow hello =
        m_window->monitor()->traffic()->rowAt(findRow(incomingEvent(QStringLiteral("hello"), mainId)));
    QCOMPARE(hello.argCount, 2);
    QCOMPARE(hello.transport, Transport::WebSocket);
    QVERIFY(findRow([&](const TrafficRow &r) {
                return r.kind == PacketKind::Connect && r.direction == TrafficEvent::Direction::Incoming
                    && r.socketId == chatId && r.nsp == QLatin1String("/chat");
            })
            >= 0);

    // The CONNECT's details: its auth and the HTTP request that opened the session.
    m_window->filterBar()->clearScope();
    {
        TrafficFilterProxy *proxy = m_window->trafficProxy();
        int connectRow = -1;
        for (int i = 0; i < proxy->rowCount() && connectRow < 0; ++i) {
            const QModelIndex index = proxy->index(i, 0);
            if (index.data(TrafficModel::KindRole).toInt() == int(PacketKind::Connect)
                && index.data(TrafficModel::SocketIdRole).toString() == mainId
                && index.data(TrafficModel::DirectionRole).toInt() == int(TrafficEvent::Direction::Incoming))
                connectRow = i;
        }
        QVERIFY(connectRow >= 0);
        m_window->trafficView()->setCurrentIndex(proxy->index(connectRow, 0));
        QTreeWidget *handshake = m_window->trafficDetails()->handshakeTree();
        const auto authItems = handshake->findItems(QStringLiteral("auth"), Qt::MatchExactly);
        QCOMPARE(authItems.size(), 1);
        QCOMPARE(authItems.first()->child(0)->text(0), QStringLiteral("token"));
        const auto requestItems = handshake->findItems(QStringLiteral("request"), Qt::MatchExactly);
        QCOMPARE(requestItems.size(), 1);
        QVERIFY(requestItems.first()->text(1).contains(QLatin1String("EIO=4")));
        QVERIFY(requestItems.first()->child(0)->text(1).startsWith(QLatin1String("127.0.0.1:")));
    }

    // Filters: the tree selection (linked) shows one socket's rows only, its CONNECT included.
    TrafficFilterProxy *proxy = m_window->trafficProxy();
    QVERIFY(m_window->selectSocket(QStringLiteral("/chat"), chatId));
    QCOMPARE(proxy->socketFilter(), chatId);
    bool sawChat = false;
    bool sawConnect = false;
    for (int i = 0; i < proxy->rowCount(); ++i) {
        const QModelIndex index = proxy->index(i, 0);
        QVERIFY(index.data(TrafficModel::EventRole).toString() != QLatin1String("hello"));
        const QString socketId = index.data(TrafficModel::SocketIdRole).toString();
        QVERIFY(socketId.isEmpty() || socketId == chatId);
        sawChat |= index.data(TrafficModel::EventRole).toString() == QLatin1String("chat message");
        sawConnect |=
            socketId == chatId && index.data(TrafficModel::KindRole).toInt() == int(PacketKind::Connect);
    }
    QVERIFY(sawChat);
    QVERIFY(sawConnect);
    // A namespace, then an event name with "N of M".
    QVERIFY(m_window->selectNamespace(QStringLiteral("/")));
    for (int i = 0; i < proxy->rowCount(); ++i)
        QCOMPARE(proxy->index(i, TrafficModel::NamespaceColumn).data().toString(), QStringLiteral("/"));
    m_window->filterBar()->clearScope();
    m_window->filterBar()->includeEdit()->setText(QStringLiteral("hello"));
    QCOMPARE(proxy->rowCount(), 1);
    QCOMPARE(m_window->filterBar()->countLabel()->text(),
             QStringLiteral("1 of %1").arg(m_window->monitor()->traffic()->rowCount()));
    m_window->filterBar()->resetAll();

    // The client leaves "/chat": its node goes.
    node.disconnectSocket(QStringLiteral("b"));
    QTRY_VERIFY_WITH_TIMEOUT(!tree->socketIndex(QStringLiteral("/chat"), chatId).isValid(), Timeout);
    QCOMPARE(tree->socketCount(), 1);
}

void tst_InspectorWidgets::realClientGetsComposerEmitAndAcks()
{
    START_NODE_CLIENT(node, port());
    const QString id = node.connectSocket(QStringLiteral("a"));
    QVERIFY2(!id.isEmpty(), qPrintable(node.errorOutput()));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->selectSocket(QStringLiteral("/"), id), Timeout);

    // To one socket, JSON and binary arguments, with an ack.
    EmitComposer *composer = m_window->composer();
    composer->setTarget(QStringLiteral("/"), QString(), id);
    composer->eventEdit()->setText(QStringLiteral("question"));
    composer->clearArguments();
    composer->addArgument(ArgumentEditor::Kind::Json, QStringLiteral("{\"q\": [1, true, null]}"));
    composer->addArgument(ArgumentEditor::Kind::Hex, QStringLiteral("de ad be ef"));
    composer->addArgument(ArgumentEditor::Kind::Json, QStringLiteral("\"third\""));
    composer->ackCheck()->setChecked(true);
    composer->timeoutSpin()->setValue(60000);
    QSignalSpy finished(composer, &EmitComposer::ackFinished);
    QTest::mouseClick(composer->sendButton(), Qt::LeftButton);
    QVERIFY2(composer->lastError().isEmpty(), qPrintable(composer->lastError()));

    // What the client received, as it prints it, and the ack it sent back.
    const QJsonObject received = node.waitForEvent(QStringLiteral("a"), QStringLiteral("question"));
    QCOMPARE(received.value(QLatin1String("args")).toArray(),
             jsonArray(R"([{"q": [1, true, null]}, {"$hex": "deadbeef"}, "third"])"));
    QVERIFY(received.value(QLatin1String("ack")).toBool());
    QVERIFY(!node.waitFor(QStringLiteral("acked"), QStringLiteral("a")).isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, Timeout);
    QCOMPARE(finished.first().at(0).value<AckStatus>(), AckStatus::Received);
    QCOMPARE(QJsonValue::fromVariant(finished.first().at(1).value<QList<QVariantList>>().value(0)).toArray(),
             jsonArray(R"(["ok from a", {"count": 3, "event": "question"}])"));
    QTreeWidgetItem *result = composer->resultTree()->topLevelItem(0);
    QVERIFY(result->text(2).startsWith(QLatin1String("acknowledged in")));
    QCOMPARE(result->child(0)->childCount(), 2); // every reply argument

    // The log pairs the emit with its ack and shows the round trip.
    const auto isEmit = [](const TrafficRow &r) {
        return r.event == QLatin1String("question") && r.kind == PacketKind::Event;
    };
    QTRY_VERIFY_WITH_TIMEOUT(findRow([&](const TrafficRow &r) { return isEmit(r) && r.pairSeq >= 0; }) >= 0,
                             Timeout);
    const TrafficRow emitRow = m_window->monitor()->traffic()->rowAt(findRow(isEmit));
    QVERIFY(emitRow.roundTripMs >= 0);
    QCOMPARE(emitRow.socketId, id);
    QCOMPARE(emitRow.attachments, QList<QByteArray>{ QByteArray::fromHex("deadbeef") });
    m_window->filterBar()->clearScope();
    m_window->filterBar()->includeEdit()->setText(QStringLiteral("question"));
    TrafficFilterProxy *proxy = m_window->trafficProxy();
    QTRY_VERIFY(proxy->rowCount() >= 1);
    m_window->trafficView()->setCurrentIndex(proxy->index(0, 0));
    QVERIFY(m_window->trafficDetails()->ackText().contains(QLatin1String("Round trip")));
    QVERIFY(m_window->trafficDetails()->hexText().contains(QLatin1String("de ad be ef")));
    m_window->filterBar()->resetAll();

    // To a room except another room: the excluded client gets nothing (a later emit to it proves
    // it would have arrived: one connection keeps the order).
    const QString b = node.connectSocket(QStringLiteral("b"), QStringLiteral("/chat"));
    const QString c = node.connectSocket(QStringLiteral("c"), QStringLiteral("/chat"));
    QVERIFY(!b.isEmpty() && !c.isEmpty());
    QVERIFY(m_window->joinRoom(QStringLiteral("/chat"), c, QStringLiteral("muted")));
    composer->setTarget(QStringLiteral("/chat"), QStringLiteral("lobby"), QString());
    composer->exceptEdit()->setText(QStringLiteral("muted"));
    composer->eventEdit()->setText(QStringLiteral("news"));
    composer->clearArguments();
    composer->addArgument(ArgumentEditor::Kind::Json, QStringLiteral("[1, 2, 3]"));
    composer->ackCheck()->setChecked(false);
    QVERIFY2(composer->send(), qPrintable(composer->lastError()));
    QCOMPARE(
        node.waitForEvent(QStringLiteral("b"), QStringLiteral("news")).value(QLatin1String("args")).toArray(),
        jsonArray("[[1, 2, 3]]"));
    composer->setTarget(QStringLiteral("/chat"), QString(), c);
    composer->exceptEdit()->clear();
    composer->eventEdit()->setText(QStringLiteral("marker"));
    QVERIFY(composer->send());
    QVERIFY(!node.waitForEvent(QStringLiteral("c"), QStringLiteral("marker")).isEmpty());
    QVERIFY(!node.hasEvent(QStringLiteral("c"), QStringLiteral("news")));

    // The client's own emit with an ack: no handler on the server, so the row stays unpaired.
    node.emitEvent(QStringLiteral("a"), QStringLiteral("needs-ack"), jsonArray("[42]"), true,
                   QStringLiteral("r1"));
    QTRY_VERIFY_WITH_TIMEOUT(findRow([](const TrafficRow &r) {
                                 return r.event == QLatin1String("needs-ack") && r.ackId >= 0;
                             }) >= 0,
                             Timeout);
}

void tst_InspectorWidgets::realClientSeesSocketActions()
{
    START_NODE_CLIENT(node, port());
    const QString id = node.connectSocket(QStringLiteral("a"), QStringLiteral("/chat"));
    QVERIFY2(!id.isEmpty(), qPrintable(node.errorOutput()));
    ServerTreeModel *tree = m_window->monitor()->tree();
    QTRY_VERIFY_WITH_TIMEOUT(m_window->selectSocket(QStringLiteral("/chat"), id), Timeout);
    ServerDetails *details = m_window->serverDetails();
    EmitComposer *composer = m_window->composer();
    composer->clearArguments();
    composer->ackCheck()->setChecked(false);
    // An emit from the composer to a room or a socket of /chat.
    auto emitTo = [composer](const QString &room, const QString &socket, const QString &event) {
        composer->setTarget(QStringLiteral("/chat"), room, socket);
        composer->exceptEdit()->clear();
        composer->eventEdit()->setText(event);
        return composer->send();
    };

    // Join with the details pane: the client now gets the room's emits.
    details->roomEdit()->setText(QStringLiteral("vip"));
    QTest::mouseClick(details->findChild<QPushButton *>(QStringLiteral("joinButton")), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(tree->members(QStringLiteral("/chat"), QStringLiteral("vip")),
                              QStringList{ id }, Timeout);
    QVERIFY(emitTo(QStringLiteral("vip"), QString(), QStringLiteral("vip-news")));
    QVERIFY(!node.waitForEvent(QStringLiteral("a"), QStringLiteral("vip-news")).isEmpty());

    // Leave: the room's next emit does not reach it (the marker behind it does).
    QVERIFY(m_window->selectSocket(QStringLiteral("/chat"), id));
    details->roomEdit()->setText(QStringLiteral("vip"));
    QTest::mouseClick(details->findChild<QPushButton *>(QStringLiteral("leaveButton")), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!tree->rooms(QStringLiteral("/chat")).contains(QStringLiteral("vip")), Timeout);
    QVERIFY(emitTo(QStringLiteral("vip"), QString(), QStringLiteral("vip-after-leave")));
    QVERIFY(emitTo(QString(), id, QStringLiteral("marker-1")));
    QVERIFY(!node.waitForEvent(QStringLiteral("a"), QStringLiteral("marker-1")).isEmpty());
    QVERIFY(!node.hasEvent(QStringLiteral("a"), QStringLiteral("vip-after-leave")));

    // Empty a room: "lobby" reached it before, not after.
    QVERIFY(emitTo(QStringLiteral("lobby"), QString(), QStringLiteral("lobby-before")));
    QVERIFY(!node.waitForEvent(QStringLiteral("a"), QStringLiteral("lobby-before")).isEmpty());
    QVERIFY(m_window->selectRoom(QStringLiteral("/chat"), QStringLiteral("lobby")));
    QTest::mouseClick(details->findChild<QPushButton *>(QStringLiteral("emptyRoomButton")), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!tree->rooms(QStringLiteral("/chat")).contains(QStringLiteral("lobby")),
                             Timeout);
    QVERIFY(emitTo(QStringLiteral("lobby"), QString(), QStringLiteral("lobby-after")));
    QVERIFY(emitTo(QString(), id, QStringLiteral("marker-2")));
    QVERIFY(!node.waitForEvent(QStringLiteral("a"), QStringLiteral("marker-2")).isEmpty());
    QVERIFY(!node.hasEvent(QStringLiteral("a"), QStringLiteral("lobby-after")));

    // Disconnect the socket: the client is told by the server.
    QVERIFY(m_window->selectSocket(QStringLiteral("/chat"), id));
    QTest::mouseClick(details->findChild<QPushButton *>(QStringLiteral("disconnectSocketButton")),
                      Qt::LeftButton);
    QCOMPARE(node.waitFor(QStringLiteral("disconnect"), QStringLiteral("a"))
                 .value(QLatin1String("reason"))
                 .toString(),
             QStringLiteral("io server disconnect"));
    QTRY_VERIFY_WITH_TIMEOUT(!tree->socketIndex(QStringLiteral("/chat"), id).isValid(), Timeout);

    // Disconnect a whole client: its connection closes.
    const QString m = node.connectSocket(QStringLiteral("m"), QStringLiteral("/"));
    QVERIFY(!m.isEmpty());
    QVERIFY(!node.waitFor(QStringLiteral("upgrade"), QStringLiteral("m")).isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(m_window->selectSocket(QStringLiteral("/"), m), Timeout);
    const auto session = tree->socket(QStringLiteral("/"), m)->engineSessionId;
    QVERIFY(m_server->engine()->session(session));
    QTest::mouseClick(details->findChild<QPushButton *>(QStringLiteral("disconnectClientButton")),
                      Qt::LeftButton);
    QCOMPARE(node.waitFor(QStringLiteral("disconnect"), QStringLiteral("m"))
                 .value(QLatin1String("reason"))
                 .toString(),
             QStringLiteral("io server disconnect"));
    QTRY_VERIFY_WITH_TIMEOUT(!m_server->engine()->session(session), Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(tree->socketCount(), 0, Timeout);
}

void tst_InspectorWidgets::realClientOnLongPolling()
{
    // A client that never upgrades: the same views and actions over HTTP long-polling.
    START_NODE_CLIENT(node, port());
    const QString id =
        node.connectSocket(QStringLiteral("p"), QStringLiteral("/chat"), {}, { QStringLiteral("polling") });
    QVERIFY2(!id.isEmpty(), qPrintable(node.errorOutput()));
    ServerTreeModel *tree = m_window->monitor()->tree();
    QTRY_VERIFY_WITH_TIMEOUT(m_window->selectSocket(QStringLiteral("/chat"), id), Timeout);
    QCOMPARE(tree->socket(QStringLiteral("/chat"), id)->transport, Transport::Polling);
    QTreeWidget *fields = m_window->serverDetails()->socketTree();
    QCOMPARE(fields->findItems(QStringLiteral("transport"), Qt::MatchExactly).value(0)->text(1),
             QStringLiteral("polling"));

    node.emitEvent(QStringLiteral("p"), QStringLiteral("from-polling"), jsonArray(R"([{"n": 1}])"));
    QTRY_VERIFY_WITH_TIMEOUT(findRow([&](const TrafficRow &r) {
                                 return r.event == QLatin1String("from-polling") && r.socketId == id
                                     && r.transport == Transport::Polling;
                             }) >= 0,
                             Timeout);

    EmitComposer *composer = m_window->composer();
    composer->setTarget(QStringLiteral("/chat"), QString(), id);
    composer->eventEdit()->setText(QStringLiteral("to-polling"));
    composer->clearArguments();
    composer->addArgument(ArgumentEditor::Kind::Base64, QStringLiteral("AAEC"));
    composer->ackCheck()->setChecked(true);
    composer->timeoutSpin()->setValue(60000);
    QSignalSpy finished(composer, &EmitComposer::ackFinished);
    QVERIFY2(composer->send(), qPrintable(composer->lastError()));
    QCOMPARE(node.waitForEvent(QStringLiteral("p"), QStringLiteral("to-polling"))
                 .value(QLatin1String("args"))
                 .toArray(),
             jsonArray(R"([{"$hex": "000102"}])"));
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, Timeout);
    QCOMPARE(finished.first().at(0).value<AckStatus>(), AckStatus::Received);

    QVERIFY(m_window->disconnectSocket(QStringLiteral("/chat"), id, false));
    QCOMPARE(node.waitFor(QStringLiteral("disconnect"), QStringLiteral("p"))
                 .value(QLatin1String("reason"))
                 .toString(),
             QStringLiteral("io server disconnect"));
    QTRY_VERIFY_WITH_TIMEOUT(!tree->socketIndex(QStringLiteral("/chat"), id).isValid(), Timeout);
}

void tst_InspectorWidgets::settingsApplyWhileRunning()
{
    // New settings apply to the running server through Server::setOptions(): a client that
    // connects afterwards gets the new ping interval; a new port listens again.
    ServerSettingsPanel *settings = m_window->settingsPanel();
    QTRY_VERIFY(settings->applyButton()->isEnabled());
    EioClient before(port());
    QVERIFY(before.waitForOpen());
    settings->pingIntervalSpin()->setValue(250);
    settings->pingTimeoutSpin()->setValue(5000);
    settings->corsEdit()->setText(QStringLiteral("https://app.example"));
    settings->portSpin()->setValue(port()); // unchanged: no new listen
    QSignalSpy listening(m_server.get(), &Server::listeningChanged);
    QTest::mouseClick(settings->applyButton(), Qt::LeftButton);
    QCOMPARE(listening.count(), 0);
    QCOMPARE(m_server->options().engine.pingInterval.count(), 250);
    QCOMPARE(m_server->options().engine.cors.origins, QStringList{ QStringLiteral("https://app.example") });
    EioClient after(port());
    QVERIFY(after.waitForOpen());
    QCOMPARE(after.openPacket().value(QLatin1String("pingInterval")).toInt(), 250);
    QCOMPARE(before.openPacket().value(QLatin1String("pingInterval")).toInt(), 25000);

    // A new port: listens there; the status line follows the listening state.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 free = probe.serverPort();
    probe.close();
    settings->portSpin()->setValue(free);
    if (!m_window->applySettings()) // the port was taken in between: not this test's concern
        QVERIFY(m_window->lastError().contains(QString::number(free)));
    else
        QCOMPARE(m_server->serverPort(), free);
    QCOMPARE(listening.count(), m_server->serverPort() == free ? 2 : 1);
    // Transports: WebSocket off for new sessions.
    if (!m_server->isListening())
        QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    settings->portSpin()->setValue(m_server->serverPort());
    settings->findChild<QCheckBox *>(QStringLiteral("websocketCheck"))->setChecked(false);
    QVERIFY(m_window->applySettings());
    QCOMPARE(m_server->options().engine.transports, Transports(Transport::Polling));
    EioClient refused(m_server->serverPort());
    QVERIFY(!refused.waitForOpen());
    settings->findChild<QCheckBox *>(QStringLiteral("websocketCheck"))->setChecked(true);
    QVERIFY(m_window->applySettings());
    EioClient accepted(m_server->serverPort());
    QVERIFY(accepted.waitForOpen());
    // A new path, at once and shown in the status.
    settings->pathEdit()->setText(QStringLiteral("live"));
    QVERIFY(m_window->applySettings());
    QCOMPARE(m_server->options().engine.path, QStringLiteral("/live/"));
    EioClient onNewPath(m_server->serverPort(), QStringLiteral("/live/"));
    QVERIFY(onNewPath.waitForOpen());
    QVERIFY(
        m_window->serverLabel()->text().contains(QStringLiteral(":%1/live/").arg(m_server->serverPort())));

    m_window->stopServer();
    QCOMPARE(m_window->serverLabel()->text(), QStringLiteral("Stopped"));
    QVERIFY(!settings->applyButton()->isEnabled());
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0)); // started elsewhere: the window notices
    QVERIFY(m_window->serverLabel()->text().contains(QStringLiteral(":%1/").arg(m_server->serverPort())));
}

QTEST_MAIN(tst_InspectorWidgets)
#include "tst_inspectorwidgets.moc"
