// SPDX-License-Identifier: MIT
#include "emitcomposer.h"

#include "clientconnection.h"
#include "icons.h"
#include "jsonview.h"
#include "servermonitor.h"

#include <SocketIo/json.h>
#include <SocketIo/namespace.h>
#include <SocketIo/socket.h>

#include <QCheckBox>
#include <QComboBox>
#include <QCompleter>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QStringListModel>
#include <QTabWidget>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

using namespace SocketIo;

namespace Inspector {

namespace {

constexpr int maxHistory = 50;

QString compactJson(const QJsonValue &value)
{
    const QByteArray wrapped = QJsonDocument(QJsonArray{ value }).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(wrapped.mid(1, wrapped.size() - 2));
}

} // namespace

// --- EmitComposer ----------------------------------------------------------------------------

EmitComposer::EmitComposer(ServerMonitor *monitor, QWidget *parent)
    : QWidget(parent)
    , m_monitor(monitor)
    , m_targetKind(new QComboBox(this))
    , m_nsp(new QComboBox(this))
    , m_room(new QLineEdit(this))
    , m_socket(new QLineEdit(this))
    , m_except(new QLineEdit(this))
    , m_roomLabel(new QLabel(tr("Room:"), this))
    , m_socketLabel(new QLabel(tr("Socket:"), this))
    , m_exceptLabel(new QLabel(tr("Except rooms:"), this))
    , m_event(new QLineEdit(this))
    , m_argsLayout(new QVBoxLayout)
    , m_ack(new QCheckBox(tr("Ask for an acknowledgement, timeout"), this))
    , m_timeout(new QSpinBox(this))
    , m_send(new QPushButton(Icons::icon(QStringLiteral("send")), tr("Send"), this))
    , m_error(new QLabel(this))
    , m_results(new QTreeWidget(this))
    , m_history(new QListWidget(this))
    , m_saved(new QListWidget(this))
{
    qRegisterMetaType<QList<QVariantList>>();
    m_targetKind->addItem(tr("Namespace"), int(ComposerMessage::Target::Namespace));
    m_targetKind->addItem(tr("Room"), int(ComposerMessage::Target::Room));
    m_targetKind->addItem(tr("Socket"), int(ComposerMessage::Target::Socket));
    m_nsp->setEditable(true);
    m_nsp->setInsertPolicy(QComboBox::NoInsert);
    m_nsp->addItem(QStringLiteral("/"));
    m_room->setPlaceholderText(tr("room name"));
    m_socket->setPlaceholderText(tr("socket id (select one in the tree)"));
    m_except->setPlaceholderText(tr("comma-separated rooms to leave out"));
    m_event->setPlaceholderText(tr("event name"));
    m_timeout->setRange(1, 600000);
    m_timeout->setValue(5000);
    m_timeout->setSuffix(tr(" ms"));
    m_error->setStyleSheet(QStringLiteral("color: #c0392b;"));
    m_error->setWordWrap(true);
    m_send->setDefault(true);
    m_send->setObjectName(QStringLiteral("sendButton"));
    m_results->setHeaderLabels({ tr("Result"), tr("Value"), tr("Type") });
    JsonView::setupTree(m_results);
    m_results->setHeaderLabels({ tr("Result"), tr("Value"), tr("Type") });
    auto *roomCompleter = new QCompleter(new QStringListModel(this), this);
    roomCompleter->setCaseSensitivity(Qt::CaseInsensitive);
    m_room->setCompleter(roomCompleter);
    m_except->setCompleter(roomCompleter);

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    auto *targetRow = new QHBoxLayout;
    targetRow->addWidget(m_targetKind);
    targetRow->addWidget(m_nsp, 1);
    form->addRow(tr("Target:"), targetRow);
    m_client = new QComboBox(this);
    m_client->setToolTip(tr("The client connection that emits (the Clients pane)"));
    m_clientLabel = new QLabel(tr("Client:"), this);
    form->addRow(m_clientLabel, m_client);
    form->addRow(m_roomLabel, m_room);
    form->addRow(m_socketLabel, m_socket);
    form->addRow(m_exceptLabel, m_except);
    form->addRow(tr("Event:"), m_event);

    auto *argsBox = new QWidget(this);
    auto *argsBoxLayout = new QVBoxLayout(argsBox);
    argsBoxLayout->setContentsMargins(0, 0, 0, 0);
    argsBoxLayout->addLayout(m_argsLayout);
    auto *add = new QPushButton(tr("Add argument"), argsBox);
    add->setObjectName(QStringLiteral("addArgumentButton"));
    auto *addRow = new QHBoxLayout;
    addRow->addWidget(add);
    addRow->addStretch();
    argsBoxLayout->addLayout(addRow);
    argsBoxLayout->addStretch();
    auto *scroll = new QScrollArea(this);
    scroll->setWidget(argsBox);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);

