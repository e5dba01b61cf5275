// SPDX-License-Identifier: MIT
#include "mockrulespanel.h"

#include "icons.h"
#include "mockresponder.h"
#include "trafficmodel.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

namespace Inspector {

namespace {

QString prettyJson(const QJsonArray &array)
{
    return QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Indented)).trimmed();
}

QPlainTextEdit *jsonEditor(QWidget *parent)
{
    auto *edit = new QPlainTextEdit(parent);
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    edit->setTabChangesFocus(true);
    return edit;
}

void markValid(QPlainTextEdit *edit, bool valid)
{
    edit->setStyleSheet(valid ? QString() : QStringLiteral("QPlainTextEdit { border: 1px solid #c0392b; }"));
}

// Parses an editor's JSON: an array (or, when empty is allowed, nothing).
std::optional<QJsonArray> readArray(QPlainTextEdit *edit, bool emptyAllowed, QString *error)
{
    const QByteArray text = edit->toPlainText().trimmed().toUtf8();
    if (text.isEmpty()) {
        if (emptyAllowed)
            return QJsonArray();
        *error = MockRuleDialog::tr("empty");
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(text, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = MockRuleDialog::tr("invalid JSON at character %1: %2")
                     .arg(parseError.offset)
                     .arg(parseError.errorString());
        return std::nullopt;
    }
    if (!document.isArray()) {
        *error = MockRuleDialog::tr("must be a JSON array [...]");
        return std::nullopt;
    }
    return document.array();
}

} // namespace

// --- MockRuleDialog ------------------------------------------------------------------------------

