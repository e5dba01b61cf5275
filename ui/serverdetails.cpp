// SPDX-License-Identifier: MIT
#include "serverdetails.h"

#include "icons.h"
#include "jsonview.h"
#include "trafficrow.h"

#include <QDateTime>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStackedWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

using namespace SocketIo;

namespace Inspector {

namespace {

QTreeWidgetItem *field(QTreeWidget *tree, const QString &name, const QString &value)
{
    auto *item = new QTreeWidgetItem(tree);
    item->setText(0, name);
    item->setText(1, value);
    item->setToolTip(1, value);
    return item;
}

QString duration(qint64 seconds)
{
    return QStringLiteral("%1:%2:%3")
        .arg(seconds / 3600, 2, 10, QLatin1Char('0'))
        .arg((seconds / 60) % 60, 2, 10, QLatin1Char('0'))
        .arg(seconds % 60, 2, 10, QLatin1Char('0'));
}

} // namespace

ServerDetails::ServerDetails(QWidget *parent)
    : QWidget(parent)
    , m_stack(new QStackedWidget(this))
    , m_empty(new QLabel(tr("Select a namespace, socket or room in the tree."), this))
    , m_socketTree(new QTreeWidget(this))
    , m_roomEdit(new QLineEdit(this))
    , m_roomTitle(new QLabel(this))
    , m_members(new QTreeWidget(this))
    , m_nspTitle(new QLabel(this))
{
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_stack->addWidget(m_empty);

    // Socket page
    auto *socketPage = new QWidget(this);
    JsonView::setupTree(m_socketTree);
    m_socketTree->setHeaderLabels({ tr("Field"), tr("Value"), tr("Type") });
    m_socketTree->setColumnHidden(2, true);
    m_roomEdit->setPlaceholderText(tr("room name"));
    auto *join = new QPushButton(tr("Join"), socketPage);
    auto *leave = new QPushButton(tr("Leave"), socketPage);
    auto *disconnectSocket =
        new QPushButton(Icons::icon(QStringLiteral("disconnect")), tr("Disconnect"), socketPage);
    disconnectSocket->setToolTip(
        tr("Disconnect this socket from its namespace (the client stays connected)"));
    auto *disconnectClient = new QPushButton(tr("Disconnect client"), socketPage);
    disconnectClient->setToolTip(tr("Close the whole connection: every namespace of this client"));
    auto *emitTo = new QPushButton(Icons::icon(QStringLiteral("send")), tr("Emit to\u2026"), socketPage);
    auto *filter = new QPushButton(Icons::icon(QStringLiteral("filter")), tr("Filter traffic"), socketPage);
    join->setObjectName(QStringLiteral("joinButton"));
    leave->setObjectName(QStringLiteral("leaveButton"));
    disconnectSocket->setObjectName(QStringLiteral("disconnectSocketButton"));
    disconnectClient->setObjectName(QStringLiteral("disconnectClientButton"));
    auto *roomRow = new QHBoxLayout;
    roomRow->addWidget(new QLabel(tr("Room:"), socketPage));
    roomRow->addWidget(m_roomEdit, 1);
    roomRow->addWidget(join);
    roomRow->addWidget(leave);
    auto *actionRow = new QHBoxLayout;
    actionRow->addWidget(disconnectSocket);
    actionRow->addWidget(disconnectClient);
    actionRow->addStretch();
    auto *actionRow2 = new QHBoxLayout;
    actionRow2->addWidget(emitTo);
    actionRow2->addWidget(filter);
    actionRow2->addStretch();
    auto *socketLayout = new QVBoxLayout(socketPage);
    socketLayout->setContentsMargins(0, 0, 0, 0);
    socketLayout->addWidget(m_socketTree, 1);
    socketLayout->addLayout(roomRow);
    socketLayout->addLayout(actionRow);
    socketLayout->addLayout(actionRow2);
    m_stack->addWidget(socketPage);

    connect(join, &QPushButton::clicked, this, [this] {
        if (!m_roomEdit->text().trimmed().isEmpty())
            Q_EMIT joinRequested(m_nsp, m_socketId, m_roomEdit->text().trimmed());
    });
    connect(m_roomEdit, &QLineEdit::returnPressed, join, &QPushButton::click);
    connect(leave, &QPushButton::clicked, this, [this] {
        if (!m_roomEdit->text().trimmed().isEmpty())
            Q_EMIT leaveRequested(m_nsp, m_socketId, m_roomEdit->text().trimmed());
    });
    connect(disconnectSocket, &QPushButton::clicked, this,
            [this] { Q_EMIT disconnectSocketRequested(m_nsp, m_socketId); });
    connect(disconnectClient, &QPushButton::clicked, this,
            [this] { Q_EMIT disconnectClientRequested(m_nsp, m_socketId); });
    connect(emitTo, &QPushButton::clicked, this,
            [this] { Q_EMIT emitToRequested(m_nsp, QString(), m_socketId); });
    connect(filter, &QPushButton::clicked, this, [this] { Q_EMIT filterSocketRequested(m_nsp, m_socketId); });
    // Clicking a room of the socket fills the room field.
    connect(m_socketTree, &QTreeWidget::itemClicked, this, [this](QTreeWidgetItem *item) {
        if (item->parent() && item->parent()->data(0, Qt::UserRole).toString() == QLatin1String("rooms"))
            m_roomEdit->setText(item->text(0));
    });

    // Room page
    auto *roomPage = new QWidget(this);
    m_roomTitle->setWordWrap(true);
    m_members->setHeaderLabels({ tr("Member") });
    m_members->setRootIsDecorated(false);
    auto *empty = new QPushButton(tr("Empty room"), roomPage);
    empty->setObjectName(QStringLiteral("emptyRoomButton"));
    empty->setToolTip(tr("Make every member leave the room"));
    auto *emitRoom = new QPushButton(Icons::icon(QStringLiteral("send")), tr("Emit to\u2026"), roomPage);
    auto *filterRoom = new QPushButton(Icons::icon(QStringLiteral("filter")), tr("Filter traffic"), roomPage);
    auto *roomActions = new QHBoxLayout;
    roomActions->addWidget(empty);
    roomActions->addStretch();
    roomActions->addWidget(emitRoom);
    roomActions->addWidget(filterRoom);
    auto *roomLayout = new QVBoxLayout(roomPage);
    roomLayout->setContentsMargins(0, 0, 0, 0);
    roomLayout->addWidget(m_roomTitle);
    roomLayout->addWidget(m_members, 1);
    roomLayout->addLayout(roomActions);
    m_stack->addWidget(roomPage);
    connect(empty, &QPushButton::clicked, this, [this] { Q_EMIT emptyRoomRequested(m_nsp, m_room); });
    connect(emitRoom, &QPushButton::clicked, this,
            [this] { Q_EMIT emitToRequested(m_nsp, m_room, QString()); });
    connect(filterRoom, &QPushButton::clicked, this, [this] { Q_EMIT filterRoomRequested(m_nsp, m_room); });

    // Namespace page
    auto *nspPage = new QWidget(this);
    m_nspTitle->setWordWrap(true);
    auto *disconnectAll = new QPushButton(tr("Disconnect all sockets"), nspPage);
    disconnectAll->setObjectName(QStringLiteral("disconnectNamespaceButton"));
    auto *emitNsp = new QPushButton(Icons::icon(QStringLiteral("send")), tr("Emit to\u2026"), nspPage);
    auto *filterNsp = new QPushButton(Icons::icon(QStringLiteral("filter")), tr("Filter traffic"), nspPage);
    auto *nspActions = new QHBoxLayout;
    nspActions->addWidget(disconnectAll);
    nspActions->addStretch();
    nspActions->addWidget(emitNsp);
    nspActions->addWidget(filterNsp);
    auto *nspLayout = new QVBoxLayout(nspPage);
    nspLayout->setContentsMargins(0, 0, 0, 0);
    nspLayout->addWidget(m_nspTitle);
    nspLayout->addStretch();
    nspLayout->addLayout(nspActions);
    m_stack->addWidget(nspPage);
    connect(disconnectAll, &QPushButton::clicked, this,
            [this] { Q_EMIT disconnectNamespaceRequested(m_nsp); });
    connect(emitNsp, &QPushButton::clicked, this,
            [this] { Q_EMIT emitToRequested(m_nsp, QString(), QString()); });
    connect(filterNsp, &QPushButton::clicked, this, [this] { Q_EMIT filterNamespaceRequested(m_nsp); });

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);
}

