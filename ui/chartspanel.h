// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

QT_BEGIN_NAMESPACE
class QLabel;
QT_END_NAMESPACE

namespace Inspector {

class ChartWidget;
class StatsCollector;

// Connections, connects and disconnects (with a tally of reasons), packets/s and bytes/s in and
// out, and ack round trips, refreshed every second from a StatsCollector.
class ChartsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit ChartsPanel(StatsCollector *stats, QWidget *parent = nullptr);

    ChartWidget *connectionsChart() const { return m_connections; }
    ChartWidget *churnChart() const { return m_churn; }
    ChartWidget *packetsChart() const { return m_packets; }
    ChartWidget *bytesChart() const { return m_bytes; }
    ChartWidget *ackChart() const { return m_acks; }
    QLabel *reasonsLabel() const { return m_reasons; }

public Q_SLOTS:
    void refresh();

private:
    StatsCollector *m_stats;
    ChartWidget *m_connections;
    ChartWidget *m_churn;
    ChartWidget *m_packets;
    ChartWidget *m_bytes;
    ChartWidget *m_acks;
    QLabel *m_reasons;
};

} // namespace Inspector
