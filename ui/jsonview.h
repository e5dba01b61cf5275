// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QJsonValue>
#include <QList>
#include <QVariant>

QT_BEGIN_NAMESPACE
class QTreeWidget;
class QTreeWidgetItem;
QT_END_NAMESPACE

namespace Inspector::JsonView {

// Columns of the trees these helpers fill: key, value, type.
void setupTree(QTreeWidget *tree);
// Adds one top-level item labelled label for value, its members below it. Binary placeholders
// ({"_placeholder":true,"num":N}) show attachment N from attachments (size and a hex preview).
QTreeWidgetItem *addValue(QTreeWidget *tree, const QString &label, const QJsonValue &value,
                          const QList<QByteArray> &attachments = {});
void addChildren(QTreeWidgetItem *item, const QJsonValue &value, const QList<QByteArray> &attachments);

// A reply or argument from the library (QVariant) as JSON, binaries as placeholders appended
// to *attachments (what the wire would carry).
QJsonValue fromVariant(const QVariant &value, QList<QByteArray> *attachments);
// Back: placeholders become their QByteArray.
QVariant toVariant(const QJsonValue &value, const QList<QByteArray> &attachments);

QString typeName(const QJsonValue &value);

} // namespace Inspector::JsonView