MockRuleDialog::MockRuleDialog(const MockRule &rule, QWidget *parent)
    : QDialog(parent)
    , m_name(new QLineEdit(rule.name, this))
    , m_enabled(new QCheckBox(tr("Enabled"), this))
    , m_nsp(new QLineEdit(rule.nsp, this))
    , m_event(new QLineEdit(rule.event, this))
    , m_pattern(jsonEditor(this))
    , m_actions(jsonEditor(this))
    , m_delay(new QSpinBox(this))
    , m_continue(new QCheckBox(tr("Continue: also try the following rules"), this))
    , m_status(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
    , m_rule(rule)
{
    setWindowTitle(tr("Mock rule"));
    m_enabled->setChecked(rule.enabled);
    m_nsp->setPlaceholderText(tr("/chat, /admin*, * (any)"));
    m_event->setPlaceholderText(tr("login, chat:*, * (any); connection, disconnect"));
    m_pattern->setPlaceholderText(tr("Any arguments. A pattern: [{\"user\": \"*\"}, {\"$regex\": \"^hi\"}]"));
    if (rule.pattern)
        m_pattern->setPlainText(prettyJson(*rule.pattern));
    QJsonArray actions;
    for (const MockAction &action : rule.actions)
        actions.append(action.toJson());
    m_actions->setPlainText(prettyJson(actions));
    m_actions->setPlaceholderText(tr("[{\"ack\": {\"ok\": true}}, {\"emit\": \"welcome\", \"args\": "
                                     "[\"{{args[0].user}}\"], \"to\": \"sender\"}]"));
    m_delay->setRange(0, 24 * 3600 * 1000);
    m_delay->setSuffix(tr(" ms"));
    m_delay->setValue(rule.delayMs);
    m_continue->setChecked(rule.continueMatching);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *form = new QFormLayout;
    form->addRow(tr("Name:"), m_name);
    form->addRow(QString(), m_enabled);
    form->addRow(tr("Namespace:"), m_nsp);
    form->addRow(tr("Event:"), m_event);
    form->addRow(tr("Arguments pattern:"), m_pattern);
    form->addRow(tr("Actions:"), m_actions);
    form->addRow(tr("Delay:"), m_delay);
    form->addRow(QString(), m_continue);
    auto *help = new QLabel(
        tr("Actions: {\"ack\": V}, {\"emit\": \"event\", \"args\": [...], \"to\": \"sender\" | \"room\" | "
           "\"all\", \"room\": \"name\", \"exceptSender\": true}, {\"join\": \"room\"}, {\"leave\": "
           "\"room\"}, "
           "{\"set\": {\"key\": V}}, each with an optional \"delay\". Templates: {{args[0].name}}, "
           "{{socket.id}}, {{socket.data.key}}, {{event}}, {{now}}."),
        this);
    help->setWordWrap(true);
    help->setForegroundRole(QPalette::PlaceholderText);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(help);
    layout->addWidget(m_status);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    for (QLineEdit *edit : { m_name, m_nsp, m_event })
        connect(edit, &QLineEdit::textChanged, this, &MockRuleDialog::validate);
    for (QPlainTextEdit *edit : { m_pattern, m_actions })
        connect(edit, &QPlainTextEdit::textChanged, this, &MockRuleDialog::validate);
    connect(m_delay, &QSpinBox::valueChanged, this, &MockRuleDialog::validate);
    connect(m_enabled, &QCheckBox::toggled, this, &MockRuleDialog::validate);
    connect(m_continue, &QCheckBox::toggled, this, &MockRuleDialog::validate);
    resize(640, 560);
    validate();
}

QPushButton *MockRuleDialog::okButton() const
{
    return m_buttons->button(QDialogButtonBox::Ok);
}

void MockRuleDialog::validate()
{
    // The same checks as a rules file: the rule's JSON goes through MockRule::fromJson().
    QString patternError;
    QString actionsError;
    const std::optional<QJsonArray> pattern = readArray(m_pattern, true, &patternError);
    const std::optional<QJsonArray> actions = readArray(m_actions, true, &actionsError);
    markValid(m_pattern, pattern.has_value());
    markValid(m_actions, actions.has_value());
    m_error.clear();
    if (!pattern) {
        m_error = tr("Arguments pattern: %1").arg(patternError);
    } else if (!actions) {
        m_error = tr("Actions: %1").arg(actionsError);
    } else {
        QJsonObject json;
        json.insert(QLatin1String("name"), m_name->text());
        json.insert(QLatin1String("enabled"), m_enabled->isChecked());
        json.insert(QLatin1String("namespace"), m_nsp->text().trimmed());
        json.insert(QLatin1String("event"), m_event->text().trimmed());
        if (!m_pattern->toPlainText().trimmed().isEmpty())
            json.insert(QLatin1String("args"), *pattern);
        json.insert(QLatin1String("delay"), m_delay->value());
        json.insert(QLatin1String("continue"), m_continue->isChecked());
        json.insert(QLatin1String("actions"), *actions);
        QString why;
        if (std::optional<MockRule> rule = MockRule::fromJson(json, &why)) {
            m_rule = *rule;
        } else {
            m_error = why;
            // Point at the editor the problem is in.
            if (why.startsWith(QLatin1String("actions")))
                markValid(m_actions, false);
            else if (why.startsWith(QLatin1String("args")))
                markValid(m_pattern, false);
        }
    }
    if (m_error.isEmpty()) {
        m_status->setStyleSheet(QStringLiteral("color: #2e7d32;"));
        m_status->setText(tr("Valid: %1").arg(m_rule.actionsSummary()));
    } else {
        m_status->setStyleSheet(QStringLiteral("color: #c0392b;"));
        m_status->setText(m_error);
    }
    okButton()->setEnabled(m_error.isEmpty());
}

// --- MockRulesPanel ------------------------------------------------------------------------------

MockRulesPanel::MockRulesPanel(MockResponder *responder, TrafficModel *traffic, QWidget *parent)
    : QWidget(parent)
    , m_responder(responder)
    , m_traffic(traffic)
    , m_table(new QTableWidget(this))
    , m_add(new QPushButton(tr("Add\u2026"), this))
    , m_edit(new QPushButton(tr("Edit\u2026"), this))
    , m_remove(new QPushButton(tr("Remove"), this))
    , m_up(new QPushButton(tr("Up"), this))
    , m_down(new QPushButton(tr("Down"), this))
    , m_status(new QLabel(this))
{
    responder->setParent(this);
    m_table->setColumnCount(ColumnCount);
    m_table->setHorizontalHeaderLabels({ tr("On"), tr("Name"), tr("Namespace"), tr("Event"), tr("Arguments"),
                                         tr("Actions"), tr("Delay"), tr("Hits") });
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->setWordWrap(false);

    auto *load = new QPushButton(Icons::icon(QStringLiteral("import")), tr("Load\u2026"), this);
    auto *save = new QPushButton(Icons::icon(QStringLiteral("export")), tr("Save\u2026"), this);
    auto *enableAll = new QPushButton(tr("Enable all"), this);
    auto *disableAll = new QPushButton(tr("Disable all"), this);
    load->setObjectName(QStringLiteral("mockLoad"));
    save->setObjectName(QStringLiteral("mockSave"));
    enableAll->setObjectName(QStringLiteral("mockEnableAll"));
    disableAll->setObjectName(QStringLiteral("mockDisableAll"));
    m_add->setObjectName(QStringLiteral("mockAdd"));
    m_edit->setObjectName(QStringLiteral("mockEdit"));
    m_remove->setObjectName(QStringLiteral("mockRemove"));
    m_up->setObjectName(QStringLiteral("mockUp"));
    m_down->setObjectName(QStringLiteral("mockDown"));
    m_up->setToolTip(tr("Rules are tried from the top; the first that matches answers"));

    auto *editRow = new QHBoxLayout;
    for (QPushButton *button : { m_add, m_edit, m_remove, m_up, m_down })
        editRow->addWidget(button);
    editRow->addStretch();
    auto *fileRow = new QHBoxLayout;
    for (QPushButton *button : { load, save, enableAll, disableAll })
        fileRow->addWidget(button);
    fileRow->addStretch();
    m_status->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(fileRow);
    layout->addWidget(m_table, 1);
    layout->addLayout(editRow);
    layout->addWidget(m_status);

    connect(m_add, &QPushButton::clicked, this, [this] { editRule(-1); });
    connect(m_edit, &QPushButton::clicked, this, [this] { editRule(currentRule()); });
    connect(m_remove, &QPushButton::clicked, this, [this] { removeRule(currentRule()); });
    connect(m_up, &QPushButton::clicked, this, [this] { moveRule(currentRule(), -1); });
    connect(m_down, &QPushButton::clicked, this, [this] { moveRule(currentRule(), +1); });
    connect(load, &QPushButton::clicked, this, &MockRulesPanel::loadWithDialog);
    connect(save, &QPushButton::clicked, this, &MockRulesPanel::saveWithDialog);
    connect(enableAll, &QPushButton::clicked, this, [this] { m_responder->setAllEnabled(true); });
    connect(disableAll, &QPushButton::clicked, this, [this] { m_responder->setAllEnabled(false); });
    connect(m_table, &QTableWidget::cellDoubleClicked, this, [this](int row, int column) {
        if (column != EnabledColumn)
            editRule(row);
    });
    connect(m_table, &QTableWidget::itemChanged, this, [this](QTableWidgetItem *item) {
        if (!m_rebuilding && item->column() == EnabledColumn)
            m_responder->setRuleEnabled(item->row(), item->checkState() == Qt::Checked);
    });
    connect(m_table, &QTableWidget::itemSelectionChanged, this, &MockRulesPanel::updateButtons);
    connect(m_responder, &MockResponder::rulesChanged, this, &MockRulesPanel::rebuild);
    connect(m_responder, &MockResponder::hitCountChanged, this, [this](int index, int hits) {
        if (QTableWidgetItem *item = m_table->item(index, HitsColumn))
            item->setText(QString::number(hits));
    });
    connect(m_responder, &MockResponder::ruleFired, this, [this](const MockFiring &firing) {
        // A CONNECT is logged once the server has handled it, after the "connection" rules ran:
        // those are noted on the next turn of the event loop.
        if (m_traffic && !noteFiring(m_traffic, firing))
            QMetaObject::invokeMethod(
                this,
                [traffic = QPointer<TrafficModel>(m_traffic), firing] {
                    if (traffic)
                        noteFiring(traffic, firing);
                },
                Qt::QueuedConnection);
        m_status->setText(firing.text());
    });
    rebuild();
}

int MockRulesPanel::currentRule() const
{
    const QList<QTableWidgetItem *> selected = m_table->selectedItems();
    return selected.isEmpty() ? -1 : selected.first()->row();
}

void MockRulesPanel::setCurrentRule(int index)
{
    if (index < 0 || index >= m_table->rowCount())
        m_table->clearSelection();
    else
        m_table->selectRow(index);
    updateButtons();
}

void MockRulesPanel::rebuild()
{
    const int current = currentRule();
    m_rebuilding = true;
    const QList<MockRule> rules = m_responder->rules();
    m_table->setRowCount(int(rules.size()));
    for (int i = 0; i < rules.size(); ++i) {
        const MockRule &rule = rules.at(i);
        auto *enabled = new QTableWidgetItem;
        enabled->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
        enabled->setCheckState(rule.enabled ? Qt::Checked : Qt::Unchecked);
        enabled->setToolTip(tr("Enabled"));
        m_table->setItem(i, EnabledColumn, enabled);
        const QString pattern = rule.pattern ? summarizeArguments(*rule.pattern, 80) : tr("any");
        const QString delay = rule.delayMs > 0 ? tr("%1 ms").arg(rule.delayMs) : QString();
        const QString texts[] = { rule.displayName(i),
                                  rule.nsp,
                                  rule.event,
                                  pattern,
                                  rule.actionsSummary(),
                                  delay,
                                  QString::number(m_responder->hitCount(i)) };
        for (int c = NameColumn; c < ColumnCount; ++c) {
            auto *item = new QTableWidgetItem(texts[c - NameColumn]);
            item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
            if (c == NameColumn || c == NamespaceColumn || c == EventColumn)
                item->setToolTip(
                    tr("%1: %2 in %3\n%4")
                        .arg(rule.displayName(i), rule.event, rule.nsp,
                             rule.actionsSummary().replace(QLatin1String("; "), QLatin1String("\n"))));
            else if (c == PatternColumn && rule.pattern)
                item->setToolTip(prettyJson(*rule.pattern));
            else if (c == ActionsColumn)
                item->setToolTip(rule.actionsSummary().replace(QLatin1String("; "), QLatin1String("\n")));
            if (!rule.enabled)
                item->setForeground(palette().color(QPalette::Disabled, QPalette::Text));
            m_table->setItem(i, c, item);
        }
    }
    m_table->resizeColumnsToContents();
    // The actions matter most: the other columns give way (full text in the tooltips).
    for (int c = NameColumn; c < ColumnCount; ++c) {
        const int most = c == ActionsColumn ? 420 : c == NameColumn ? 160 : 110;
        if (m_table->columnWidth(c) > most)
            m_table->setColumnWidth(c, most);
    }
    m_rebuilding = false;
    if (current >= 0 && current < rules.size())
        m_table->selectRow(current);
    const QString file = m_responder->fileName();
    m_status->setText(
        file.isEmpty()
            ? tr("%n rule(s)", nullptr, int(rules.size()))
            : tr("%n rule(s) from %1", nullptr, int(rules.size())).arg(QFileInfo(file).fileName()));
    updateButtons();
}

void MockRulesPanel::updateButtons()
{
    const int current = currentRule();
    const int count = m_table->rowCount();
    m_edit->setEnabled(current >= 0);
    m_remove->setEnabled(current >= 0);
    m_up->setEnabled(current > 0);
    m_down->setEnabled(current >= 0 && current < count - 1);
}

// The rules' hit counts stay with them through the edits below (an edited rule starts again).
void MockRulesPanel::addRule(const MockRule &rule)
{
    QList<MockRule> rules = m_responder->rules();
    QList<int> hits = m_responder->hitCounts();
    rules.append(rule);
    hits.append(0);
    m_responder->setRules(rules);
    m_responder->setHitCounts(hits);
    setCurrentRule(int(rules.size()) - 1);
}

void MockRulesPanel::replaceRule(int index, const MockRule &rule)
{
    QList<MockRule> rules = m_responder->rules();
    QList<int> hits = m_responder->hitCounts();
    if (index < 0 || index >= rules.size())
        return;
    rules[index] = rule;
    hits[index] = 0;
    m_responder->setRules(rules);
    m_responder->setHitCounts(hits);
    setCurrentRule(index);
}

void MockRulesPanel::removeRule(int index)
{
    QList<MockRule> rules = m_responder->rules();
    QList<int> hits = m_responder->hitCounts();
    if (index < 0 || index >= rules.size())
        return;
    rules.removeAt(index);
    hits.removeAt(index);
    m_responder->setRules(rules);
    m_responder->setHitCounts(hits);
    setCurrentRule(qMin(index, int(rules.size()) - 1));
}

void MockRulesPanel::moveRule(int index, int delta)
{
    QList<MockRule> rules = m_responder->rules();
    QList<int> hits = m_responder->hitCounts();
    const int to = index + delta;
    if (index < 0 || index >= rules.size() || to < 0 || to >= rules.size())
        return;
    rules.move(index, to);
    hits.move(index, to);
    m_responder->setRules(rules);
    m_responder->setHitCounts(hits);
    setCurrentRule(to);
}

bool MockRulesPanel::editRule(int index)
{
    const QList<MockRule> rules = m_responder->rules();
    MockRule rule;
    if (index >= 0 && index < rules.size()) {
        rule = rules.at(index);
    } else {
        index = -1;
        rule.name = tr("rule %1").arg(rules.size() + 1);
        MockAction ack;
        ack.type = MockAction::Type::Ack;
        ack.args = QJsonArray{ QJsonObject{ { QStringLiteral("ok"), true } } };
        rule.actions.append(ack);
    }
    MockRuleDialog dialog(rule, this);
    if (dialog.exec() != QDialog::Accepted)
        return false;
    if (index < 0)
        addRule(dialog.rule());
    else
        replaceRule(index, dialog.rule());
    return true;
}

bool MockRulesPanel::loadFile(const QString &fileName)
{
    QString error;
    if (!m_responder->loadFile(fileName, &error)) {
        report(error);
        return false;
    }
    m_lastError.clear();
    return true;
}

bool MockRulesPanel::saveFile(const QString &fileName)
{
    QString error;
    if (!m_responder->saveFile(fileName, &error)) {
        report(error);
        return false;
    }
    m_lastError.clear();
    rebuild();
    return true;
}

void MockRulesPanel::loadWithDialog()
{
    const QString file = QFileDialog::getOpenFileName(this, tr("Load mock rules"), m_responder->fileName(),
                                                      tr("Mock rules (*.json);;All files (*)"));
    if (!file.isEmpty() && !loadFile(file))
        QMessageBox::warning(this, tr("Load mock rules"), m_lastError);
}

void MockRulesPanel::saveWithDialog()
{
    QString file = QFileDialog::getSaveFileName(this, tr("Save mock rules"), m_responder->fileName(),
                                                tr("Mock rules (*.json);;All files (*)"));
    if (file.isEmpty())
        return;
    if (QFileInfo(file).suffix().isEmpty())
        file += QLatin1String(".json");
    if (!saveFile(file))
        QMessageBox::warning(this, tr("Save mock rules"), m_lastError);
}

void MockRulesPanel::report(const QString &error)
{
    m_lastError = error;
    m_status->setText(error);
}

bool MockRulesPanel::noteFiring(TrafficModel *traffic, const MockFiring &firing)
{
    // The incoming packet that made the rule fire: the newest own-server row of that socket's
    // session and namespace with the event (or its CONNECT / DISCONNECT).
    PacketKind kind = PacketKind::Event;
    if (firing.event == QLatin1String("connection"))
        kind = PacketKind::Connect;
    else if (firing.event == QLatin1String("disconnect"))
        kind = PacketKind::Disconnect;
    return traffic->annotateLatest(
        [&firing, kind](const TrafficRow &row) {
            return row.kind == kind && row.source.isEmpty() && !row.clientSide
                && row.direction == TrafficRow::Direction::Incoming && row.sessionId == firing.sessionId
                && row.nsp == firing.nsp
                && (kind != PacketKind::Event || (row.event == firing.event && row.ackId == firing.ackId));
        },
        firing.text());
}

} // namespace Inspector
