// SPDX-License-Identifier: MIT
#include "mockrules.h"

#include "jsonview.h"
#include "trafficrow.h"

#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSaveFile>

namespace Inspector {

namespace {

QString compact(const QJsonValue &value)
{
    return summarizeJson(value, 200);
}

QJsonArray argumentList(const QJsonValue &value)
{
    // An array is the argument list; anything else is the one argument.
    if (value.isArray())
        return value.toArray();
    if (value.isUndefined())
        return {};
    return QJsonArray{ value };
}

bool readDelay(const QJsonObject &object, int *delay, QString *error)
{
    const QJsonValue value = object.value(QLatin1String("delay"));
    if (value.isUndefined())
        return true;
    if (!value.isDouble() || value.toDouble() < 0 || value.toDouble() > 24 * 3600 * 1000.0) {
        *error = MockRule::tr("\"delay\" must be a number of milliseconds (0 to 86400000)");
        return false;
    }
    *delay = int(value.toDouble());
    return true;
}

QString unknownKey(const QJsonObject &object, const QStringList &known)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!known.contains(it.key()))
            return it.key();
    }
    return {};
}

bool isOperatorObject(const QJsonObject &object)
{
    if (object.isEmpty())
        return false;
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!it.key().startsWith(QLatin1Char('$')))
            return false;
    }
    return true;
}

const QStringList &operatorNames()
{
    static const QStringList names{ QStringLiteral("$regex"), QStringLiteral("$flags"),
                                    QStringLiteral("$exists"), QStringLiteral("$type"),
                                    QStringLiteral("$eq") };
    return names;
}

QRegularExpression patternExpression(const QJsonObject &op)
{
    QRegularExpression::PatternOptions options;
    const QString flags = op.value(QLatin1String("$flags")).toString();
    if (flags.contains(QLatin1Char('i')))
        options |= QRegularExpression::CaseInsensitiveOption;
    if (flags.contains(QLatin1Char('s')))
        options |= QRegularExpression::DotMatchesEverythingOption;
    if (flags.contains(QLatin1Char('m')))
        options |= QRegularExpression::MultilineOption;
    return QRegularExpression(op.value(QLatin1String("$regex")).toString(), options);
}

// Matches value (undefined: not there) against an operator object.
bool matchOperators(const QJsonObject &op, const QJsonValue &value)
{
    if (op.contains(QLatin1String("$exists"))) {
        if (op.value(QLatin1String("$exists")).toBool() == value.isUndefined())
            return false;
    } else if (value.isUndefined()) {
        return false;
    }
    if (op.contains(QLatin1String("$eq")) && op.value(QLatin1String("$eq")) != value)
        return false;
    if (op.contains(QLatin1String("$type"))
        && op.value(QLatin1String("$type")).toString() != JsonView::typeName(value))
        return false;
    if (op.contains(QLatin1String("$regex"))) {
        if (!value.isString())
            return false;
        // Compiled per match: rules are few and events rare next to a regex compile.
        if (!patternExpression(op).match(value.toString()).hasMatch())
            return false;
    }
    return true;
}

// Reads one step of a reference: ".name", "[3]", "[\"key\"]". Returns false on bad syntax.
bool step(const QString &ref, qsizetype *pos, QJsonValue *current)
{
    if (ref.at(*pos) == QLatin1Char('.')) {
        qsizetype end = *pos + 1;
        while (end < ref.size() && ref.at(end) != QLatin1Char('.') && ref.at(end) != QLatin1Char('['))
            ++end;
        const QString key = ref.mid(*pos + 1, end - *pos - 1);
        if (key.isEmpty())
            return false;
        *current = current->isObject() ? current->toObject().value(key) : QJsonValue(QJsonValue::Undefined);
        *pos = end;
        return true;
    }
    if (ref.at(*pos) == QLatin1Char('[')) {
        const qsizetype close = ref.indexOf(QLatin1Char(']'), *pos);
        if (close < 0)
            return false;
        QString inner = ref.mid(*pos + 1, close - *pos - 1).trimmed();
        *pos = close + 1;
        if (inner.size() >= 2
            && ((inner.startsWith(QLatin1Char('"')) && inner.endsWith(QLatin1Char('"')))
                || (inner.startsWith(QLatin1Char('\'')) && inner.endsWith(QLatin1Char('\''))))) {
            inner = inner.mid(1, inner.size() - 2);
            *current =
                current->isObject() ? current->toObject().value(inner) : QJsonValue(QJsonValue::Undefined);
            return true;
        }
        bool ok = false;
        const int index = inner.toInt(&ok);
        if (!ok)
            return false;
        const QJsonArray array = current->toArray();
        *current = current->isArray() && index >= 0 && index < array.size()
            ? array.at(index)
            : QJsonValue(QJsonValue::Undefined);
        return true;
    }
    return false;
}