    auto *ackRow = new QHBoxLayout;
    ackRow->addWidget(m_ack);
    ackRow->addWidget(m_timeout);
    ackRow->addStretch();
    auto *sendRow = new QHBoxLayout;
    sendRow->addStretch();
    sendRow->addWidget(m_send);

    auto *editor = new QWidget(this);
    auto *editorLayout = new QVBoxLayout(editor);
    editorLayout->setContentsMargins(0, 0, 0, 0);
    editorLayout->addLayout(form);
    editorLayout->addWidget(new QLabel(tr("Arguments:"), editor));
    editorLayout->addWidget(scroll, 1);
    editorLayout->addLayout(ackRow);
    editorLayout->addLayout(sendRow);
    editorLayout->addWidget(m_error);

    auto *lists = new QTabWidget(this);
    lists->addTab(m_results, tr("Results"));
    auto *historyPage = new QWidget(this);
    auto *historyLayout = new QVBoxLayout(historyPage);
    historyLayout->setContentsMargins(0, 0, 0, 0);
    historyLayout->addWidget(m_history);
    auto *saveButton = new QPushButton(tr("Save current\u2026"), historyPage);
    auto *historyButtons = new QHBoxLayout;
    historyButtons->addWidget(saveButton);
    historyButtons->addStretch();
    historyLayout->addLayout(historyButtons);
    lists->addTab(historyPage, tr("History"));
    auto *savedPage = new QWidget(this);
    auto *savedLayout = new QVBoxLayout(savedPage);
    savedLayout->setContentsMargins(0, 0, 0, 0);
    savedLayout->addWidget(m_saved);
    auto *deleteSaved = new QPushButton(tr("Delete"), savedPage);
    auto *savedButtons = new QHBoxLayout;
    savedButtons->addStretch();
    savedButtons->addWidget(deleteSaved);
    savedLayout->addLayout(savedButtons);
    lists->addTab(savedPage, tr("Saved"));
    m_history->setToolTip(tr("Double-click to load a message into the composer"));
    m_saved->setToolTip(tr("Double-click to load a message into the composer"));

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(editor);
    splitter->addWidget(lists);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(splitter);