void ServerDetails::showNothing()
{
    m_signature.clear();
    m_nsp.clear();
    m_socketId.clear();
    m_room.clear();
    m_empty->setText(tr("Select a namespace, socket or room in the tree."));
    m_stack->setCurrentIndex(0);
}

void ServerDetails::showSocketGone(const QString &nsp, const QString &id)
{
    showNothing();
    m_empty->setText(tr("Socket %1 left %2.").arg(id, nsp));
}

void ServerDetails::showSocket(const SocketSnapshot &socket, const std::optional<SessionInfo> &session)
{
    const bool same = m_socketId == socket.id && m_nsp == socket.nsp && m_stack->currentIndex() == 1;
    // Refreshed every second: when only the clock moved, update "connected since" in place so the
    // user's scroll position and selection stay.
    QList<QByteArray> binaries;
    const QString signature =
        QStringList{ socket.rooms.join(QLatin1Char('\n')),
                     transportName(socket.transport),
                     QString::number(socket.upgraded),
                     session ? QString::number(session->lastPingRoundTripMs) : QString(),
                     summarizeJson(JsonView::fromVariant(socket.data, &binaries), 100000),
                     summarizeJson(socket.auth, 100000) }
            .join(QLatin1Char('\x1f'));
    const qint64 since = socket.connectedAt.secsTo(QDateTime::currentDateTime());
    const QString sinceText =
        tr("%1 (%2 ago)")
            .arg(socket.connectedAt.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")), duration(since));
    if (same && signature == m_signature && m_sinceItem) {
        m_sinceItem->setText(1, sinceText);
        return;
    }
    m_signature = signature;
    m_nsp = socket.nsp;
    m_socketId = socket.id;
    m_room.clear();
    // Keep what the user expanded when refreshing the same socket.
    QSet<QString> expanded;
    if (same) {
        for (int i = 0; i < m_socketTree->topLevelItemCount(); ++i) {
            if (m_socketTree->topLevelItem(i)->isExpanded())
                expanded.insert(m_socketTree->topLevelItem(i)->text(0));
        }
    } else {
        expanded = { tr("rooms"), tr("auth"), tr("data") };
    }
    m_socketTree->clear();
    field(m_socketTree, tr("id"), socket.id);
    field(m_socketTree, tr("namespace"), socket.nsp);
    field(m_socketTree, tr("engine session"), socket.engineSessionId);
    field(m_socketTree, tr("transport"),
          socket.upgraded ? tr("%1 (upgraded from polling)").arg(transportName(socket.transport))
                          : transportName(socket.transport));
    field(m_socketTree, tr("remote address"), socket.remoteAddress);
    m_sinceItem = field(m_socketTree, tr("connected since"), sinceText);
    field(m_socketTree, tr("last ping round trip"),
          session && session->lastPingRoundTripMs >= 0 ? tr("%1 ms").arg(session->lastPingRoundTripMs)
                                                       : tr("not measured yet"));
    auto *rooms = field(m_socketTree, tr("rooms"), QString::number(socket.rooms.size()));
    rooms->setData(0, Qt::UserRole, QStringLiteral("rooms"));
    for (const QString &room : socket.rooms) {
        auto *item = new QTreeWidgetItem(rooms);
        item->setText(0, room);
        if (room == socket.id)
            item->setText(1, tr("own room"));
    }
    auto *headers = field(m_socketTree, tr("headers"), QString::number(socket.headers.size()));
    for (const auto &[name, value] : socket.headers) {
        auto *item = new QTreeWidgetItem(headers);
        item->setText(0, QString::fromLatin1(name));
        item->setText(1, QString::fromUtf8(value));
        item->setToolTip(1, item->text(1));
    }
    field(m_socketTree, tr("query"), socket.query);
    auto *auth = field(m_socketTree, tr("auth"), QString());
    JsonView::addChildren(auth, socket.auth, {});
    auth->setText(1, tr("{%n key(s)}", nullptr, int(socket.auth.size())));
    auto *data = field(m_socketTree, tr("data"), QString());
    binaries.clear();
    const QJsonValue dataJson = JsonView::fromVariant(socket.data, &binaries);
    JsonView::addChildren(data, dataJson, binaries);
    data->setText(1, tr("{%n key(s)}", nullptr, int(socket.data.size())));
    for (int i = 0; i < m_socketTree->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = m_socketTree->topLevelItem(i);
        item->setExpanded(expanded.contains(item->text(0)));
    }
    m_socketTree->resizeColumnToContents(0);
    m_stack->setCurrentIndex(1);
}

void ServerDetails::showRoom(const QString &nsp, const QString &room, const QStringList &members)
{
    m_nsp = nsp;
    m_room = room;
    m_socketId.clear();
    m_roomTitle->setText(tr("Room <b>%1</b> in %2: %n member(s)", nullptr, int(members.size()))
                             .arg(room.toHtmlEscaped(), nsp.toHtmlEscaped()));
    m_members->clear();
    for (const QString &member : members) {
        auto *item = new QTreeWidgetItem(m_members);
        item->setText(0, member);
    }
    m_stack->setCurrentIndex(2);
}

void ServerDetails::showNamespace(const QString &nsp, int sockets, int rooms)
{
    m_nsp = nsp;
    m_room.clear();
    m_socketId.clear();
    m_nspTitle->setText(tr("Namespace <b>%1</b>").arg(nsp.toHtmlEscaped()) + QStringLiteral("<br>")
                        + tr("%n socket(s)", nullptr, sockets) + QStringLiteral(", ")
                        + tr("%n room(s)", nullptr, rooms));
    m_stack->setCurrentIndex(3);
}

} // namespace Inspector
