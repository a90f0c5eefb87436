#pragma once
// Internal: CRC32 (zlib / ISO-HDLC, reflected 0xEDB88320), as Kraken's and OKX's book checksums use it.

#include <cstdint>
#include <string_view>

namespace wsbook {

/// CRC32 of `bytes`, continuing from `crc` (0 to start): by carry-less multiplication where the CPU has it.
std::uint32_t crc32(std::string_view bytes, std::uint32_t crc = 0);

/// The same CRC by slice-by-8 tables whatever the CPU: crc32's path without PCLMULQDQ, and its short tails.
std::uint32_t crc32_table(std::string_view bytes, std::uint32_t crc = 0);

/// The same CRC, a bit at a time: the reference the fast one is tested against.
std::uint32_t crc32_bytewise(std::string_view bytes, std::uint32_t crc = 0);

}  // namespace wsbook
