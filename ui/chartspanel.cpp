// SPDX-License-Identifier: MIT
#include "chartspanel.h"

#include "chartwidget.h"
#include "statscollector.h"

#include <QLabel>
#include <QScrollArea>
#include <QVBoxLayout>

namespace Inspector {

namespace {
const QColor inColor(0x1f, 0x77, 0xb4);
const QColor outColor(0xe6, 0x7e, 0x22);
const QColor connectColor(0x2e, 0x9d, 0x4f);
const QColor disconnectColor(0xc0, 0x39, 0x2b);
} // namespace

ChartsPanel::ChartsPanel(StatsCollector *stats, QWidget *parent)
    : QWidget(parent)
    , m_stats(stats)
    , m_connections(new ChartWidget(tr("Connected sockets"), this))
    , m_churn(new ChartWidget(tr("Connects and disconnects"), this))
    , m_packets(new ChartWidget(tr("Packets"), this))
    , m_bytes(new ChartWidget(tr("Bytes"), this))
    , m_acks(new ChartWidget(tr("Ack round trip"), this))
    , m_reasons(new QLabel(this))
{
    m_connections->setUnit(ChartWidget::Unit::Count);
    m_churn->setUnit(ChartWidget::Unit::PerSecond);
    m_packets->setUnit(ChartWidget::Unit::PerSecond);
    m_bytes->setUnit(ChartWidget::Unit::BytesPerSecond);
    m_acks->setUnit(ChartWidget::Unit::Milliseconds);
    m_reasons->setWordWrap(true);
    m_reasons->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *content = new QWidget(this);
    auto *layout = new QVBoxLayout(content);
    for (ChartWidget *chart : { m_connections, m_churn, m_packets, m_bytes, m_acks })
        layout->addWidget(chart, 1);
    layout->addWidget(m_reasons);
    auto *scroll = new QScrollArea(this);
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll);

    connect(stats, &StatsCollector::updated, this, &ChartsPanel::refresh);
    refresh();
}

void ChartsPanel::refresh()
{
    QList<double> connections, connects, disconnects, packetsIn, packetsOut, bytesIn, bytesOut, ackAvg,
        ackMax;
    for (const StatsCollector::Sample &s : m_stats->samples()) {
        connections.append(s.connections);
        connects.append(s.connects);
        disconnects.append(s.disconnects);
        packetsIn.append(double(s.packetsIn));
        packetsOut.append(double(s.packetsOut));
        bytesIn.append(double(s.bytesIn));
        bytesOut.append(double(s.bytesOut));
        ackAvg.append(s.ackAverageMs());
        ackMax.append(double(s.ackMaxMs));
    }
    m_connections->setSeries({ { tr("sockets"), inColor, connections } });
    m_churn->setSeries(
        { { tr("connects"), connectColor, connects }, { tr("disconnects"), disconnectColor, disconnects } });
    m_packets->setSeries({ { tr("in"), inColor, packetsIn }, { tr("out"), outColor, packetsOut } });
    m_bytes->setSeries({ { tr("in"), inColor, bytesIn }, { tr("out"), outColor, bytesOut } });
    m_acks->setSeries({ { tr("average"), inColor, ackAvg }, { tr("max"), outColor, ackMax } });

    const QMap<QString, int> reasons = m_stats->disconnectReasons();
    QStringList lines;
    for (auto it = reasons.cbegin(); it != reasons.cend(); ++it)
        lines.append(tr("%1: %2").arg(it.key()).arg(it.value()));
    m_reasons->setText(
        tr("Connects: %1, disconnects: %2").arg(m_stats->totalConnects()).arg(m_stats->totalDisconnects())
        + (lines.isEmpty()
               ? QString()
               : QStringLiteral("\n") + tr("Disconnect reasons: %1").arg(lines.join(QStringLiteral(", ")))));
}

} // namespace Inspector
