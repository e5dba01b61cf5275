// SPDX-License-Identifier: MIT
#include "clientspanel.h"

#include "icons.h"
#include "jsonview.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

using namespace SocketIo;

namespace Inspector {

namespace {

QString argsSummary(const QVariantList &args, int maxChars = 160)
{
    QList<QByteArray> attachments;
    const QJsonValue json = JsonView::fromVariant(QVariant(args), &attachments);
    return summarizeArguments(json.toArray(), maxChars);
}

void addArguments(QTreeWidgetItem *parent, const QVariantList &args)
{
    for (qsizetype i = 0; i < args.size(); ++i) {
        QList<QByteArray> attachments;
        const QJsonValue json = JsonView::fromVariant(args.at(i), &attachments);
        auto *item = new QTreeWidgetItem(parent);
        item->setText(0, ClientsPanel::tr("argument %1").arg(i + 1));
        item->setText(1, summarizeJson(json, 120));
        item->setText(2, JsonView::typeName(json));
        JsonView::addChildren(item, json, attachments);
    }
}

QColor stateColor(ClientConnection::State state)
{
    switch (state) {
    case ClientConnection::State::Connected:
        return QColor(0x27, 0xae, 0x60);
    case ClientConnection::State::Connecting:
    case ClientConnection::State::Reconnecting:
        return QColor(0xd3, 0x8b, 0x00);
    case ClientConnection::State::Disconnected:
        break;
    }
    return QColor(0xc0, 0x39, 0x2b);
}

} // namespace

// --- ClientConnectionDialog --------------------------------------------------------------------

ClientConnectionDialog::ClientConnectionDialog(QWidget *parent)
    : QDialog(parent)
    , m_saved(new QComboBox(this))
    , m_name(new QLineEdit(this))
    , m_url(new QLineEdit(this))
    , m_path(new QLineEdit(this))
    , m_namespaces(new QLineEdit(this))
    , m_auth(new QPlainTextEdit(this))
    , m_headers(new QPlainTextEdit(this))
    , m_query(new QLineEdit(this))
    , m_transports(new QComboBox(this))
    , m_eio3(new QCheckBox(tr("Engine.IO v3 (socket.io 2.x servers)"), this))
    , m_ca(new QLineEdit(this))
    , m_reconnection(new QCheckBox(tr("Reconnect, attempts (0: unlimited):"), this))
    , m_attempts(new QSpinBox(this))
    , m_save(new QCheckBox(tr("Save this connection"), this))
    , m_error(new QLabel(this))
{
    setWindowTitle(tr("New client connection"));
    m_url->setPlaceholderText(QStringLiteral("http://localhost:3000"));
    m_name->setPlaceholderText(tr("client N"));
    m_path->setText(QStringLiteral("/socket.io/"));
    m_namespaces->setText(QStringLiteral("/"));
    m_namespaces->setPlaceholderText(tr("/, /chat, /admin"));
    m_auth->setPlaceholderText(tr("{\"token\": \"...\"} (sent with every namespace)"));
    m_headers->setPlaceholderText(tr("Authorization: Bearer ...\nX-Name: value"));
    m_query->setPlaceholderText(tr("a=1&b=2"));
    for (QPlainTextEdit *edit : { m_auth, m_headers }) {
        edit->setTabChangesFocus(true);
        edit->setMaximumHeight(edit->fontMetrics().height() * 4 + 12);
    }
    m_transports->addItem(tr("polling, then upgrade to WebSocket"), QStringLiteral("polling,websocket"));
    m_transports->addItem(tr("polling only"), QStringLiteral("polling"));
    m_transports->addItem(tr("WebSocket only"), QStringLiteral("websocket"));
    m_attempts->setRange(0, 1000);
    m_reconnection->setChecked(true);
    m_error->setStyleSheet(QStringLiteral("color: #c0392b;"));
    m_error->setWordWrap(true);
    auto *browse = new QToolButton(this);
    browse->setText(QStringLiteral("\u2026"));
    connect(browse, &QToolButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("CA certificates"), QString(),
                                                          tr("PEM files (*.pem *.crt);;All files (*)"));
        if (!file.isEmpty())
            m_ca->setText(file);
    });

    auto *savedRow = new QHBoxLayout;
    savedRow->addWidget(m_saved, 1);
    auto *deleteSaved = new QPushButton(tr("Delete"), this);
    savedRow->addWidget(deleteSaved);
    auto *caRow = new QHBoxLayout;
    caRow->addWidget(m_ca, 1);
    caRow->addWidget(browse);
    auto *reconnectRow = new QHBoxLayout;
    reconnectRow->addWidget(m_reconnection);
    reconnectRow->addWidget(m_attempts);
    reconnectRow->addStretch();

    auto *form = new QFormLayout;
    form->addRow(tr("Saved:"), savedRow);
    form->addRow(tr("URL:"), m_url);
    form->addRow(tr("Namespaces:"), m_namespaces);
    form->addRow(tr("Auth (JSON):"), m_auth);
    form->addRow(tr("Headers:"), m_headers);
    form->addRow(tr("Query:"), m_query);
    form->addRow(tr("Path:"), m_path);
    form->addRow(tr("Transports:"), m_transports);
    form->addRow(QString(), m_eio3);
    form->addRow(tr("CA file:"), caRow);
    form->addRow(QString(), reconnectRow);
    form->addRow(tr("Name:"), m_name);
    form->addRow(QString(), m_save);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Connect"));
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &ClientConnectionDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_saved, &QComboBox::activated, this, [this](int index) {
        if (index <= 0)
            return;
        const QString name = m_saved->itemData(index).toString();
        const QList<ClientConnectionOptions> saved = ClientConnectionList::savedConnections();
        for (const ClientConnectionOptions &o : saved) {
            if (o.name == name)
                setOptions(o);
        }
    });
    connect(deleteSaved, &QPushButton::clicked, this, [this] {
        if (m_saved->currentIndex() <= 0)
            return;
        ClientConnectionList::removeSavedConnection(m_saved->currentData().toString());
        reloadSaved();
    });
    reloadSaved();
    resize(560, sizeHint().height());
}

