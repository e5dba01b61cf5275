// SPDX-License-Identifier: MIT
// Class-based handlers: on_<event> slots found through QMetaObject, arguments converted to their parameter
// types.
#include "connection.h"
#include "engine/id_p.h"
#include "logging_p.h"
#include "namespace_p.h"
#include "server_p.h"
#include "socket_p.h"

#include <SocketIo/server.h>

#include <QCborArray>
#include <QCborMap>
#include <QJsonArray>
#include <QJsonObject>
#include <QMetaMethod>
#include <QThread>

namespace SocketIo {

using namespace Protocol;
using namespace Protocol;

// --- Class-based handlers ----------------------------------------------------------------------

namespace {

QByteArray slotNameFor(const QString &event)
{
    QByteArray name = "on_" + event.toUtf8();
    for (qsizetype i = 3; i < name.size(); ++i) {
        const char c = name.at(i);
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
            name[i] = '_';
    }
    return name;
}

int findMethod(const QMetaObject *meta, const QByteArray &name)
{
    for (int i = meta->methodOffset(); i < meta->methodCount(); ++i) {
        const QMetaMethod method = meta->method(i);
        if (method.name() == name
            && (method.methodType() == QMetaMethod::Slot || method.methodType() == QMetaMethod::Method))
            return i;
    }
    return -1;
}

// Converts an argument to a parameter type; false if it cannot be done faithfully.
bool convertArgument(const QVariant &arg, QMetaType type, QVariant *out)
{
    const int id = type.id();
    if (id == QMetaType::QVariant) {
        *out = arg;
        return true;
    }
    if (id == QMetaType::QCborValue || id == QMetaType::QCborMap || id == QMetaType::QCborArray) {
        const QCborValue cbor = Arguments::toCbor(arg);
        if (id == QMetaType::QCborValue)
            *out = QVariant::fromValue(cbor);
        else if (id == QMetaType::QCborMap && cbor.isMap())
            *out = QVariant::fromValue(cbor.toMap());
        else if (id == QMetaType::QCborArray && cbor.isArray())
            *out = QVariant::fromValue(cbor.toArray());
        else
            return false;
        return true;
    }
    if (id == QMetaType::QJsonValue || id == QMetaType::QJsonObject || id == QMetaType::QJsonArray) {
        const QJsonValue json = Arguments::toCbor(arg).toJsonValue();
        if (id == QMetaType::QJsonValue)
            *out = QVariant::fromValue(json);
        else if (id == QMetaType::QJsonObject && json.isObject())
            *out = QVariant::fromValue(json.toObject());
        else if (id == QMetaType::QJsonArray && json.isArray())
            *out = QVariant::fromValue(json.toArray());
        else
            return false;
        return true;
    }
    if (id == QMetaType::QByteArray && arg.typeId() != QMetaType::QByteArray)
        return false; // binary parameters take binary arguments only
    if (id == QMetaType::QString && arg.typeId() != QMetaType::QString)
        return false;
    if (id == QMetaType::Bool && arg.typeId() != QMetaType::Bool)
        return false;
    const bool isNumber = arg.typeId() == QMetaType::Double || arg.typeId() == QMetaType::LongLong
        || arg.typeId() == QMetaType::Int || arg.typeId() == QMetaType::ULongLong
        || arg.typeId() == QMetaType::UInt;
    const bool wantsInteger = id == QMetaType::Int || id == QMetaType::UInt || id == QMetaType::Long
        || id == QMetaType::ULong || id == QMetaType::LongLong || id == QMetaType::ULongLong
        || id == QMetaType::Short || id == QMetaType::UShort;
    if ((wantsInteger || id == QMetaType::Double || id == QMetaType::Float) && !isNumber)
        return false;
    QVariant copy = arg;
    if (!copy.convert(type))
        return false;
    // A whole number that fits: 2.5 or 1e20 are not an int.
    if (wantsInteger && copy.toDouble() != arg.toDouble())
        return false;
    *out = copy;
    return true;
}

} // namespace

void NamespacePrivate::dispatchToHandlers(Socket *socket, const QString &event, const QVariantList &args,
                                          const Ack &ack)
{
    const QByteArray slot = slotNameFor(event);
    for (const QPointer<QObject> &handler : std::as_const(handlers)) {
        if (!handler)
            continue;
        const int index = findMethod(handler->metaObject(), slot);
        if (index < 0)
            continue;
        const QMetaMethod method = handler->metaObject()->method(index);
        int first = 0;
        if (method.parameterCount() > 0 && method.parameterMetaType(0) == QMetaType::fromType<Socket *>())
            first = 1;
        const int wanted = method.parameterCount() - first;
        QString error;
        if (wanted > 10 - first) {
            error = QStringLiteral("too many parameters");
        } else if (args.size() < wanted) {
            error = QStringLiteral("expected %1 arguments, got %2").arg(wanted).arg(args.size());
        }
        QVariant storage[10];
        Socket *socketArg = socket;
        QGenericArgument generic[10];
        if (first)
            generic[0] = QGenericArgument("SocketIo::Socket*", &socketArg);
        for (int i = 0; error.isEmpty() && i < wanted; ++i) {
            const QMetaType type = method.parameterMetaType(first + i);
            if (!convertArgument(args.at(i), type, &storage[i])) {
                error = QStringLiteral("argument %1 is not a %2")
                            .arg(i + 1)
                            .arg(QString::fromLatin1(type.name()));
                break;
            }
            // A QVariant parameter takes the QVariant itself, any other type its value.
            generic[first + i] = type.id() == QMetaType::QVariant
                ? QGenericArgument("QVariant", &storage[i])
                : QGenericArgument(type.name(), storage[i].constData());
        }
        if (!error.isEmpty()) {
            qCWarning(lcServer).noquote() << "socket" << socket->id() << "event" << event << "does not fit"
                                          << method.methodSignature() << ":" << error;
            ack.send({ QVariantMap{ { QStringLiteral("error"), error } } });
            continue;
        }
        QVariant result;
        QGenericReturnArgument ret;
        if (method.returnMetaType().isValid() && method.returnMetaType().id() != QMetaType::Void) {
            result = QVariant(method.returnMetaType());
            ret = QGenericReturnArgument(method.returnMetaType().name(), result.data());
        }
        const bool invoked =
            method.invoke(handler, Qt::DirectConnection, ret, generic[0], generic[1], generic[2], generic[3],
                          generic[4], generic[5], generic[6], generic[7], generic[8], generic[9]);
        if (!invoked) {
            qCWarning(lcServer).noquote() << "could not call" << method.methodSignature();
            continue;
        }
        if (method.returnMetaType().id() == QMetaType::QVariant) {
            const QVariant inner = *static_cast<const QVariant *>(result.constData()); // unwrap
            result = inner;
        }
        if (result.isValid() || method.returnMetaType().id() == QMetaType::QVariant)
            ack.send({ result });
    }
}

void NamespacePrivate::notifyHandlers(const char *slot, Socket *socket, const QVariantList &args)
{
    for (const QPointer<QObject> &handler : std::as_const(handlers)) {
        if (!handler)
            continue;
        const int index = findMethod(handler->metaObject(), slot);
        if (index < 0)
            continue;
        const QMetaMethod method = handler->metaObject()->method(index);
        Socket *socketArg = socket;
        QString text = args.isEmpty() ? QString() : args.first().toString();
        if (method.parameterCount() == 2)
            method.invoke(handler, Qt::DirectConnection, Q_ARG(SocketIo::Socket *, socketArg),
                          Q_ARG(QString, text));
        else if (method.parameterCount() == 1)
            method.invoke(handler, Qt::DirectConnection, Q_ARG(SocketIo::Socket *, socketArg));
        else
            method.invoke(handler, Qt::DirectConnection);
    }
}

} // namespace SocketIo
