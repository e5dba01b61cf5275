// SPDX-License-Identifier: MIT
#include "serversettings.h"

#include "icons.h"

#include <QCheckBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

using namespace SocketIo;

namespace Inspector {

ServerSettingsPanel::ServerSettingsPanel(QWidget *parent)
    : QWidget(parent)
    , m_port(new QSpinBox(this))
    , m_path(new QLineEdit(this))
    , m_pingInterval(new QSpinBox(this))
    , m_pingTimeout(new QSpinBox(this))
    , m_cors(new QLineEdit(this))
    , m_polling(new QCheckBox(tr("polling"), this))
    , m_websocket(new QCheckBox(tr("WebSocket"), this))
    , m_startStop(new QPushButton(this))
    , m_apply(new QPushButton(tr("Apply"), this))
    , m_status(new QLabel(this))
{
    m_port->setRange(0, 65535);
    m_port->setToolTip(tr("TCP port; 0 picks a free one"));
    m_path->setToolTip(tr("The Engine.IO path clients connect to"));
    for (QSpinBox *spin : { m_pingInterval, m_pingTimeout }) {
        spin->setRange(10, 3600000);
        spin->setSingleStep(1000);
        spin->setSuffix(tr(" ms"));
    }
    m_cors->setPlaceholderText(tr("none (same origin); * or https://example.org, ..."));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_startStop->setObjectName(QStringLiteral("startStopButton"));
    m_apply->setObjectName(QStringLiteral("applyButton"));
    m_polling->setObjectName(QStringLiteral("pollingCheck"));
    m_websocket->setObjectName(QStringLiteral("websocketCheck"));
    m_apply->setToolTip(tr("Use these settings for new sessions while the server runs (a new port "
                           "listens again)"));

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(tr("Port:"), m_port);
    form->addRow(tr("Path:"), m_path);
    form->addRow(tr("Ping interval:"), m_pingInterval);
    form->addRow(tr("Ping timeout:"), m_pingTimeout);
    form->addRow(tr("CORS origins:"), m_cors);
    auto *transports = new QHBoxLayout;
    transports->addWidget(m_polling);
    transports->addWidget(m_websocket);
    transports->addStretch();
    form->addRow(tr("Transports:"), transports);

    // The form folds away (most of the time the server runs as it is and the tree below needs
    // the room); the toggle and the buttons stay.
    m_form = new QWidget(this);
    m_form->setLayout(form);
    form->setContentsMargins(0, 0, 0, 0);
    m_toggle = new QToolButton(this);
    m_toggle->setObjectName(QStringLiteral("settingsToggle"));
    m_toggle->setText(tr("Settings"));
    m_toggle->setCheckable(true);
    m_toggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_toggle->setAutoRaise(true);
    m_toggle->setToolTip(tr("Show or hide the server's settings"));
    connect(m_toggle, &QToolButton::toggled, this, &ServerSettingsPanel::setExpanded);

    auto *row = new QHBoxLayout;
    row->addWidget(m_toggle);
    row->addStretch();
    row->addWidget(m_startStop);
    row->addWidget(m_apply);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(row);
    layout->addWidget(m_form);
    layout->addWidget(m_status);
    setExpanded(QSettings().value(QStringLiteral("server/settingsExpanded"), false).toBool());

    connect(m_apply, &QPushButton::clicked, this, &ServerSettingsPanel::applyRequested);
    connect(m_startStop, &QPushButton::clicked, this, [this] {
        if (m_running)
            Q_EMIT stopRequested();
        else
            Q_EMIT startRequested();
    });
    setRunning(false);
}

void ServerSettingsPanel::setOptions(const EngineOptions &options, quint16 port)
{
    m_port->setValue(port);
    m_path->setText(options.path);
    m_pingInterval->setValue(int(options.pingInterval.count()));
    m_pingTimeout->setValue(int(options.pingTimeout.count()));
    m_cors->setText(options.cors.origins.join(QStringLiteral(", ")));
    m_polling->setChecked(options.transports.testFlag(Transport::Polling));
    m_websocket->setChecked(options.transports.testFlag(Transport::WebSocket));
}

EngineOptions ServerSettingsPanel::options(const EngineOptions &base) const
{
    EngineOptions options = base;
    QString path = m_path->text().trimmed();
    if (path.isEmpty())
        path = QStringLiteral("/socket.io/");
    if (!path.startsWith(QLatin1Char('/')))
        path.prepend(QLatin1Char('/'));
    if (!path.endsWith(QLatin1Char('/')))
        path.append(QLatin1Char('/'));
    options.path = path;
    options.pingInterval = std::chrono::milliseconds(m_pingInterval->value());
    options.pingTimeout = std::chrono::milliseconds(m_pingTimeout->value());
    options.cors.origins.clear();
    const QStringList origins = m_cors->text().split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString &origin : origins) {
        if (!origin.trimmed().isEmpty())
            options.cors.origins.append(origin.trimmed());
    }
    Transports transports;
    if (m_polling->isChecked())
        transports |= Transport::Polling;
    if (m_websocket->isChecked())
        transports |= Transport::WebSocket;
    options.transports = transports ? transports : (Transport::Polling | Transport::WebSocket);
    return options;
}

quint16 ServerSettingsPanel::port() const
{
    return quint16(m_port->value());
}

void ServerSettingsPanel::setPort(quint16 port)
{
    m_port->setValue(port);
}

void ServerSettingsPanel::setRunning(bool running)
{
    m_running = running;
    m_startStop->setText(running ? tr("Stop") : tr("Start"));
    m_startStop->setIcon(Icons::icon(running ? QStringLiteral("stop") : QStringLiteral("start")));
    m_apply->setEnabled(running);
}

bool ServerSettingsPanel::isExpanded() const
{
    return m_form->isVisibleTo(this);
}

void ServerSettingsPanel::setExpanded(bool expanded)
{
    m_form->setVisible(expanded);
    const QSignalBlocker blocker(m_toggle);
    m_toggle->setChecked(expanded);
    m_toggle->setArrowType(expanded ? Qt::DownArrow : Qt::RightArrow);
    QSettings().setValue(QStringLiteral("server/settingsExpanded"), expanded);
}

void ServerSettingsPanel::setStatus(const QString &text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? QStringLiteral("color: #c0392b;") : QString());
}

} // namespace Inspector
