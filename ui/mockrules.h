// SPDX-License-Identifier: MIT
#pragma once

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Inspector {

// Mock responders: rules that make the inspector's own server answer events the way a backend
// that does not exist yet would (docs/mock-responders.md has the user's view).
//
// A rules file is JSON: {"version": 1, "rules": [rule, ...]}. A rule:
//   {"name": "login", "enabled": true, "namespace": "/", "event": "login",
//    "args": [{"user": "*"}], "delay": 0, "continue": false,
//    "actions": [{"ack": {"ok": true}}, {"emit": "welcome", "args": ["{{args[0].user}}"], "to": "sender"}]}
// namespace and event are shell wildcards ('*', '?'); args is a pattern (see matchPattern()).
// The pseudo-events "connection" (args: [auth]) and "disconnect" (args: [reason]) run when a
// socket joins or leaves a namespace; only a rule naming them exactly matches them.
struct MockAction
{
    Q_DECLARE_TR_FUNCTIONS(Inspector::MockAction)

public:
    enum class Type { Ack, Emit, Join, Leave, SetData };
    enum class Target { Sender, Room, All };

    Type type = Type::Ack;
    // Ack: the reply's arguments; Emit: the event's. Templates (see applyTemplate()) inside.
    QJsonArray args;
    QString event; // Emit
    Target target = Target::Sender; // Emit
    QString room; // Emit to Room; Join/Leave (a template)
    bool exceptSender = false; // Emit to Room or All: not to the sender
    QJsonObject data; // SetData: merged into the socket's data (templates inside)
    int delayMs = -1; // -1: the rule's delay

    static std::optional<MockAction> fromJson(const QJsonValue &json, QString *error);
    QJsonObject toJson() const;
    // "ack {"ok":true}", "emit welcome → sender", "join lobby"
    QString summary() const;
};

struct MockRule
{
    Q_DECLARE_TR_FUNCTIONS(Inspector::MockRule)

public:
    QString name;
    bool enabled = true;
    QString nsp = QStringLiteral("*"); // wildcard
    QString event = QStringLiteral("*"); // wildcard
    std::optional<QJsonArray> pattern; // none: any arguments
    int delayMs = 0;
    bool continueMatching = false; // "continue": later rules are tried too
    QList<MockAction> actions;

    static std::optional<MockRule> fromJson(const QJsonValue &json, QString *error);
    QJsonObject toJson() const;
    // The rule's name, else "#<index + 1>"
    QString displayName(int index) const;
    QString actionsSummary() const;

    // Whether the rule applies to event in nsp with these arguments (enabled or not).
    bool matches(const QString &nsp, const QString &event, const QJsonArray &args) const;
};

// The JSON rules file format.
struct MockRuleFile
{
    Q_DECLARE_TR_FUNCTIONS(Inspector::MockRuleFile)

public:
    static constexpr int version = 1;
    // Parses a rules document; on failure returns nothing and sets error to
    // "<source>:<line>:<column>: <what>" for bad JSON, "<source>: rule 3 (\"login\"): <what>" for
    // a bad rule.
    static std::optional<QList<MockRule>> parse(const QByteArray &json, const QString &source,
                                                QString *error);
    static QByteArray serialize(const QList<MockRule> &rules);
    static std::optional<QList<MockRule>> load(const QString &fileName, QString *error);
    static bool save(const QString &fileName, const QList<MockRule> &rules, QString *error);
};

// Pattern matching of arguments. pattern is matched against value:
//   - "*" matches any value (it must be there);
//   - an object of operators: {"$regex": "^ab", "$flags": "i"} (a string matching the regular
//     expression, unanchored), {"$exists": true|false} (as the value of an object key or an
//     array element: present or not), {"$type": "string|number|boolean|object|array|null"},
//     {"$eq": value} (equal to value, taken literally: matches a "*" or an object with "$" keys);
//     several operators in one object must all hold;
//   - any other object: every key of the pattern matches the value's (extra keys allowed);
//   - an array: element by element, by position (a shorter pattern matches a prefix);
//   - a scalar: equality (numbers as numbers).
bool matchPattern(const QJsonValue &pattern, const QJsonValue &value);
// Checks a pattern for unknown operators and bad regular expressions; empty when it is fine,
// else what is wrong and where ("args[0].name: unknown operator $regexp").
QString validatePattern(const QJsonValue &pattern, const QString &path = QStringLiteral("args"));

// What templates may refer to.
struct TemplateContext
{
    QJsonArray args;
    QString event;
    QString nsp;
    QString socketId;
    QJsonObject socketData;
    QJsonObject auth;
    QJsonObject query;
    QString rule;
    qint64 nowMs = 0;
};

// Replaces templates in the strings of value (recursively, object keys too): "{{args[0].name}}",
// "{{args}}", "{{event}}", "{{nsp}}", "{{socket.id}}", "{{socket.data.name}}",
// "{{socket.auth.token}}", "{{socket.query.room}}", "{{rule}}", "{{now}}" (milliseconds since the
// epoch), "{{iso}}" (the time as ISO 8601); "{{a ?? b}}" is a when it is there and not null, else
// b. A string that is one whole template becomes the
// referenced JSON value (a number stays a number; null when nothing is there); templates inside
// a longer string are replaced by their text (compact JSON for objects and arrays, "" for nothing).
QJsonValue applyTemplate(const QJsonValue &value, const TemplateContext &context);
// applyTemplate() on a string, as text (a room name): values that are not strings as compact JSON.
QString applyTemplateText(const QString &text, const TemplateContext &context);
// Resolves one reference ("args[0].name") as applyTemplate() does; undefined when nothing is there.
QJsonValue resolveReference(const QString &reference, const TemplateContext &context);

} // namespace Inspector