void ClientConnectionDialog::reloadSaved()
{
    m_saved->clear();
    const QList<ClientConnectionOptions> saved = ClientConnectionList::savedConnections();
    m_saved->addItem(saved.isEmpty() ? tr("(no saved connections)") : tr("(choose a saved connection)"));
    for (const ClientConnectionOptions &o : saved)
        m_saved->addItem(QStringLiteral("%1 \u2014 %2").arg(o.name, o.url.toString()), o.name);
}

ClientConnectionOptions ClientConnectionDialog::options() const
{
    ClientConnectionOptions o;
    o.name = m_name->text().trimmed();
    const QUrl url = QUrl::fromUserInput(m_url->text().trimmed());
    o.url = ClientConnectionOptions::originOf(url);
    o.path = m_path->text().trimmed();
    const QString auth = m_auth->toPlainText().trimmed();
    QStringList nsps;
    const QStringList parts = m_namespaces->text().split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString &part : parts)
        nsps.append(part.trimmed());
    // A path in the URL is a namespace too (http://host:3000/chat).
    if (url.path().size() > 1)
        nsps.prepend(ClientConnectionOptions::namespaceOfUrl(url));
    if (nsps.isEmpty())
        nsps.append(QStringLiteral("/"));
    for (const QString &nsp : std::as_const(nsps)) {
        bool known = false;
        for (const ClientNamespaceOptions &n : std::as_const(o.namespaces))
            known = known || n.nsp == nsp;
        if (!known)
            o.namespaces.append({ nsp.startsWith(QLatin1Char('/')) ? nsp : QLatin1Char('/') + nsp, auth });
    }
    const QStringList headerLines = m_headers->toPlainText().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    for (const QString &line : headerLines) {
        QPair<QByteArray, QByteArray> header;
        if (ClientConnectionOptions::parseHeader(line, &header))
            o.headers.append(header);
    }
    o.query = m_query->text().trimmed();
    if (o.query.isEmpty() && url.hasQuery())
        o.query = url.query(QUrl::FullyEncoded);
    o.transports = ClientConnectionOptions::parseTransports(m_transports->currentData().toString())
                       .value_or(o.transports);
    o.eio3 = m_eio3->isChecked();
    o.caFile = m_ca->text().trimmed();
    o.reconnection = m_reconnection->isChecked();
    o.reconnectionAttempts = m_attempts->value() == 0 ? -1 : m_attempts->value();
    return o;
}

void ClientConnectionDialog::setOptions(const ClientConnectionOptions &o)
{
    m_name->setText(o.name);
    m_url->setText(o.url.toString());
    m_path->setText(o.path);
    QStringList nsps;
    QString auth;
    for (const ClientNamespaceOptions &n : o.namespaces) {
        nsps.append(n.nsp);
        if (auth.isEmpty())
            auth = n.auth;
    }
    m_namespaces->setText(nsps.join(QStringLiteral(", ")));
    m_auth->setPlainText(auth);
    QStringList headerLines;
    for (const auto &[name, value] : o.headers)
        headerLines.append(QString::fromUtf8(name + ": " + value));
    m_headers->setPlainText(headerLines.join(QLatin1Char('\n')));
    m_query->setText(o.query);
    m_transports->setCurrentIndex(
        qMax(0, m_transports->findData(ClientConnectionOptions::transportsText(o.transports))));
    m_eio3->setChecked(o.eio3);
    m_ca->setText(o.caFile);
    m_reconnection->setChecked(o.reconnection);
    m_attempts->setValue(qMax(0, o.reconnectionAttempts));
}

bool ClientConnectionDialog::saveRequested() const
{
    return m_save->isChecked();
}

void ClientConnectionDialog::accept()
{
    const QStringList headerLines = m_headers->toPlainText().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    for (const QString &line : headerLines) {
        QPair<QByteArray, QByteArray> header;
        if (!line.trimmed().isEmpty() && !ClientConnectionOptions::parseHeader(line, &header)) {
            m_error->setText(tr("The header \"%1\" is not \"Name: value\".").arg(line));
            return;
        }
    }
    const QString problem = options().validate();
    if (!problem.isEmpty()) {
        m_error->setText(problem);
        return;
    }
    m_error->clear();
    QDialog::accept();
}

