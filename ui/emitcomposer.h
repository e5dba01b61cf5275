// SPDX-License-Identifier: MIT
#pragma once

#include "composermessage.h"
#include "trafficrow.h"

#include <SocketIo/socketioglobal.h>

#include <QPointer>
#include <QVariant>
#include <QWidget>

#include <functional>

QT_BEGIN_NAMESPACE
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QListWidgetItem;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTreeWidget;
class QTreeWidgetItem;
class QVBoxLayout;
QT_END_NAMESPACE

namespace Inspector {

class ClientConnectionList;
class ServerMonitor;

// Emits an event to a namespace, a room or one socket (optionally excluding rooms), with any
// number of JSON or binary arguments; asks for an ack with a timeout and shows every reply
// argument; keeps a history and saved messages (QSettings).
class EmitComposer : public QWidget
{
    Q_OBJECT
public:
    explicit EmitComposer(ServerMonitor *monitor, QWidget *parent = nullptr);

    void setTarget(const QString &nsp, const QString &room, const QString &socketId);
    // "As client": emits from the inspector's client connections (the target kind appears once set).
    void setClientConnections(ClientConnectionList *connections);
    void setClientTarget(const QString &connection, const QString &nsp);
    void loadMessage(const ComposerMessage &message);
    // Fills event, arguments and target (the row's socket) from a traffic row.
    void loadFromRow(const TrafficRow &row);
    ComposerMessage message() const;

    // Sends what the form holds. False (with the reason in lastError()) when invalid or the
    // target is gone.
    bool send();
    QString lastError() const { return m_lastError; }
    // Sends elsewhere than the own server (an attached server's admin "emit" command): false with
    // the reason in *error. Empty: the own server.
    using RemoteSender =
        std::function<bool(const ComposerMessage &, const QVariantList &args, QString *error)>;
    void setRemoteSender(RemoteSender sender) { m_remoteSender = std::move(sender); }
    bool canSend() const;

    // For tests and the window
    QLineEdit *eventEdit() const { return m_event; }
    QComboBox *targetKindCombo() const { return m_targetKind; }
    QComboBox *namespaceCombo() const { return m_nsp; }
    QComboBox *clientCombo() const { return m_client; }
    QLineEdit *roomEdit() const { return m_room; }
    QLineEdit *socketEdit() const { return m_socket; }
    QLineEdit *exceptEdit() const { return m_except; }
    QCheckBox *ackCheck() const { return m_ack; }
    QSpinBox *timeoutSpin() const { return m_timeout; }
    QPushButton *sendButton() const { return m_send; }
    QTreeWidget *resultTree() const { return m_results; }
    QListWidget *historyList() const { return m_history; }
    QListWidget *savedList() const { return m_saved; }
    // Keeps the form's message under name in the saved messages (what "Save…" does after asking).
    void saveMessage(const QString &name);
    int argumentCount() const { return int(m_args.size()); }
    ArgumentEditor *argument(int i) const { return m_args.value(i); }
    ArgumentEditor *addArgument(ArgumentEditor::Kind kind = ArgumentEditor::Kind::Json,
                                const QString &text = {});
    void clearArguments();

Q_SIGNALS:
    void sent(const QString &description);
    // Every emit with an ack ends with one of these (replies: one list of arguments per socket).
    void ackFinished(SocketIo::AckStatus status, const QList<QVariantList> &replies);

private:
    void updateTargetFields();
    void updateSendButton();
    void refreshNamespaces();
    bool sendAsClient(const ComposerMessage &message, const QVariantList &args);
    void addToHistory(const ComposerMessage &message);
    void loadSettings();
    void saveSettings() const;
    QTreeWidgetItem *addResult(const QString &text);
    QTreeWidgetItem *resultItem(int id) const;
    void showReplies(QTreeWidgetItem *item, SocketIo::AckStatus status, const QList<QVariantList> &replies,
                     qint64 elapsedMs);

    ServerMonitor *m_monitor;
    QComboBox *m_targetKind;
    QComboBox *m_nsp;
    QLineEdit *m_room;
    QLineEdit *m_socket;
    QLineEdit *m_except;
    QLabel *m_roomLabel;
    QLabel *m_socketLabel;
    QLabel *m_exceptLabel;
    QPointer<ClientConnectionList> m_clients;
    QComboBox *m_client = nullptr;
    QLabel *m_clientLabel = nullptr;
    QLineEdit *m_event;
    QVBoxLayout *m_argsLayout;
    QList<ArgumentEditor *> m_args;
    QCheckBox *m_ack;
    QSpinBox *m_timeout;
    QPushButton *m_send;
    QLabel *m_error;
    QTreeWidget *m_results;
    QListWidget *m_history;
    QListWidget *m_saved;
    QString m_lastError;
    RemoteSender m_remoteSender;
    int m_resultId = 0;
};

} // namespace Inspector

Q_DECLARE_METATYPE(QList<QVariantList>)
