// SPDX-License-Identifier: MIT
#include "mainwindow.h"

#include "attachview.h"
#include "chartspanel.h"
#include "clientspanel.h"
#include "emitcomposer.h"
#include "filterbar.h"
#include "harformat.h"
#include "icons.h"
#include "mockresponder.h"
#include "mockrulespanel.h"
#include "replaydialog.h"
#include "serverdetails.h"
#include "servermonitor.h"
#include "serversettings.h"
#include "trafficarchive.h"
#include "trafficdetails.h"
#include "trafficfilter.h"

#include <SocketIo/engineserver.h>
#include <SocketIo/namespace.h>
#include <SocketIo/server.h>
#include <SocketIo/socket.h>

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QCloseEvent>
#include <QComboBox>
#include <QDockWidget>
#include <QFileDialog>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QScrollBar>
#include <QSettings>
#include <QShowEvent>
#include <QSplitter>
#include <QStatusBar>
#include <QTableView>
#include <QToolBar>
#include <QTreeView>
#include <QVBoxLayout>

using namespace SocketIo;

namespace Inspector {

namespace {

QString uptimeText(qint64 ms)
{
    const qint64 s = ms / 1000;
    return QStringLiteral("%1:%2:%3")
        .arg(s / 3600, 2, 10, QLatin1Char('0'))
        .arg((s / 60) % 60, 2, 10, QLatin1Char('0'))
        .arg(s % 60, 2, 10, QLatin1Char('0'));
}

} // namespace

MainWindow::MainWindow(Server *server, QWidget *parent)
    : QMainWindow(parent)
    , m_server(server)
    , m_monitor(new ServerMonitor(server, this))
    , m_actions(m_monitor)
    , m_proxy(new TrafficFilterProxy(this))
{
    setWindowTitle(tr("Socket.IO Inspector"));
    setWindowIcon(Icons::icon(QStringLiteral("socketio-inspector")));
    m_proxy->setSourceModel(m_monitor->traffic());
    if (m_server->isListening())
        m_port = m_server->serverPort();
    createActions();
    createLayout();

    m_settings->setOptions(m_server->engine()->options(), m_port);
    if (m_server->isListening())
        m_uptime.start();
    connect(m_server, &Server::listeningChanged, this, [this](bool listening) {
        if (listening)
            m_uptime.start();
        else
            m_uptime.invalidate();
        updateServerStatus();
    });
    m_statusTimer.setInterval(1000);
    connect(&m_statusTimer, &QTimer::timeout, this, [this] {
        updateServerStatus();
        // "connected since" and user data change without a signal.
        if (!m_serverDetails->currentSocket().isEmpty())
            showSelectedTreeNode();
    });
    m_statusTimer.start();
    updateServerStatus();
    updateCaptureStatus();

    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    m_stateRestored = restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
}

MockResponder *MainWindow::mockResponder() const
{
    return m_mockPanel->responder();
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions()
{
    m_start = new QAction(Icons::icon(QStringLiteral("start")), tr("&Start server"), this);
    m_stop = new QAction(Icons::icon(QStringLiteral("stop")), tr("S&top server"), this);
    m_pause = new QAction(Icons::icon(QStringLiteral("pause")), tr("&Pause capture"), this);
    m_pause->setCheckable(true);
    m_pause->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_P));
    m_clear = new QAction(Icons::icon(QStringLiteral("clear")), tr("&Clear"), this);
    m_clear->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    m_autoScroll = new QAction(Icons::icon(QStringLiteral("autoscroll")), tr("&Autoscroll"), this);
    m_autoScroll->setCheckable(true);
    m_autoScroll->setChecked(true);
    m_autoScroll->setToolTip(tr("Follow new packets; stops when you scroll up"));
    m_linkTree = new QAction(Icons::icon(QStringLiteral("filter")), tr("Filter by &tree selection"), this);
    m_linkTree->setCheckable(true);
    m_linkTree->setChecked(true);
    m_linkTree->setToolTip(tr("Selecting a namespace, socket or room in the tree filters the traffic"));
    m_importHar = new QAction(Icons::icon(QStringLiteral("import")), tr("&Import HAR\u2026"), this);
    m_importHar->setShortcut(QKeySequence::Open);
    m_exportHar = new QAction(Icons::icon(QStringLiteral("export")), tr("&Export HAR\u2026"), this);
    m_exportHar->setShortcut(QKeySequence::Save);
    m_exportHar->setToolTip(tr("Export every packet in the buffer as HAR, whatever the filters show"));
    m_exportJsonLines = new QAction(tr("Export JSON &Lines\u2026"), this);
    m_exportJsonLines->setToolTip(tr("Export every packet in the buffer as JSON Lines"));
    m_exportShownHar = new QAction(tr("Export &shown rows as HAR\u2026"), this);
    m_exportShownHar->setToolTip(tr("Export only the packets the filters show"));
    m_exportShownJsonLines = new QAction(tr("Export shown rows as JSON L&ines\u2026"), this);
    m_attach = new AttachController(m_monitor->traffic(), this);
    m_quit = new QAction(tr("&Quit"), this);
    m_quit->setShortcut(QKeySequence::Quit);