const QRegularExpression &templateExpression()
{
    static const QRegularExpression re(QStringLiteral("\\{\\{\\s*([^{}]*?)\\s*\\}\\}"));
    return re;
}

QString templateText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Double: {
        const double d = value.toDouble();
        if (d == double(qint64(d)) && qAbs(d) < 9007199254740992.0)
            return QString::number(qint64(d));
        return QString::number(d, 'g', 17);
    }
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    case QJsonValue::Undefined:
        break;
    }
    return {};
}

QString templateString(const QString &text, const TemplateContext &context, QJsonValue *whole)
{
    const QRegularExpressionMatch full = templateExpression().match(text);
    if (full.hasMatch() && full.capturedStart() == 0 && full.capturedLength() == text.size()) {
        const QJsonValue value = resolveReference(full.captured(1), context);
        *whole = value.isUndefined() ? QJsonValue(QJsonValue::Null) : value;
        return {};
    }
    QString out;
    qsizetype last = 0;
    auto it = templateExpression().globalMatch(text);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        out += QStringView(text).mid(last, m.capturedStart() - last);
        out += templateText(resolveReference(m.captured(1), context));
        last = m.capturedEnd();
    }
    out += QStringView(text).mid(last);
    return out;
}

QString ruleLabel(int index, const QJsonValue &json)
{
    const QString name = json.toObject().value(QLatin1String("name")).toString();
    return name.isEmpty() ? MockRuleFile::tr("rule %1").arg(index + 1)
                          : MockRuleFile::tr("rule %1 (\u201c%2\u201d)").arg(index + 1).arg(name);
}

} // namespace

// --- MockAction ----------------------------------------------------------------------------------

std::optional<MockAction> MockAction::fromJson(const QJsonValue &json, QString *error)
{
    if (!json.isObject()) {
        *error = tr("an action must be an object such as {\"ack\": ...} or {\"emit\": \"event\"}");
        return std::nullopt;
    }
    const QJsonObject object = json.toObject();
    MockAction action;
    const QStringList kinds{ QStringLiteral("ack"), QStringLiteral("emit"), QStringLiteral("join"),
                             QStringLiteral("leave"), QStringLiteral("set") };
    QStringList present;
    for (const QString &kind : kinds) {
        if (object.contains(kind))
            present.append(kind);
    }
    if (present.size() != 1) {
        *error = present.isEmpty()
            ? tr("an action needs one of \"ack\", \"emit\", \"join\", \"leave\", \"set\"")
            : tr("an action does one thing; this one has %1").arg(present.join(QLatin1String(", ")));
        return std::nullopt;
    }
    QStringList known{ present.first(), QStringLiteral("delay") };
    const QString kind = present.first();
    if (kind == QLatin1String("ack")) {
        action.type = Type::Ack;
        action.args = argumentList(object.value(kind));
    } else if (kind == QLatin1String("emit")) {
        action.type = Type::Emit;
        known << QStringLiteral("args") << QStringLiteral("to") << QStringLiteral("room")
              << QStringLiteral("exceptSender");
        action.event = object.value(kind).toString();
        if (action.event.isEmpty()) {
            *error = tr("\"emit\" needs an event name");
            return std::nullopt;
        }
        static const QStringList reserved{ QStringLiteral("connect"),     QStringLiteral("connect_error"),
                                           QStringLiteral("disconnect"),  QStringLiteral("disconnecting"),
                                           QStringLiteral("newListener"), QStringLiteral("removeListener") };
        if (reserved.contains(action.event)) {
            *error = tr("\"%1\" is a reserved event name and cannot be emitted").arg(action.event);
            return std::nullopt;
        }
        action.args = argumentList(object.value(QLatin1String("args")));
        action.room = object.value(QLatin1String("room")).toString();
        const QJsonValue to = object.value(QLatin1String("to"));
        if (to.isUndefined()) {
            action.target = action.room.isEmpty() ? Target::Sender : Target::Room;
        } else if (to == QLatin1String("sender")) {
            action.target = Target::Sender;
        } else if (to == QLatin1String("room")) {
            action.target = Target::Room;
        } else if (to == QLatin1String("all")) {
            action.target = Target::All;
        } else {
            *error = tr("\"to\" must be \"sender\", \"room\" or \"all\", not %1").arg(compact(to));
            return std::nullopt;
        }
        if (action.target == Target::Room && action.room.isEmpty()) {
            *error = tr("an emit to a room needs \"room\"");
            return std::nullopt;
        }
        if (action.target == Target::Sender && !action.room.isEmpty()) {
            *error = tr("\"room\" is given but \"to\" is \"sender\"");
            return std::nullopt;
        }
        const QJsonValue except = object.value(QLatin1String("exceptSender"));
        if (!except.isUndefined() && !except.isBool()) {
            *error = tr("\"exceptSender\" must be true or false");
            return std::nullopt;
        }
        action.exceptSender = except.toBool();
    } else if (kind == QLatin1String("join") || kind == QLatin1String("leave")) {
        action.type = kind == QLatin1String("join") ? Type::Join : Type::Leave;
        action.room = object.value(kind).toString();
        if (action.room.isEmpty()) {
            *error = tr("\"%1\" needs a room name").arg(kind);
            return std::nullopt;
        }
    } else {
        action.type = Type::SetData;
        if (!object.value(kind).isObject()) {
            *error = tr("\"set\" needs an object of socket data, e.g. {\"name\": \"{{args[0]}}\"}");
            return std::nullopt;
        }
        action.data = object.value(kind).toObject();
    }
    const QString unknown = unknownKey(object, known);
    if (!unknown.isEmpty()) {
        *error = tr("unknown key \"%1\" in a %2 action").arg(unknown, kind);
        return std::nullopt;
    }
    if (!readDelay(object, &action.delayMs, error))
        return std::nullopt;
    return action;
}

