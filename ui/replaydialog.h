// SPDX-License-Identifier: MIT
#pragma once

#include "flowdiff.h"
#include "flowreplayer.h"

#include <QDialog>

#include <memory>

QT_BEGIN_NAMESPACE
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;
QT_END_NAMESPACE

namespace Inspector {

// Tools > Replay recording…: picks a recording (or an exported log of one client) and a server URL,
// replays it (FlowReplayer) and shows the differences (FlowDiff) in a table: kind, event, path,
// recorded, replayed. The replay's traffic goes to rowObserved() (the window's log shows it).
class ReplayDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ReplayDialog(QWidget *parent = nullptr);
    ~ReplayDialog() override;

    void setFile(const QString &fileName);
    void setUrl(const QString &url);
    void setIgnorePaths(const QStringList &paths);
    void setTiming(FlowReplayTiming timing);
    // Starts the replay (what the Replay button does); false when the inputs are not usable
    // (the reason is in the status line).
    bool startReplay();
    bool isRunning() const;

    // Parts, for tests
    QTableWidget *table() const { return m_table; }
    QLabel *statusLabel() const { return m_status; }
    const FlowDiff &diff() const { return m_diff; }

Q_SIGNALS:
    void rowObserved(const Inspector::TrafficRow &row);
    // The replay ended; ok false when it could not run.
    void replayFinished(bool ok);

private:
    void browse();
    void onFinished(bool ok);
    void showDiff();

    QLineEdit *m_file;
    QLineEdit *m_url;
    QComboBox *m_timing;
    QPlainTextEdit *m_ignore;
    QPushButton *m_run;
    QLabel *m_status;
    QTableWidget *m_table;
    std::unique_ptr<FlowReplayer> m_replayer;
    FlowDiff m_diff;
};

} // namespace Inspector