    connect(m_start, &QAction::triggered, this, &MainWindow::startServer);
    connect(m_stop, &QAction::triggered, this, &MainWindow::stopServer);
    connect(m_pause, &QAction::toggled, m_monitor->traffic(), &TrafficModel::setPaused);
    connect(m_monitor->traffic(), &TrafficModel::pausedChanged, this, [this](bool paused) {
        m_pause->setChecked(paused);
        m_pause->setText(paused ? tr("Resume &capture") : tr("&Pause capture"));
        m_pause->setIcon(Icons::icon(paused ? QStringLiteral("resume") : QStringLiteral("pause")));
        updateCaptureStatus();
    });
    connect(m_clear, &QAction::triggered, this, [this] {
        m_monitor->traffic()->clear();
        m_details->clear();
    });
    connect(m_autoScroll, &QAction::toggled, this, &MainWindow::setAutoScroll);
    connect(m_linkTree, &QAction::toggled, this, [this](bool on) {
        if (on) {
            onTreeCurrentChanged();
        } else {
            m_filterBar->clearScope();
            if (m_attach->current())
                m_proxy->setSourceFilter(QString()); // every source again
        }
    });
    connect(m_importHar, &QAction::triggered, this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("Import HAR"), QString(),
                                                          tr("HAR files (*.har *.json);;All files (*)"));
        if (!file.isEmpty() && !importHar(file))
            QMessageBox::warning(this, tr("Import HAR"), m_lastError);
    });
    connect(m_exportHar, &QAction::triggered, this,
            [this] { exportWithDialog(true, ExportScope::AllBuffered); });
    connect(m_exportJsonLines, &QAction::triggered, this,
            [this] { exportWithDialog(false, ExportScope::AllBuffered); });
    connect(m_exportShownHar, &QAction::triggered, this,
            [this] { exportWithDialog(true, ExportScope::ShownRows); });
    connect(m_exportShownJsonLines, &QAction::triggered, this,
            [this] { exportWithDialog(false, ExportScope::ShownRows); });
    connect(m_quit, &QAction::triggered, this, &QWidget::close);

    QMenu *file = menuBar()->addMenu(tr("&File"));
    // Client connections (ui/clientspanel.h): the pane is placed in createLayout().
    m_clients = new ClientsPanel(new ClientConnectionList(this), this);
    file->addAction(m_clients->newConnectionAction());
    file->addMenu(m_clients->savedConnectionsMenu());
    file->addSeparator();
    file->addAction(m_importHar);
    file->addAction(m_exportHar);
    file->addAction(m_exportJsonLines);
    file->addAction(m_exportShownHar);
    file->addAction(m_exportShownJsonLines);
    file->addSeparator();
    file->addAction(m_attach->attachAction());
    file->addAction(m_attach->detachAction());
    file->addSeparator();
    file->addAction(m_quit);
    QMenu *serverMenu = menuBar()->addMenu(tr("&Server"));
    serverMenu->addAction(m_start);
    serverMenu->addAction(m_stop);
    serverMenu->addSeparator();
    serverMenu->addAction(tr("Load mock rules\u2026"), this, [this] {
        if (auto *dock = findChild<QDockWidget *>(QStringLiteral("mockDock")))
            dock->raise();
        m_mockPanel->loadWithDialog();
    });
    QMenu *capture = menuBar()->addMenu(tr("&Capture"));
    capture->addAction(m_pause);
    capture->addAction(m_clear);
    capture->addAction(m_autoScroll);
    capture->addAction(m_linkTree);
    // Record and replay (docs/record-replay.md)
    m_replay = new QAction(tr("&Replay recording\u2026"), this);
    m_replay->setToolTip(tr("Replay a recorded client session against a server and show what differs"));
    connect(m_replay, &QAction::triggered, this, &MainWindow::openReplayDialog);
    QMenu *tools = menuBar()->addMenu(tr("&Tools"));
    tools->addAction(m_replay);

    QToolBar *toolbar = addToolBar(tr("Main"));
    toolbar->setObjectName(QStringLiteral("mainToolBar"));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->addAction(m_start);
    toolbar->addAction(m_stop);
    toolbar->addSeparator();
    toolbar->addAction(m_pause);
    toolbar->addAction(m_clear);
    toolbar->addAction(m_autoScroll);
    toolbar->addAction(m_linkTree);
    toolbar->addSeparator();
    toolbar->addAction(m_importHar);
    toolbar->addAction(m_exportHar);
}

