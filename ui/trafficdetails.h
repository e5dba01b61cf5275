// SPDX-License-Identifier: MIT
#pragma once

#include "sessioninfo.h"
#include "trafficrow.h"

#include <QWidget>

#include <optional>

QT_BEGIN_NAMESPACE
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;
class QTreeWidget;
QT_END_NAMESPACE

namespace Inspector {

// The details of one traffic row: a JSON tree per argument, the raw wire form, a hex view of
// binary attachments, the handshake (connect and open packets) and the ack pairing (the emit and
// its ack with the round trip), with a button that selects the paired row.
class TrafficDetails : public QWidget
{
    Q_OBJECT
public:
    explicit TrafficDetails(QWidget *parent = nullptr);

    // paired: the emit or ack this row is paired with, if still in the buffer.
    void setRow(const TrafficRow &row, const std::optional<TrafficRow> &paired,
                const std::optional<SessionInfo> &session);
    void clear();

    QTreeWidget *argumentsTree() const { return m_arguments; }
    QString rawText() const;
    QString hexText() const;
    QString ackText() const;
    QTabWidget *tabs() const { return m_tabs; }
    QTreeWidget *handshakeTree() const { return m_handshake; }

Q_SIGNALS:
    void pairedRowRequested(qint64 seq);
    void editInComposerRequested();

private:
    QLabel *m_header;
    QTabWidget *m_tabs;
    QTreeWidget *m_arguments;
    QPlainTextEdit *m_raw;
    QPlainTextEdit *m_hex;
    QTreeWidget *m_handshake;
    QLabel *m_ack;
    QPushButton *m_goToPair;
    QPushButton *m_edit;
    qint64 m_pairSeq = -1;
};

} // namespace Inspector
