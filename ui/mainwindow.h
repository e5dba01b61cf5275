// SPDX-License-Identifier: MIT
#pragma once

#include "serveractions.h"

#include <QElapsedTimer>
#include <QMainWindow>
#include <QTimer>

QT_BEGIN_NAMESPACE
class QAction;
class QLabel;
class QTableView;
class QTreeView;
QT_END_NAMESPACE

namespace SocketIo {
class Server;
}

namespace Inspector {

class AdminAttachment;
class AttachController;
class ChartsPanel;
class ClientConnectionList;
class ClientsPanel;
class ReplayDialog;
class EmitComposer;
class MockResponder;
class MockRulesPanel;
class ServerTreeModel;
struct AttachOptions;
class ServerDetails;
class ServerMonitor;
class ServerSettingsPanel;
class TrafficDetails;
class TrafficFilterBar;
class TrafficFilterProxy;
struct TrafficRow;

// The inspector's window around one SocketIo::Server (not owned): settings and start/stop, the
// namespaces/sockets/rooms tree with details and actions, the live traffic log with filters and
// details, the emit composer and the charts.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(SocketIo::Server *server, QWidget *parent = nullptr);
    ~MainWindow() override;

    ServerMonitor *monitor() const { return m_monitor; }
    quint16 listenPort() const;
    void setListenPort(quint16 port);

    bool startServer();
    void stopServer();
    // Applies the settings panel to the running server (Server::setOptions(); a new port
    // listens again).
    bool applySettings();

    // What an export writes: every row in the buffer, or only those the filters show.
    enum class ExportScope { AllBuffered, ShownRows };
    bool exportHar(const QString &fileName, ExportScope scope = ExportScope::AllBuffered);
    bool exportJsonLines(const QString &fileName, ExportScope scope = ExportScope::AllBuffered);
    bool importHar(const QString &fileName);
    // Tools > Replay recording…: the (non-modal) replay dialog, its traffic fed into the log.
    ReplayDialog *openReplayDialog();
    QString lastError() const { return m_lastError; }

    // Selects a node in the tree (and so filters the traffic when linked).
    bool selectSocket(const QString &nsp, const QString &socketId);
    bool selectRoom(const QString &nsp, const QString &room);
    bool selectNamespace(const QString &nsp);

    // Presents a populated window (used by --screenshot): the first socket of the busiest
    // namespace selected, its latest acknowledged emit open in the details, the composer filled.
    void stageShowcase();

    bool isAutoScroll() const { return m_follow; }
    void setAutoScroll(bool on);

    // Attached servers (docs/attach.md): the selector above the tree chooses which one the tree,
    // the details, the actions and the composer are about. attachTo() asks for the password
    // with a dialog when a user name is given without one.
    AttachController *attachments() const { return m_attach; }
    AdminAttachment *attachTo(const AttachOptions &options);
    ServerTreeModel *currentTree() const;

    // Actions on the live server (or the attached server the selector shows), by id (what the
    // buttons and menus call)
    bool disconnectSocket(const QString &nsp, const QString &socketId, bool wholeClient);
    bool joinRoom(const QString &nsp, const QString &socketId, const QString &room);
    bool leaveRoom(const QString &nsp, const QString &socketId, const QString &room);
    bool emptyRoom(const QString &nsp, const QString &room);

    // Parts, for tests and the app
    QTreeView *serverTree() const { return m_tree; }
    QTableView *trafficView() const { return m_table; }
    TrafficFilterProxy *trafficProxy() const { return m_proxy; }
    TrafficFilterBar *filterBar() const { return m_filterBar; }
    TrafficDetails *trafficDetails() const { return m_details; }
    ServerDetails *serverDetails() const { return m_serverDetails; }
    EmitComposer *composer() const { return m_composer; }
    ChartsPanel *charts() const { return m_charts; }
    // The client connections (the "Clients" pane).
    ClientsPanel *clientsPanel() const { return m_clients; }
    ClientConnectionList *clientConnections() const;
    MockRulesPanel *mockRules() const { return m_mockPanel; }
    MockResponder *mockResponder() const; // the own server's mock rules (owned by the window)
    ServerSettingsPanel *settingsPanel() const { return m_settings; }
    QAction *pauseAction() const { return m_pause; }
    QAction *autoScrollAction() const { return m_autoScroll; }
    QAction *linkTreeAction() const { return m_linkTree; }
    QAction *replayAction() const { return m_replay; }
    QLabel *captureLabel() const { return m_captureLabel; }
    QLabel *serverLabel() const { return m_serverLabel; }

protected:
    void closeEvent(QCloseEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    void createActions();
    void createLayout();
    void updateServerStatus();
    void updateCaptureStatus();
    void onTreeCurrentChanged();
    void showSelectedTreeNode();
    void onTrafficCurrentChanged();
    void showTrafficContextMenu(const QPoint &pos);
    void showTreeContextMenu(const QPoint &pos);
    void selectSeq(qint64 seq);
    void expandDefaults();
    void showTreeSource(AdminAttachment *attachment);
    bool report(const ServerActions::Outcome &outcome);
    const TrafficRow *currentRow() const;
    QList<TrafficRow> rowsToExport(ExportScope scope) const;
    bool exported(bool ok, const QString &fileName, int rows);
    void exportWithDialog(bool har, ExportScope scope);

    SocketIo::Server *m_server;
    ServerMonitor *m_monitor;
    ServerActions m_actions;
    AttachController *m_attach = nullptr;
    TrafficFilterProxy *m_proxy;
    QTreeView *m_tree = nullptr;
    QTableView *m_table = nullptr;
    TrafficFilterBar *m_filterBar = nullptr;
    TrafficDetails *m_details = nullptr;
    ServerDetails *m_serverDetails = nullptr;
    EmitComposer *m_composer = nullptr;
    ChartsPanel *m_charts = nullptr;
    ClientsPanel *m_clients = nullptr;
    MockRulesPanel *m_mockPanel = nullptr;
    ServerSettingsPanel *m_settings = nullptr;
    QLabel *m_serverLabel = nullptr;
    QLabel *m_captureLabel = nullptr;
    QAction *m_start = nullptr;
    QAction *m_stop = nullptr;
    QAction *m_pause = nullptr;
    QAction *m_clear = nullptr;
    QAction *m_autoScroll = nullptr;
    QAction *m_linkTree = nullptr;
    QAction *m_importHar = nullptr;
    QAction *m_exportHar = nullptr;
    QAction *m_exportJsonLines = nullptr;
    QAction *m_exportShownHar = nullptr;
    QAction *m_exportShownJsonLines = nullptr;
    QAction *m_quit = nullptr;
    QAction *m_replay = nullptr;
    ReplayDialog *m_replayDialog = nullptr;
    QTimer m_statusTimer;
    QElapsedTimer m_uptime;
    quint16 m_port = 3000;
    bool m_follow = true;
    bool m_stateRestored = false;
    bool m_shown = false;
    bool m_programmaticScroll = false;
    QString m_lastError;
};

} // namespace Inspector