    connect(m_targetKind, &QComboBox::currentIndexChanged, this, &EmitComposer::updateTargetFields);
    connect(m_nsp, &QComboBox::currentTextChanged, this, [this, roomCompleter] {
        auto *model = static_cast<QStringListModel *>(roomCompleter->model());
        model->setStringList(m_monitor->tree()->rooms(m_nsp->currentText()));
        updateSendButton();
    });
    connect(m_room, &QLineEdit::textChanged, this, &EmitComposer::updateSendButton);
    connect(m_socket, &QLineEdit::textChanged, this, &EmitComposer::updateSendButton);
    connect(m_event, &QLineEdit::textChanged, this, &EmitComposer::updateSendButton);
    connect(m_event, &QLineEdit::returnPressed, this, [this] {
        if (canSend())
            send();
    });
    connect(add, &QPushButton::clicked, this, [this] { addArgument()->setFocus(); });
    connect(m_send, &QPushButton::clicked, this, &EmitComposer::send);
    connect(m_monitor, &ServerMonitor::treeUpdated, this, &EmitComposer::refreshNamespaces);
    auto load = [this](QListWidgetItem *item) {
        loadMessage(ComposerMessage::fromVariant(item->data(Qt::UserRole).toMap()));
    };
    connect(m_history, &QListWidget::itemDoubleClicked, this, load);
    connect(m_saved, &QListWidget::itemDoubleClicked, this, load);
    connect(saveButton, &QPushButton::clicked, this, [this] {
        const ComposerMessage current = message();
        bool ok = false;
        const QString name = QInputDialog::getText(this, tr("Save message"), tr("Name:"), QLineEdit::Normal,
                                                   current.event, &ok);
        if (ok && !name.isEmpty())
            saveMessage(name);
    });
    connect(deleteSaved, &QPushButton::clicked, this, [this] {
        delete m_saved->currentItem();
        saveSettings();
    });

    refreshNamespaces();
    updateTargetFields();
    loadSettings();
}

ArgumentEditor *EmitComposer::addArgument(ArgumentEditor::Kind kind, const QString &text)
{
    auto *editor = new ArgumentEditor(this);
    editor->setKind(kind);
    editor->setText(text);
    m_argsLayout->addWidget(editor);
    m_args.append(editor);
    connect(editor, &ArgumentEditor::changed, this, &EmitComposer::updateSendButton);
    connect(editor, &ArgumentEditor::removeRequested, this, [this, editor] {
        m_args.removeAll(editor);
        editor->deleteLater();
        updateSendButton();
    });
    updateSendButton();
    return editor;
}

void EmitComposer::clearArguments()
{
    for (ArgumentEditor *editor : std::as_const(m_args))
        delete editor;
    m_args.clear();
    updateSendButton();
}

void EmitComposer::refreshNamespaces()
{
    QStringList names = m_monitor->tree()->namespaces();
    if (ComposerMessage::Target(m_targetKind->currentData().toInt()) == ComposerMessage::Target::Client) {
        const ClientConnection *c = m_clients ? m_clients->find(m_client->currentText()) : nullptr;
        names = c ? c->namespaces() : QStringList();
    }
    const QString current = m_nsp->currentText();
    QStringList existing;
    for (int i = 0; i < m_nsp->count(); ++i)
        existing.append(m_nsp->itemText(i));
    if (existing == names)
        return;
    const QSignalBlocker blocker(m_nsp);
    m_nsp->clear();
    m_nsp->addItems(names);
    m_nsp->setCurrentText(current.isEmpty() ? QStringLiteral("/") : current);
}

void EmitComposer::updateTargetFields()
{
    const auto target = ComposerMessage::Target(m_targetKind->currentData().toInt());
    m_roomLabel->setVisible(target == ComposerMessage::Target::Room);
    m_room->setVisible(target == ComposerMessage::Target::Room);
    m_socketLabel->setVisible(target == ComposerMessage::Target::Socket);
    m_socket->setVisible(target == ComposerMessage::Target::Socket);
    m_exceptLabel->setVisible(target != ComposerMessage::Target::Socket);
    m_except->setVisible(target != ComposerMessage::Target::Socket);
    const bool client = target == ComposerMessage::Target::Client;
    m_clientLabel->setVisible(client);
    m_client->setVisible(client);
    if (client) {
        m_exceptLabel->setVisible(false);
        m_except->setVisible(false);
    }
    refreshNamespaces();
    updateSendButton();
}