// --- ClientsPanel ------------------------------------------------------------------------------

ClientsPanel::ClientsPanel(ClientConnectionList *connections, QWidget *parent)
    : QWidget(parent)
    , m_connections(connections)
    , m_tree(new QTreeWidget(this))
    , m_root(new QTreeWidgetItem)
    , m_new(new QPushButton(tr("New\u2026"), this))
    , m_connectNsp(new QPushButton(tr("Namespace\u2026"), this))
    , m_reconnect(new QPushButton(tr("Reconnect"), this))
    , m_disconnect(new QPushButton(tr("Disconnect"), this))
    , m_remove(new QPushButton(tr("Remove"), this))
    , m_save(new QPushButton(tr("Save"), this))
    , m_tabs(new QTabWidget(this))
    , m_overview(new QLabel(this))
    , m_pinned(new QTreeWidget(this))
    , m_pinEdit(new QLineEdit(this))
    , m_events(new QTreeWidget(this))
    , m_onlyPinned(new QCheckBox(tr("Only pinned events"), this))
    , m_replies(new QTreeWidget(this))
    , m_replyEvent(new QLineEdit(this))
    , m_replyJson(new QLineEdit(this))
    , m_newAction(new QAction(tr("New &client connection\u2026"), this))
    , m_savedMenu(new QMenu(tr("Sa&ved client connections"), this))
{
    m_newAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N));
    m_newAction->setToolTip(tr("Connect to a Socket.IO server as a client"));
    connect(m_newAction, &QAction::triggered, this, &ClientsPanel::newConnection);
    connect(m_savedMenu, &QMenu::aboutToShow, this, &ClientsPanel::fillSavedMenu);
    fillSavedMenu();
    m_new->setToolTip(m_newAction->toolTip());
    m_connectNsp->setToolTip(tr("Connect another namespace on the selected connection"));
    m_save->setToolTip(tr("Keep the selected connection among the saved connections"));

    m_tree->setColumnCount(2);
    m_tree->setHeaderLabels({ tr("Client"), tr("State") });
    m_tree->setContextMenuPolicy(Qt::CustomContextMenu);
    m_tree->setUniformRowHeights(true);
    m_tree->header()->setStretchLastSection(true);
    m_tree->setColumnWidth(0, 190);
    m_root->setText(0, tr("Clients"));
    m_root->setData(0, KindRole, RootItem);
    m_tree->addTopLevelItem(m_root);
    m_root->setExpanded(true);

    m_record = new QPushButton(tr("Record\u2026"), this);
    m_record->setObjectName(QStringLiteral("recordButton"));
    m_record->setCheckable(true);
    m_record->setToolTip(tr("Record the selected connection's session to a file, to replay it later "
                            "against a server (Tools \u2192 Replay recording\u2026)"));
    auto *buttons = new QHBoxLayout;
    buttons->setSpacing(2);
    for (QPushButton *b : { m_new, m_connectNsp, m_reconnect, m_disconnect, m_remove, m_save, m_record })
        buttons->addWidget(b);
    buttons->addStretch();

    // Details: overview, pinned listeners, events, ack replies
    m_overview->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_overview->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_overview->setWordWrap(true);
    m_overview->setContentsMargins(6, 6, 6, 6);
    m_tabs->addTab(m_overview, tr("Overview"));

    JsonView::setupTree(m_pinned);
    m_pinned->setHeaderLabels({ tr("Event"), tr("Latest arguments"), tr("Received") });
    m_pinned->setColumnWidth(0, 120);
    m_pinned->setColumnWidth(1, 200);
    m_pinEdit->setPlaceholderText(tr("event name to listen to"));
    auto *pinButton = new QPushButton(tr("Pin"), this);
    auto *unpinButton = new QPushButton(tr("Unpin"), this);
    auto *pinnedPage = new QWidget(this);
    auto *pinnedLayout = new QVBoxLayout(pinnedPage);
    pinnedLayout->setContentsMargins(0, 0, 0, 0);
    auto *pinRow = new QHBoxLayout;
    pinRow->addWidget(m_pinEdit, 1);
    pinRow->addWidget(pinButton);
    pinRow->addWidget(unpinButton);
    pinnedLayout->addLayout(pinRow);
    pinnedLayout->addWidget(m_pinned, 1);
    m_tabs->addTab(pinnedPage, tr("Pinned"));

    m_events->setColumnCount(4);
    m_events->setHeaderLabels({ tr("Time"), tr("Event"), tr("Namespace"), tr("Arguments") });
    m_events->setRootIsDecorated(true);
    m_events->setColumnWidth(0,
                             m_events->fontMetrics().horizontalAdvance(QStringLiteral("00:00:00.000")) + 40);
    m_events->setColumnWidth(1, 140);
    m_events->setUniformRowHeights(true);
    auto *eventsPage = new QWidget(this);
    auto *eventsLayout = new QVBoxLayout(eventsPage);
    eventsLayout->setContentsMargins(0, 0, 0, 0);
    auto *eventsRow = new QHBoxLayout;
    eventsRow->addWidget(m_onlyPinned);
    eventsRow->addStretch();
    auto *clearEvents = new QPushButton(tr("Clear"), this);
    eventsRow->addWidget(clearEvents);
    connect(clearEvents, &QPushButton::clicked, this, [this] {
        if (ClientConnection *c = currentConnection())
            c->clearEvents();
    });
    eventsLayout->addLayout(eventsRow);
    eventsLayout->addWidget(m_events, 1);
    m_tabs->addTab(eventsPage, tr("Events"));

    m_replies->setColumnCount(2);
    m_replies->setHeaderLabels({ tr("Event"), tr("Ack reply (JSON arguments)") });
    m_replies->setRootIsDecorated(false);
    m_replyEvent->setPlaceholderText(tr("event (* for any)"));
    m_replyJson->setPlaceholderText(tr("[\"ok\", {\"n\": 1}]"));
    auto *setReply = new QPushButton(tr("Set"), this);
    auto *removeReply = new QPushButton(tr("Remove"), this);
    auto *repliesPage = new QWidget(this);
    auto *repliesLayout = new QVBoxLayout(repliesPage);
    repliesLayout->setContentsMargins(0, 0, 0, 0);
    auto *hint = new QLabel(tr("When the server emits with an ack, this client answers at once: with the "
                               "reply set for the event, else with an empty ack."),
                            this);
    hint->setWordWrap(true);
    repliesLayout->addWidget(hint);
    auto *replyRow = new QHBoxLayout;
    replyRow->addWidget(m_replyEvent, 1);
    replyRow->addWidget(m_replyJson, 2);
    replyRow->addWidget(setReply);
    replyRow->addWidget(removeReply);
    repliesLayout->addLayout(replyRow);
    repliesLayout->addWidget(m_replies, 1);
    m_tabs->addTab(repliesPage, tr("Ack replies"));

    auto *top = new QWidget(this);
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->setSpacing(2);
    topLayout->addLayout(buttons);
    topLayout->addWidget(m_tree, 1);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(top);
    splitter->addWidget(m_tabs);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(splitter);

    connect(m_new, &QPushButton::clicked, this, &ClientsPanel::newConnection);
    connect(m_connectNsp, &QPushButton::clicked, this, &ClientsPanel::connectNamespaceDialog);
    connect(m_reconnect, &QPushButton::clicked, this, &ClientsPanel::reconnectCurrent);
    connect(m_disconnect, &QPushButton::clicked, this, &ClientsPanel::disconnectCurrent);
    connect(m_remove, &QPushButton::clicked, this, &ClientsPanel::removeCurrent);
    connect(m_save, &QPushButton::clicked, this, &ClientsPanel::saveCurrent);
    connect(m_record, &QPushButton::clicked, this, [this](bool checked) {
        ClientConnection *c = currentConnection();
        if (!c)
            return;
        if (!checked) {
            stopRecordingCurrent();
            return;
        }
        const QString file = QFileDialog::getSaveFileName(
            this, tr("Record %1 to").arg(c->name()),
            QStringLiteral("%1-%2.jsonl")
                .arg(c->name().replace(QLatin1Char(' '), QLatin1Char('-')),
                     QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"))),
            tr("Recordings (*.jsonl);;All files (*)"));
        if (file.isEmpty() || !recordCurrent(file))
            updateButtons();
    });
    connect(m_tree, &QTreeWidget::currentItemChanged, this, &ClientsPanel::onCurrentChanged);
    connect(m_tree, &QTreeWidget::customContextMenuRequested, this, &ClientsPanel::showContextMenu);
    connect(pinButton, &QPushButton::clicked, this, [this] {
        pinEvent(m_pinEdit->text().trimmed());
        m_pinEdit->clear();
    });
    connect(m_pinEdit, &QLineEdit::returnPressed, pinButton, &QPushButton::click);
    connect(unpinButton, &QPushButton::clicked, this, [this] {
        ClientConnection *c = currentConnection();
        QTreeWidgetItem *item = m_pinned->currentItem();
        while (item && item->parent())
            item = item->parent();
        if (c && item)
            c->unpinEvent(item->data(0, Qt::UserRole).toString());
    });
    connect(m_onlyPinned, &QCheckBox::toggled, this, [this](bool on) {
        if (ClientConnection *c = currentConnection())
            c->setOnlyPinned(on);
    });
    connect(setReply, &QPushButton::clicked, this, [this] {
        ClientConnection *c = currentConnection();
        const QString event = m_replyEvent->text().trimmed();
        if (!c || event.isEmpty())
            return;
        if (!c->setAckReply(event, m_replyJson->text()))
            QMessageBox::warning(this, tr("Ack reply"), tr("The reply is not valid JSON."));
    });
    connect(removeReply, &QPushButton::clicked, this, [this] {
        ClientConnection *c = currentConnection();
        if (c && m_replies->currentItem()) {
            c->setAckReply(m_replies->currentItem()->text(0), QString());
        }
    });
    connect(m_replies, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) {
        if (item) {
            m_replyEvent->setText(item->text(0));
            m_replyJson->setText(item->text(1));
        }
    });
    connect(m_connections, &ClientConnectionList::added, this, &ClientsPanel::onAdded);
    connect(m_connections, &ClientConnectionList::removed, this, &ClientsPanel::onRemoved);
    const QList<ClientConnection *> existing = m_connections->connections();
    for (ClientConnection *c : existing)
        onAdded(c);

    // "ping 4 s ago" ages without a signal.
    m_refresh.setInterval(1000);
    connect(&m_refresh, &QTimer::timeout, this, [this] {
        const QList<ClientConnection *> list = m_connections->connections();
        for (ClientConnection *c : list)
            updateConnection(c);
        if (ClientConnection *c = currentConnection())
            showOverview(c);
    });
    m_refresh.start();
    updateButtons();
    showDetails();
}

