// SPDX-License-Identifier: MIT
#include "flowdiff.h"

#include "trafficrow.h"

#include <QHash>
#include <QSet>

#include <algorithm>

namespace Inspector {

namespace {

QString itemKindName(FlowItem::Kind kind)
{
    switch (kind) {
    case FlowItem::Kind::Connect:
        return QStringLiteral("connect");
    case FlowItem::Kind::ConnectError:
        return QStringLiteral("connect_error");
    case FlowItem::Kind::Event:
        return QStringLiteral("event");
    case FlowItem::Kind::AckReply:
        return QStringLiteral("ack");
    case FlowItem::Kind::Disconnect:
        return QStringLiteral("disconnect");
    }
    return {};
}

QString quoted(const QString &s)
{
    return QLatin1Char('"') + s + QLatin1Char('"');
}

QString labelOf(FlowItem::Kind kind, const QString &nsp, const QString &event, int index)
{
    QString label;
    switch (kind) {
    case FlowItem::Kind::Event:
        label = QStringLiteral("event ") + quoted(event);
        break;
    case FlowItem::Kind::AckReply:
        label = QStringLiteral("ack of ") + quoted(event);
        break;
    default:
        label = itemKindName(kind);
    }
    label += QStringLiteral(" #") + QString::number(index);
    if (nsp != QLatin1String("/"))
        label.prepend(nsp + QLatin1Char(' '));
    return label;
}

bool isBinary(const QJsonValue &value)
{
    if (!value.isObject())
        return false;
    const QJsonObject o = value.toObject();
    return o.size() == 1 && o.value(QLatin1String("$binary")).isString();
}

bool isIdentifier(const QString &key)
{
    if (key.isEmpty() || key.front().isDigit())
        return false;
    return std::all_of(key.begin(), key.end(), [](QChar c) {
        return c.isLetterOrNumber() || c == QLatin1Char('_') || c == QLatin1Char('$');
    });
}

QString keyPath(const QString &base, const QString &key)
{
    if (isIdentifier(key))
        return base + QLatin1Char('.') + key;
    QString escaped = key;
    escaped.replace(QLatin1Char('\\'), QLatin1String("\\\\"))
        .replace(QLatin1Char('"'), QLatin1String("\\\""));
    return base + QStringLiteral("[\"") + escaped + QStringLiteral("\"]");
}

// An ignore pattern as an expression over "<nsp>:<root>.<path>" (with a namespace) or
// "<root>.<path>"; it also matches everything below the path it names.
QRegularExpression patternExpression(const QString &pattern)
{
    QString re;
    for (qsizetype i = 0; i < pattern.size(); ++i) {
        const QChar c = pattern.at(i);
        if (c == QLatin1Char('*')) {
            if (i + 1 < pattern.size() && pattern.at(i + 1) == QLatin1Char('*')) {
                re += QLatin1String(".*");
                ++i;
            } else {
                re += QLatin1String("[^\\[\\]]*");
            }
        } else {
            re += QRegularExpression::escape(QString(c));
        }
    }
    return QRegularExpression(QRegularExpression::anchoredPattern(re + QLatin1String("(?:[.\\[].*)?")));
}

struct Comparer
{
    const FlowDiff::Options &options;
    QSet<QString> ignoredKeys; // lower case
    QList<QRegularExpression> anyNamespace;
    QList<QRegularExpression> withNamespace;
    QSet<QString> recordedIds;
    QSet<QString> replayedIds;

    explicit Comparer(const FlowDiff::Options &o)
        : options(o)
    {
        for (const QString &key : o.ignoredKeys)
            ignoredKeys.insert(key.toLower());
        for (const QString &p : o.ignorePaths) {
            if (p.startsWith(QLatin1Char('/')))
                withNamespace.append(patternExpression(p));
            else
                anyNamespace.append(patternExpression(p));
        }
        recordedIds = QSet<QString>(o.recordedIds.cbegin(), o.recordedIds.cend());
        replayedIds = QSet<QString>(o.replayedIds.cbegin(), o.replayedIds.cend());
        recordedIds.remove(QString());
        replayedIds.remove(QString());
    }

