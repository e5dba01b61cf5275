// SPDX-License-Identifier: MIT
#include "emitcomposer.h"

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

constexpr qint64 maxFileBytes = 16 * 1024 * 1024;
constexpr int maxHistory = 50;

QString compactJson(const QJsonValue &value)
{
    const QByteArray wrapped = QJsonDocument(QJsonArray{ value }).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(wrapped.mid(1, wrapped.size() - 2));
}

} // namespace

// --- ArgumentEditor --------------------------------------------------------------------------

ArgumentEditor::ArgumentEditor(QWidget *parent)
    : QWidget(parent)
    , m_kind(new QComboBox(this))
    , m_edit(new QPlainTextEdit(this))
    , m_browse(new QPushButton(tr("Browse\u2026"), this))
    , m_status(new QLabel(this))
{
    m_kind->addItem(tr("JSON"), int(Kind::Json));
    m_kind->addItem(tr("Binary (hex)"), int(Kind::Hex));
    m_kind->addItem(tr("Binary (base64)"), int(Kind::Base64));
    m_kind->addItem(tr("Binary (file)"), int(Kind::File));
    m_edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_edit->setTabChangesFocus(true);
    m_edit->setFixedHeight(m_edit->fontMetrics().lineSpacing() * 3 + 12);
    m_edit->setPlaceholderText(tr("any JSON value: \"text\", 42, {\"key\": [1, 2]}"));
    auto *remove = new QToolButton(this);
    remove->setText(QStringLiteral("\u2715"));
    remove->setToolTip(tr("Remove this argument"));
    m_status->setWordWrap(true);

    auto *top = new QHBoxLayout;
    top->setContentsMargins(0, 0, 0, 0);
    top->addWidget(m_kind);
    top->addStretch();
    top->addWidget(m_browse);
    top->addWidget(remove);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 4);
    layout->setSpacing(2);
    layout->addLayout(top);
    layout->addWidget(m_edit);
    layout->addWidget(m_status);

    connect(m_kind, &QComboBox::currentIndexChanged, this, [this] {
        m_browse->setVisible(kind() == Kind::File);
        switch (kind()) {
        case Kind::Json:
            m_edit->setPlaceholderText(tr("any JSON value: \"text\", 42, {\"key\": [1, 2]}"));
            break;
        case Kind::Hex:
            m_edit->setPlaceholderText(tr("hex bytes, e.g. de ad be ef"));
            break;
        case Kind::Base64:
            m_edit->setPlaceholderText(tr("base64, e.g. 3q2+7w=="));
            break;
        case Kind::File:
            m_edit->setPlaceholderText(tr("path of a file to send as binary"));
            break;
        }
        validate();
    });
    connect(m_edit, &QPlainTextEdit::textChanged, this, &ArgumentEditor::validate);
    connect(remove, &QToolButton::clicked, this, &ArgumentEditor::removeRequested);
    connect(m_browse, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("Binary argument"));
        if (!file.isEmpty())
            setText(file);
    });
    m_browse->setVisible(false);
    validate();
}

ArgumentEditor::Kind ArgumentEditor::kind() const
{
    return Kind(m_kind->currentData().toInt());
}

void ArgumentEditor::setKind(Kind kind)
{
    m_kind->setCurrentIndex(m_kind->findData(int(kind)));
}

QString ArgumentEditor::text() const
{
    return m_edit->toPlainText();
}

void ArgumentEditor::setText(const QString &text)
{
    m_edit->setPlainText(text);
}

QString ArgumentEditor::status() const
{
    return m_status->text();
}

QVariant ArgumentEditor::value() const
{
    if (kind() == Kind::File) {
        // Read at send time: the file may have changed since it was chosen.
        QFile file(text().trimmed());
        if (file.open(QIODevice::ReadOnly))
            return file.read(maxFileBytes);
        return {};
    }
    return m_value;
}

