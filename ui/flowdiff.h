// SPDX-License-Identifier: MIT
#pragma once

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

namespace Inspector {

// One thing a client received from the server, as a recording and its replay are compared
// (docs/record-replay.md): a namespace's connect (or refusal), an event, the reply to one of the
// client's acks, a disconnect by the server. Binary data is {"$binary":"<base64>"} in args, so
// it compares by its bytes.
struct FlowItem
{
    enum class Kind { Connect, ConnectError, Event, AckReply, Disconnect };

    Kind kind = Kind::Event;
    QString nsp = QStringLiteral("/");
    // Event: its name; AckReply: the name of the emit it answers; otherwise empty.
    QString event;
    // 1-based: the n-th item of this namespace, kind and event (the n-th "order" event, the reply
    // to the n-th "order" emit that asked for an ack).
    int index = 1;
    QJsonArray args;
    qint64 timestampMs = 0;

    // Items with the same key and index are the same item in two runs.
    QString key() const;
    // How the text form names it: event "order" #2, ack of "order" #2, connect #1.
    QString label() const;
    // The root of its JSON paths for the ignore rules: order, ack:order, connect, connect_error,
    // disconnect.
    QString pathRoot() const;
};

// One difference between a recorded and a replayed flow.
struct FlowDifference
{
    Q_DECLARE_TR_FUNCTIONS(Inspector::FlowDifference)

public:
    enum class Kind {
        Missing, // recorded, not replayed
        Extra, // replayed, not recorded
        Changed, // both, one value differs at path (ack replies too)
        Order, // both, equal or not, but in another order relative to the others
    };

    Kind kind = Kind::Changed;
    FlowItem::Kind itemKind = FlowItem::Kind::Event;
    QString nsp = QStringLiteral("/");
    QString event;
    int index = 1;
    // Changed: where, relative to the item ("args[0].total"); empty otherwise.
    QString path;
    // Changed: the two values (Undefined: absent). Missing: the recorded args. Extra: the
    // replayed args.
    QJsonValue recorded = QJsonValue(QJsonValue::Undefined);
    QJsonValue replayed = QJsonValue(QJsonValue::Undefined);
    // Order: what it moved across (the label of another item), and whether it now comes before it.
    QString relativeTo;
    bool nowBefore = false;

    static QString kindName(Kind kind); // "missing", "extra", "changed", "order" (not translated)
    QString itemLabel() const; // event "order" #2 (with "/chat " before it outside "/")
    // One line: event "order" #2 args[0].total: 42 → 43
    QString toText() const;
    QJsonObject toJson() const;
};

// id, _id, sid, socketId, timestamp, time, ts, createdAt, updatedAt, date (FlowDiff::defaultIgnoredKeys())
QStringList flowDiffDefaultIgnoredKeys();

// What FlowDiff::compare() ignores.
struct FlowDiffOptions
{
    // Values under these object keys are not compared (case-insensitive; anywhere in the args).
    QStringList ignoredKeys = flowDiffDefaultIgnoredKeys();
    // Paths to ignore, with their children: "order.args[0].id", "*.args[1].updatedAt",
    // "ack:order.args[0]", "/chat:news.args[*].ts". '*' matches any run of characters but '['
    // and ']' (a name or an index), "**" anything. A pattern starting with '/' names the
    // namespace before a ':'; others apply in every namespace.
    QStringList ignorePaths;
    // Socket ids and Engine.IO session ids of the two runs: a recorded string value that is
    // one of recordedIds equals a replayed one that is one of replayedIds.
    QStringList recordedIds;
    QStringList replayedIds;
    // Report items in another relative order.
    bool checkOrder = true;
};

// Compares what a client received in a recorded flow with what it received in a replay: items are
// aligned per namespace by kind, event name and occurrence (the n-th "order" event with the n-th);
// payloads are compared value by value with JSON paths; items found in both but in another
// relative order are reported once each. Ids and timestamps are ignored by default (see
// defaultIgnoredKeys() and Options::sameIds), and any JSON path the user names.
class FlowDiff
{
public:
    using Options = FlowDiffOptions;

    // id, _id, sid, socketId, timestamp, time, ts, createdAt, updatedAt, date
    static QStringList defaultIgnoredKeys();
    // Whether pattern is a usable ignore path; error tells why not.
    static bool isValidIgnorePath(const QString &pattern, QString *error = nullptr);

    static FlowDiff compare(const QList<FlowItem> &recorded, const QList<FlowItem> &replayed,
                            const Options &options = {});

    bool isEmpty() const { return m_differences.isEmpty(); }
    const QList<FlowDifference> &differences() const { return m_differences; }
    int recordedCount() const { return m_recordedCount; }
    int replayedCount() const { return m_replayedCount; }
    // One line per difference (empty when none).
    QString toText() const;
    // {"equal":false,"recordedItems":N,"replayedItems":M,"differences":[...]}
    QJsonObject toJson() const;

private:
    QList<FlowDifference> m_differences;
    int m_recordedCount = 0;
    int m_replayedCount = 0;
};

// Compact one-line JSON for diffs: {"$binary":...} as <binary, N bytes: 01 02 …>, absent as
// (absent).
QString formatDiffValue(const QJsonValue &value);

} // namespace Inspector