    bool ignoredPath(const QString &nsp, const QString &fullPath) const
    {
        for (const QRegularExpression &re : anyNamespace) {
            if (re.match(fullPath).hasMatch())
                return true;
        }
        if (withNamespace.isEmpty())
            return false;
        const QString qualified = nsp + QLatin1Char(':') + fullPath;
        for (const QRegularExpression &re : withNamespace) {
            if (re.match(qualified).hasMatch())
                return true;
        }
        return false;
    }

    bool sameValue(const QJsonValue &a, const QJsonValue &b) const
    {
        if (a.isDouble() && b.isDouble())
            return a.toDouble() == b.toDouble();
        if (a.isString() && b.isString() && a != b)
            return recordedIds.contains(a.toString()) && replayedIds.contains(b.toString());
        return a == b;
    }

    // Adds one Changed difference per leaf that differs (below root + path).
    void compare(const FlowItem &item, const QString &path, const QString &lastKey, const QJsonValue &a,
                 const QJsonValue &b, QList<FlowDifference> &out) const
    {
        if (!lastKey.isNull() && ignoredKeys.contains(lastKey.toLower()))
            return;
        if (ignoredPath(item.nsp, item.pathRoot() + QLatin1Char('.') + path))
            return;
        if (a.isObject() && b.isObject() && !isBinary(a) && !isBinary(b)) {
            const QJsonObject oa = a.toObject();
            const QJsonObject ob = b.toObject();
            QStringList keys = oa.keys();
            for (const QString &k : ob.keys()) {
                if (!oa.contains(k))
                    keys.append(k);
            }
            for (const QString &k : std::as_const(keys))
                compare(item, keyPath(path, k), k, oa.value(k), ob.value(k), out);
            return;
        }
        if (a.isArray() && b.isArray()) {
            const QJsonArray aa = a.toArray();
            const QJsonArray ab = b.toArray();
            for (qsizetype i = 0; i < qMax(aa.size(), ab.size()); ++i) {
                compare(item, path + QLatin1Char('[') + QString::number(i) + QLatin1Char(']'), QString(),
                        i < aa.size() ? aa.at(i) : QJsonValue(QJsonValue::Undefined),
                        i < ab.size() ? ab.at(i) : QJsonValue(QJsonValue::Undefined), out);
            }
            return;
        }
        if (sameValue(a, b))
            return;
        FlowDifference d;
        d.kind = FlowDifference::Kind::Changed;
        d.itemKind = item.kind;
        d.nsp = item.nsp;
        d.event = item.event;
        d.index = item.index;
        d.path = path;
        d.recorded = a;
        d.replayed = b;
        out.append(d);
    }
};

FlowDifference wholeItem(FlowDifference::Kind kind, const FlowItem &item)
{
    FlowDifference d;
    d.kind = kind;
    d.itemKind = item.kind;
    d.nsp = item.nsp;
    d.event = item.event;
    d.index = item.index;
    if (kind == FlowDifference::Kind::Missing)
        d.recorded = item.args;
    else
        d.replayed = item.args;
    return d;
}

// Positions (into values) of a longest strictly increasing subsequence.
QList<qsizetype> longestIncreasing(const QList<qsizetype> &values)
{
    QList<qsizetype> tails; // index into values of the smallest tail of each length
    QList<qsizetype> previous(values.size(), -1);
    for (qsizetype i = 0; i < values.size(); ++i) {
        const auto it =
            std::lower_bound(tails.begin(), tails.end(), values[i],
                             [&values](qsizetype index, qsizetype v) { return values[index] < v; });
        const qsizetype length = it - tails.begin();
        if (length > 0)
            previous[i] = tails[length - 1];
        if (it == tails.end())
            tails.append(i);
        else
            *it = i;
    }
    QList<qsizetype> result;
    for (qsizetype i = tails.isEmpty() ? -1 : tails.last(); i >= 0; i = previous[i])
        result.prepend(i);
    return result;
}

} // namespace

QString FlowItem::key() const
{
    return nsp + QLatin1Char('\n') + itemKindName(kind) + QLatin1Char('\n') + event;
}

QString FlowItem::label() const
{
    return labelOf(kind, nsp, event, index);
}

QString FlowItem::pathRoot() const
{
    switch (kind) {
    case Kind::Event:
        return event;
    case Kind::AckReply:
        return QStringLiteral("ack:") + event;
    default:
        return itemKindName(kind);
    }
}

QString FlowDifference::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Missing:
        return QStringLiteral("missing");
    case Kind::Extra:
        return QStringLiteral("extra");
    case Kind::Changed:
        return QStringLiteral("changed");
    case Kind::Order:
        return QStringLiteral("order");
    }
    return {};
}

