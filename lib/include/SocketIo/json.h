// SPDX-License-Identifier: MIT
#pragma once

#include <SocketIo/socketioglobal.h>

#include <QByteArray>
#include <QByteArrayView>
#include <QVariant>

namespace SocketIo {

/// \brief Reads one JSON value (any JSON value at top level) into the types event arguments
/// arrive as: QString, qlonglong for whole numbers, double, bool, a null QVariant
/// (std::nullptr_t), QVariantList for arrays and QCborMap for objects, whose members keep the
/// order they were written in (everything inside an object stays a QCborValue).
///
/// The grammar is JSON.parse's; \a ok (if given) is set to false, and an invalid QVariant is
/// returned, when \a json is not one valid JSON value. Emitting the result writes the objects
/// as they were read. Thread-safe (a pure function).
SOCKETIO_EXPORT QVariant parseJsonArgument(QByteArrayView json, bool *ok = nullptr);

/// \brief Writes one value as compact JSON, as emits write arguments and as JSON.stringify
/// writes numbers and strings: a QCborMap in its order, a QVariantMap or QVariantHash with its
/// keys sorted, and binary data (QByteArray) as {"$binary":"<base64>"} (on the wire binary
/// travels as attachments instead). Thread-safe (a pure function).
SOCKETIO_EXPORT QByteArray toJson(const QVariant &value);

} // namespace SocketIo