QJsonObject MockAction::toJson() const
{
    QJsonObject object;
    switch (type) {
    case Type::Ack:
        object.insert(QLatin1String("ack"), args);
        break;
    case Type::Emit:
        object.insert(QLatin1String("emit"), event);
        object.insert(QLatin1String("args"), args);
        object.insert(QLatin1String("to"),
                      target == Target::Sender     ? QStringLiteral("sender")
                          : target == Target::Room ? QStringLiteral("room")
                                                   : QStringLiteral("all"));
        if (target == Target::Room)
            object.insert(QLatin1String("room"), room);
        if (exceptSender)
            object.insert(QLatin1String("exceptSender"), true);
        break;
    case Type::Join:
        object.insert(QLatin1String("join"), room);
        break;
    case Type::Leave:
        object.insert(QLatin1String("leave"), room);
        break;
    case Type::SetData:
        object.insert(QLatin1String("set"), data);
        break;
    }
    if (delayMs >= 0)
        object.insert(QLatin1String("delay"), delayMs);
    return object;
}

QString MockAction::summary() const
{
    QString text;
    switch (type) {
    case Type::Ack:
        text = tr("ack %1").arg(summarizeArguments(args, 200));
        break;
    case Type::Emit: {
        QString to = target == Target::Sender ? tr("sender")
            : target == Target::Room          ? tr("room %1").arg(room)
                                              : tr("all");
        if (exceptSender && target != Target::Sender)
            to = tr("%1 except sender").arg(to);
        text = args.isEmpty() ? tr("emit %1 \u2192 %2").arg(event, to)
                              : tr("emit %1 %2 \u2192 %3").arg(event, summarizeArguments(args, 200), to);
        break;
    }
    case Type::Join:
        text = tr("join %1").arg(room);
        break;
    case Type::Leave:
        text = tr("leave %1").arg(room);
        break;
    case Type::SetData:
        text = tr("set %1").arg(compact(data));
        break;
    }
    if (delayMs >= 0)
        text += tr(" after %1 ms").arg(delayMs);
    return text;
}

// --- MockRule ------------------------------------------------------------------------------------

