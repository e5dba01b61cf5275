// SPDX-License-Identifier: MIT
// The Mock rules panel and its edit dialog (offscreen): the table follows the responder, the
// enabled checkboxes, move/remove, enable/disable all, load (with the error shown) and save, the
// dialog's live validation, hits counted when a rule fires, and the dock in the main window.
#include "mainwindow.h"
#include "mockresponder.h"
#include "mockrulespanel.h"
#include "servermonitor.h"
#include "trafficmodel.h"

#include <SocketIo/client.h>
#include <SocketIo/server.h>

#include <QAction>
#include <QDockWidget>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace Inspector;
using namespace std::chrono_literals;

namespace {

QList<MockRule> rules(const char *json)
{
    QString error;
    const std::optional<QList<MockRule>> parsed = MockRuleFile::parse(
        QByteArray("{\"version\": 1, \"rules\": ") + json + "}", QStringLiteral("test"), &error);
    if (!parsed)
        qFatal("bad rules in the test: %s", qPrintable(error));
    return *parsed;
}

const char *const threeRules = R"([
    {"name": "login", "namespace": "/", "event": "login", "args": [{"user": "*"}], "delay": 20,
     "actions": [{"ack": {"ok": true}}]},
    {"name": "chat", "namespace": "/chat", "event": "chat", "actions": [{"emit": "chat", "to": "room", "room": "lobby"}]},
    {"name": "any", "actions": [{"join": "x"}]}
])";

QStringList names(QTableWidget *table)
{
    QStringList list;
    for (int row = 0; row < table->rowCount(); ++row)
        list.append(table->item(row, MockRulesPanel::NameColumn)->text());
    return list;
}

QPushButton *button(QWidget *panel, const char *name)
{
    auto *found = panel->findChild<QPushButton *>(QString::fromLatin1(name));
    if (!found)
        qFatal("no button %s", name);
    return found;
}

} // namespace

class tst_MockRulesPanel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void tableFollowsTheResponder();
    void enabledCheckboxes();
    void moveAndRemove();
    void loadAndSave();
    void dialogValidatesLive();
    void addThroughTheDialog();
    void hitsCountWhenARuleFires();
    void mainWindowDock();
};

void tst_MockRulesPanel::tableFollowsTheResponder()
{
    MockRulesPanel panel(new MockResponder(nullptr), nullptr);
    QCOMPARE(panel.table()->rowCount(), 0);
    panel.responder()->setRules(rules(threeRules));
    QTableWidget *table = panel.table();
    QCOMPARE(table->rowCount(), 3);
    QCOMPARE(table->columnCount(), int(MockRulesPanel::ColumnCount));
    QCOMPARE(names(table),
             QStringList({ QStringLiteral("login"), QStringLiteral("chat"), QStringLiteral("any") }));
    QCOMPARE(table->item(0, MockRulesPanel::NamespaceColumn)->text(), QStringLiteral("/"));
    QCOMPARE(table->item(0, MockRulesPanel::EventColumn)->text(), QStringLiteral("login"));
    QCOMPARE(table->item(0, MockRulesPanel::PatternColumn)->text(), QStringLiteral("{\"user\":\"*\"}"));
    QCOMPARE(table->item(0, MockRulesPanel::ActionsColumn)->text(), QStringLiteral("ack {\"ok\":true}"));
    QCOMPARE(table->item(0, MockRulesPanel::DelayColumn)->text(), QStringLiteral("20 ms"));
    QCOMPARE(table->item(0, MockRulesPanel::HitsColumn)->text(), QStringLiteral("0"));
    QCOMPARE(table->item(1, MockRulesPanel::ActionsColumn)->text(),
             QStringLiteral("emit chat \u2192 room lobby"));
    QCOMPARE(table->item(2, MockRulesPanel::PatternColumn)->text(), QStringLiteral("any"));
    QCOMPARE(table->item(2, MockRulesPanel::EventColumn)->text(), QStringLiteral("*"));
}

