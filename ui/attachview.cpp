// SPDX-License-Identifier: MIT
#include "attachview.h"

#include "chartspanel.h"
#include "headlessprinter.h"
#include "statscollector.h"
#include "trafficmodel.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QStackedWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <cstdio>
#include <memory>

namespace Inspector {

namespace {

QString stateText(AdminAttachment::State state)
{
    switch (state) {
    case AdminAttachment::State::Connecting:
        return AttachController::tr("connecting");
    case AdminAttachment::State::Connected:
        return AttachController::tr("attached");
    case AdminAttachment::State::Reconnecting:
        return AttachController::tr("reconnecting");
    case AdminAttachment::State::Failed:
        return AttachController::tr("failed");
    case AdminAttachment::State::Detached:
        return AttachController::tr("detached");
    }
    return {};
}

QString uptimeText(double seconds)
{
    const qint64 s = qint64(seconds);
    return QStringLiteral("%1:%2:%3")
        .arg(s / 3600, 2, 10, QLatin1Char('0'))
        .arg((s / 60) % 60, 2, 10, QLatin1Char('0'))
        .arg(s % 60, 2, 10, QLatin1Char('0'));
}

} // namespace

QString adminPasswordFromEnvironment()
{
    return qEnvironmentVariable("SOCKETIO_ADMIN_PASSWORD");
}

AttachDialog::AttachDialog(QWidget *parent)
    : QDialog(parent)
    , m_url(new QLineEdit(this))
    , m_nsp(new QLineEdit(this))
    , m_user(new QLineEdit(this))
    , m_password(new QLineEdit(this))
    , m_raw(new QCheckBox(tr("Raw packets if the server offers them (our servers)"), this))
{
    setWindowTitle(tr("Attach to server"));
    m_url->setPlaceholderText(QStringLiteral("http://localhost:3000"));
    m_nsp->setPlaceholderText(tr("/admin (or the URL's path)"));
    m_user->setPlaceholderText(tr("empty: no authentication"));
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setText(adminPasswordFromEnvironment());
    m_raw->setChecked(true);
    auto *form = new QFormLayout;
    form->addRow(tr("Server &URL:"), m_url);
    form->addRow(tr("Admin &namespace:"), m_nsp);
    form->addRow(tr("&User name:"), m_user);
    form->addRow(tr("&Password:"), m_password);
    form->addRow(QString(), m_raw);
    auto *note = new QLabel(tr("The server must be instrumented for the Socket.IO Admin UI "
                               "(node's instrument(), or SocketIo::AdminInstrumentation). The password "
                               "is kept only while attached."),
                            this);
    note->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Attach"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(note);
    layout->addWidget(buttons);
    const auto validate = [this, buttons] {
        const QUrl url = QUrl::fromUserInput(m_url->text().trimmed());
        buttons->button(QDialogButtonBox::Ok)->setEnabled(url.isValid() && !url.host().isEmpty());
    };
    connect(m_url, &QLineEdit::textChanged, this, validate);
    validate();
}

AttachOptions AttachDialog::options() const
{
    AttachOptions options;
    options.url = QUrl::fromUserInput(m_url->text().trimmed());
    options.adminNamespace = m_nsp->text().trimmed();
    options.username = m_user->text().trimmed();
    options.password = m_password->text();
    options.rawPackets = m_raw->isChecked();
    return options;
}

void AttachDialog::setOptions(const AttachOptions &options)
{
    m_url->setText(options.url.toString());
    m_nsp->setText(options.adminNamespace);
    m_user->setText(options.username);
    if (!options.password.isEmpty())
        m_password->setText(options.password);
    m_raw->setChecked(options.rawPackets);
}

HeadlessAttach::HeadlessAttach(HeadlessPrinter *printer, QObject *parent)
    : QObject(parent)
    , m_printer(printer)
{ }

AdminAttachment *HeadlessAttach::attach(const AttachOptions &options)
{
    auto *attachment = new AdminAttachment(options, this);
    m_attachments.append(attachment);
    const QString source = attachment->source();
    connect(attachment, &AdminAttachment::trafficRow, this,
            [this](const TrafficRow &row) { m_printer->printRow(row); });
    connect(attachment, &AdminAttachment::note, this,
            [this, source](const QString &text) { m_printer->printNote(text, source); });
    connect(attachment, &AdminAttachment::configReceived, this, [this, attachment, source] {
        m_printer->printNote(
            attachment->offersRawPackets()
                ? tr("--- attached to %1 (raw packets)").arg(attachment->options().url.toString())
                : tr("--- attached to %1 (%2)")
                      .arg(attachment->options().url.toString(),
                           attachment->features().join(QLatin1Char(' '))),
            source);
    });
    auto lastError = std::make_shared<QString>();
    connect(attachment, &AdminAttachment::configReceived, this, [lastError] { lastError->clear(); });
    connect(attachment, &AdminAttachment::errorOccurred, this,
            [this, attachment, source, lastError](const QString &message) {
                if (*lastError == message) // a server that stays away: said once
                    return;
                *lastError = message;
                std::fprintf(stderr, "%s\n",
                             qPrintable(tr("socketio-inspector: %1: %2").arg(source, message)));
                std::fflush(stderr);
                if (attachment->state() != AdminAttachment::State::Failed)
                    return;
                for (const AdminAttachment *a : std::as_const(m_attachments)) {
                    if (a->state() != AdminAttachment::State::Failed)
                        return;
                }
                QCoreApplication::exit(1);
            });
    attachment->start();
    return attachment;
}

AttachController::AttachController(TrafficModel *traffic, QWidget *window)
    : QObject(window)
    , m_traffic(traffic)
    , m_window(window)
    , m_combo(new QComboBox(window))
    , m_panel(new QWidget(window))
    , m_servers(new QTreeWidget(m_panel))
    , m_charts(new QStackedWidget(m_panel))
    , m_state(new QLabel(m_panel))
    , m_attachAction(new QAction(tr("A&ttach to server\u2026"), this))
    , m_detachAction(new QAction(tr("&Detach"), this))
{
    m_combo->setObjectName(QStringLiteral("sourceCombo"));
    m_combo->addItem(tr("This inspector's server"));
    m_combo->setToolTip(tr("Which server the tree, the details and the actions are about"));
    m_attachAction->setToolTip(tr("Watch and drive a server through the Socket.IO Admin UI protocol"));
    m_detachAction->setToolTip(tr("Leave the selected attached server"));
    m_detachAction->setEnabled(false);
    connect(m_attachAction, &QAction::triggered, this, &AttachController::attachWithDialog);
    connect(m_detachAction, &QAction::triggered, this, [this] {
        if (AdminAttachment *a = current())
            detach(a);
    });
    connect(m_combo, &QComboBox::currentIndexChanged, this, [this] {
        AdminAttachment *a = current();
        m_detachAction->setEnabled(a && a->state() != AdminAttachment::State::Detached);
        m_charts->setCurrentIndex(qMax(0, m_combo->currentIndex() - 1));
        updateLabel(a);
        Q_EMIT currentChanged(a);
    });

    m_servers->setObjectName(QStringLiteral("fleetServers"));
    m_servers->setRootIsDecorated(false);
    m_servers->setHeaderLabels({ tr("Source"), tr("Server id"), tr("Host"), tr("PID"), tr("Uptime"),
                                 tr("Clients"), tr("Polling"), tr("Namespaces"), tr("Last report") });
    m_servers->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    auto *layout = new QVBoxLayout(m_panel);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_state);
    layout->addWidget(m_servers, 1);
    layout->addWidget(m_charts, 2);
    m_state->setText(tr("No server attached. File \u2192 Attach to server\u2026"));
    m_state->setWordWrap(true);
}

