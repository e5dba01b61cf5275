// SPDX-License-Identifier: MIT
#pragma once

#include "flowdiff.h"
#include "flowrecorder.h"

#include <SocketIo/client.h>

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <QUrl>

#include <chrono>
#include <memory>

namespace Inspector {

enum class FlowReplayTiming { Recorded, Fast };

// How FlowReplayer replays (docs/record-replay.md).
struct FlowReplayOptions
{
    FlowReplayTiming timing = FlowReplayTiming::Fast;
    std::chrono::milliseconds quietPeriod{ 1500 };
    std::chrono::milliseconds ackTimeout{ 10000 };
    std::chrono::milliseconds connectTimeout{ 10000 };
    // Path, transports, headers, TLS (reconnection is turned off, timeout is connectTimeout).
    SocketIo::ManagerOptions manager;
    // Replaces the recording's auth in every namespace when set.
    QJsonValue auth = QJsonValue(QJsonValue::Undefined);
    QString source = QStringLiteral("replay"); // the replay's rows' source label
};

// Replays a recorded client session against a server (docs/record-replay.md): connects a
// SocketIo::Manager to a URL with the recording's namespaces and auth, emits the client's events
// again in order (binaries and acks as recorded), answers the server's acks with the recorded
// replies, records what comes back (a FlowRecorder in memory), then finishes; diff() compares.
//
// Pacing, Timing::Fast: the next emit is sent once
//  1. the previous emit's ack reply is in (or ackTimeout passed), when it asked for one, and
//  2. for every kind of item (namespace, kind, event name), the replay has received at least as
//     many as the recording had when it sent this emit; or nothing at all has arrived for
//     quietPeriod while waiting (the missing items then show in the diff).
// Timing::Recorded: each emit at its recorded delay after the first namespace connected (acks
// are not waited for). Either way, after the last emit the replay waits with rule 2 for
// everything the recording received, and for pending acks, then closes and finishes.
class FlowReplayer : public QObject
{
    Q_OBJECT
public:
    using Timing = FlowReplayTiming;
    using Options = FlowReplayOptions;

    FlowReplayer(const FlowRecording &recording, const QUrl &url, const Options &options = {},
                 QObject *parent = nullptr);
    ~FlowReplayer() override;

    // Connects and replays; finished() follows (also on errors).
    void start();
    // Stops early (finished() with what came back so far).
    void abort();

    bool isFinished() const { return m_finished; }
    // Empty unless the replay could not run (could not connect, nothing to replay).
    QString errorString() const { return m_error; }
    int emitsSent() const { return m_next; }
    int emitCount() const { return int(m_emits.size()); }
    // The replay's own recording (what it sent and what came back).
    const FlowRecording &replayed() const { return m_recorder->recording(); }
    const FlowRecording &recording() const { return m_recording; }
    // Compares what came back with the recording; ids of both sessions compare equal.
    FlowDiff diff(FlowDiff::Options options = {}) const;

Q_SIGNALS:
    void rowObserved(const Inspector::TrafficRow &row);
    void progressed(int emitsSent, int emitCount);
    // ok false: errorString() says why.
    void finished(bool ok);

private:
    void onRow(const TrafficRow &row);
    void schedule();
    bool expectationsMet(const QHash<QString, int> &expected) const;
    void sendNext();
    void finish(const QString &error = {});

    FlowRecording m_recording;
    QList<FlowRecording::Emit> m_emits;
    QHash<QString, int> m_expectedAtEnd;
    QHash<QString, QVariantList> m_ackReplies;
    QUrl m_url;
    Options m_options;
    std::unique_ptr<SocketIo::Manager> m_manager;
    FlowRecorder *m_recorder;
    QHash<QString, int> m_receivedCounts; // FlowItem::key() -> how many so far
    QHash<QString, int> m_incomingEventCounts; // nsp + event -> how many (for the server's acks)
    QTimer m_quiet; // nothing arrived for quietPeriod
    QTimer m_connectTimer;
    QTimer m_emitTimer; // Timing::Recorded
    QElapsedTimer m_clock; // since the first namespace connected
    qint64 m_recordedBase = -1;
    bool m_quietExpired = false;
    bool m_connected = false; // some namespace connected (or was refused)
    int m_next = 0; // next emit to send
    int m_pendingAcks = 0;
    bool m_waitingAck = false; // the previous emit's ack (Fast)
    bool m_started = false;
    bool m_finished = false;
    QString m_error;
};

} // namespace Inspector