void tst_MockRulesPanel::enabledCheckboxes()
{
    MockRulesPanel panel(new MockResponder(nullptr), nullptr);
    panel.responder()->setRules(rules(threeRules));
    QTableWidget *table = panel.table();
    QCOMPARE(table->item(1, MockRulesPanel::EnabledColumn)->checkState(), Qt::Checked);
    table->item(1, MockRulesPanel::EnabledColumn)->setCheckState(Qt::Unchecked);
    QVERIFY(!panel.responder()->rules().at(1).enabled);
    QVERIFY(panel.responder()->rules().at(0).enabled);
    button(&panel, "mockDisableAll")->click();
    for (int row = 0; row < 3; ++row) {
        QVERIFY(!panel.responder()->rules().at(row).enabled);
        QCOMPARE(table->item(row, MockRulesPanel::EnabledColumn)->checkState(), Qt::Unchecked);
    }
    button(&panel, "mockEnableAll")->click();
    for (int row = 0; row < 3; ++row) {
        QVERIFY(panel.responder()->rules().at(row).enabled);
        QCOMPARE(table->item(row, MockRulesPanel::EnabledColumn)->checkState(), Qt::Checked);
    }
}

void tst_MockRulesPanel::moveAndRemove()
{
    MockRulesPanel panel(new MockResponder(nullptr), nullptr);
    panel.responder()->setRules(rules(threeRules));
    QPushButton *up = button(&panel, "mockUp");
    QPushButton *down = button(&panel, "mockDown");
    QPushButton *remove = button(&panel, "mockRemove");
    QVERIFY(!remove->isEnabled()); // nothing selected
    panel.setCurrentRule(0);
    QVERIFY(!up->isEnabled());
    QVERIFY(down->isEnabled());
    down->click();
    QCOMPARE(names(panel.table()),
             QStringList({ QStringLiteral("chat"), QStringLiteral("login"), QStringLiteral("any") }));
    QCOMPARE(panel.currentRule(), 1); // the selection follows the rule
    QCOMPARE(panel.responder()->rules().at(1).name, QStringLiteral("login"));
    down->click();
    QCOMPARE(panel.currentRule(), 2);
    QVERIFY(!down->isEnabled());
    up->click();
    up->click();
    QCOMPARE(names(panel.table()),
             QStringList({ QStringLiteral("login"), QStringLiteral("chat"), QStringLiteral("any") }));
    panel.setCurrentRule(1);
    remove->click();
    QCOMPARE(names(panel.table()), QStringList({ QStringLiteral("login"), QStringLiteral("any") }));
    QCOMPARE(panel.responder()->rules().size(), 2);
    QCOMPARE(panel.currentRule(), 1);
}

void tst_MockRulesPanel::loadAndSave()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    MockRulesPanel panel(new MockResponder(nullptr), nullptr);
    const QString bad = dir.filePath(QStringLiteral("bad.json"));
    {
        QFile file(bad);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"version\": 1, \"rules\": [{\"actions\": [{\"emit\": \"x\", \"to\": \"nowhere\"}]}]}");
    }
    QVERIFY(!panel.loadFile(bad));
    QVERIFY2(panel.lastError().contains(QStringLiteral("rule 1: actions[0]: \"to\" must be")),
             qPrintable(panel.lastError()));
    auto *status = panel.findChildren<QLabel *>().last();
    QCOMPARE(status->text(), panel.lastError());
    QCOMPARE(panel.table()->rowCount(), 0);

    QVERIFY(panel.loadFile(QStringLiteral(SOCKETIO_MOCK_EXAMPLE)));
    const int count = panel.table()->rowCount();
    QVERIFY(count >= 5);
    QVERIFY2(status->text().contains(QStringLiteral("rules.json")), qPrintable(status->text()));
    panel.table()->item(0, MockRulesPanel::EnabledColumn)->setCheckState(Qt::Unchecked);
    const QString saved = dir.filePath(QStringLiteral("saved.json"));
    QVERIFY(panel.saveFile(saved));
    QString error;
    const std::optional<QList<MockRule>> back = MockRuleFile::load(saved, &error);
    QVERIFY2(back, qPrintable(error));
    QCOMPARE(back->size(), count);
    QVERIFY(!back->at(0).enabled);
    QCOMPARE(panel.responder()->fileName(), saved);
}