QString FlowDifference::itemLabel() const
{
    return labelOf(itemKind, nsp, event, index);
}

QString FlowDifference::toText() const
{
    switch (kind) {
    case Kind::Missing:
        return tr("missing %1: %2").arg(itemLabel(), formatDiffValue(recorded));
    case Kind::Extra:
        return tr("extra %1: %2").arg(itemLabel(), formatDiffValue(replayed));
    case Kind::Changed:
        return QStringLiteral("%1 %2: %3 \u2192 %4")
            .arg(itemLabel(), path, formatDiffValue(recorded), formatDiffValue(replayed));
    case Kind::Order:
        return nowBefore
            ? tr("order: %1 now comes before %2 (recorded after it)").arg(itemLabel(), relativeTo)
            : tr("order: %1 now comes after %2 (recorded before it)").arg(itemLabel(), relativeTo);
    }
    return {};
}

QJsonObject FlowDifference::toJson() const
{
    QJsonObject o;
    o.insert(QStringLiteral("kind"), kindName(kind));
    o.insert(QStringLiteral("item"), itemKindName(itemKind));
    o.insert(QStringLiteral("nsp"), nsp);
    if (!event.isEmpty())
        o.insert(QStringLiteral("event"), event);
    o.insert(QStringLiteral("index"), index);
    if (!path.isEmpty())
        o.insert(QStringLiteral("path"), path);
    if (!recorded.isUndefined())
        o.insert(QStringLiteral("recorded"), recorded);
    if (!replayed.isUndefined())
        o.insert(QStringLiteral("replayed"), replayed);
    if (kind == Kind::Order) {
        o.insert(QStringLiteral("relativeTo"), relativeTo);
        o.insert(QStringLiteral("nowBefore"), nowBefore);
    }
    o.insert(QStringLiteral("text"), toText());
    return o;
}

QStringList FlowDiff::defaultIgnoredKeys()
{
    return flowDiffDefaultIgnoredKeys();
}

QStringList flowDiffDefaultIgnoredKeys()
{
    return { QStringLiteral("id"),       QStringLiteral("_id"),       QStringLiteral("sid"),
             QStringLiteral("socketId"), QStringLiteral("timestamp"), QStringLiteral("time"),
             QStringLiteral("ts"),       QStringLiteral("createdAt"), QStringLiteral("updatedAt"),
             QStringLiteral("date") };
}

bool FlowDiff::isValidIgnorePath(const QString &pattern, QString *error)
{
    QString why;
    if (pattern.trimmed().isEmpty())
        why = QCoreApplication::translate("Inspector::FlowDiff", "an empty path");
    else if (pattern.startsWith(QLatin1Char('/')) && !pattern.contains(QLatin1Char(':')))
        why = QCoreApplication::translate(
            "Inspector::FlowDiff", "a path with a namespace needs a ':' after it (/chat:news.args[0])");
    else if (pattern.count(QLatin1Char('[')) != pattern.count(QLatin1Char(']')))
        why = QCoreApplication::translate("Inspector::FlowDiff", "unbalanced brackets");
    if (error)
        *error = why;
    return why.isEmpty();
}