ClientConnection *ClientsPanel::addConnection(const ClientConnectionOptions &options)
{
    ClientConnection *c = m_connections->add(options);
    c->open();
    selectConnection(c->name());
    return c;
}

QTreeWidgetItem *ClientsPanel::connectionItem(const QString &name) const
{
    for (int i = 0; i < m_root->childCount(); ++i) {
        if (m_root->child(i)->data(0, NameRole).toString() == name)
            return m_root->child(i);
    }
    return nullptr;
}

QTreeWidgetItem *ClientsPanel::namespaceItem(const QString &name, const QString &nsp) const
{
    QTreeWidgetItem *parent = connectionItem(name);
    for (int i = 0; parent && i < parent->childCount(); ++i) {
        if (parent->child(i)->data(0, NamespaceRole).toString() == nsp)
            return parent->child(i);
    }
    return nullptr;
}

ClientConnection *ClientsPanel::currentConnection() const
{
    const QTreeWidgetItem *item = m_tree->currentItem();
    if (!item || item == m_root)
        return nullptr;
    return m_connections->find(item->data(0, NameRole).toString());
}

QString ClientsPanel::currentNamespace() const
{
    const QTreeWidgetItem *item = m_tree->currentItem();
    return item ? item->data(0, NamespaceRole).toString() : QString();
}