void MainWindow::createLayout()
{
    ServerMonitor *monitor = m_monitor;

    // Traffic: filters, table, details
    m_table = new QTableView(this);
    m_table->setModel(m_proxy);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setShowGrid(false);
    m_table->setWordWrap(false);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    // The argument summary is what people read: shown right after the event, wide.
    m_table->horizontalHeader()->moveSection(TrafficModel::SummaryColumn, TrafficModel::ArgsColumn + 1);
    m_table->setColumnWidth(TrafficModel::SummaryColumn, 380);
    m_table->horizontalHeader()->setHighlightSections(false);
    const QFontMetrics fm = m_table->fontMetrics();
    const std::pair<int, const char *> widths[] = {
        { TrafficModel::TimeColumn, "00:00:00.000_" },   { TrafficModel::DeltaColumn, "+000 ms" },
        { TrafficModel::DirectionColumn, "__out__" },    { TrafficModel::SourceColumn, "client 00_" },
        { TrafficModel::NamespaceColumn, "/namespace" }, { TrafficModel::SocketColumn, "AbCdEfGhIj" },
        { TrafficModel::TypeColumn, "BINARY_EVENT" },    { TrafficModel::EventColumn, "event-name" },
        { TrafficModel::AckColumn, "00 (000 ms)" },      { TrafficModel::ArgsColumn, "Args_" },
        { TrafficModel::SizeColumn, "000.0 KiB" },       { TrafficModel::TransportColumn, "websocket_" },
    };
    for (const auto &[column, sample] : widths)
        m_table->setColumnWidth(column, fm.horizontalAdvance(QLatin1String(sample)) + 8);
    // The source column appears with the first packet seen by something other than the server.
    m_table->setColumnHidden(TrafficModel::SourceColumn, true);
    connect(monitor->traffic(), &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex &, int first, int last) {
                if (!m_table->isColumnHidden(TrafficModel::SourceColumn))
                    return;
                const TrafficModel *traffic = m_monitor->traffic();
                for (int i = first; i <= last; ++i) {
                    if (!traffic->rowAt(i).source.isEmpty()) {
                        m_table->setColumnHidden(TrafficModel::SourceColumn, false);
                        return;
                    }
                }
            });
    m_filterBar = new TrafficFilterBar(m_proxy, monitor->tree(), this);
    m_details = new TrafficDetails(this);

    auto *trafficPane = new QWidget(this);
    auto *trafficLayout = new QVBoxLayout(trafficPane);
    trafficLayout->setContentsMargins(0, 0, 0, 0);
    trafficLayout->setSpacing(0);
    trafficLayout->addWidget(m_filterBar);
    trafficLayout->addWidget(m_table, 1);
    auto *central = new QSplitter(Qt::Vertical, this);
    central->addWidget(trafficPane);
    central->addWidget(m_details);
    central->setStretchFactor(0, 3);
    central->setStretchFactor(1, 2);
    setCentralWidget(central);

    // Server: settings and tree; details below
    m_settings = new ServerSettingsPanel(this);
    m_tree = new QTreeView(this);
    m_tree->setModel(monitor->tree());
    m_tree->setUniformRowHeights(true);
    m_tree->setContextMenuPolicy(Qt::CustomContextMenu);
    m_tree->header()->setStretchLastSection(true);
    m_tree->setColumnWidth(0, 220);
    auto *treePane = new QWidget(this);
    auto *treeLayout = new QVBoxLayout(treePane);
    treeLayout->setContentsMargins(0, 0, 0, 0);
    treeLayout->setSpacing(2);
    treeLayout->addWidget(m_attach->sourceCombo());
    treeLayout->addWidget(m_tree, 1);
    auto *serverPane = new QSplitter(Qt::Vertical, this);
    serverPane->addWidget(m_settings);
    serverPane->addWidget(treePane);
    serverPane->setStretchFactor(1, 1);
    auto *serverDock = new QDockWidget(tr("Server"), this);
    serverDock->setObjectName(QStringLiteral("serverDock"));
    serverDock->setWidget(serverPane);
    addDockWidget(Qt::LeftDockWidgetArea, serverDock);

    m_serverDetails = new ServerDetails(this);
    auto *detailsDock = new QDockWidget(tr("Details"), this);
    detailsDock->setObjectName(QStringLiteral("detailsDock"));
    detailsDock->setWidget(m_serverDetails);
    addDockWidget(Qt::LeftDockWidgetArea, detailsDock);

    m_composer = new EmitComposer(monitor, this);
    auto *composerDock = new QDockWidget(tr("Emit"), this);
    composerDock->setObjectName(QStringLiteral("composerDock"));
    composerDock->setWidget(m_composer);
    addDockWidget(Qt::RightDockWidgetArea, composerDock);
    m_charts = new ChartsPanel(monitor->stats(), this);
    auto *chartsDock = new QDockWidget(tr("Charts"), this);
    chartsDock->setObjectName(QStringLiteral("chartsDock"));
    chartsDock->setWidget(m_charts);
    addDockWidget(Qt::RightDockWidgetArea, chartsDock);
    tabifyDockWidget(composerDock, chartsDock);
    // Mock responders on the own server: a tab next to the composer.
    m_mockPanel = new MockRulesPanel(new MockResponder(m_server, this), monitor->traffic(), this);
    auto *mockDock = new QDockWidget(tr("Mock rules"), this);
    mockDock->setObjectName(QStringLiteral("mockDock"));
    mockDock->setWidget(m_mockPanel);
    addDockWidget(Qt::RightDockWidgetArea, mockDock);
    tabifyDockWidget(chartsDock, mockDock);
    auto *serversDock = new QDockWidget(tr("Attached servers"), this);
    serversDock->setObjectName(QStringLiteral("attachedServersDock"));
    serversDock->setWidget(m_attach->serversPanel());
    addDockWidget(Qt::RightDockWidgetArea, serversDock);
    tabifyDockWidget(chartsDock, serversDock);
    composerDock->raise();
    connect(m_attach, &AttachController::currentChanged, this, &MainWindow::showTreeSource);
    connect(m_attach, &AttachController::message, this,
            [this](const QString &text) { statusBar()->showMessage(text, 10000); });

    // Client connections: below the server tree; their packets go into the traffic log.
    auto *clientsDock = new QDockWidget(tr("Clients"), this);
    clientsDock->setObjectName(QStringLiteral("clientsDock"));
    clientsDock->setWidget(m_clients);
    addDockWidget(Qt::LeftDockWidgetArea, clientsDock);
    splitDockWidget(serverDock, clientsDock, Qt::Vertical);
    connect(m_clients->connections(), &ClientConnectionList::rowObserved, monitor->traffic(),
            &TrafficModel::addRow);
    connect(m_clients, &ClientsPanel::sourceSelected, this,
            [this](const QString &source, const QString &nsp) {
                if (m_linkTree->isChecked())
                    m_filterBar->setScopeSource(source, nsp);
            });
    connect(m_clients, &ClientsPanel::sourceCleared, this, [this] {
        if (m_linkTree->isChecked())
            m_filterBar->clearScope();
    });
    connect(m_clients, &ClientsPanel::emitRequested, this,
            [this, composerDock](const QString &connection, const QString &nsp) {
                m_composer->setClientTarget(connection, nsp);
                composerDock->raise();
                m_composer->eventEdit()->setFocus();
            });
    m_composer->setClientConnections(m_clients->connections());

    QMenu *view = menuBar()->addMenu(tr("&View"));
    for (QDockWidget *dock :
         { serverDock, clientsDock, detailsDock, composerDock, chartsDock, mockDock, serversDock })
        view->addAction(dock->toggleViewAction());

    // Status bar
    m_serverLabel = new QLabel(this);
    m_captureLabel = new QLabel(this);
    statusBar()->addWidget(m_serverLabel, 1);
    statusBar()->addPermanentWidget(m_captureLabel);

    // Wiring
    connect(m_settings, &ServerSettingsPanel::startRequested, this, &MainWindow::startServer);
    connect(m_settings, &ServerSettingsPanel::stopRequested, this, &MainWindow::stopServer);
    connect(m_settings, &ServerSettingsPanel::applyRequested, this, &MainWindow::applySettings);
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &MainWindow::onTreeCurrentChanged);
    connect(m_tree, &QTreeView::customContextMenuRequested, this, &MainWindow::showTreeContextMenu);
    connect(monitor->tree(), &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex &parent, int first, int last) {
                // New namespaces open with their sockets visible.
                if (parent.isValid())
                    return;
                for (int row = first; row <= last; ++row) {
                    const QModelIndex nsp = m_monitor->tree()->index(row, 0);
                    m_tree->expand(nsp);
                    m_tree->expand(m_monitor->tree()->index(0, 0, nsp));
                }
            });
    connect(monitor->tree(), &QAbstractItemModel::modelReset, this, &MainWindow::expandDefaults);
    connect(monitor, &ServerMonitor::treeUpdated, this, [this] {
        m_filterBar->refreshNamespaces();
        m_filterBar->updateRoomMembers();
        if (!m_serverDetails->currentRoom().isEmpty() || !m_serverDetails->currentSocket().isEmpty())
            showSelectedTreeNode();
    });
    expandDefaults();

    connect(m_table->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &MainWindow::onTrafficCurrentChanged);
    connect(m_table, &QTableView::customContextMenuRequested, this, &MainWindow::showTrafficContextMenu);
    connect(m_details, &TrafficDetails::pairedRowRequested, this, &MainWindow::selectSeq);
    connect(m_details, &TrafficDetails::editInComposerRequested, this, [this, composerDock] {
        if (const TrafficRow *row = currentRow()) {
            m_composer->loadFromRow(*row);
            composerDock->raise();
        }
    });
    // A row that got its ack or attachments: refresh the details if it is the one shown.
    connect(m_proxy, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
                const QModelIndex current = m_table->currentIndex();
                if (current.isValid() && current.row() >= topLeft.row() && current.row() <= bottomRight.row())
                    onTrafficCurrentChanged();
            });

    // Autoscroll: follow the bottom until the user scrolls up; scrolling back down resumes it.
    QScrollBar *bar = m_table->verticalScrollBar();
    connect(bar, &QScrollBar::rangeChanged, this, [this, bar](int, int max) {
        if (m_follow) {
            m_programmaticScroll = true;
            bar->setValue(max);
            m_programmaticScroll = false;
        }
    });
    connect(bar, &QScrollBar::valueChanged, this, [this, bar](int value) {
        if (m_programmaticScroll)
            return;
        const bool atBottom = value >= bar->maximum();
        if (atBottom != m_follow) {
            m_follow = atBottom;
            const QSignalBlocker blocker(m_autoScroll);
            m_autoScroll->setChecked(atBottom);
        }
    });

    connect(monitor->traffic(), &TrafficModel::flushed, this, &MainWindow::updateCaptureStatus);
    connect(monitor->traffic(), &TrafficModel::droppedCountChanged, this, &MainWindow::updateCaptureStatus);
    connect(monitor->traffic(), &QAbstractItemModel::modelReset, this, &MainWindow::updateCaptureStatus);
    connect(m_proxy, &TrafficFilterProxy::countsChanged, this, &MainWindow::updateCaptureStatus);

    // Server details actions
    connect(m_serverDetails, &ServerDetails::disconnectSocketRequested, this,
            [this](const QString &nsp, const QString &id) { disconnectSocket(nsp, id, false); });
    connect(m_serverDetails, &ServerDetails::disconnectClientRequested, this,
            [this](const QString &nsp, const QString &id) { disconnectSocket(nsp, id, true); });
    connect(m_serverDetails, &ServerDetails::joinRequested, this, &MainWindow::joinRoom);
    connect(m_serverDetails, &ServerDetails::leaveRequested, this, &MainWindow::leaveRoom);
    connect(m_serverDetails, &ServerDetails::emptyRoomRequested, this, &MainWindow::emptyRoom);
    connect(m_serverDetails, &ServerDetails::disconnectNamespaceRequested, this, [this](const QString &name) {
        AdminAttachment *attached = m_attach->current();
        report(attached ? attached->disconnectNamespace(name) : m_actions.disconnectNamespace(name));
    });
    connect(m_serverDetails, &ServerDetails::emitToRequested, this,
            [this, composerDock](const QString &nsp, const QString &room, const QString &socketId) {
                m_composer->setTarget(nsp, room, socketId);
                composerDock->raise();
                m_composer->eventEdit()->setFocus();
            });
    connect(m_serverDetails, &ServerDetails::filterSocketRequested, this,
            [this](const QString &nsp, const QString &id) {
                const auto socket = currentTree()->socket(nsp, id);
                m_filterBar->setScopeSocket(nsp, id, socket ? socket->engineSessionId : QString());
            });
    connect(m_serverDetails, &ServerDetails::filterRoomRequested, m_filterBar,
            &TrafficFilterBar::setScopeRoom);
    connect(m_serverDetails, &ServerDetails::filterNamespaceRequested, m_filterBar,
            &TrafficFilterBar::setScopeNamespace);
    connect(m_composer, &EmitComposer::sent, this, [this](const QString &description) {
        statusBar()->showMessage(tr("Sent %1").arg(description), 5000);
    });
}

