// SPDX-License-Identifier: MIT
#pragma once

#include "adminattachment.h"

#include <QDialog>
#include <QObject>

#include <functional>

QT_BEGIN_NAMESPACE
class QAction;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QStackedWidget;
class QTreeWidget;
class QWidget;
QT_END_NAMESPACE

namespace Inspector {

class HeadlessPrinter;
class TrafficModel;

// The password for attaching: SOCKETIO_ADMIN_PASSWORD (never a command-line argument).
QString adminPasswordFromEnvironment();

// File > Attach to server...: URL, admin namespace, user, password (prefilled from
// SOCKETIO_ADMIN_PASSWORD), "raw packets if available".
class AttachDialog : public QDialog
{
    Q_OBJECT
public:
    explicit AttachDialog(QWidget *parent = nullptr);

    AttachOptions options() const;
    void setOptions(const AttachOptions &options);

    QLineEdit *urlEdit() const { return m_url; }
    QLineEdit *namespaceEdit() const { return m_nsp; }
    QLineEdit *userEdit() const { return m_user; }
    QLineEdit *passwordEdit() const { return m_password; }
    QCheckBox *rawPacketsCheck() const { return m_raw; }

private:
    QLineEdit *m_url;
    QLineEdit *m_nsp;
    QLineEdit *m_user;
    QLineEdit *m_password;
    QCheckBox *m_raw;
};

// --headless --attach URL: the attachments' traffic and notes on the printer; errors on stderr.
// The application exits with 1 when every attachment failed for good (a refused login).
class HeadlessAttach : public QObject
{
    Q_OBJECT
public:
    HeadlessAttach(HeadlessPrinter *printer, QObject *parent = nullptr);
    AdminAttachment *attach(const AttachOptions &options);
    QList<AdminAttachment *> attachments() const { return m_attachments; }

private:
    HeadlessPrinter *m_printer;
    QList<AdminAttachment *> m_attachments;
};

// The window's attached servers: a source selector above the server tree ("This inspector's
// server (:3000)", "Attached: host:port", ...), the Servers dock (the fleet's servers of every
// attachment, and the charts of the selected one), the Attach and Detach actions; every
// attachment's rows go into the window's one traffic log.
class AttachController : public QObject
{
    Q_OBJECT
public:
    AttachController(TrafficModel *traffic, QWidget *window);

    // The attachment the selector shows; null for the inspector's own server.
    AdminAttachment *current() const;
    QList<AdminAttachment *> attachments() const { return m_attachments; }
    AdminAttachment *attach(const AttachOptions &options);
    void detach(AdminAttachment *attachment);
    // Shows source index (0: own server, 1..: attachments in order).
    void setCurrentIndex(int index);
    void setOwnServerLabel(const QString &text);

    QComboBox *sourceCombo() const { return m_combo; }
    QWidget *serversPanel() const { return m_panel; }
    QTreeWidget *serversList() const { return m_servers; }
    QAction *attachAction() const { return m_attachAction; }
    QAction *detachAction() const { return m_detachAction; }

    // Asks with AttachDialog, then attaches.
    void attachWithDialog();

Q_SIGNALS:
    // The selector changed: show this tree (null: the own server's).
    void currentChanged(Inspector::AdminAttachment *attachment);
    void message(const QString &text);

private:
    void refreshServers();
    void updateLabel(AdminAttachment *attachment);

    TrafficModel *m_traffic;
    QWidget *m_window;
    QList<AdminAttachment *> m_attachments;
    QComboBox *m_combo;
    QWidget *m_panel;
    QTreeWidget *m_servers;
    QStackedWidget *m_charts;
    QLabel *m_state;
    QAction *m_attachAction;
    QAction *m_detachAction;
};

} // namespace Inspector
