// SPDX-License-Identifier: MIT
#pragma once

#include <SocketIo/engineoptions.h>

#include <QWidget>

QT_BEGIN_NAMESPACE
class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QToolButton;
QT_END_NAMESPACE

namespace Inspector {

// The server's settings (port, path, ping interval and timeout, CORS origins, transports) with
// the start/stop button and the state at a glance: listening address, clients, uptime. While the
// server runs, Apply changes them: sessions opened from then on use the new options (a new port
// means listening again there).
class ServerSettingsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit ServerSettingsPanel(QWidget *parent = nullptr);

    void setOptions(const SocketIo::EngineOptions &options, quint16 port);
    // base with the fields of the form applied.
    SocketIo::EngineOptions options(const SocketIo::EngineOptions &base) const;
    quint16 port() const;
    void setPort(quint16 port);

    void setRunning(bool running);
    void setStatus(const QString &text, bool error = false);
    // The form shown or folded away (the buttons and the status stay); remembered in QSettings.
    bool isExpanded() const;
    void setExpanded(bool expanded);

    QPushButton *startStopButton() const { return m_startStop; }
    QPushButton *applyButton() const { return m_apply; }
    QLabel *statusLabel() const { return m_status; }
    QSpinBox *portSpin() const { return m_port; }
    QLineEdit *pathEdit() const { return m_path; }
    QSpinBox *pingIntervalSpin() const { return m_pingInterval; }
    QSpinBox *pingTimeoutSpin() const { return m_pingTimeout; }
    QLineEdit *corsEdit() const { return m_cors; }

Q_SIGNALS:
    void startRequested();
    void stopRequested();
    void applyRequested();

private:
    QSpinBox *m_port;
    QLineEdit *m_path;
    QSpinBox *m_pingInterval;
    QSpinBox *m_pingTimeout;
    QLineEdit *m_cors;
    QCheckBox *m_polling;
    QCheckBox *m_websocket;
    QPushButton *m_startStop;
    QPushButton *m_apply;
    QToolButton *m_toggle = nullptr;
    QWidget *m_form = nullptr;
    QLabel *m_status;
    bool m_running = false;
};

} // namespace Inspector
