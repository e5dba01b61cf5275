// SPDX-License-Identifier: MIT
#include "statscollector.h"

#include <QDateTime>

namespace Inspector {

StatsCollector::StatsCollector(QObject *parent)
    : QObject(parent)
{
    m_timer.setInterval(1000);
    connect(&m_timer, &QTimer::timeout, this, &StatsCollector::tick);
    m_timer.start();
}

void StatsCollector::addPacket(SocketIo::TrafficEvent::Direction direction, qint64 bytes)
{
    if (direction == SocketIo::TrafficEvent::Direction::Incoming) {
        ++m_current.packetsIn;
        m_current.bytesIn += bytes;
    } else {
        ++m_current.packetsOut;
        m_current.bytesOut += bytes;
    }
}

void StatsCollector::addPackets(SocketIo::TrafficEvent::Direction direction, qint64 packets, qint64 bytes)
{
    if (direction == SocketIo::TrafficEvent::Direction::Incoming) {
        m_current.packetsIn += packets;
        m_current.bytesIn += bytes;
    } else {
        m_current.packetsOut += packets;
        m_current.bytesOut += bytes;
    }
}

void StatsCollector::addConnect()
{
    ++m_current.connects;
    ++m_totalConnects;
}

void StatsCollector::addDisconnect(const QString &reason)
{
    ++m_current.disconnects;
    ++m_totalDisconnects;
    ++m_reasons[reason];
}

void StatsCollector::addAckRoundTrip(qint64 ms)
{
    ++m_current.acks;
    m_current.ackTotalMs += ms;
    m_current.ackMaxMs = qMax(m_current.ackMaxMs, ms);
}

void StatsCollector::tick()
{
    m_current.timeMs = QDateTime::currentMSecsSinceEpoch();
    m_current.connections = m_counter ? m_counter() : 0;
    m_samples.push_back(m_current);
    while (m_samples.size() > std::size_t(m_history))
        m_samples.pop_front();
    m_current = Sample();
    Q_EMIT updated();
}

void StatsCollector::clear()
{
    m_samples.clear();
    m_current = Sample();
    m_reasons.clear();
    m_totalConnects = 0;
    m_totalDisconnects = 0;
    Q_EMIT updated();
}

} // namespace Inspector