void MainWindow::expandDefaults()
{
    ServerTreeModel *tree = currentTree();
    for (int row = 0; row < tree->rowCount(); ++row) {
        const QModelIndex nsp = tree->index(row, 0);
        m_tree->expand(nsp);
        m_tree->expand(tree->index(0, 0, nsp));
    }
}

ClientConnectionList *MainWindow::clientConnections() const
{
    return m_clients->connections();
}

quint16 MainWindow::listenPort() const
{
    return m_port;
}

void MainWindow::setListenPort(quint16 port)
{
    m_port = port;
    m_settings->setPort(port);
}

bool MainWindow::startServer()
{
    if (m_server->isListening())
        return true;
    ServerOptions options = m_server->options();
    options.engine = m_settings->options(options.engine);
    m_server->setOptions(options);
    m_port = m_settings->port();
    m_lastError.clear();
    if (!m_server->listen(QHostAddress::Any, m_port)) {
        m_lastError = tr("Cannot listen on port %1: %2").arg(m_port).arg(m_server->errorString());
        m_settings->setStatus(m_lastError, true);
        updateServerStatus();
        return false;
    }
    m_uptime.start();
    updateServerStatus();
    return true;
}

bool MainWindow::applySettings()
{
    ServerOptions options = m_server->options();
    options.engine = m_settings->options(options.engine);
    m_server->setOptions(options);
    m_lastError.clear();
    const quint16 port = m_settings->port();
    if (m_server->isListening() && port != 0 && port != m_server->serverPort()) {
        // A new port: listen again there (the old port's clients are disconnected).
        const QHostAddress address = m_server->serverAddress();
        m_server->close();
        m_port = port;
        if (!m_server->listen(address, port)) {
            m_lastError = tr("Cannot listen on port %1: %2").arg(port).arg(m_server->errorString());
            m_settings->setStatus(m_lastError, true);
            updateServerStatus();
            return false;
        }
    }
    statusBar()->showMessage(tr("Settings applied: sessions opened from now on use them."), 5000);
    updateServerStatus();
    return true;
}