std::optional<MockRule> MockRule::fromJson(const QJsonValue &json, QString *error)
{
    if (!json.isObject()) {
        *error = tr("a rule must be an object");
        return std::nullopt;
    }
    const QJsonObject object = json.toObject();
    const QString unknown =
        unknownKey(object,
                   { QStringLiteral("name"), QStringLiteral("enabled"), QStringLiteral("namespace"),
                     QStringLiteral("event"), QStringLiteral("args"), QStringLiteral("delay"),
                     QStringLiteral("continue"), QStringLiteral("actions"), QStringLiteral("comment") });
    if (!unknown.isEmpty()) {
        *error = tr("unknown key \"%1\"").arg(unknown);
        return std::nullopt;
    }
    MockRule rule;
    const auto stringField = [&](const char *key, QString *out) {
        const QJsonValue value = object.value(QLatin1String(key));
        if (value.isUndefined())
            return true;
        if (!value.isString()) {
            *error = tr("\"%1\" must be a string").arg(QLatin1String(key));
            return false;
        }
        *out = value.toString();
        return true;
    };
    const auto boolField = [&](const char *key, bool *out) {
        const QJsonValue value = object.value(QLatin1String(key));
        if (value.isUndefined())
            return true;
        if (!value.isBool()) {
            *error = tr("\"%1\" must be true or false").arg(QLatin1String(key));
            return false;
        }
        *out = value.toBool();
        return true;
    };
    if (!stringField("name", &rule.name) || !stringField("namespace", &rule.nsp)
        || !stringField("event", &rule.event) || !boolField("enabled", &rule.enabled)
        || !boolField("continue", &rule.continueMatching) || !readDelay(object, &rule.delayMs, error))
        return std::nullopt;
    if (rule.nsp.isEmpty())
        rule.nsp = QStringLiteral("*");
    else if (!rule.nsp.startsWith(QLatin1Char('/')) && !rule.nsp.startsWith(QLatin1Char('*')))
        rule.nsp.prepend(QLatin1Char('/'));
    if (rule.event.isEmpty())
        rule.event = QStringLiteral("*");
    const QJsonValue args = object.value(QLatin1String("args"));
    if (!args.isUndefined() && !args.isNull()) {
        if (!args.isArray()) {
            *error = tr(
                "\"args\" must be an array pattern matched against the arguments, e.g. [{\"user\": \"*\"}]");
            return std::nullopt;
        }
        const QString bad = validatePattern(args);
        if (!bad.isEmpty()) {
            *error = bad;
            return std::nullopt;
        }
        rule.pattern = args.toArray();
    }
    const QJsonValue actions = object.value(QLatin1String("actions"));
    if (!actions.isArray()) {
        *error = tr("\"actions\" must be an array of actions");
        return std::nullopt;
    }
    const QJsonArray list = actions.toArray();
    for (qsizetype i = 0; i < list.size(); ++i) {
        QString why;
        std::optional<MockAction> action = MockAction::fromJson(list.at(i), &why);
        if (!action) {
            *error = tr("actions[%1]: %2").arg(i).arg(why);
            return std::nullopt;
        }
        rule.actions.append(*action);
    }
    return rule;
}

QJsonObject MockRule::toJson() const
{
    QJsonObject object;
    if (!name.isEmpty())
        object.insert(QLatin1String("name"), name);
    if (!enabled)
        object.insert(QLatin1String("enabled"), false);
    object.insert(QLatin1String("namespace"), nsp);
    object.insert(QLatin1String("event"), event);
    if (pattern)
        object.insert(QLatin1String("args"), *pattern);
    if (delayMs > 0)
        object.insert(QLatin1String("delay"), delayMs);
    if (continueMatching)
        object.insert(QLatin1String("continue"), true);
    QJsonArray list;
    for (const MockAction &action : actions)
        list.append(action.toJson());
    object.insert(QLatin1String("actions"), list);
    return object;
}

QString MockRule::displayName(int index) const
{
    return name.isEmpty() ? QStringLiteral("#%1").arg(index + 1) : name;
}

QString MockRule::actionsSummary() const
{
    QStringList parts;
    for (const MockAction &action : actions)
        parts.append(action.summary());
    return parts.join(QLatin1String("; "));
}

bool MockRule::matches(const QString &nspName, const QString &eventName, const QJsonArray &args) const
{
    if (!wildcardExpression(nsp).match(nspName).hasMatch())
        return false;
    const bool pseudo = eventName == QLatin1String("connection") || eventName == QLatin1String("disconnect");
    if (pseudo ? event != eventName : !wildcardExpression(event).match(eventName).hasMatch())
        return false;
    return !pattern || matchPattern(*pattern, args);
}

// --- MockRuleFile --------------------------------------------------------------------------------