AdminAttachment *AttachController::current() const
{
    const int index = m_combo->currentIndex();
    return index >= 1 ? m_attachments.value(index - 1) : nullptr;
}

void AttachController::setCurrentIndex(int index)
{
    m_combo->setCurrentIndex(index);
}

void AttachController::setOwnServerLabel(const QString &text)
{
    m_combo->setItemText(0, text);
}

AdminAttachment *AttachController::attach(const AttachOptions &options)
{
    auto *attachment = new AdminAttachment(options, this);
    m_attachments.append(attachment);
    m_combo->addItem(tr("Attached: %1").arg(options.hostPort()));
    auto *charts = new ChartsPanel(attachment->stats(), m_charts);
    m_charts->addWidget(charts);
    connect(attachment, &AdminAttachment::trafficRow, m_traffic, &TrafficModel::addRow);
    connect(attachment, &AdminAttachment::serversChanged, this, &AttachController::refreshServers);
    connect(attachment, &AdminAttachment::stateChanged, this, [this, attachment] {
        const int index = int(m_attachments.indexOf(attachment)) + 1;
        m_combo->setItemText(
            index,
            attachment->state() == AdminAttachment::State::Connected
                ? tr("Attached: %1").arg(attachment->options().hostPort())
                : tr("Attached: %1 (%2)")
                      .arg(attachment->options().hostPort(), stateText(attachment->state())));
        if (current() == attachment) {
            m_detachAction->setEnabled(attachment->state() != AdminAttachment::State::Detached);
            updateLabel(attachment);
        }
        refreshServers();
    });
    for (auto signal : { &AdminAttachment::configReceived, &AdminAttachment::rawPacketsStarted }) {
        connect(attachment, signal, this, [this, attachment] {
            if (current() == attachment)
                updateLabel(attachment);
        });
    }
    connect(attachment, &AdminAttachment::errorOccurred, this, [this, attachment](const QString &text) {
        Q_EMIT message(tr("%1: %2").arg(attachment->source(), text));
    });
    attachment->start();
    m_combo->setCurrentIndex(m_combo->count() - 1);
    return attachment;
}