bool ClientsPanel::selectConnection(const QString &name, const QString &nsp)
{
    QTreeWidgetItem *item = nsp.isEmpty() ? connectionItem(name) : namespaceItem(name, nsp);
    if (!item)
        return false;
    m_tree->setCurrentItem(item);
    return true;
}

void ClientsPanel::onAdded(ClientConnection *connection)
{
    auto *item = new QTreeWidgetItem(m_root);
    item->setData(0, KindRole, ConnectionItem);
    item->setData(0, NameRole, connection->name());
    item->setIcon(0, Icons::icon(QStringLiteral("socket")));
    m_root->setExpanded(true);
    connect(connection, &ClientConnection::changed, this,
            [this, connection] { updateConnection(connection); });
    connect(connection, &ClientConnection::namespacesChanged, this,
            [this, connection] { updateConnection(connection); });
    connect(connection, &ClientConnection::pinnedChanged, this, [this, connection] {
        if (currentConnection() == connection)
            showPinned(connection);
    });
    connect(connection, &ClientConnection::ackRepliesChanged, this, [this, connection] {
        if (currentConnection() == connection)
            showReplies(connection);
    });
    connect(connection, &ClientConnection::eventsChanged, this, [this, connection] {
        if (currentConnection() == connection)
            showEvents(connection);
    });
    connect(connection, &ClientConnection::recordingChanged, this, [this, connection] {
        updateConnection(connection);
        updateButtons();
    });
    updateConnection(connection);
    item->setExpanded(true);
}

void ClientsPanel::onRemoved(ClientConnection *connection)
{
    connection->disconnect(this);
    delete connectionItem(connection->name());
    updateButtons();
    showDetails();
}