std::optional<QList<MockRule>> MockRuleFile::parse(const QByteArray &json, const QString &source,
                                                   QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        const QByteArray before = json.left(parseError.offset);
        const int line = int(before.count('\n')) + 1;
        const int column = int(parseError.offset - (before.lastIndexOf('\n') + 1)) + 1;
        *error = tr("%1:%2:%3: %4").arg(source).arg(line).arg(column).arg(parseError.errorString());
        return std::nullopt;
    }
    if (!document.isObject()) {
        *error = tr("%1: the file must hold an object {\"version\": 1, \"rules\": [...]}").arg(source);
        return std::nullopt;
    }
    const QJsonObject root = document.object();
    const QJsonValue version = root.value(QLatin1String("version"));
    if (!version.isDouble()) {
        *error = tr("%1: \"version\" is missing (this inspector reads version %2)")
                     .arg(source)
                     .arg(MockRuleFile::version);
        return std::nullopt;
    }
    if (version.toInt() != MockRuleFile::version) {
        *error = tr("%1: version %2 is not supported (this inspector reads version %3)")
                     .arg(source)
                     .arg(version.toDouble())
                     .arg(MockRuleFile::version);
        return std::nullopt;
    }
    const QJsonValue rules = root.value(QLatin1String("rules"));
    if (!rules.isArray()) {
        *error = tr("%1: \"rules\" must be an array of rules").arg(source);
        return std::nullopt;
    }
    QList<MockRule> result;
    const QJsonArray list = rules.toArray();
    for (qsizetype i = 0; i < list.size(); ++i) {
        QString why;
        std::optional<MockRule> rule = MockRule::fromJson(list.at(i), &why);
        if (!rule) {
            *error = tr("%1: %2: %3").arg(source, ruleLabel(int(i), list.at(i)), why);
            return std::nullopt;
        }
        result.append(*rule);
    }
    return result;
}

QByteArray MockRuleFile::serialize(const QList<MockRule> &rules)
{
    QJsonArray list;
    for (const MockRule &rule : rules)
        list.append(rule.toJson());
    QJsonObject root;
    root.insert(QLatin1String("version"), version);
    root.insert(QLatin1String("rules"), list);
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

std::optional<QList<MockRule>> MockRuleFile::load(const QString &fileName, QString *error)
{
    QFile file(fileName);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = tr("%1: %2").arg(fileName, file.errorString());
        return std::nullopt;
    }
    return parse(file.readAll(), fileName, error);
}

bool MockRuleFile::save(const QString &fileName, const QList<MockRule> &rules, QString *error)
{
    QSaveFile file(fileName);
    if (!file.open(QIODevice::WriteOnly) || file.write(serialize(rules)) < 0 || !file.commit()) {
        *error = tr("%1: %2").arg(fileName, file.errorString());
        return false;
    }
    return true;
}

// --- Matching and templates ------------------------------------------------------------------------

bool matchPattern(const QJsonValue &pattern, const QJsonValue &value)
{
    if (pattern.isString() && pattern.toString() == QLatin1String("*"))
        return !value.isUndefined();
    if (pattern.isObject()) {
        const QJsonObject object = pattern.toObject();
        if (isOperatorObject(object))
            return matchOperators(object, value);
        if (!value.isObject())
            return false;
        const QJsonObject target = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (!matchPattern(it.value(), target.value(it.key())))
                return false;
        }
        return true;
    }
    if (pattern.isArray()) {
        if (!value.isArray())
            return false;
        const QJsonArray elements = pattern.toArray();
        const QJsonArray target = value.toArray();
        for (qsizetype i = 0; i < elements.size(); ++i) {
            const QJsonValue element = i < target.size() ? target.at(i) : QJsonValue(QJsonValue::Undefined);
            if (!matchPattern(elements.at(i), element))
                return false;
        }
        return true;
    }
    return pattern == value; // QJsonValue compares numbers as doubles
}