void ArgumentEditor::validate()
{
    const QString input = text();
    m_error.clear();
    m_value = QVariant();
    QString ok;
    switch (kind()) {
    case Kind::Json: {
        if (input.trimmed().isEmpty()) {
            m_error = tr("Empty: write a JSON value (\"\" for an empty string, null for null).");
            break;
        }
        QJsonParseError error{};
        // Wrapped in an array so that strings, numbers, true, false and null parse as well.
        const QByteArray wrapped = QByteArrayLiteral("[\n") + input.toUtf8() + QByteArrayLiteral("\n]");
        const QJsonDocument doc = QJsonDocument::fromJson(wrapped, &error);
        if (error.error != QJsonParseError::NoError) {
            const int offset = qMax(0, error.offset - 2);
            m_error = tr("Invalid JSON at character %1: %2").arg(offset + 1).arg(error.errorString());
        } else if (doc.array().size() != 1) {
            m_error = tr("One value per argument: use another argument or an array.");
        } else {
            const QJsonValue value = doc.array().first();
            // Read again the way the library reads arguments: objects keep their members'
            // order (QJsonDocument sorts them), so the event goes out as it was written.
            bool valid = false;
            m_value = SocketIo::parseJsonArgument(input.toUtf8(), &valid);
            if (valid)
                ok = tr("Valid JSON (%1)").arg(JsonView::typeName(value));
            else
                m_error = tr("Invalid JSON (as JSON.parse reads it).");
        }
        break;
    }
    case Kind::Hex: {
        QString digits = input;
        digits.remove(QRegularExpression(QStringLiteral("\\s|0x|,")));
        static const QRegularExpression hex(QStringLiteral("^[0-9A-Fa-f]*$"));
        if (!hex.match(digits).hasMatch())
            m_error = tr("Not hexadecimal: only 0-9, a-f and spaces.");
        else if (digits.size() % 2)
            m_error = tr("An odd number of hex digits.");
        else {
            m_value = QByteArray::fromHex(digits.toLatin1());
            ok = tr("%n byte(s)", nullptr, int(m_value.toByteArray().size()));
        }
        break;
    }
    case Kind::Base64: {
        const auto decoded = QByteArray::fromBase64Encoding(input.trimmed().toLatin1(),
                                                            QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded) {
            m_error = tr("Not valid base64.");
        } else {
            m_value = *decoded;
            ok = tr("%n byte(s)", nullptr, int(decoded.decoded.size()));
        }
        break;
    }
    case Kind::File: {
        const QFileInfo info(input.trimmed());
        if (input.trimmed().isEmpty())
            m_error = tr("Choose a file.");
        else if (!info.isFile() || !info.isReadable())
            m_error = tr("Cannot read %1.").arg(input.trimmed());
        else if (info.size() > maxFileBytes)
            m_error = tr("Too large: at most %1.").arg(formatBytes(maxFileBytes));
        else
            ok = tr("%1, read when sending").arg(formatBytes(info.size()));
        break;
    }
    }
    if (m_error.isEmpty()) {
        m_status->setText(ok);
        m_status->setStyleSheet(QStringLiteral("color: #2e7d32;"));
        m_edit->setStyleSheet(QString());
    } else {
        m_status->setText(m_error);
        m_status->setStyleSheet(QStringLiteral("color: #c0392b;"));
        m_edit->setStyleSheet(QStringLiteral("QPlainTextEdit { border: 1px solid #c0392b; }"));
    }
    Q_EMIT changed();
}

// --- ComposerMessage -------------------------------------------------------------------------

QVariantMap ComposerMessage::toVariant() const
{
    QVariantList list;
    for (const auto &[kind, text] : args)
        list.append(QVariantMap{ { QStringLiteral("kind"), int(kind) }, { QStringLiteral("text"), text } });
    return {
        { QStringLiteral("target"), int(target) }, { QStringLiteral("nsp"), nsp },
        { QStringLiteral("room"), room },          { QStringLiteral("socket"), socketId },
        { QStringLiteral("except"), except },      { QStringLiteral("event"), event },
        { QStringLiteral("args"), list },          { QStringLiteral("ack"), ack },
        { QStringLiteral("timeout"), timeoutMs },
    };
}

ComposerMessage ComposerMessage::fromVariant(const QVariantMap &map)
{
    ComposerMessage m;
    m.target = Target(map.value(QStringLiteral("target")).toInt());
    m.nsp = map.value(QStringLiteral("nsp"), QStringLiteral("/")).toString();
    m.room = map.value(QStringLiteral("room")).toString();
    m.socketId = map.value(QStringLiteral("socket")).toString();
    m.except = map.value(QStringLiteral("except")).toStringList();
    m.event = map.value(QStringLiteral("event")).toString();
    const QVariantList list = map.value(QStringLiteral("args")).toList();
    for (const QVariant &arg : list) {
        const QVariantMap a = arg.toMap();
        m.args.append({ ArgumentEditor::Kind(a.value(QStringLiteral("kind")).toInt()),
                        a.value(QStringLiteral("text")).toString() });
    }
    m.ack = map.value(QStringLiteral("ack")).toBool();
    m.timeoutMs = map.value(QStringLiteral("timeout"), 5000).toInt();
    return m;
}

QString ComposerMessage::title() const
{
    QString to;
    switch (target) {
    case Target::Namespace:
        to = nsp;
        break;
    case Target::Room:
        to = EmitComposer::tr("%1 room %2").arg(nsp, room);
        break;
    case Target::Socket:
        to = EmitComposer::tr("%1 socket %2").arg(nsp, socketId);
        break;
    }
    QStringList parts;
    for (const auto &arg : args)
        parts.append(arg.first == ArgumentEditor::Kind::Json ? arg.second.simplified()
                                                             : EmitComposer::tr("<binary>"));
    QString text = QStringLiteral("%1 \u2192 %2 (%3)").arg(event, to, parts.join(QStringLiteral(", ")));
    if (text.size() > 160)
        text = text.left(159) + QChar(0x2026);
    return text;
}

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
    const QStringList names = m_monitor->tree()->namespaces();
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
    updateSendButton();
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
    return m;
}

void EmitComposer::loadMessage(const ComposerMessage &message)
{
    m_targetKind->setCurrentIndex(m_targetKind->findData(int(message.target)));
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