void tst_MockRulesPanel::dialogValidatesLive()
{
    MockRule rule = rules(threeRules).at(0);
    MockRuleDialog dialog(rule);
    QVERIFY(dialog.isValid());
    QVERIFY(dialog.okButton()->isEnabled());
    QCOMPARE(dialog.rule().toJson(), rule.toJson());

    dialog.actionsEdit()->setPlainText(QStringLiteral("[{\"ack\": "));
    QVERIFY(!dialog.isValid());
    QVERIFY(!dialog.okButton()->isEnabled());
    QVERIFY(dialog.error().startsWith(QStringLiteral("Actions: invalid JSON")));
    QVERIFY(dialog.actionsEdit()->styleSheet().contains(QStringLiteral("#c0392b")));
    QVERIFY(dialog.patternEdit()->styleSheet().isEmpty());

    // Valid JSON, but not a valid action: the rule's own check says why.
    dialog.actionsEdit()->setPlainText(QStringLiteral("[{\"emit\": \"x\", \"to\": \"room\"}]"));
    QVERIFY(!dialog.isValid());
    QCOMPARE(dialog.error(), QStringLiteral("actions[0]: an emit to a room needs \"room\""));
    QVERIFY(dialog.actionsEdit()->styleSheet().contains(QStringLiteral("#c0392b")));

    dialog.actionsEdit()->setPlainText(
        QStringLiteral("[{\"emit\": \"x\", \"to\": \"room\", \"room\": \"r\"}]"));
    QVERIFY(dialog.isValid());
    QVERIFY(dialog.actionsEdit()->styleSheet().isEmpty());

    dialog.patternEdit()->setPlainText(QStringLiteral("[{\"a\": {\"$nope\": 1}}]"));
    QVERIFY(!dialog.isValid());
    QVERIFY(dialog.error().startsWith(QStringLiteral("args[0].a: unknown operator $nope")));
    QVERIFY(dialog.patternEdit()->styleSheet().contains(QStringLiteral("#c0392b")));
    dialog.patternEdit()->setPlainText(QStringLiteral("{}"));
    QVERIFY(dialog.error().startsWith(QStringLiteral("Arguments pattern: must be a JSON array")));
    dialog.patternEdit()->clear(); // empty: any arguments
    QVERIFY(dialog.isValid());
    QVERIFY(!dialog.rule().pattern);

    dialog.nameEdit()->setText(QStringLiteral("renamed"));
    dialog.namespaceEdit()->setText(QStringLiteral("chat"));
    dialog.eventEdit()->setText(QStringLiteral("msg:*"));
    dialog.delayEdit()->setValue(250);
    QVERIFY(dialog.isValid());
    const MockRule edited = dialog.rule();
    QCOMPARE(edited.name, QStringLiteral("renamed"));
    QCOMPARE(edited.nsp, QStringLiteral("/chat"));
    QCOMPARE(edited.event, QStringLiteral("msg:*"));
    QCOMPARE(edited.delayMs, 250);
    QCOMPARE(edited.actions.size(), 1);
    QCOMPARE(edited.actions.at(0).room, QStringLiteral("r"));
}

void tst_MockRulesPanel::addThroughTheDialog()
{
    MockRulesPanel panel(new MockResponder(nullptr), nullptr);
    panel.show();
    bool seen = false;
    QTimer::singleShot(0, &panel, [&] {
        auto *dialog = panel.findChild<MockRuleDialog *>();
        QVERIFY(dialog);
        seen = true;
        QVERIFY(dialog->isValid()); // a new rule starts valid: ack {"ok": true}
        dialog->nameEdit()->setText(QStringLiteral("added"));
        dialog->eventEdit()->setText(QStringLiteral("ping"));
        dialog->okButton()->click();
    });
    QVERIFY(panel.editRule(-1));
    QVERIFY(seen);
    QCOMPARE(names(panel.table()), QStringList{ QStringLiteral("added") });
    QCOMPARE(panel.responder()->rules().at(0).event, QStringLiteral("ping"));
    QCOMPARE(panel.currentRule(), 0);

    // Cancel leaves the rule as it was.
    QTimer::singleShot(0, &panel, [&] {
        auto *dialog = panel.findChild<MockRuleDialog *>();
        QVERIFY(dialog);
        dialog->eventEdit()->setText(QStringLiteral("changed"));
        dialog->reject();
    });
    QVERIFY(!panel.editRule(0));
    QCOMPARE(panel.responder()->rules().at(0).event, QStringLiteral("ping"));
}