QString validatePattern(const QJsonValue &pattern, const QString &path)
{
    if (pattern.isArray()) {
        const QJsonArray array = pattern.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            const QString bad = validatePattern(array.at(i), QStringLiteral("%1[%2]").arg(path).arg(i));
            if (!bad.isEmpty())
                return bad;
        }
        return {};
    }
    if (!pattern.isObject())
        return {};
    const QJsonObject object = pattern.toObject();
    bool hasOperator = false;
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (it.key().startsWith(QLatin1Char('$'))) {
            hasOperator = true;
            if (!operatorNames().contains(it.key()))
                return MockRule::tr("%1: unknown operator %2 (known: %3)")
                    .arg(path, it.key(), operatorNames().join(QLatin1String(", ")));
        }
    }
    if (hasOperator) {
        if (!isOperatorObject(object))
            return MockRule::tr(
                       "%1: an object mixes operators ($...) and keys; use {\"key\": {\"$op\": ...}}")
                .arg(path);
        if (object.contains(QLatin1String("$regex"))) {
            if (!object.value(QLatin1String("$regex")).isString())
                return MockRule::tr("%1: $regex must be a string").arg(path);
            const QRegularExpression re = patternExpression(object);
            if (!re.isValid())
                return MockRule::tr("%1: bad regular expression: %2").arg(path, re.errorString());
        } else if (object.contains(QLatin1String("$flags"))) {
            return MockRule::tr("%1: $flags without $regex").arg(path);
        }
        if (object.contains(QLatin1String("$exists")) && !object.value(QLatin1String("$exists")).isBool())
            return MockRule::tr("%1: $exists must be true or false").arg(path);
        if (object.contains(QLatin1String("$type"))) {
            static const QStringList types{ QStringLiteral("string"),  QStringLiteral("number"),
                                            QStringLiteral("boolean"), QStringLiteral("object"),
                                            QStringLiteral("array"),   QStringLiteral("null") };
            if (!types.contains(object.value(QLatin1String("$type")).toString()))
                return MockRule::tr("%1: $type must be one of %2").arg(path, types.join(QLatin1String(", ")));
        }
        return {};
    }
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString bad = validatePattern(it.value(), path + QLatin1Char('.') + it.key());
        if (!bad.isEmpty())
            return bad;
    }
    return {};
}

QJsonValue resolveReference(const QString &reference, const TemplateContext &context)
{
    // "a ?? b": the first that is there and not null.
    if (reference.contains(QLatin1String("??"))) {
        const QStringList choices = reference.split(QLatin1String("??"));
        QJsonValue value(QJsonValue::Undefined);
        for (const QString &choice : choices) {
            value = resolveReference(choice, context);
            if (!value.isUndefined() && !value.isNull())
                return value;
        }
        return value;
    }
    const QString ref = reference.trimmed();
    qsizetype end = 0;
    while (end < ref.size() && ref.at(end) != QLatin1Char('.') && ref.at(end) != QLatin1Char('['))
        ++end;
    const QString root = ref.left(end);
    QJsonValue current;
    if (root == QLatin1String("args")) {
        current = context.args;
    } else if (root == QLatin1String("event")) {
        current = context.event;
    } else if (root == QLatin1String("nsp") || root == QLatin1String("namespace")) {
        current = context.nsp;
    } else if (root == QLatin1String("rule")) {
        current = context.rule;
    } else if (root == QLatin1String("now")) {
        current = double(context.nowMs);
    } else if (root == QLatin1String("iso")) {
        current = QDateTime::fromMSecsSinceEpoch(context.nowMs, Qt::UTC).toString(Qt::ISODateWithMs);
    } else if (root == QLatin1String("socket")) {
        QJsonObject socket;
        socket.insert(QLatin1String("id"), context.socketId);
        socket.insert(QLatin1String("data"), context.socketData);
        socket.insert(QLatin1String("auth"), context.auth);
        socket.insert(QLatin1String("query"), context.query);
        current = socket;
    } else {
        return QJsonValue(QJsonValue::Undefined);
    }
    qsizetype pos = end;
    while (pos < ref.size()) {
        if (!step(ref, &pos, &current))
            return QJsonValue(QJsonValue::Undefined);
    }
    return current;
}

QString applyTemplateText(const QString &text, const TemplateContext &context)
{
    return templateText(applyTemplate(text, context));
}

QJsonValue applyTemplate(const QJsonValue &value, const TemplateContext &context)
{
    switch (value.type()) {
    case QJsonValue::String: {
        const QString text = value.toString();
        if (!text.contains(QLatin1String("{{")))
            return value;
        QJsonValue whole(QJsonValue::Undefined);
        const QString replaced = templateString(text, context, &whole);
        return whole.isUndefined() ? QJsonValue(replaced) : whole;
    }
    case QJsonValue::Array: {
        QJsonArray out;
        for (const QJsonValue &element : value.toArray())
            out.append(applyTemplate(element, context));
        return out;
    }
    case QJsonValue::Object: {
        QJsonObject out;
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            QJsonValue ignored(QJsonValue::Undefined);
            const QString key = it.key().contains(QLatin1String("{{"))
                ? templateString(it.key(), context, &ignored)
                : it.key();
            out.insert(ignored.isUndefined() ? key : templateText(ignored),
                       applyTemplate(it.value(), context));
        }
        return out;
    }
    default:
        return value;
    }
}

} // namespace Inspector