void MainWindow::stopServer()
{
    m_server->close();
    m_uptime.invalidate();
    updateServerStatus();
}

void MainWindow::updateServerStatus()
{
    const bool running = m_server->isListening();
    m_settings->setRunning(running);
    m_start->setEnabled(!running);
    m_stop->setEnabled(running);
    m_attach->setOwnServerLabel(running ? tr("This inspector's server (:%1)").arg(m_server->serverPort())
                                        : tr("This inspector's server (stopped)"));
    QString text;
    if (running && !m_uptime.isValid())
        m_uptime.start(); // started listening elsewhere (the app, or a test)
    if (running) {
        const int clients = m_server->engine()->sessionCount();
        text = tr("Listening on %1:%2%3 \u00b7 %n client(s)", nullptr, clients)
                   .arg(m_server->serverAddress().toString())
                   .arg(m_server->serverPort())
                   .arg(m_server->engine()->options().path);
        text += QStringLiteral(" \u00b7 ") + tr("%n socket(s)", nullptr, m_monitor->tree()->socketCount())
            + QStringLiteral(" \u00b7 ")
            + tr("up %1").arg(uptimeText(m_uptime.isValid() ? m_uptime.elapsed() : 0));
        m_settings->setStatus(text);
    } else {
        text = tr("Stopped");
        if (m_lastError.isEmpty())
            m_settings->setStatus(text);
    }
    m_serverLabel->setText(text);
}

void MainWindow::updateCaptureStatus()
{
    const TrafficModel *traffic = m_monitor->traffic();
    QString text = tr("%1 shown").arg(m_proxy->countText());
    text += QStringLiteral(" \u00b7 ")
        + tr("%n dropped", nullptr, int(qMin<qint64>(traffic->droppedCount(), INT_MAX)));
    if (traffic->isPaused())
        text += QStringLiteral(" \u00b7 ") + tr("paused, %n waiting", nullptr, traffic->pendingCount());
    m_captureLabel->setText(text);
}

void MainWindow::setAutoScroll(bool on)
{
    m_follow = on;
    {
        const QSignalBlocker blocker(m_autoScroll);
        m_autoScroll->setChecked(on);
    }
    if (on) {
        m_programmaticScroll = true;
        m_table->scrollToBottom();
        m_programmaticScroll = false;
    }
}

void MainWindow::onTreeCurrentChanged()
{
    showSelectedTreeNode();
    if (!m_linkTree->isChecked())
        return;
    const QModelIndex index = m_tree->currentIndex();
    if (!index.isValid()) {
        m_filterBar->clearScope();
        return;
    }
    if (AdminAttachment *attached = m_attach->current())
        m_proxy->setSourceFilter(attached->source()); // the attached server's rows only
    const QString nsp = index.data(ServerTreeModel::NamespaceRole).toString();
    switch (ServerTreeModel::NodeType(index.data(ServerTreeModel::NodeTypeRole).toInt())) {
    case ServerTreeModel::SocketNode:
    case ServerTreeModel::MemberNode:
    case ServerTreeModel::SocketRoomNode: {
        const QString id = index.data(ServerTreeModel::SocketIdRole).toString();
        const auto socket = currentTree()->socket(nsp, id);
        m_filterBar->setScopeSocket(nsp, id, socket ? socket->engineSessionId : QString());
        break;
    }
    case ServerTreeModel::RoomNode:
        m_filterBar->setScopeRoom(nsp, index.data(ServerTreeModel::RoomRole).toString());
        break;
    case ServerTreeModel::NamespaceNode:
    case ServerTreeModel::SocketGroupNode:
    case ServerTreeModel::RoomGroupNode:
        m_filterBar->setScopeNamespace(nsp);
        break;
    }
}

void MainWindow::showSelectedTreeNode()
{
    const QModelIndex index = m_tree->currentIndex();
    if (!index.isValid()) {
        m_serverDetails->showNothing();
        return;
    }
    ServerTreeModel *tree = currentTree();
    const bool attached = m_attach->current();
    const QString nsp = index.data(ServerTreeModel::NamespaceRole).toString();
    switch (ServerTreeModel::NodeType(index.data(ServerTreeModel::NodeTypeRole).toInt())) {
    case ServerTreeModel::SocketNode:
    case ServerTreeModel::MemberNode:
    case ServerTreeModel::SocketRoomNode: {
        const QString id = index.data(ServerTreeModel::SocketIdRole).toString();
        // Fresh from the live socket when it is still there (user data has no change signal).
        std::optional<SocketSnapshot> snapshot;
        if (Socket *live = attached ? nullptr : m_monitor->findSocket(nsp, id))
            snapshot = m_server->socketSnapshot(live);
        else
            snapshot = tree->socket(nsp, id);
        if (snapshot) {
            // The tree knows about upgrades the snapshot may not reflect yet; keep the newer one.
            m_serverDetails->showSocket(*snapshot, m_monitor->session(snapshot->engineSessionId));
        } else {
            m_serverDetails->showSocketGone(nsp, id);
        }
        break;
    }
    case ServerTreeModel::RoomNode: {
        const QString room = index.data(ServerTreeModel::RoomRole).toString();
        m_serverDetails->showRoom(nsp, room, tree->members(nsp, room));
        break;
    }
    case ServerTreeModel::NamespaceNode:
    case ServerTreeModel::SocketGroupNode:
    case ServerTreeModel::RoomGroupNode:
        m_serverDetails->showNamespace(nsp, tree->socketCount(nsp), int(tree->rooms(nsp).size()));
        break;
    }
}

