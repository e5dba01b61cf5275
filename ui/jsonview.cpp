// SPDX-License-Identifier: MIT
#include "jsonview.h"

#include "trafficrow.h"

#include <QHeaderView>
#include <QJsonArray>
#include <QJsonObject>
#include <QTreeWidget>

namespace Inspector::JsonView {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(Inspector::JsonView)
};

constexpr int maxChildren = 500;

bool isPlaceholder(const QJsonValue &value, qint64 *num)
{
    if (!value.isObject())
        return false;
    const QJsonObject object = value.toObject();
    if (object.value(QLatin1String("_placeholder")) != QJsonValue(true))
        return false;
    *num = object.value(QLatin1String("num")).toInteger(-1);
    return true;
}

QString scalarText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double:
        return summarizeJson(value);
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Array:
        return Tr::tr("[%n item(s)]", nullptr, int(value.toArray().size()));
    case QJsonValue::Object:
        return Tr::tr("{%n key(s)}", nullptr, int(value.toObject().size()));
    case QJsonValue::Undefined:
        break;
    }
    return {};
}

void describe(QTreeWidgetItem *item, const QJsonValue &value, const QList<QByteArray> &attachments)
{
    qint64 num = -1;
    if (isPlaceholder(value, &num)) {
        item->setText(2, Tr::tr("binary"));
        if (num >= 0 && num < attachments.size()) {
            const QByteArray &bytes = attachments.at(num);
            item->setText(1, Tr::tr("<attachment #%1, %n byte(s)>", nullptr, int(bytes.size())).arg(num));
            item->setToolTip(1, hexDump(bytes, 512));
            auto *hex = new QTreeWidgetItem(item);
            hex->setText(0, Tr::tr("hex"));
            hex->setText(1,
                         QString::fromLatin1(bytes.left(64).toHex(' '))
                             + (bytes.size() > 64 ? QStringLiteral(" \u2026") : QString()));
        } else {
            item->setText(1, Tr::tr("<attachment #%1, not received>").arg(num));
        }
        return;
    }
    item->setText(1, scalarText(value));
    item->setText(2, typeName(value));
    if (value.isString())
        item->setToolTip(1, value.toString().left(2000));
    addChildren(item, value, attachments);
}

} // namespace

QString typeName(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return QStringLiteral("boolean");
    case QJsonValue::Double:
        return QStringLiteral("number");
    case QJsonValue::String:
        return QStringLiteral("string");
    case QJsonValue::Array:
        return QStringLiteral("array");
    case QJsonValue::Object:
        return QStringLiteral("object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("undefined");
}

void setupTree(QTreeWidget *tree)
{
    tree->setColumnCount(3);
    tree->setHeaderLabels({ Tr::tr("Key"), Tr::tr("Value"), Tr::tr("Type") });
    tree->setUniformRowHeights(true);
    tree->setAlternatingRowColors(true);
    tree->header()->setStretchLastSection(false);
    tree->header()->setSectionResizeMode(1, QHeaderView::Stretch);
}

void addChildren(QTreeWidgetItem *item, const QJsonValue &value, const QList<QByteArray> &attachments)
{
    if (value.isArray()) {
        const QJsonArray array = value.toArray();
        const qsizetype n = qMin<qsizetype>(array.size(), maxChildren);
        for (qsizetype i = 0; i < n; ++i) {
            auto *child = new QTreeWidgetItem(item);
            child->setText(0, QStringLiteral("[%1]").arg(i));
            describe(child, array.at(i), attachments);
        }
        if (array.size() > n) {
            auto *more = new QTreeWidgetItem(item);
            more->setText(0, Tr::tr("\u2026 %n more", nullptr, int(array.size() - n)));
        }
    } else if (value.isObject()) {
        const QJsonObject object = value.toObject();
        int i = 0;
        for (auto it = object.constBegin(); it != object.constEnd(); ++it, ++i) {
            if (i == maxChildren) {
                auto *more = new QTreeWidgetItem(item);
                more->setText(0, Tr::tr("\u2026 %n more", nullptr, int(object.size() - i)));
                break;
            }
            auto *child = new QTreeWidgetItem(item);
            child->setText(0, it.key());
            describe(child, it.value(), attachments);
        }
    }
}

QTreeWidgetItem *addValue(QTreeWidget *tree, const QString &label, const QJsonValue &value,
                          const QList<QByteArray> &attachments)
{
    auto *item = new QTreeWidgetItem(tree);
    item->setText(0, label);
    describe(item, value, attachments);
    item->setExpanded(true);
    return item;
}

QJsonValue fromVariant(const QVariant &value, QList<QByteArray> *attachments)
{
    switch (value.typeId()) {
    case QMetaType::QByteArray: {
        QJsonObject placeholder;
        placeholder.insert(QLatin1String("_placeholder"), true);
        placeholder.insert(QLatin1String("num"), qint64(attachments->size()));
        attachments->append(value.toByteArray());
        return placeholder;
    }
    case QMetaType::QVariantList: {
        QJsonArray array;
        const QVariantList list = value.toList();
        for (const QVariant &item : list)
            array.append(fromVariant(item, attachments));
        return array;
    }
    case QMetaType::QVariantMap: {
        QJsonObject object;
        const QVariantMap map = value.toMap();
        for (auto it = map.cbegin(); it != map.cend(); ++it)
            object.insert(it.key(), fromVariant(it.value(), attachments));
        return object;
    }
    case QMetaType::UnknownType:
    case QMetaType::Nullptr:
        return QJsonValue::Null;
    default:
        return QJsonValue::fromVariant(value);
    }
}

QVariant toVariant(const QJsonValue &value, const QList<QByteArray> &attachments)
{
    qint64 num = -1;
    if (isPlaceholder(value, &num) && num >= 0 && num < attachments.size())
        return attachments.at(num);
    if (value.isArray()) {
        QVariantList list;
        const QJsonArray array = value.toArray();
        for (const QJsonValue &item : array)
            list.append(toVariant(item, attachments));
        return list;
    }
    if (value.isObject()) {
        QVariantMap map;
        const QJsonObject object = value.toObject();
        for (auto it = object.constBegin(); it != object.constEnd(); ++it)
            map.insert(it.key(), toVariant(it.value(), attachments));
        return map;
    }
    return value.toVariant();
}

} // namespace Inspector::JsonView