FlowDiff FlowDiff::compare(const QList<FlowItem> &recorded, const QList<FlowItem> &replayed,
                           const Options &options)
{
    FlowDiff diff;
    diff.m_recordedCount = int(recorded.size());
    diff.m_replayedCount = int(replayed.size());
    const Comparer comparer(options);

    // Namespaces in order of first appearance, recorded first.
    QStringList namespaces;
    for (const QList<FlowItem> *list : { &recorded, &replayed }) {
        for (const FlowItem &item : *list) {
            if (!namespaces.contains(item.nsp))
                namespaces.append(item.nsp);
        }
    }

    for (const QString &nsp : std::as_const(namespaces)) {
        QList<const FlowItem *> a;
        QList<const FlowItem *> b;
        for (const FlowItem &item : recorded) {
            if (item.nsp == nsp)
                a.append(&item);
        }
        for (const FlowItem &item : replayed) {
            if (item.nsp == nsp)
                b.append(&item);
        }
        QHash<QString, qsizetype> replayedPosition; // key + index -> position in b
        for (qsizetype j = 0; j < b.size(); ++j)
            replayedPosition.insert(b[j]->key() + QLatin1Char('#') + QString::number(b[j]->index), j);

        QList<qsizetype> matchedA; // positions in a of items found in both
        QList<qsizetype> matchedB; // their positions in b
        QSet<qsizetype> usedB;
        QList<FlowDifference> out;
        for (qsizetype i = 0; i < a.size(); ++i) {
            const auto it =
                replayedPosition.constFind(a[i]->key() + QLatin1Char('#') + QString::number(a[i]->index));
            if (it == replayedPosition.cend()) {
                out.append(wholeItem(FlowDifference::Kind::Missing, *a[i]));
                continue;
            }
            matchedA.append(i);
            matchedB.append(*it);
            usedB.insert(*it);
            comparer.compare(*a[i], QStringLiteral("args"), QString(), a[i]->args, b[*it]->args, out);
        }
        for (qsizetype j = 0; j < b.size(); ++j) {
            if (!usedB.contains(j))
                out.append(wholeItem(FlowDifference::Kind::Extra, *b[j]));
        }

        if (options.checkOrder && matchedB.size() > 1) {
            const QList<qsizetype> keep = longestIncreasing(matchedB);
            const QSet<qsizetype> kept(keep.cbegin(), keep.cend());
            for (qsizetype m = 0; m < matchedB.size(); ++m) {
                if (kept.contains(m))
                    continue;
                // Another item, kept in place, that it crossed: recorded after it but replayed
                // before, or the other way round.
                FlowDifference d;
                d.kind = FlowDifference::Kind::Order;
                const FlowItem &item = *a[matchedA[m]];
                d.itemKind = item.kind;
                d.nsp = item.nsp;
                d.event = item.event;
                d.index = item.index;
                for (const qsizetype k : keep) {
                    if (k > m && matchedB[k] < matchedB[m]) {
                        d.relativeTo = a[matchedA[k]]->label();
                        d.nowBefore = false;
                        break;
                    }
                    if (k < m && matchedB[k] > matchedB[m]) {
                        d.relativeTo = a[matchedA[k]]->label();
                        d.nowBefore = true;
                        break;
                    }
                }
                if (nsp != QLatin1String("/") && d.relativeTo.startsWith(nsp + QLatin1Char(' ')))
                    d.relativeTo = d.relativeTo.mid(nsp.size() + 1);
                out.append(d);
            }
        }
        diff.m_differences.append(out);
    }
    return diff;
}

QString FlowDiff::toText() const
{
    QString text;
    for (const FlowDifference &d : m_differences)
        text += d.toText() + QLatin1Char('\n');
    return text;
}

QJsonObject FlowDiff::toJson() const
{
    QJsonArray list;
    for (const FlowDifference &d : m_differences)
        list.append(d.toJson());
    return QJsonObject{ { QStringLiteral("equal"), isEmpty() },
                        { QStringLiteral("recordedItems"), m_recordedCount },
                        { QStringLiteral("replayedItems"), m_replayedCount },
                        { QStringLiteral("differences"), list } };
}

QString formatDiffValue(const QJsonValue &value)
{
    if (value.isUndefined())
        return QCoreApplication::translate("Inspector::FlowDiff", "(absent)");
    if (isBinary(value)) {
        const QByteArray bytes =
            QByteArray::fromBase64(value.toObject().value(QLatin1String("$binary")).toString().toLatin1());
        QString hex = QString::fromLatin1(bytes.left(8).toHex(' '));
        if (bytes.size() > 8)
            hex += QChar(0x2026);
        return QCoreApplication::translate("Inspector::FlowDiff", "<binary, %n byte(s): %1>", nullptr,
                                           int(bytes.size()))
            .arg(hex);
    }
    return summarizeJson(value, 300);
}

} // namespace Inspector