void ClientsPanel::updateConnection(ClientConnection *connection)
{
    QTreeWidgetItem *item = connectionItem(connection->name());
    if (!item)
        return;
    item->setText(0, connection->name());
    QStringList info{ connection->stateText() };
    if (connection->isRecording())
        info.prepend(tr("\u25cf recording"));
    if (connection->state() == ClientConnection::State::Connected)
        info.append(transportName(connection->transport()));
    const QString ping = connection->pingText();
    if (!ping.isEmpty())
        info.append(ping);
    item->setText(1, info.join(QStringLiteral(" \u00b7 ")));
    item->setForeground(1, stateColor(connection->state()));
    item->setToolTip(0, connection->options().url.toString() + connection->options().path);
    const QStringList nsps = connection->namespaces();
    for (const QString &nsp : nsps) {
        QTreeWidgetItem *child = namespaceItem(connection->name(), nsp);
        if (!child) {
            child = new QTreeWidgetItem(item);
            child->setData(0, KindRole, NamespaceItem);
            child->setData(0, NameRole, connection->name());
            child->setData(0, NamespaceRole, nsp);
            child->setIcon(0, Icons::icon(QStringLiteral("namespace")));
            item->setExpanded(true);
        }
        const ClientConnection::NamespaceInfo ns = connection->namespaceInfo(nsp);
        child->setText(0, nsp);
        QString text;
        if (ns.connected)
            text = ns.socketId;
        else if (!ns.lastError.isEmpty() && !ns.active)
            text = tr("refused: %1").arg(ns.lastError);
        else if (ns.active)
            text = tr("connecting");
        else
            text = ns.lastReason.isEmpty() ? tr("disconnected") : tr("disconnected (%1)").arg(ns.lastReason);
        child->setText(1, text);
        child->setForeground(1,
                             ns.connected ? stateColor(ClientConnection::State::Connected)
                                          : stateColor(ns.active ? ClientConnection::State::Connecting
                                                                 : ClientConnection::State::Disconnected));
    }
    if (currentConnection() == connection) {
        updateButtons();
        showOverview(connection);
    }
}

void ClientsPanel::onCurrentChanged()
{
    updateButtons();
    showDetails();
    ClientConnection *c = currentConnection();
    if (c)
        Q_EMIT sourceSelected(c->name(), currentNamespace());
    else
        Q_EMIT sourceCleared();
}

bool ClientsPanel::recordCurrent(const QString &fileName)
{
    ClientConnection *c = currentConnection();
    if (!c)
        return false;
    if (!c->startRecording(fileName)) {
        if (isVisible())
            QMessageBox::warning(this, tr("Record"),
                                 tr("Cannot record to %1: %2").arg(fileName, c->lastError()));
        updateButtons();
        return false;
    }
    return true;
}

void ClientsPanel::stopRecordingCurrent()
{
    if (ClientConnection *c = currentConnection())
        c->stopRecording();
}

void ClientsPanel::updateButtons()
{
    ClientConnection *c = currentConnection();
    for (QPushButton *b : { m_connectNsp, m_reconnect, m_disconnect, m_remove, m_save, m_record })
        b->setEnabled(c != nullptr);
    {
        const QSignalBlocker blocker(m_record);
        m_record->setChecked(c && c->isRecording());
        m_record->setText(c && c->isRecording() ? tr("Stop recording") : tr("Record\u2026"));
        m_record->setToolTip(c && c->isRecording()
                                 ? tr("Recording to %1").arg(c->recordingFile())
                                 : tr("Record the selected connection's session to a file, to "
                                      "replay it later against a server (Tools \u2192 Replay "
                                      "recording\u2026)"));
    }
    if (c)
        m_disconnect->setEnabled(c->state() != ClientConnection::State::Disconnected);
}

void ClientsPanel::showDetails()
{
    ClientConnection *c = currentConnection();
    if (!c) {
        m_overview->setText(m_connections->connections().isEmpty()
                                ? tr("No client connection. <b>New\u2026</b> (Ctrl+Shift+N) connects to a "
                                     "Socket.IO server as a client, like Postman or Firecamp; its packets "
                                     "appear in the traffic log.")
                                : tr("Select a client connection."));
        m_pinned->clear();
        m_events->clear();
        m_replies->clear();
        return;
    }
    {
        const QSignalBlocker blocker(m_onlyPinned);
        m_onlyPinned->setChecked(c->onlyPinned());
    }
    showOverview(c);
    showPinned(c);
    showEvents(c);
    showReplies(c);
}

void ClientsPanel::showOverview(ClientConnection *c)
{
    const ClientConnectionOptions o = c->options();
    auto row = [](const QString &key, const QString &value) {
        return QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>")
            .arg(key.toHtmlEscaped(), value.toHtmlEscaped());
    };
    QString html = QStringLiteral("<table cellspacing='2'>");
    html += row(tr("Name"), c->name());
    html += row(tr("URL"), o.url.toString() + o.path);
    html +=
        row(tr("Protocol"), o.eio3 ? tr("Engine.IO v3 (socket.io 2.x)") : tr("Engine.IO v4 (socket.io 3/4)"));
    html += row(tr("State"), c->stateText());
    if (c->state() == ClientConnection::State::Connected) {
        html += row(tr("Transport"), transportName(c->transport()));
        html += row(tr("Engine.IO sid"), c->engineId());
    }
    if (o.eio3) {
        html += row(tr("Ping RTT"),
                    c->roundTripMs() >= 0 ? tr("%1 ms (client ping \u2192 server pong)").arg(c->roundTripMs())
                                          : tr("not measured yet"));
    } else {
        html +=
            row(tr("Probe RTT"),
                c->probeRoundTripMs() >= 0 ? tr("%1 ms (WebSocket upgrade probe)").arg(c->probeRoundTripMs())
                                           : tr("none (no upgrade probe)"));
        if (c->lastServerPingMs() >= 0)
            html += row(tr("Server ping"),
                        tr("%1 s ago (interval %2 ms)")
                            .arg((QDateTime::currentMSecsSinceEpoch() - c->lastServerPingMs()) / 1000)
                            .arg(c->pingIntervalMs()));
    }
    if (!c->lastError().isEmpty())
        html += row(tr("Last error"), c->lastError());
    const QStringList nsps = c->namespaces();
    for (const QString &nsp : nsps) {
        const auto ns = c->namespaceInfo(nsp);
        html += row(nsp,
                    ns.connected ? tr("socket %1").arg(ns.socketId)
                                 : (ns.lastError.isEmpty() ? tr("not connected") : ns.lastError));
    }
    QStringList headers;
    for (const auto &[name, value] : o.headers)
        headers.append(QString::fromUtf8(name));
    if (!headers.isEmpty())
        html += row(tr("Headers"), headers.join(QStringLiteral(", ")));
    if (!o.query.isEmpty())
        html += row(tr("Query"), o.query);
    html += row(tr("Transports"), ClientConnectionOptions::transportsText(o.transports));
    html += QStringLiteral("</table>");
    m_overview->setText(html);
}