const TrafficRow *MainWindow::currentRow() const
{
    const QModelIndex index = m_table->currentIndex();
    if (!index.isValid())
        return nullptr;
    const QModelIndex source = m_proxy->mapToSource(index);
    if (!source.isValid())
        return nullptr;
    return &m_monitor->traffic()->rowAt(source.row());
}

void MainWindow::onTrafficCurrentChanged()
{
    const TrafficRow *row = currentRow();
    if (!row) {
        m_details->clear();
        return;
    }
    std::optional<TrafficRow> paired;
    if (row->pairSeq >= 0) {
        const int pairRow = m_monitor->traffic()->rowOfSeq(row->pairSeq);
        if (pairRow >= 0)
            paired = m_monitor->traffic()->rowAt(pairRow);
    }
    m_details->setRow(*row, paired, m_monitor->session(row->sessionId));
}

void MainWindow::selectSeq(qint64 seq)
{
    const int sourceRow = m_monitor->traffic()->rowOfSeq(seq);
    if (sourceRow < 0) {
        statusBar()->showMessage(tr("That packet is no longer in the buffer."), 5000);
        return;
    }
    const QModelIndex index = m_proxy->mapFromSource(m_monitor->traffic()->index(sourceRow, 0));
    if (!index.isValid()) {
        statusBar()->showMessage(tr("That packet is hidden by the filters."), 5000);
        return;
    }
    setAutoScroll(false);
    m_table->setCurrentIndex(index);
    m_table->scrollTo(index, QAbstractItemView::PositionAtCenter);
}

void MainWindow::showTrafficContextMenu(const QPoint &pos)
{
    const QModelIndex index = m_table->indexAt(pos);
    if (!index.isValid())
        return;
    m_table->setCurrentIndex(index);
    const TrafficRow *current = currentRow();
    if (!current)
        return;
    const TrafficRow row = *current;
    QMenu menu(this);
    QAction *edit = menu.addAction(Icons::icon(QStringLiteral("send")), tr("Edit in composer"));
    QAction *resend = menu.addAction(tr("Re-send to this socket"));
    edit->setEnabled(row.kind == PacketKind::Event);
    resend->setEnabled(row.kind == PacketKind::Event && !row.socketId.isEmpty());
    menu.addSeparator();
    QAction *bySocket = menu.addAction(tr("Only this socket"));
    bySocket->setEnabled(!row.socketId.isEmpty());
    QAction *byClient = menu.addAction(tr("Only this client"));
    QAction *onlyEvent = menu.addAction(tr("Only event \u201c%1\u201d").arg(row.event));
    QAction *hideEvent = menu.addAction(tr("Hide event \u201c%1\u201d").arg(row.event));
    onlyEvent->setEnabled(!row.event.isEmpty());
    hideEvent->setEnabled(!row.event.isEmpty());
    menu.addSeparator();
    QAction *paired = menu.addAction(tr("Select the paired emit/ack"));
    paired->setEnabled(row.pairSeq >= 0);
    QAction *copy = menu.addAction(tr("Copy wire form"));
    QAction *chosen = menu.exec(m_table->viewport()->mapToGlobal(pos));
    if (!chosen)
        return;
    if (chosen == edit || chosen == resend) {
        m_composer->loadFromRow(row);
        if (chosen == resend && !m_composer->send())
            statusBar()->showMessage(m_composer->lastError(), 5000);
    } else if (chosen == bySocket) {
        const auto socket = m_monitor->tree()->socket(row.nsp, row.socketId);
        m_filterBar->setScopeSocket(row.nsp, row.socketId, socket ? socket->engineSessionId : row.sessionId);
    } else if (chosen == byClient) {
        m_filterBar->setScopeSession(row.sessionId);
    } else if (chosen == onlyEvent) {
        m_filterBar->includeEdit()->setText(row.event);
    } else if (chosen == hideEvent) {
        QString text = m_filterBar->excludeEdit()->text().trimmed();
        if (!text.isEmpty())
            text += QStringLiteral(", ");
        m_filterBar->excludeEdit()->setText(text + row.event);
    } else if (chosen == paired) {
        selectSeq(row.pairSeq);
    } else if (chosen == copy) {
        QApplication::clipboard()->setText(row.binary ? QString::fromLatin1(row.data.toHex())
                                                      : QString::fromUtf8(row.wire()));
    }
}

void MainWindow::showTreeContextMenu(const QPoint &pos)
{
    const QModelIndex index = m_tree->indexAt(pos);
    if (!index.isValid())
        return;
    const QString nsp = index.data(ServerTreeModel::NamespaceRole).toString();
    const auto type = ServerTreeModel::NodeType(index.data(ServerTreeModel::NodeTypeRole).toInt());
    QMenu menu(this);
    if (type == ServerTreeModel::SocketNode || type == ServerTreeModel::MemberNode) {
        const QString id = index.data(ServerTreeModel::SocketIdRole).toString();
        menu.addAction(tr("Disconnect socket"), this, [this, nsp, id] { disconnectSocket(nsp, id, false); });
        menu.addAction(tr("Disconnect client"), this, [this, nsp, id] { disconnectSocket(nsp, id, true); });
        menu.addAction(tr("Emit to this socket\u2026"), this, [this, nsp, id] {
            m_composer->setTarget(nsp, QString(), id);
            m_composer->eventEdit()->setFocus();
        });
    } else if (type == ServerTreeModel::SocketRoomNode) {
        const QString id = index.data(ServerTreeModel::SocketIdRole).toString();
        const QString room = index.data(ServerTreeModel::RoomRole).toString();
        menu.addAction(tr("Leave room %1").arg(room), this,
                       [this, nsp, id, room] { leaveRoom(nsp, id, room); });
    } else if (type == ServerTreeModel::RoomNode) {
        const QString room = index.data(ServerTreeModel::RoomRole).toString();
        menu.addAction(tr("Empty room"), this, [this, nsp, room] { emptyRoom(nsp, room); });
        menu.addAction(tr("Emit to this room\u2026"), this, [this, nsp, room] {
            m_composer->setTarget(nsp, room, QString());
            m_composer->eventEdit()->setFocus();
        });
    } else if (type == ServerTreeModel::NamespaceNode) {
        menu.addAction(tr("Emit to this namespace\u2026"), this, [this, nsp] {
            m_composer->setTarget(nsp, QString(), QString());
            m_composer->eventEdit()->setFocus();
        });
        menu.addAction(tr("Disconnect all sockets"), this, [this, nsp] {
            AdminAttachment *attached = m_attach->current();
            report(attached ? attached->disconnectNamespace(nsp) : m_actions.disconnectNamespace(nsp));
        });
    }
    if (!menu.isEmpty())
        menu.exec(m_tree->viewport()->mapToGlobal(pos));
}