void AttachController::detach(AdminAttachment *attachment)
{
    attachment->detach();
    Q_EMIT message(tr("Detached from %1").arg(attachment->options().hostPort()));
}

void AttachController::attachWithDialog()
{
    AttachDialog dialog(m_window);
    if (!m_attachments.isEmpty()) {
        AttachOptions last = m_attachments.last()->options();
        last.password.clear();
        dialog.setOptions(last);
    }
    if (dialog.exec() != QDialog::Accepted)
        return;
    attach(dialog.options());
}

void AttachController::updateLabel(AdminAttachment *a)
{
    if (!a) {
        m_state->setText(m_attachments.isEmpty()
                             ? tr("No server attached. File \u2192 Attach to server\u2026")
                             : tr("The tree shows this inspector's server."));
        return;
    }
    QString text = tr("%1 at %2, admin namespace %3: %4")
                       .arg(a->source(), a->options().url.toString(), a->options().resolvedNamespace(),
                            stateText(a->state()));
    if (a->state() == AdminAttachment::State::Failed && !a->errorString().isEmpty())
        text += QStringLiteral(" (%1)").arg(a->errorString());
    if (a->hasConfig()) {
        text += QLatin1Char('\n')
            + (a->isReadOnly() ? tr("Read-only: no commands.")
                               : tr("Commands: %1").arg(a->features().join(QStringLiteral(", "))));
        if (a->isStreamingRawPackets())
            text += QLatin1Char(' ') + tr("Raw packets: on.");
    }
    m_state->setText(text);
}

void AttachController::refreshServers()
{
    m_servers->clear();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (AdminAttachment *a : std::as_const(m_attachments)) {
        const QList<FleetServer> servers = a->servers();
        for (const FleetServer &s : servers) {
            QStringList namespaces;
            for (const auto &[name, count] : s.namespaces)
                namespaces.append(QStringLiteral("%1 (%2)").arg(name).arg(count));
            auto *item = new QTreeWidgetItem(m_servers);
            item->setText(0, a->options().hostPort());
            item->setText(1, s.serverId);
            item->setText(2, s.hostname);
            item->setText(3, QString::number(s.pid));
            item->setText(4, uptimeText(s.uptimeSeconds));
            item->setText(5, QString::number(s.clientsCount));
            item->setText(6, QString::number(s.pollingClientsCount));
            item->setText(7, namespaces.join(QStringLiteral(", ")));
            item->setText(8, tr("%n s ago", nullptr, int((now - s.lastSeenMs) / 1000)));
            if (a->state() != AdminAttachment::State::Connected)
                item->setForeground(8, m_servers->palette().brush(QPalette::Disabled, QPalette::Text));
        }
    }
}

} // namespace Inspector