void ClientsPanel::showPinned(ClientConnection *c)
{
    const QString current =
        m_pinned->currentItem() ? m_pinned->currentItem()->data(0, Qt::UserRole).toString() : QString();
    m_pinned->clear();
    const QStringList events = c->pinnedEvents();
    for (const QString &event : events) {
        auto *item = new QTreeWidgetItem(m_pinned);
        item->setText(0, event);
        item->setData(0, Qt::UserRole, event);
        const auto value = c->pinnedValue(event);
        if (!value) {
            item->setText(1, tr("(not received yet)"));
            continue;
        }
        item->setText(1, argsSummary(value->args));
        item->setText(2,
                      tr("%1 \u00b7 %2 \u00b7 %n time(s)", nullptr, value->count)
                          .arg(formatTime(value->timestampMs), value->nsp));
        addArguments(item, value->args);
        item->setExpanded(true);
        if (event == current)
            m_pinned->setCurrentItem(item);
    }
}

void ClientsPanel::showEvents(ClientConnection *c)
{
    m_events->clear();
    const QList<ClientConnection::EventEntry> events = c->events();
    QList<QTreeWidgetItem *> items;
    for (const auto &e : events) {
        auto *item = new QTreeWidgetItem;
        item->setText(0, formatTime(e.timestampMs));
        item->setIcon(0, Icons::icon(e.outgoing ? QStringLiteral("out") : QStringLiteral("in")));
        item->setText(1, e.ackId >= 0 ? tr("%1 [ack %2]").arg(e.event).arg(e.ackId) : e.event);
        item->setText(2, e.nsp);
        item->setText(3, argsSummary(e.args));
        item->setToolTip(0, e.outgoing ? tr("sent by this client") : tr("received from the server"));
        addArguments(item, e.args);
        if (e.ackId >= 0) {
            auto *reply = new QTreeWidgetItem(item);
            reply->setText(0, tr("answered"));
            reply->setText(1, tr("ack %1").arg(e.ackId));
            reply->setText(3, e.ackReply.isEmpty() ? tr("(empty ack)") : argsSummary(e.ackReply));
        }
        items.append(item);
    }
    m_events->addTopLevelItems(items);
    m_events->scrollToBottom();
}

void ClientsPanel::showReplies(ClientConnection *c)
{
    m_replies->clear();
    const QHash<QString, QString> replies = c->ackReplies();
    QStringList events = replies.keys();
    events.sort();
    for (const QString &event : std::as_const(events)) {
        auto *item = new QTreeWidgetItem(m_replies);
        item->setText(0, event);
        item->setText(1, replies.value(event));
    }
}

void ClientsPanel::pinEvent(const QString &event)
{
    if (ClientConnection *c = currentConnection(); c && !event.isEmpty()) {
        c->pinEvent(event);
        m_tabs->setCurrentIndex(1);
    }
}