void EmitComposer::setClientConnections(ClientConnectionList *connections)
{
    m_clients = connections;
    if (m_targetKind->findData(int(ComposerMessage::Target::Client)) < 0)
        m_targetKind->addItem(tr("As client"), int(ComposerMessage::Target::Client));
    auto refresh = [this] {
        const QString current = m_client->currentText();
        const QSignalBlocker blocker(m_client);
        m_client->clear();
        if (m_clients) {
            const QList<ClientConnection *> list = m_clients->connections();
            for (const ClientConnection *c : list)
                m_client->addItem(c->name());
        }
        m_client->setCurrentIndex(qMax(0, m_client->findText(current)));
        refreshNamespaces();
        updateSendButton();
    };
    connect(connections, &ClientConnectionList::added, this, [this, refresh](ClientConnection *c) {
        refresh();
        connect(c, &ClientConnection::namespacesChanged, this, [this] { refreshNamespaces(); });
    });
    // Removal happens before deletion: refresh once it is gone from the list.
    connect(connections, &ClientConnectionList::removed, this, refresh, Qt::QueuedConnection);
    connect(m_client, &QComboBox::currentTextChanged, this, [this] {
        refreshNamespaces();
        updateSendButton();
    });
    refresh();
}

void EmitComposer::setClientTarget(const QString &connection, const QString &nsp)
{
    m_targetKind->setCurrentIndex(m_targetKind->findData(int(ComposerMessage::Target::Client)));
    m_client->setCurrentIndex(m_client->findText(connection));
    updateTargetFields();
    m_nsp->setCurrentText(nsp);
}

bool EmitComposer::sendAsClient(const ComposerMessage &m, const QVariantList &args)
{
    ClientConnection *c = m_clients ? m_clients->find(m.client) : nullptr;
    if (!c || !c->socket(m.nsp)) {
        m_lastError = c
            ? tr("%1 has no namespace %2 (Connect namespace\u2026 in the Clients pane).").arg(m.client, m.nsp)
            : tr("There is no client connection %1.").arg(m.client);
        m_error->setText(m_lastError);
        return false;
    }
    QTreeWidgetItem *item = addResult(tr("%1 as %2 on %3").arg(m.event, m.client, m.nsp));
    const int id = item->data(0, Qt::UserRole).toInt();
    bool ok = false;
    if (m.ack) {
        QElapsedTimer clock;
        clock.start();
        item->setText(2, tr("waiting for the ack\u2026"));
        ok = c->emitEvent(
            m.nsp, m.event, args, this,
            [this, id, clock](AckStatus status, const QVariantList &reply) {
                if (QTreeWidgetItem *result = resultItem(id))
                    showReplies(result, status,
                                status == AckStatus::Received ? QList<QVariantList>{ reply }
                                                              : QList<QVariantList>{},
                                clock.elapsed());
            },
            std::chrono::milliseconds(m.timeoutMs));
    } else {
        ok = c->emitEvent(m.nsp, m.event, args);
        item->setText(2,
                      c->state() == ClientConnection::State::Connected ? tr("sent")
                                                                       : tr("buffered until connected"));
    }
    if (!ok) {
        delete item;
        m_lastError = tr("%1 is a reserved event name.").arg(m.event);
        m_error->setText(m_lastError);
        return false;
    }
    addToHistory(m);
    Q_EMIT sent(m.title());
    return true;
}

bool EmitComposer::canSend() const
{
    if (m_event->text().trimmed().isEmpty() || m_nsp->currentText().isEmpty())
        return false;
    const auto target = ComposerMessage::Target(m_targetKind->currentData().toInt());
    if (target == ComposerMessage::Target::Room && m_room->text().trimmed().isEmpty())
        return false;
    if (target == ComposerMessage::Target::Socket && m_socket->text().trimmed().isEmpty())
        return false;
    if (target == ComposerMessage::Target::Client && m_client->currentText().isEmpty())
        return false;
    for (const ArgumentEditor *arg : m_args) {
        if (!arg->isValid())
            return false;
    }
    return true;
}

void EmitComposer::updateSendButton()
{
    m_send->setEnabled(canSend());
}