bool MainWindow::report(const ServerActions::Outcome &outcome)
{
    if (outcome.ok) {
        statusBar()->showMessage(outcome.message, 5000);
    } else {
        // Attached servers say why (read-only, not connected); the own server's target is gone.
        m_lastError = outcome.message.isEmpty() ? tr("The socket or namespace is gone.") : outcome.message;
        statusBar()->showMessage(m_lastError, 5000);
    }
    return outcome.ok;
}

bool MainWindow::disconnectSocket(const QString &nsp, const QString &socketId, bool wholeClient)
{
    if (AdminAttachment *attached = m_attach->current())
        return report(attached->disconnectSocket(nsp, socketId, wholeClient));
    return report(m_actions.disconnectSocket(nsp, socketId, wholeClient));
}

bool MainWindow::joinRoom(const QString &nsp, const QString &socketId, const QString &room)
{
    if (AdminAttachment *attached = m_attach->current())
        return report(attached->joinRoom(nsp, socketId, room));
    return report(m_actions.joinRoom(nsp, socketId, room));
}

bool MainWindow::leaveRoom(const QString &nsp, const QString &socketId, const QString &room)
{
    if (AdminAttachment *attached = m_attach->current())
        return report(attached->leaveRoom(nsp, socketId, room));
    return report(m_actions.leaveRoom(nsp, socketId, room));
}

bool MainWindow::emptyRoom(const QString &nsp, const QString &room)
{
    if (AdminAttachment *attached = m_attach->current())
        return report(attached->emptyRoom(nsp, room));
    return report(m_actions.emptyRoom(nsp, room));
}

bool MainWindow::selectSocket(const QString &nsp, const QString &socketId)
{
    m_monitor->flushTree();
    if (AdminAttachment *attached = m_attach->current())
        attached->flushTree();
    const QModelIndex index = currentTree()->socketIndex(nsp, socketId);
    if (!index.isValid())
        return false;
    m_tree->setCurrentIndex(index);
    return true;
}

bool MainWindow::selectRoom(const QString &nsp, const QString &room)
{
    m_monitor->flushTree();
    if (AdminAttachment *attached = m_attach->current())
        attached->flushTree();
    const QModelIndex index = currentTree()->roomIndex(nsp, room);
    if (!index.isValid())
        return false;
    m_tree->setCurrentIndex(index);
    return true;
}

bool MainWindow::selectNamespace(const QString &nsp)
{
    m_monitor->flushTree();
    if (AdminAttachment *attached = m_attach->current())
        attached->flushTree();
    const QModelIndex index = currentTree()->namespaceIndex(nsp);
    if (!index.isValid())
        return false;
    m_tree->setCurrentIndex(index);
    return true;
}

ServerTreeModel *MainWindow::currentTree() const
{
    AdminAttachment *attached = m_attach->current();
    return attached ? attached->tree() : m_monitor->tree();
}

AdminAttachment *MainWindow::attachTo(const AttachOptions &options)
{
    if (options.username.isEmpty() || !options.password.isEmpty())
        return m_attach->attach(options);
    AttachDialog dialog(this);
    dialog.setOptions(options);
    dialog.passwordEdit()->setFocus();
    return dialog.exec() == QDialog::Accepted ? m_attach->attach(dialog.options()) : nullptr;
}

void MainWindow::showTreeSource(AdminAttachment *attachment)
{
    ServerTreeModel *tree = attachment ? attachment->tree() : m_monitor->tree();
    if (m_tree->model() != tree) {
        m_tree->setModel(tree);
        connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this,
                &MainWindow::onTreeCurrentChanged);
        if (attachment) {
            // The attached tree's new namespaces open as the own server's do.
            connect(tree, &QAbstractItemModel::modelReset, this, &MainWindow::expandDefaults,
                    Qt::UniqueConnection);
            connect(attachment, &AdminAttachment::treeUpdated, this, &MainWindow::expandDefaults,
                    Qt::UniqueConnection);
        }
        expandDefaults();
    }
    m_serverDetails->showNothing();
    if (m_linkTree->isChecked())
        m_proxy->setSourceFilter(attachment ? attachment->source() : QString());
    if (attachment) {
        // The attached servers' source labels are longer than the client connections'.
        const int width =
            m_table->fontMetrics().horizontalAdvance(attachment->source() + QLatin1Char('_')) + 8;
        m_table->setColumnWidth(TrafficModel::SourceColumn,
                                qMax(m_table->columnWidth(TrafficModel::SourceColumn), width));
    }
    // The composer sends through the admin "emit" command to an attached server.
    if (attachment) {
        m_composer->setRemoteSender(
            [attachment](const ComposerMessage &m, const QVariantList &args, QString *error) {
                if (m.ack || !m.except.isEmpty()) {
                    *error = tr("The admin emit command takes no ack and no excluded rooms.");
                    return false;
                }
                const QString filter = m.target == ComposerMessage::Target::Room ? m.room
                    : m.target == ComposerMessage::Target::Socket                ? m.socketId
                                                                                 : QString();
                const ServerActions::Outcome outcome = attachment->emitEvent(m.nsp, filter, m.event, args);
                if (!outcome.ok)
                    *error = outcome.message;
                return outcome.ok;
            });
    } else {
        m_composer->setRemoteSender({});
    }
}