void ClientsPanel::newConnection()
{
    ClientConnectionDialog dialog(this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    ClientConnectionOptions options = dialog.options();
    ClientConnection *c = addConnection(options);
    if (dialog.saveRequested())
        ClientConnectionList::saveConnection(c->options());
}

void ClientsPanel::editCurrent()
{
    ClientConnection *c = currentConnection();
    if (!c)
        return;
    ClientConnectionDialog dialog(this);
    dialog.setWindowTitle(tr("Edit client connection"));
    dialog.setOptions(c->options());
    if (dialog.exec() != QDialog::Accepted)
        return;
    ClientConnectionOptions options = c->options();
    const ClientConnectionOptions edited = dialog.options();
    // What the dialog edits; listeners and ack replies stay.
    options.name = edited.name.isEmpty() ? c->name() : edited.name;
    options.url = edited.url;
    options.path = edited.path;
    options.namespaces = edited.namespaces;
    options.headers = edited.headers;
    options.query = edited.query;
    options.transports = edited.transports;
    options.eio3 = edited.eio3;
    options.caFile = edited.caFile;
    options.reconnection = edited.reconnection;
    options.reconnectionAttempts = edited.reconnectionAttempts;
    m_connections->remove(c);
    ClientConnection *replacement = addConnection(options);
    if (dialog.saveRequested())
        ClientConnectionList::saveConnection(replacement->options());
}

void ClientsPanel::stageShowcase()
{
    const QList<ClientConnection *> list = m_connections->connections();
    if (list.isEmpty())
        return;
    ClientConnection *c = list.first();
    selectConnection(c->name());
    const QList<ClientConnection::EventEntry> events = c->events();
    for (auto it = events.crbegin(); it != events.crend(); ++it) {
        if (!it->outgoing && !it->args.isEmpty()) {
            pinEvent(it->event);
            break;
        }
    }
}

void ClientsPanel::connectNamespaceDialog()
{
    ClientConnection *c = currentConnection();
    if (!c)
        return;
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Connect namespace"));
    auto *nsp = new QLineEdit(QStringLiteral("/"), &dialog);
    auto *auth = new QPlainTextEdit(&dialog);
    auth->setPlaceholderText(tr("{\"token\": \"...\"} (optional)"));
    auth->setMaximumHeight(auth->fontMetrics().height() * 4 + 12);
    auto *error = new QLabel(&dialog);
    error->setStyleSheet(QStringLiteral("color: #c0392b;"));
    auto *form = new QFormLayout(&dialog);
    form->addRow(tr("Namespace:"), nsp);
    form->addRow(tr("Auth (JSON):"), auth);
    form->addRow(error);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, [&] {
        if (!c->connectNamespace(nsp->text(), auth->toPlainText()))
            error->setText(c->lastError());
        else
            dialog.accept();
    });
    dialog.exec();
}

void ClientsPanel::reconnectCurrent()
{
    if (ClientConnection *c = currentConnection())
        c->reconnect();
}

void ClientsPanel::disconnectCurrent()
{
    ClientConnection *c = currentConnection();
    if (!c)
        return;
    const QString nsp = currentNamespace();
    if (nsp.isEmpty())
        c->disconnectFromServer();
    else
        c->disconnectNamespace(nsp);
}

void ClientsPanel::removeCurrent()
{
    if (ClientConnection *c = currentConnection())
        m_connections->remove(c);
}

void ClientsPanel::saveCurrent()
{
    ClientConnection *c = currentConnection();
    if (!c)
        return;
    bool ok = false;
    const QString name =
        QInputDialog::getText(this, tr("Save connection"), tr("Name:"), QLineEdit::Normal, c->name(), &ok);
    if (!ok || name.trimmed().isEmpty())
        return;
    ClientConnectionOptions options = c->options();
    options.name = name.trimmed();
    ClientConnectionList::saveConnection(options);
}

void ClientsPanel::fillSavedMenu()
{
    m_savedMenu->clear();
    const QList<ClientConnectionOptions> saved = ClientConnectionList::savedConnections();
    if (saved.isEmpty()) {
        m_savedMenu->addAction(tr("(none)"))->setEnabled(false);
        return;
    }
    for (const ClientConnectionOptions &o : saved) {
        m_savedMenu->addAction(QStringLiteral("%1 \u2014 %2").arg(o.name, o.url.toString()), this,
                               [this, o] { addConnection(o); });
    }
}

void ClientsPanel::showContextMenu(const QPoint &pos)
{
    QTreeWidgetItem *item = m_tree->itemAt(pos);
    if (item)
        m_tree->setCurrentItem(item);
    QMenu menu(this);
    menu.addAction(m_newAction);
    ClientConnection *c = currentConnection();
    if (c) {
        const QString nsp = currentNamespace();
        const QString name = c->name();
        menu.addAction(tr("Connect namespace\u2026"), this, &ClientsPanel::connectNamespaceDialog);
        if (!nsp.isEmpty()) {
            menu.addAction(Icons::icon(QStringLiteral("send")), tr("Emit from %1\u2026").arg(nsp), this,
                           [this, name, nsp] { Q_EMIT emitRequested(name, nsp); });
            const auto info = c->namespaceInfo(nsp);
            if (info.active)
                menu.addAction(tr("Disconnect %1").arg(nsp), this, [c, nsp] { c->disconnectNamespace(nsp); });
            else
                menu.addAction(tr("Connect %1").arg(nsp), this, [c, nsp] { c->connectNamespace(nsp); });
        }
        menu.addSeparator();
        menu.addAction(tr("Edit connection\u2026"), this, &ClientsPanel::editCurrent);
        menu.addAction(tr("Reconnect"), this, &ClientsPanel::reconnectCurrent);
        menu.addAction(tr("Disconnect"), this, [c] { c->disconnectFromServer(); });
        menu.addAction(tr("Remove"), this, &ClientsPanel::removeCurrent);
        menu.addAction(tr("Save connection\u2026"), this, &ClientsPanel::saveCurrent);
    }
    menu.addSeparator();
    menu.addMenu(m_savedMenu);
    menu.exec(m_tree->viewport()->mapToGlobal(pos));
}

} // namespace Inspector
