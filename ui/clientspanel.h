// SPDX-License-Identifier: MIT
#pragma once

#include "clientconnection.h"

#include <QDialog>
#include <QTimer>
#include <QWidget>

QT_BEGIN_NAMESPACE
class QAction;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QMenu;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTabWidget;
class QToolButton;
class QTreeWidget;
class QTreeWidgetItem;
QT_END_NAMESPACE

namespace Inspector {

// "New client connection": URL, path, namespaces, auth, headers, query, transports, Engine.IO v3,
// CA file, reconnection and a name; a saved connection can be loaded into it.
class ClientConnectionDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ClientConnectionDialog(QWidget *parent = nullptr);

    ClientConnectionOptions options() const;
    void setOptions(const ClientConnectionOptions &options);
    // Keep the connection among the saved ones when accepted.
    bool saveRequested() const;

    QLineEdit *urlEdit() const { return m_url; }
    QLineEdit *nameEdit() const { return m_name; }
    QLineEdit *namespacesEdit() const { return m_namespaces; }
    QPlainTextEdit *authEdit() const { return m_auth; }
    QPlainTextEdit *headersEdit() const { return m_headers; }
    QComboBox *transportsCombo() const { return m_transports; }
    QCheckBox *eio3Check() const { return m_eio3; }
    QComboBox *savedCombo() const { return m_saved; }
    QLabel *errorLabel() const { return m_error; }

    void accept() override;

private:
    void reloadSaved();

    QComboBox *m_saved;
    QLineEdit *m_name;
    QLineEdit *m_url;
    QLineEdit *m_path;
    QLineEdit *m_namespaces;
    QPlainTextEdit *m_auth;
    QPlainTextEdit *m_headers;
    QLineEdit *m_query;
    QComboBox *m_transports;
    QCheckBox *m_eio3;
    QLineEdit *m_ca;
    QCheckBox *m_reconnection;
    QSpinBox *m_attempts;
    QCheckBox *m_save;
    QLabel *m_error;
};

// The "Clients" pane: a tree (Clients -> connection -> namespaces, with state, transport, ping and
// socket ids), buttons and a context menu (new, connect namespace, reconnect, disconnect, remove,
// save) and the selected connection's details: overview, pinned listeners with their latest
// arguments, the event list (optionally only pinned events) and the replies to the server's acks.
class ClientsPanel : public QWidget
{
    Q_OBJECT
public:
    enum Role { KindRole = Qt::UserRole + 1, NameRole, NamespaceRole };
    enum Kind { RootItem, ConnectionItem, NamespaceItem };

    explicit ClientsPanel(ClientConnectionList *connections, QWidget *parent = nullptr);

    ClientConnectionList *connections() const { return m_connections; }
    // Adds and opens a connection.
    ClientConnection *addConnection(const ClientConnectionOptions &options);
    ClientConnection *currentConnection() const;
    QString currentNamespace() const;
    bool selectConnection(const QString &name, const QString &nsp = {});

    // Dialogs (what the buttons do)
    void newConnection();
    void connectNamespaceDialog();
    // Actions on the current connection
    void reconnectCurrent();
    void disconnectCurrent();
    void removeCurrent();
    void saveCurrent();
    // Records the selected connection's session into fileName (docs/record-replay.md); the Record
    // button asks for the file. False (with a message box in the window) when it cannot.
    bool recordCurrent(const QString &fileName);
    void stopRecordingCurrent();
    void pinEvent(const QString &event);
    // Opens the dialog on the current connection's options and replaces it with what is accepted.
    void editCurrent();
    // For --screenshot: the first connection selected, its latest event pinned.
    void stageShowcase();

    QAction *newConnectionAction() const { return m_newAction; }
    QMenu *savedConnectionsMenu() const { return m_savedMenu; }

    // For tests
    QTreeWidget *tree() const { return m_tree; }
    QTreeWidgetItem *connectionItem(const QString &name) const;
    QTreeWidgetItem *namespaceItem(const QString &name, const QString &nsp) const;
    QLabel *overviewLabel() const { return m_overview; }
    QTreeWidget *pinnedTree() const { return m_pinned; }
    QTreeWidget *eventsTree() const { return m_events; }
    QTreeWidget *ackRepliesTree() const { return m_replies; }
    QCheckBox *onlyPinnedCheck() const { return m_onlyPinned; }
    QLineEdit *pinEdit() const { return m_pinEdit; }
    QPushButton *reconnectButton() const { return m_reconnect; }
    QPushButton *disconnectButton() const { return m_disconnect; }
    QPushButton *removeButton() const { return m_remove; }
    QPushButton *recordButton() const { return m_record; }
    QTabWidget *detailsTabs() const { return m_tabs; }

Q_SIGNALS:
    // A connection (or one of its namespaces) was selected: filter the traffic to its source.
    void sourceSelected(const QString &source, const QString &nsp);
    // The root or nothing is selected.
    void sourceCleared();
    // "Emit from this namespace…"
    void emitRequested(const QString &connection, const QString &nsp);

private:
    void onAdded(ClientConnection *connection);
    void onRemoved(ClientConnection *connection);
    void updateConnection(ClientConnection *connection);
    void onCurrentChanged();
    void updateButtons();
    void showDetails();
    void showOverview(ClientConnection *connection);
    void showPinned(ClientConnection *connection);
    void showEvents(ClientConnection *connection);
    void showReplies(ClientConnection *connection);
    void showContextMenu(const QPoint &pos);
    void fillSavedMenu();

    ClientConnectionList *m_connections;
    QTreeWidget *m_tree;
    QTreeWidgetItem *m_root;
    QPushButton *m_new;
    QPushButton *m_connectNsp;
    QPushButton *m_reconnect;
    QPushButton *m_disconnect;
    QPushButton *m_remove;
    QPushButton *m_save;
    QPushButton *m_record = nullptr;
    QTabWidget *m_tabs;
    QLabel *m_overview;
    QTreeWidget *m_pinned;
    QLineEdit *m_pinEdit;
    QTreeWidget *m_events;
    QCheckBox *m_onlyPinned;
    QTreeWidget *m_replies;
    QLineEdit *m_replyEvent;
    QLineEdit *m_replyJson;
    QAction *m_newAction;
    QMenu *m_savedMenu;
    QTimer m_refresh;
};

} // namespace Inspector
