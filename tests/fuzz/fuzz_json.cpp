// SPDX-License-Identifier: MIT
// libFuzzer target for the ordered JSON reader and writer (lib/src/protocol/json.cpp): any
// input is parsed without crashing; what parses is written, and the written text parses again
// to a value that writes the same bytes (members in the same order).
#include "fuzzcheck.h"
#include "protocol/json.h"

#include <QCborMap>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace SocketIo::Protocol;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    QVariantList args;
    Json::parseArguments(input, &args);
    const auto value = Json::parse(input);
    if (!value)
        return 0;
    QByteArray written;
    FUZZ_CHECK(Json::Writer(written).value(*value), "the writer refused a parsed value");
    const auto again = Json::parse(written);
    FUZZ_CHECK(again.has_value(), "written text does not parse: " + written);
    QByteArray rewritten;
    Json::Writer(rewritten).value(*again);
    FUZZ_CHECK(rewritten == written, "not stable: " + written + " then " + rewritten);
    return 0;
}
