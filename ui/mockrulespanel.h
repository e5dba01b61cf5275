// SPDX-License-Identifier: MIT
#pragma once

#include "mockrules.h"

#include <QDialog>
#include <QWidget>

QT_BEGIN_NAMESPACE
class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;
QT_END_NAMESPACE

namespace Inspector {

class MockResponder;
struct MockFiring;
class TrafficModel;

// Edits one MockRule: name, namespace and event (wildcards), the arguments pattern and the
// actions as JSON (validated as you type: a red frame and the reason, OK disabled), delay,
// "continue".
class MockRuleDialog : public QDialog
{
    Q_OBJECT
public:
    explicit MockRuleDialog(const MockRule &rule, QWidget *parent = nullptr);

    // The rule as edited; only meaningful while isValid().
    MockRule rule() const { return m_rule; }
    bool isValid() const { return m_error.isEmpty(); }
    QString error() const { return m_error; }

    QLineEdit *nameEdit() const { return m_name; }
    QLineEdit *namespaceEdit() const { return m_nsp; }
    QLineEdit *eventEdit() const { return m_event; }
    QPlainTextEdit *patternEdit() const { return m_pattern; }
    QPlainTextEdit *actionsEdit() const { return m_actions; }
    QSpinBox *delayEdit() const { return m_delay; }
    QPushButton *okButton() const;

private:
    void validate();

    QLineEdit *m_name;
    QCheckBox *m_enabled;
    QLineEdit *m_nsp;
    QLineEdit *m_event;
    QPlainTextEdit *m_pattern;
    QPlainTextEdit *m_actions;
    QSpinBox *m_delay;
    QCheckBox *m_continue;
    QLabel *m_status;
    QDialogButtonBox *m_buttons;
    MockRule m_rule;
    QString m_error;
};

// The "Mock rules" panel: the MockResponder's rules in a table (enabled, name, namespace, event,
// pattern, actions, delay, hits), add/edit/remove/move, load and save a rules file, enable or
// disable all. Every firing is noted on the traffic row of the event that fired it
// ("mock: rule 'login' → ack ...", TrafficRow::note).
class MockRulesPanel : public QWidget
{
    Q_OBJECT
public:
    enum Column {
        EnabledColumn,
        NameColumn,
        NamespaceColumn,
        EventColumn,
        PatternColumn,
        ActionsColumn,
        DelayColumn,
        HitsColumn,
        ColumnCount
    };

    // responder: reparented to the panel. traffic: where firings are noted (may be null).
    MockRulesPanel(MockResponder *responder, TrafficModel *traffic, QWidget *parent = nullptr);

    MockResponder *responder() const { return m_responder; }
    QTableWidget *table() const { return m_table; }
    int currentRule() const;
    void setCurrentRule(int index);

    void addRule(const MockRule &rule);
    void replaceRule(int index, const MockRule &rule);
    void removeRule(int index);
    void moveRule(int index, int delta);
    // Opens the edit dialog on a rule (a new one for -1); true when it was accepted.
    bool editRule(int index);
    bool loadFile(const QString &fileName);
    bool saveFile(const QString &fileName);
    void loadWithDialog();
    void saveWithDialog();
    QString lastError() const { return m_lastError; }

    // Marks the traffic row of the event that made the rule fire (TrafficRow::note).
    static bool noteFiring(TrafficModel *traffic, const MockFiring &firing);

private:
    void rebuild();
    void updateButtons();
    void report(const QString &error);

    MockResponder *m_responder;
    TrafficModel *m_traffic;
    QTableWidget *m_table;
    QPushButton *m_add;
    QPushButton *m_edit;
    QPushButton *m_remove;
    QPushButton *m_up;
    QPushButton *m_down;
    QLabel *m_status;
    QString m_lastError;
    bool m_rebuilding = false;
};

} // namespace Inspector
