// SPDX-License-Identifier: MIT
#include "filterbar.h"

#include "icons.h"
#include "servertreemodel.h"
#include "trafficfilter.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QToolButton>
#include <QVBoxLayout>

namespace Inspector {

TrafficFilterBar::TrafficFilterBar(TrafficFilterProxy *proxy, ServerTreeModel *tree, QWidget *parent)
    : QWidget(parent)
    , m_proxy(proxy)
    , m_tree(tree)
    , m_nsp(new QComboBox(this))
    , m_scope(new QLabel(this))
    , m_clearScope(new QToolButton(this))
    , m_direction(new QComboBox(this))
    , m_types(new QToolButton(this))
    , m_control(new QCheckBox(tr("Control frames"), this))
    , m_include(new QLineEdit(this))
    , m_exclude(new QLineEdit(this))
    , m_search(new QLineEdit(this))
    , m_regex(new QCheckBox(tr("Regex"), this))
    , m_count(new QLabel(this))
{
    m_nsp->addItem(tr("All namespaces"), QString());
    m_nsp->setToolTip(tr("Namespace"));
    m_nsp->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_direction->addItem(tr("In and out"), int(TrafficFilterProxy::DirectionFilter::Both));
    m_direction->addItem(tr("In only"), int(TrafficFilterProxy::DirectionFilter::Incoming));
    m_direction->addItem(tr("Out only"), int(TrafficFilterProxy::DirectionFilter::Outgoing));
    m_direction->setToolTip(tr("Direction, seen from the server"));
    m_clearScope->setText(QStringLiteral("\u2715"));
    m_clearScope->setToolTip(tr("Show every socket again"));
    m_control->setToolTip(tr("Show Engine.IO ping, pong and noop packets"));
    m_include->setPlaceholderText(tr("events: chat, user:*"));
    m_include->setToolTip(tr("Only these events (comma-separated, * and ? are wildcards)"));
    m_include->setClearButtonEnabled(true);
    m_exclude->setPlaceholderText(tr("hide events"));
    m_exclude->setToolTip(tr("Hide these events (comma-separated, * and ? are wildcards)"));
    m_exclude->setClearButtonEnabled(true);
    m_search->setPlaceholderText(tr("search the payload"));
    m_search->setClearButtonEnabled(true);
    m_regex->setToolTip(tr("Treat the search as a regular expression"));
    m_count->setObjectName(QStringLiteral("countLabel"));

    m_types->setText(tr("Types"));
    m_types->setIcon(Icons::icon(QStringLiteral("filter")));
    m_types->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_types->setPopupMode(QToolButton::InstantPopup);
    auto *menu = new QMenu(m_types);
    const std::pair<PacketKind, QString> kinds[] = {
        { PacketKind::Connect, QStringLiteral("CONNECT") },
        { PacketKind::Disconnect, QStringLiteral("DISCONNECT") },
        { PacketKind::Event, QStringLiteral("EVENT / BINARY_EVENT") },
        { PacketKind::Ack, QStringLiteral("ACK / BINARY_ACK") },
        { PacketKind::ConnectError, QStringLiteral("CONNECT_ERROR") },
        { PacketKind::Attachment, tr("Binary attachments") },
        { PacketKind::EngineOther, tr("Engine.IO open, close, upgrade") },
        { PacketKind::Control, tr("Engine.IO ping, pong, noop") },
    };
    for (const auto &[kind, label] : kinds) {
        QAction *action = menu->addAction(label);
        action->setCheckable(true);
        action->setData(unsigned(kind));
        m_typeActions.append(action);
        connect(action, &QAction::toggled, this, &TrafficFilterBar::applyKinds);
    }
    m_types->setMenu(menu);

    auto *reset = new QToolButton(this);
    reset->setText(tr("Reset"));
    reset->setToolTip(tr("Clear every filter"));

    auto *row1 = new QHBoxLayout;
    row1->setContentsMargins(0, 0, 0, 0);
    row1->addWidget(m_nsp);
    row1->addWidget(m_scope);
    row1->addWidget(m_clearScope);
    row1->addWidget(m_direction);
    row1->addWidget(m_types);
    row1->addWidget(m_control);
    row1->addStretch();
    row1->addWidget(m_count);
    auto *row2 = new QHBoxLayout;
    row2->setContentsMargins(0, 0, 0, 0);
    row2->addWidget(m_include, 2);
    row2->addWidget(m_exclude, 2);
    row2->addWidget(m_search, 3);
    row2->addWidget(m_regex);
    row2->addWidget(reset);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->setSpacing(2);
    layout->addLayout(row1);
    layout->addLayout(row2);

    connect(m_nsp, &QComboBox::currentIndexChanged, this,
            [this] { m_proxy->setNamespaceFilter(m_nsp->currentData().toString()); });
    connect(m_direction, &QComboBox::currentIndexChanged, this, [this] {
        m_proxy->setDirectionFilter(TrafficFilterProxy::DirectionFilter(m_direction->currentData().toInt()));
    });
    connect(m_control, &QCheckBox::toggled, this, [this](bool on) {
        for (QAction *action : std::as_const(m_typeActions)) {
            if (action->data().toUInt() == unsigned(PacketKind::Control)) {
                action->setChecked(on);
            }
        }
    });
    connect(m_include, &QLineEdit::textChanged, m_proxy, &TrafficFilterProxy::setEventInclude);
    connect(m_exclude, &QLineEdit::textChanged, m_proxy, &TrafficFilterProxy::setEventExclude);
    connect(m_search, &QLineEdit::textChanged, this, &TrafficFilterBar::applyText);
    connect(m_regex, &QCheckBox::toggled, this, &TrafficFilterBar::applyText);
    connect(m_clearScope, &QToolButton::clicked, this, &TrafficFilterBar::clearScope);
    connect(reset, &QToolButton::clicked, this, &TrafficFilterBar::resetAll);
    connect(m_proxy, &TrafficFilterProxy::countsChanged, this, &TrafficFilterBar::updateCount);

    // Initial state from the proxy
    const PacketKinds current = m_proxy->packetKinds();
    for (QAction *action : std::as_const(m_typeActions)) {
        const QSignalBlocker blocker(action);
        action->setChecked(current.testFlag(PacketKind(action->data().toUInt())));
    }
    m_control->setChecked(current.testFlag(PacketKind::Control));
    clearScope();
    refreshNamespaces();
    updateCount();
}

void TrafficFilterBar::applyKinds()
{
    PacketKinds kinds;
    for (QAction *action : std::as_const(m_typeActions)) {
        if (action->isChecked())
            kinds |= PacketKind(action->data().toUInt());
    }
    m_proxy->setPacketKinds(kinds);
    const QSignalBlocker blocker(m_control);
    m_control->setChecked(kinds.testFlag(PacketKind::Control));
}

void TrafficFilterBar::applyText()
{
    const bool ok = m_proxy->setTextFilter(m_search->text(), m_regex->isChecked());
    m_search->setStyleSheet(ok ? QString() : QStringLiteral("QLineEdit { border: 1px solid #c0392b; }"));
    m_search->setToolTip(ok ? QString() : m_proxy->textFilterError());
}

void TrafficFilterBar::refreshNamespaces()
{
    const QStringList names = m_tree->namespaces();
    QStringList existing;
    for (int i = 1; i < m_nsp->count(); ++i)
        existing.append(m_nsp->itemText(i));
    if (existing == names)
        return;
    const QString current = m_nsp->currentData().toString();
    const QSignalBlocker blocker(m_nsp);
    while (m_nsp->count() > 1)
        m_nsp->removeItem(1);
    for (const QString &name : names)
        m_nsp->addItem(name, name);
    // A filter on a namespace that has not been seen yet (imported traffic) stays selectable.
    if (!current.isEmpty() && m_nsp->findData(current) < 0)
        m_nsp->addItem(current, current);
    m_nsp->setCurrentIndex(qMax(0, m_nsp->findData(current)));
}

void TrafficFilterBar::setScopeSocket(const QString &nsp, const QString &socketId, const QString &sessionId)
{
    m_scopeRoom.clear();
    m_proxy->setRoomFilter({}, {}, {});
    m_proxy->setSessionFilter({});
    m_proxy->setSocketFilter(nsp, socketId, sessionId);
    m_scope->setText(tr("Socket %1").arg(socketId));
    m_scope->setVisible(true);
    m_clearScope->setVisible(true);
}

void TrafficFilterBar::setScopeRoom(const QString &nsp, const QString &room)
{
    m_scopeNsp = nsp;
    m_scopeRoom = room;
    m_proxy->setSocketFilter({}, {}, {});
    m_proxy->setSessionFilter({});
    m_proxy->setRoomFilter(nsp, room, m_tree->members(nsp, room));
    m_scope->setText(tr("Room %1 in %2").arg(room, nsp));
    m_scope->setVisible(true);
    m_clearScope->setVisible(true);
}

void TrafficFilterBar::setScopeSession(const QString &sessionId)
{
    m_scopeRoom.clear();
    m_proxy->setRoomFilter({}, {}, {});
    m_proxy->setSocketFilter({}, {}, {});
    m_proxy->setSessionFilter(sessionId);
    m_scope->setText(tr("Client %1").arg(sessionId));
    m_scope->setVisible(true);
    m_clearScope->setVisible(true);
}

void TrafficFilterBar::setScopeNamespace(const QString &nsp)
{
    clearScope();
    int index = m_nsp->findData(nsp);
    if (index < 0) {
        m_nsp->addItem(nsp, nsp);
        index = m_nsp->count() - 1;
    }
    m_nsp->setCurrentIndex(index);
}

void TrafficFilterBar::setScopeSource(const QString &source, const QString &nsp)
{
    clearScope();
    m_proxy->setSourceFilter(source);
    int index = 0;
    if (!nsp.isEmpty()) {
        index = m_nsp->findData(nsp);
        if (index < 0) {
            m_nsp->addItem(nsp, nsp);
            index = m_nsp->count() - 1;
        }
    }
    m_nsp->setCurrentIndex(index);
    m_scope->setText(nsp.isEmpty() ? tr("Source %1").arg(source) : tr("Source %1, %2").arg(source, nsp));
    m_scope->setVisible(true);
    m_clearScope->setVisible(true);
}

void TrafficFilterBar::clearScope()
{
    m_scopeRoom.clear();
    if (!m_proxy->sourceFilter().isNull())
        m_proxy->setSourceFilter(QString());
    if (!m_proxy->socketFilter().isEmpty())
        m_proxy->setSocketFilter({}, {}, {});
    if (!m_proxy->roomFilter().isEmpty())
        m_proxy->setRoomFilter({}, {}, {});
    if (!m_proxy->sessionFilter().isEmpty())
        m_proxy->setSessionFilter({});
    m_scope->clear();
    m_scope->setVisible(false);
    m_clearScope->setVisible(false);
}

void TrafficFilterBar::updateRoomMembers()
{
    if (!m_scopeRoom.isEmpty())
        m_proxy->setRoomMembers(m_tree->members(m_scopeNsp, m_scopeRoom));
}

void TrafficFilterBar::updateCount()
{
    m_count->setText(m_proxy->countText());
}

void TrafficFilterBar::resetAll()
{
    clearScope();
    {
        const QSignalBlocker b1(m_nsp);
        const QSignalBlocker b2(m_direction);
        const QSignalBlocker b3(m_include);
        const QSignalBlocker b4(m_exclude);
        const QSignalBlocker b5(m_search);
        const QSignalBlocker b6(m_regex);
        const QSignalBlocker b7(m_control);
        m_nsp->setCurrentIndex(0);
        m_direction->setCurrentIndex(0);
        m_include->clear();
        m_exclude->clear();
        m_search->clear();
        m_search->setStyleSheet(QString());
        m_regex->setChecked(false);
        m_control->setChecked(false);
    }
    m_proxy->clearFilters();
    const PacketKinds current = m_proxy->packetKinds();
    for (QAction *action : std::as_const(m_typeActions)) {
        const QSignalBlocker blocker(action);
        action->setChecked(current.testFlag(PacketKind(action->data().toUInt())));
    }
}

} // namespace Inspector
