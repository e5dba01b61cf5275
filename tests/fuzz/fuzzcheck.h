// SPDX-License-Identifier: MIT
// FUZZ_CHECK(cond[, what]): an invariant of a fuzz target. When it does not hold, the line, the
// condition and what (anything a QByteArray can be made of) go to stderr and the target aborts,
// which libFuzzer reports as a crash with the input that caused it.
#pragma once

#include <QByteArray>

#include <cstdio>
#include <cstdlib>

[[noreturn]] inline void fuzzCheckFailed(int line, const char *cond, const QByteArray &what)
{
    std::fprintf(stderr, "invariant failed at line %d: %s\n%s\n", line, cond, what.constData());
    std::abort();
}

#define FUZZ_CHECK(cond, ...)                                                                                \
    do {                                                                                                     \
        if (!(cond))                                                                                         \
            fuzzCheckFailed(__LINE__, #cond, QByteArray{ __VA_ARGS__ });                                     \
    } while (false)