void EmitComposer::setTarget(const QString &nsp, const QString &room, const QString &socketId)
{
    m_nsp->setCurrentText(nsp);
    ComposerMessage::Target target = ComposerMessage::Target::Namespace;
    if (!socketId.isEmpty()) {
        target = ComposerMessage::Target::Socket;
        m_socket->setText(socketId);
    } else if (!room.isEmpty()) {
        target = ComposerMessage::Target::Room;
        m_room->setText(room);
    }
    m_targetKind->setCurrentIndex(m_targetKind->findData(int(target)));
    updateTargetFields();
}

ComposerMessage EmitComposer::message() const
{
    ComposerMessage m;
    m.target = ComposerMessage::Target(m_targetKind->currentData().toInt());
    m.nsp = m_nsp->currentText().trimmed();
    m.room = m_room->text().trimmed();
    m.socketId = m_socket->text().trimmed();
    const QStringList except = m_except->text().split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString &room : except) {
        if (!room.trimmed().isEmpty())
            m.except.append(room.trimmed());
    }
    m.event = m_event->text().trimmed();
    for (const ArgumentEditor *arg : m_args)
        m.args.append({ arg->kind(), arg->text() });
    m.ack = m_ack->isChecked();
    m.timeoutMs = m_timeout->value();
    if (m.target == ComposerMessage::Target::Client)
        m.client = m_client->currentText();
    return m;
}

void EmitComposer::loadMessage(const ComposerMessage &message)
{
    m_targetKind->setCurrentIndex(qMax(0, m_targetKind->findData(int(message.target))));
    if (message.target == ComposerMessage::Target::Client)
        m_client->setCurrentIndex(m_client->findText(message.client));
    m_nsp->setCurrentText(message.nsp);
    m_room->setText(message.room);
    m_socket->setText(message.socketId);
    m_except->setText(message.except.join(QStringLiteral(", ")));
    m_event->setText(message.event);
    clearArguments();
    for (const auto &[kind, text] : message.args)
        addArgument(kind, text);
    m_ack->setChecked(message.ack);
    m_timeout->setValue(message.timeoutMs);
    updateTargetFields();
}

void EmitComposer::loadFromRow(const TrafficRow &row)
{
    ComposerMessage m = message();
    m.nsp = row.nsp.isEmpty() ? QStringLiteral("/") : row.nsp;
    if (!row.socketId.isEmpty()) {
        m.target = ComposerMessage::Target::Socket;
        m.socketId = row.socketId;
    }
    if (row.clientSide && m_clients && m_clients->find(row.source)) {
        // A client connection's packet: emit it again as that client.
        m.target = ComposerMessage::Target::Client;
        m.client = row.source;
    }
    m.event = row.event;
    m.args.clear();
    const QJsonArray args = row.arguments();
    for (const QJsonValue &arg : args) {
        const QVariant value = JsonView::toVariant(arg, row.attachments);
        if (value.typeId() == QMetaType::QByteArray)
            m.args.append({ ArgumentEditor::Kind::Hex, QString::fromLatin1(value.toByteArray().toHex(' ')) });
        else
            m.args.append({ ArgumentEditor::Kind::Json, compactJson(arg) });
    }
    m.ack = row.ackId >= 0;
    loadMessage(m);
}

