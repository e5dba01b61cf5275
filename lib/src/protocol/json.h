// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QCborValue>
#include <QList>
#include <QStringView>
#include <QVariant>

#include <optional>

// JSON as JSON.parse and JSON.stringify treat it, on Qt values that keep object members in the
// sender's order. QJsonDocument sorts keys (QJsonObject is a sorted map), so Socket.IO payloads
// are read and written here instead: an object becomes a QCborMap, Qt's JSON-compatible map that
// keeps insertion order.
//
// Reading: RFC 8259 with JSON.parse's choices. A number without fraction or exponent that fits
// a qint64 is an exact integer, any other number a double (as QJsonValue does); strings
// are validated UTF-8; a repeated key keeps its first position and takes the last value; nesting
// is limited (maxDepth). Objects are built through one CBOR stream per document, so reading is
// linear in the input whatever the number of members (QCborMap::insert is linear per key).
namespace SocketIo::Protocol::Json {

constexpr int defaultMaxDepth = 256;

// The whole of json as one value (any JSON value at top level, surrounded by white space).
std::optional<QCborValue> parse(QByteArrayView json, int maxDepth = defaultMaxDepth);

// Reads Socket.IO arguments straight into QVariants: a top-level array whose elements become
// QString, qlonglong (integers as above), double, bool, a null QVariant (std::nullptr_t), a
// QVariantList for an array and a QCborMap for an object (everything inside an object stays a
// QCborValue). False when the text is not exactly one JSON array.
bool parseArguments(QByteArrayView json, QVariantList *out, int maxDepth = defaultMaxDepth);

// Appends JSON text, compact, as JSON.stringify writes it (Qt's writer's bytes for everything
// QJsonDocument can hold): strings escape only \" \\ control characters (\b \f \n \r \t, the
// others as \u00xx) and lone surrogates (\udxxx); whole numbers up to 2^53 are written as
// integers; non-finite numbers as null. With attachments, a byte array is written as the
// placeholder {"_placeholder":true,"num":N} and appended to *attachments.
class Writer
{
public:
    explicit Writer(QByteArray &out, QList<QByteArray> *attachments = nullptr)
        : m_out(out)
        , m_attachments(attachments)
    { }

    // Without attachments, write a byte array as {"$binary":"<base64>"} instead of refusing it
    // (the command-line client's and the inspector's notation for binary).
    void setBinaryAsBase64Object(bool on) { m_binaryObjects = on; }

    // False for what JSON cannot hold (a byte array without attachments, a tag, a non-string
    // key is written as its string form); out is then to be thrown away.
    bool value(const QCborValue &value);
    // QVariant arguments: the types parseArguments() makes, the QCborValue family, QVariantMap and
    // QVariantHash, QStringList, QJsonValue and its containers, numbers, QByteArray (binary),
    // null; anything else through QJsonValue::fromVariant(). False when that fails.
    bool variant(const QVariant &value);
    void string(QStringView s);
    void integer(qint64 v);
    void number(double d);
    void placeholder(const QByteArray &bytes);

private:
    QByteArray &m_out;
    QList<QByteArray> *m_attachments;
    int m_depth = 0;
    bool m_binaryObjects = false;
};

} // namespace SocketIo::Protocol::Json
