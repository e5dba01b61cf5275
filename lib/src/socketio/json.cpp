// SPDX-License-Identifier: MIT
#include "protocol/json.h"

#include "protocol/arguments.h"

#include <SocketIo/json.h>

namespace SocketIo {

QVariant parseJsonArgument(QByteArrayView json, bool *ok)
{
    const auto value = Protocol::Json::parse(json);
    if (ok)
        *ok = value.has_value();
    return value ? Arguments::fromCbor(*value, {}) : QVariant();
}

QByteArray toJson(const QVariant &value)
{
    QByteArray out;
    Protocol::Json::Writer writer(out);
    writer.setBinaryAsBase64Object(true);
    if (!writer.variant(value))
        return QByteArrayLiteral("null");
    return out;
}

} // namespace SocketIo
