// SPDX-License-Identifier: MIT
#pragma once

#include <SocketIo/traffic.h>

#include <QMap>
#include <QObject>
#include <QTimer>

#include <deque>
#include <functional>

namespace Inspector {

// Per-second figures for the charts: connections, connects and disconnects (with reasons),
// packets and bytes per second in each direction, ack round trips. Keeps the last
// historySeconds() seconds.
class StatsCollector : public QObject
{
    Q_OBJECT
public:
    struct Sample
    {
        qint64 timeMs = 0; // end of the second
        int connections = 0;
        int connects = 0;
        int disconnects = 0;
        qint64 packetsIn = 0;
        qint64 packetsOut = 0;
        qint64 bytesIn = 0;
        qint64 bytesOut = 0;
        int acks = 0;
        qint64 ackTotalMs = 0;
        qint64 ackMaxMs = 0;
        double ackAverageMs() const { return acks ? double(ackTotalMs) / acks : 0.0; }
    };

    explicit StatsCollector(QObject *parent = nullptr);

    void setConnectionCounter(std::function<int()> counter) { m_counter = std::move(counter); }
    int historySeconds() const { return m_history; }
    void setHistorySeconds(int seconds) { m_history = qMax(2, seconds); }

    void addPacket(SocketIo::TrafficEvent::Direction direction, qint64 bytes);
    // Counts reported in bulk (an attached server's aggregated events).
    void addPackets(SocketIo::TrafficEvent::Direction direction, qint64 packets, qint64 bytes);
    void addConnect();
    void addDisconnect(const QString &reason);
    void addAckRoundTrip(qint64 ms);

    const std::deque<Sample> &samples() const { return m_samples; }
    const Sample &current() const { return m_current; }
    QMap<QString, int> disconnectReasons() const { return m_reasons; }
    qint64 totalConnects() const { return m_totalConnects; }
    qint64 totalDisconnects() const { return m_totalDisconnects; }

    // Closes the current second (the timer calls it every second).
    void tick();
    void clear();

Q_SIGNALS:
    void updated();

private:
    std::function<int()> m_counter;
    std::deque<Sample> m_samples;
    Sample m_current;
    QMap<QString, int> m_reasons;
    qint64 m_totalConnects = 0;
    qint64 m_totalDisconnects = 0;
    int m_history = 300;
    QTimer m_timer;
};

} // namespace Inspector
