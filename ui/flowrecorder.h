// SPDX-License-Identifier: MIT
#pragma once

#include "flowdiff.h"
#include "trafficrow.h"

#include <QCoreApplication>
#include <QFile>
#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QUrl>
#include <QVariantList>

#include <memory>
#include <optional>

namespace SocketIo {
class Manager;
}

namespace Inspector {

// A recorded client session (docs/record-replay.md): what a client sent and what came back, as
// the client's traffic rows, and what a replay needs from them.
struct FlowRecording
{
    Q_DECLARE_TR_FUNCTIONS(Inspector::FlowRecording)

public:
    static constexpr int formatVersion = 1;

    QUrl url;
    QStringList namespaces; // as the header names them (the CONNECT rows may add more)
    QJsonValue auth; // the header's auth payload (Undefined: none)
    qint64 startedMs = 0;
    QString source; // the rows' source label
    // The client's rows in order: clientSide, "out" is what the client sent; binary attachments
    // in their packet's `attachments` (attachment frames themselves are not kept).
    QList<TrafficRow> rows;

    // One EVENT the client sent.
    struct Emit
    {
        QString nsp;
        QString event;
        QVariantList args; // as emitted again: objects in their order, binaries as QByteArray
        bool ack = false; // the client asked for an ack
        qint64 timestampMs = 0;
        int index = 1; // the n-th emit of this event in its namespace
        // Items received before it was sent: FlowItem::key() -> how many.
        QHash<QString, int> receivedBefore;
    };

    // The header line's object.
    QJsonObject header() const;
    // The whole file: the header and one line per row (HarFormat::toJson()).
    QByteArray toJsonLines() const;
    bool save(const QString &fileName, QString *error = nullptr) const;

    // Reads a recording, or a JSON Lines export of the inspector's log (no header): only the rows
    // of a client (seenBy "client"), of source when given, else of the only client source there is.
    static std::optional<FlowRecording> fromJsonLines(const QByteArray &data, QString *error = nullptr,
                                                      const QString &source = {});
    static std::optional<FlowRecording> load(const QString &fileName, QString *error = nullptr,
                                             const QString &source = {});

    // What came back, in order (docs: the items a diff compares).
    QList<FlowItem> received() const;
    // What the client emitted, in order.
    QList<Emit> emits() const;
    // Every namespace the client connected, in order (header first, then CONNECT rows).
    QStringList allNamespaces() const;
    // The auth the client sent in its CONNECT for nsp (else the header's).
    QJsonValue authFor(const QString &nsp) const;
    // The client's answers to the server's acks: key nsp + '\n' + event + '#' + occurrence of that
    // event -> the reply's args.
    QHash<QString, QVariantList> clientAckReplies() const;
    // Socket ids and Engine.IO session ids of the session (FlowDiff::Options::recordedIds).
    QStringList ownIds() const;
};

// What a recording's header says (FlowRecorder::start()).
struct FlowRecorderHeader
{
    QStringList namespaces;
    QJsonValue auth;
    QString source = QStringLiteral("recording");
};

// Records what a SocketIo::Manager sends and receives (Manager::trafficObserved, as the
// client's traffic rows) into a FlowRecording, and, when given a file, into a recording file as it
// goes: the header first, then one JSON line per packet, flushed line by line. Ping, pong and noop
// are left out; a BINARY_EVENT/BINARY_ACK is written once its attachments are in.
class FlowRecorder : public QObject
{
    Q_OBJECT
public:
    explicit FlowRecorder(QObject *parent = nullptr);
    ~FlowRecorder() override;

    using Header = FlowRecorderHeader;

    // Starts recording manager's traffic (not owned; recording stops when it is destroyed), into
    // fileName as well unless empty. False when the file cannot be written (errorString()).
    bool start(SocketIo::Manager *manager, const Header &header = {}, const QString &fileName = {});
    // Stops and closes the file (everything recorded so far is in it). Safe to call twice.
    void stop();
    bool isRecording() const { return m_recording; }
    // Whether recording() keeps the rows (default); off for long sessions that only write the
    // file (rowRecorded() is emitted either way).
    void setKeepInMemory(bool keep) { m_keepInMemory = keep; }

    // One packet seen by the client, as from Manager::trafficObserved (public for other feeds).
    void observe(const SocketIo::TrafficEvent &event);

    const FlowRecording &recording() const { return m_data; }
    QString fileName() const { return m_file ? m_file->fileName() : QString(); }
    QString errorString() const { return m_error; }

Q_SIGNALS:
    // A complete row (with its attachments) was recorded.
    void rowRecorded(const Inspector::TrafficRow &row);

private:
    void append(TrafficRow row);

    FlowRecording m_data;
    std::unique_ptr<QFile> m_file;
    QPointer<SocketIo::Manager> m_manager;
    QMetaObject::Connection m_connection;
    bool m_recording = false;
    bool m_keepInMemory = true;
    qint64 m_sequence = 0;
    QString m_error;
    // Per direction: the row waiting for its binary attachments, and how many are still due.
    std::optional<TrafficRow> m_awaiting[2];
    int m_remaining[2] = { 0, 0 };
};

} // namespace Inspector