void MainWindow::stageShowcase()
{
    m_monitor->flushTree();
    m_monitor->traffic()->flush();
    if (AdminAttachment *attached = m_attach->current())
        attached->flushTree();
    ServerTreeModel *tree = currentTree(); // an attached server's when the selector shows one
    QString nsp;
    for (const QString &name : tree->namespaces()) {
        if (nsp.isEmpty() || tree->socketCount(name) > tree->socketCount(nsp)
            || name == QLatin1String("/chat"))
            nsp = name;
    }
    const QModelIndex sockets = tree->index(0, 0, tree->namespaceIndex(nsp));
    const QModelIndex first = tree->index(0, 0, sockets);
    if (first.isValid()) {
        m_linkTree->setChecked(false); // show everyone's traffic, with the socket's details
        m_tree->setCurrentIndex(first);
        m_tree->expand(first);
        m_composer->setTarget(nsp, QString(), first.data(ServerTreeModel::SocketIdRole).toString());
        m_composer->eventEdit()->setText(QStringLiteral("notice"));
        m_composer->clearArguments();
        m_composer->addArgument(ArgumentEditor::Kind::Json,
                                QStringLiteral("{\"text\": \"Hello from the inspector\"}"));
        m_composer->ackCheck()->setChecked(!m_attach->current()); // the admin emit has no acks
    }
    if (m_attach->current()) {
        if (auto *dock = findChild<QDockWidget *>(QStringLiteral("attachedServersDock")))
            dock->raise();
    }
    m_tree->expand(tree->index(1, 0, tree->namespaceIndex(nsp)));
    m_clients->stageShowcase();
    // The latest emit that got its ack.
    for (int row = m_proxy->rowCount() - 1; row >= 0; --row) {
        const TrafficRow &r = m_monitor->traffic()->rowAt(m_proxy->mapToSource(m_proxy->index(row, 0)).row());
        if (r.kind == PacketKind::Event && r.pairSeq >= 0 && r.argCount > 0) {
            setAutoScroll(false);
            m_table->setCurrentIndex(m_proxy->index(row, 0));
            m_table->scrollTo(m_proxy->index(row, 0), QAbstractItemView::PositionAtCenter);
            break;
        }
    }
}

QList<TrafficRow> MainWindow::rowsToExport(ExportScope scope) const
{
    const TrafficModel *traffic = m_monitor->traffic();
    QList<TrafficRow> rows;
    if (scope == ExportScope::AllBuffered) {
        rows.reserve(traffic->rowCount());
        for (int i = 0; i < traffic->rowCount(); ++i)
            rows.append(traffic->rowAt(i));
    } else {
        rows.reserve(m_proxy->rowCount());
        for (int i = 0; i < m_proxy->rowCount(); ++i)
            rows.append(traffic->rowAt(m_proxy->mapToSource(m_proxy->index(i, 0)).row()));
    }
    return rows;
}

bool MainWindow::exported(bool ok, const QString &fileName, int rows)
{
    if (ok)
        statusBar()->showMessage(tr("Exported %n packet(s) to %1", nullptr, rows).arg(fileName), 5000);
    return ok;
}

void MainWindow::exportWithDialog(bool har, ExportScope scope)
{
    const QString title = har ? tr("Export HAR") : tr("Export JSON Lines");
    const QString file = har
        ? QFileDialog::getSaveFileName(this, title, QStringLiteral("socketio.har"), tr("HAR files (*.har)"))
        : QFileDialog::getSaveFileName(this, title, QStringLiteral("socketio.jsonl"),
                                       tr("JSON Lines (*.jsonl *.ndjson)"));
    if (file.isEmpty())
        return;
    const bool ok = har ? exportHar(file, scope) : exportJsonLines(file, scope);
    if (!ok)
        QMessageBox::warning(this, title, m_lastError);
}

bool MainWindow::exportHar(const QString &fileName, ExportScope scope)
{
    const QList<TrafficRow> rows = rowsToExport(scope);
    const QString host =
        QStringLiteral("localhost:%1").arg(m_server->isListening() ? m_server->serverPort() : m_port);
    const bool ok = TrafficArchive::writeHar(
        fileName, rows, [this](const QString &sid) { return m_monitor->session(sid); }, host, &m_lastError);
    return exported(ok, fileName, int(rows.size()));
}

bool MainWindow::exportJsonLines(const QString &fileName, ExportScope scope)
{
    const QList<TrafficRow> rows = rowsToExport(scope);
    return exported(TrafficArchive::writeJsonLines(fileName, rows, &m_lastError), fileName, int(rows.size()));
}

bool MainWindow::importHar(const QString &fileName)
{
    const auto rows = TrafficArchive::readHar(fileName, &m_lastError);
    if (!rows)
        return false;
    // Looking at a recording: live capture waits until resumed.
    m_monitor->traffic()->setPaused(true);
    m_monitor->traffic()->setRows(*rows);
    m_details->clear();
    statusBar()->showMessage(
        tr("Imported %n packet(s) from %1; capture is paused", nullptr, int(rows->size())).arg(fileName),
        10000);
    return true;
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    if (m_shown)
        return;
    m_shown = true;
    if (!m_stateRestored) {
        // First run: most of the width for the traffic log (docks only take sizes once laid out).
        const int side = qBound(260, width() / 5, 360);
        resizeDocks({ findChild<QDockWidget *>(QStringLiteral("serverDock")),
                      findChild<QDockWidget *>(QStringLiteral("composerDock")) },
                    { side, side }, Qt::Horizontal);
        // The left column: the server tree first, then the clients, then the details.
        const int h = height();
        resizeDocks({ findChild<QDockWidget *>(QStringLiteral("serverDock")),
                      findChild<QDockWidget *>(QStringLiteral("clientsDock")),
                      findChild<QDockWidget *>(QStringLiteral("detailsDock")) },
                    { h * 45 / 100, h * 30 / 100, h * 25 / 100 }, Qt::Vertical);
    }
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    QMainWindow::closeEvent(event);
}

ReplayDialog *MainWindow::openReplayDialog()
{
    if (!m_replayDialog) {
        m_replayDialog = new ReplayDialog(this);
        connect(m_replayDialog, &ReplayDialog::rowObserved, m_monitor->traffic(), &TrafficModel::addRow);
    }
    m_replayDialog->show();
    m_replayDialog->raise();
    m_replayDialog->activateWindow();
    return m_replayDialog;
}

} // namespace Inspector