void tst_MockRulesPanel::hitsCountWhenARuleFires()
{
    SocketIo::Server server;
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    TrafficModel traffic;
    connect(&server, &SocketIo::Server::trafficObserved, &traffic, &TrafficModel::addEvent);
    MockRulesPanel panel(new MockResponder(&server), &traffic);
    panel.responder()->setRules(rules(R"([{"name": "other", "event": "nope", "actions": []},
                                           {"name": "hello", "event": "connection", "actions": []},
                                           {"name": "echo", "event": "echo", "actions": [{"emit": "echoed"}]}])"));
    SocketIo::ManagerOptions options;
    options.transports = SocketIo::Transport::WebSocket;
    options.reconnection = false;
    SocketIo::Manager manager(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(server.serverPort())), options);
    SocketIo::ClientSocket *socket = manager.socket();
    QSignalSpy events(socket, &SocketIo::ClientSocket::eventReceived);
    socket->open();
    socket->emitEvent(QStringLiteral("echo"));
    socket->emitEvent(QStringLiteral("echo"));
    QTRY_COMPARE(events.count(), 2);
    QCOMPARE(panel.table()->item(2, MockRulesPanel::HitsColumn)->text(), QStringLiteral("2"));
    QCOMPARE(panel.table()->item(1, MockRulesPanel::HitsColumn)->text(), QStringLiteral("1"));
    QCOMPARE(panel.table()->item(0, MockRulesPanel::HitsColumn)->text(), QStringLiteral("0"));
    auto *status = panel.findChildren<QLabel *>().last();
    QCOMPARE(status->text(), QStringLiteral("mock: rule \u2018echo\u2019 \u2192 emit echoed \u2192 sender"));
    // Moving a rule keeps its hits; editing it starts them again.
    panel.moveRule(2, -2);
    QCOMPARE(names(panel.table()).first(), QStringLiteral("echo"));
    QCOMPARE(panel.table()->item(0, MockRulesPanel::HitsColumn)->text(), QStringLiteral("2"));
    QCOMPARE(panel.responder()->hitCounts(), QList<int>({ 2, 0, 1 }));
    panel.removeRule(1);
    QCOMPARE(panel.responder()->hitCounts(), QList<int>({ 2, 1 }));
    panel.replaceRule(0, panel.responder()->rules().at(0));
    QCOMPARE(panel.responder()->hitCounts(), QList<int>({ 0, 1 }));
    QCOMPARE(panel.table()->item(1, MockRulesPanel::HitsColumn)->text(), QStringLiteral("1"));
    // Both incoming events carry the note in the log, and the CONNECT the connection rule's.
    const auto noted = [&traffic](SocketIo::SocketIoPacketType type) {
        traffic.flush();
        int count = 0;
        for (int i = 0; i < traffic.rowCount(); ++i) {
            const TrafficRow &row = traffic.rowAt(i);
            count += !row.note.isEmpty() && row.socketIoType == type ? 1 : 0;
        }
        return count;
    };
    QTRY_COMPARE(noted(SocketIo::SocketIoPacketType::Event), 2);
    QTRY_COMPARE(noted(SocketIo::SocketIoPacketType::Connect), 1);
}

void tst_MockRulesPanel::mainWindowDock()
{
    SocketIo::Server server;
    MainWindow window(&server);
    auto *dock = window.findChild<QDockWidget *>(QStringLiteral("mockDock"));
    QVERIFY(dock);
    QCOMPARE(dock->widget(), window.mockRules());
    QVERIFY(window.mockResponder());
    QCOMPARE(window.mockResponder()->server(), &server);
    QCOMPARE(window.mockRules()->responder(), window.mockResponder());
    bool menuEntry = false;
    const QList<QAction *> menus = window.menuBar()->actions();
    for (QAction *menu : menus) {
        if (!menu->menu())
            continue;
        const QList<QAction *> entries = menu->menu()->actions();
        for (QAction *entry : entries)
            menuEntry |= entry->text() == QStringLiteral("Load mock rules\u2026");
    }
    QVERIFY(menuEntry);
    // The rules answer on the window's server and note the event in its traffic log.
    window.mockResponder()->setRules(rules(R"([{"name": "w", "event": "hi", "actions": [{"emit": "ho"}]}])"));
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    SocketIo::ManagerOptions options;
    options.reconnection = false;
    SocketIo::Manager manager(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(server.serverPort())), options);
    SocketIo::ClientSocket *socket = manager.socket();
    QSignalSpy events(socket, &SocketIo::ClientSocket::eventReceived);
    socket->open();
    socket->emitEvent(QStringLiteral("hi"));
    QTRY_COMPARE(events.count(), 1);
    TrafficModel *traffic = window.monitor()->traffic();
    QTRY_VERIFY([traffic] {
        for (int i = 0; i < traffic->rowCount(); ++i) {
            if (traffic->rowAt(i).note
                == QStringLiteral("mock: rule \u2018w\u2019 \u2192 emit ho \u2192 sender"))
                return true;
        }
        return false;
    }());
}

QTEST_MAIN(tst_MockRulesPanel)
#include "tst_mockrulespanel.moc"