QTreeWidgetItem *EmitComposer::addResult(const QString &text)
{
    auto *item = new QTreeWidgetItem;
    item->setData(0, Qt::UserRole, ++m_resultId);
    item->setText(0, QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss.zzz")));
    item->setText(1, text);
    m_results->insertTopLevelItem(0, item);
    while (m_results->topLevelItemCount() > 30)
        delete m_results->takeTopLevelItem(m_results->topLevelItemCount() - 1);
    m_results->setCurrentItem(item);
    return item;
}

QTreeWidgetItem *EmitComposer::resultItem(int id) const
{
    for (int i = 0; i < m_results->topLevelItemCount(); ++i) {
        if (m_results->topLevelItem(i)->data(0, Qt::UserRole).toInt() == id)
            return m_results->topLevelItem(i);
    }
    return nullptr;
}

void EmitComposer::showReplies(QTreeWidgetItem *item, AckStatus status, const QList<QVariantList> &replies,
                               qint64 elapsedMs)
{
    switch (status) {
    case AckStatus::Received:
        item->setText(2, tr("acknowledged in %1 ms").arg(elapsedMs));
        break;
    case AckStatus::TimedOut:
        item->setText(2, tr("timed out after %1 ms").arg(elapsedMs));
        break;
    case AckStatus::Disconnected:
        item->setText(2, tr("disconnected before the ack"));
        break;
    case AckStatus::Refused: // ServerOptions::maxPendingAcks
        item->setText(2, tr("not sent: too many acks pending"));
        break;
    }
    for (qsizetype r = 0; r < replies.size(); ++r) {
        auto *reply = new QTreeWidgetItem(item);
        reply->setText(0, replies.size() == 1 ? tr("reply") : tr("reply %1").arg(r + 1));
        reply->setText(1, tr("%n argument(s)", nullptr, int(replies.at(r).size())));
        for (qsizetype i = 0; i < replies.at(r).size(); ++i) {
            QList<QByteArray> attachments;
            const QJsonValue json = JsonView::fromVariant(replies.at(r).at(i), &attachments);
            auto *arg = new QTreeWidgetItem(reply);
            arg->setText(0, tr("argument %1").arg(i + 1));
            arg->setText(1, summarizeJson(json, 120));
            arg->setText(2, JsonView::typeName(json));
            JsonView::addChildren(arg, json, attachments);
        }
        reply->setExpanded(true);
    }
    item->setExpanded(true);
    Q_EMIT ackFinished(status, replies);
}

bool EmitComposer::send()
{
    m_lastError.clear();
    m_error->clear();
    auto fail = [this](const QString &error) {
        m_lastError = error;
        m_error->setText(error);
        return false;
    };
    if (!canSend())
        return fail(tr("Fill in the event and the target, and fix the arguments marked in red."));
    const ComposerMessage m = message();
    QVariantList args;
    for (const ArgumentEditor *arg : std::as_const(m_args)) {
        const QVariant value = arg->value();
        if (arg->kind() == ArgumentEditor::Kind::File && !value.isValid())
            return fail(tr("Cannot read %1.").arg(arg->text()));
        args.append(value);
    }
    if (m.target == ComposerMessage::Target::Client)
        return sendAsClient(m, args);
    if (m_remoteSender) {
        QString error;
        if (!m_remoteSender(m, args, &error))
            return fail(error);
        addResult(m.title())->setText(2, tr("sent"));
        addToHistory(m);
        Q_EMIT sent(m.title());
        return true;
    }
    Namespace *nsp = m_monitor->findNamespace(m.nsp);
    if (!nsp)
        return fail(tr("There is no namespace %1.").arg(m.nsp));

    QTreeWidgetItem *item = nullptr;
    QElapsedTimer clock;
    clock.start();
    if (m.target == ComposerMessage::Target::Socket) {
        Socket *socket = nsp->socket(m.socketId);
        if (!socket)
            return fail(tr("Socket %1 is not connected to %2.").arg(m.socketId, m.nsp));
        item = addResult(tr("%1 to socket %2").arg(m.event, m.socketId));
        const int id = item->data(0, Qt::UserRole).toInt();
        if (m.ack) {
            EmitOptions options;
            options.ackTimeout = std::chrono::milliseconds(m.timeoutMs);
            item->setText(2, tr("waiting for the ack\u2026"));
            socket->emitEvent(
                m.event, args, this,
                [this, id, clock](AckStatus status, const QVariantList &reply) {
                    if (QTreeWidgetItem *result = resultItem(id)) {
                        showReplies(result, status,
                                    status == AckStatus::Received ? QList<QVariantList>{ reply }
                                                                  : QList<QVariantList>{},
                                    clock.elapsed());
                    }
                },
                options);
        } else {
            socket->emitEvent(m.event, args);
            item->setText(2, tr("sent"));
        }
    } else {
        Broadcast broadcast = m.target == ComposerMessage::Target::Room ? nsp->to(m.room) : nsp->all();
        if (!m.except.isEmpty())
            broadcast = broadcast.except(m.except);
        const int recipients = int(broadcast.fetchSockets().size());
        const QString to = m.target == ComposerMessage::Target::Room ? tr("room %1").arg(m.room) : m.nsp;
        item = addResult(tr("%1 to %2 (%n socket(s))", nullptr, recipients).arg(m.event, to));
        const int id = item->data(0, Qt::UserRole).toInt();
        if (m.ack) {
            item->setText(2, tr("waiting for %n ack(s)\u2026", nullptr, recipients));
            broadcast.timeout(std::chrono::milliseconds(m.timeoutMs))
                .emitEvent(m.event, args, this,
                           [this, id, clock](AckStatus status, const QList<QVariantList> &replies) {
                               // The result row may have been dropped meanwhile.
                               if (QTreeWidgetItem *result = resultItem(id))
                                   showReplies(result, status, replies, clock.elapsed());
                           });
        } else {
            broadcast.emitEvent(m.event, args);
            item->setText(2, tr("sent"));
        }
    }
    addToHistory(m);
    Q_EMIT sent(m.title());
    return true;
}

void EmitComposer::addToHistory(const ComposerMessage &message)
{
    const QVariantMap value = message.toVariant();
    // The same message again moves to the top.
    for (int i = 0; i < m_history->count(); ++i) {
        if (m_history->item(i)->data(Qt::UserRole).toMap() == value) {
            delete m_history->takeItem(i);
            break;
        }
    }
    auto *item = new QListWidgetItem(message.title());
    item->setData(Qt::UserRole, value);
    m_history->insertItem(0, item);
    while (m_history->count() > maxHistory)
        delete m_history->takeItem(m_history->count() - 1);
    saveSettings();
}

void EmitComposer::loadSettings()
{
    QSettings settings;
    const QVariantList history = settings.value(QStringLiteral("composer/history")).toList();
    for (const QVariant &value : history) {
        const ComposerMessage m = ComposerMessage::fromVariant(value.toMap());
        auto *item = new QListWidgetItem(m.title());
        item->setData(Qt::UserRole, value);
        m_history->addItem(item);
    }
    const QVariantList saved = settings.value(QStringLiteral("composer/saved")).toList();
    for (const QVariant &value : saved) {
        const QVariantMap map = value.toMap();
        const QString name = map.value(QStringLiteral("name")).toString();
        const ComposerMessage m = ComposerMessage::fromVariant(map.value(QStringLiteral("message")).toMap());
        auto *item = new QListWidgetItem(name + QStringLiteral(": ") + m.title());
        item->setData(Qt::UserRole, m.toVariant());
        item->setData(Qt::UserRole + 1, name);
        m_saved->addItem(item);
    }
}

void EmitComposer::saveMessage(const QString &name)
{
    const ComposerMessage current = message();
    auto *item = new QListWidgetItem(name + QStringLiteral(": ") + current.title());
    item->setData(Qt::UserRole, current.toVariant());
    item->setData(Qt::UserRole + 1, name);
    m_saved->addItem(item);
    saveSettings();
}

void EmitComposer::saveSettings() const
{
    QSettings settings;
    QVariantList history;
    for (int i = 0; i < m_history->count(); ++i)
        history.append(m_history->item(i)->data(Qt::UserRole));
    settings.setValue(QStringLiteral("composer/history"), history);
    QVariantList saved;
    for (int i = 0; i < m_saved->count(); ++i) {
        saved.append(QVariantMap{ { QStringLiteral("name"), m_saved->item(i)->data(Qt::UserRole + 1) },
                                  { QStringLiteral("message"), m_saved->item(i)->data(Qt::UserRole) } });
    }
    settings.setValue(QStringLiteral("composer/saved"), saved);
}

} // namespace Inspector
