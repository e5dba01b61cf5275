// SPDX-License-Identifier: MIT
#pragma once

#include <QtEndian>

#include <cstring>

namespace SocketIo::Protocol {

// Writes d as a msgpack float64 (0xcb and the big-endian IEEE 754 bits), whatever its value.
// Not msgpack-c's pack_double(): it writes whole numbers as integers, and for 2^64 its range
// check passes (double(UINT64_MAX) rounds up to 2^64) before a conversion to uint64_t that is
// undefined behaviour (found by fuzz_msgpackpacket under UBSan). Callers decide the integer
// formats themselves, as notepack.io does.
template<typename Packer> void packFloat64(Packer &packer, double d)
{
    quint64 bits;
    std::memcpy(&bits, &d, sizeof bits);
    char bytes[9];
    bytes[0] = char(0xcb);
    qToBigEndian(bits, bytes + 1);
    packer.pack_bin_body(bytes, sizeof bytes); // appends the bytes as they are
}

} // namespace SocketIo::Protocol
