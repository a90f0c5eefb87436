#include "book/crc32.h"

#include <array>
#include <cstddef>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define WSBOOK_CRC32_CLMUL 1
#endif

namespace wsbook {
namespace {

using Table = std::array<std::array<std::uint32_t, 256>, 8>;

// Slice-by-8: eight bytes per step instead of one.
constexpr Table make_table() {
  Table t{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    t[0][i] = c;
  }
  for (std::size_t i = 0; i < 256; ++i) {
    for (std::size_t s = 1; s < 8; ++s) t[s][i] = (t[s - 1][i] >> 8) ^ t[0][t[s - 1][i] & 0xFF];
  }
  return t;
}

constexpr Table kTable = make_table();

std::uint32_t load_le32(const unsigned char* p) {
  return std::uint32_t{p[0]} | std::uint32_t{p[1]} << 8 | std::uint32_t{p[2]} << 16 | std::uint32_t{p[3]} << 24;
}

// The running (inverted) state `c` carried over `n` bytes at `p` by the tables.
std::uint32_t table_update(const unsigned char* p, std::size_t n, std::uint32_t c) {
  for (; n >= 8; p += 8, n -= 8) {
    const std::uint32_t lo = load_le32(p) ^ c, hi = load_le32(p + 4);
    c = kTable[7][lo & 0xFF] ^ kTable[6][(lo >> 8) & 0xFF] ^ kTable[5][(lo >> 16) & 0xFF] ^ kTable[4][lo >> 24] ^
        kTable[3][hi & 0xFF] ^ kTable[2][(hi >> 8) & 0xFF] ^ kTable[1][(hi >> 16) & 0xFF] ^ kTable[0][hi >> 24];
  }
  for (; n > 0; ++p, --n) c = kTable[0][(c ^ *p) & 0xFF] ^ (c >> 8);
  return c;
}

#ifdef WSBOOK_CRC32_CLMUL

// Folding by carry-less multiplication (Gopal, Ozturk et al., Intel, "Fast CRC Computation
// for Generic Polynomials Using PCLMULQDQ Instruction", 2009). The constants are those of the
// Linux kernel's arch/x86/crypto/crc32-pclmul_asm.S (crc32_pclmul_le_16, torvalds/linux),
// each [(x^k mod P(x)) << 32]' << 1 in its notation (bit-reflected, for 0xEDB88320); Chromium
// zlib's crc32_simd.c has the same as k1..k5.
constexpr long long kR1 = 0x154442bd4;       // k = 4*128+32: a lane 64 bytes on, low half
constexpr long long kR2 = 0x1c6e41596;       // k = 4*128-32: the same, high half
constexpr long long kR3 = 0x1751997d0;       // k = 128+32: a block 16 bytes on, low half
constexpr long long kR4 = 0x0ccaa009e;       // k = 128-32: the same, high half
constexpr long long kR5 = 0x163cd6124;       // k = 64: 64 bits down to 32
constexpr long long kPoly = 0x1db710641;     // P'(x) << 1
constexpr long long kBarrett = 0x1f7011641;  // u' = (x^64 / P(x))', for the Barrett reduction

__attribute__((target("pclmul,sse4.1"))) inline __m128i load16(const unsigned char* p) {
  return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
}

// `acc` multiplied forward by the distance `k` stands for, added onto `next`.
__attribute__((target("pclmul,sse4.1"))) inline __m128i fold(__m128i acc, __m128i k, __m128i next) {
  const __m128i lo = _mm_clmulepi64_si128(acc, k, 0x00), hi = _mm_clmulepi64_si128(acc, k, 0x11);
  return _mm_xor_si128(_mm_xor_si128(lo, hi), next);
}

// 128 bits of folded state to the 32-bit state: to 64 bits, to 32 bits, then Barrett.
__attribute__((target("pclmul,sse4.1"))) std::uint32_t reduce128(__m128i x) {
  const __m128i low32 = _mm_setr_epi32(-1, 0, -1, 0);
  x = _mm_xor_si128(_mm_srli_si128(x, 8), _mm_clmulepi64_si128(x, _mm_set_epi64x(kR4, kR3), 0x10));
  x = _mm_xor_si128(_mm_srli_si128(x, 4), _mm_clmulepi64_si128(_mm_and_si128(x, low32), _mm_set_epi64x(0, kR5), 0x00));
  const __m128i barrett = _mm_set_epi64x(kBarrett, kPoly);
  __m128i t = _mm_clmulepi64_si128(_mm_and_si128(x, low32), barrett, 0x10);
  t = _mm_clmulepi64_si128(_mm_and_si128(t, low32), barrett, 0x00);
  return static_cast<std::uint32_t>(_mm_extract_epi32(_mm_xor_si128(x, t), 1));
}

// The running state `c` over `n` bytes at `p` (n >= 64, a multiple of 16): four lanes
// fold 64 bytes a step, then into one lane, then one 16-byte block at a time.
__attribute__((target("pclmul,sse4.1"))) std::uint32_t clmul_update(const unsigned char* p, std::size_t n,
                                                                    std::uint32_t c) {
  const __m128i k4 = _mm_set_epi64x(kR2, kR1), k1 = _mm_set_epi64x(kR4, kR3);
  __m128i x0 = _mm_xor_si128(load16(p), _mm_cvtsi32_si128(static_cast<int>(c)));
  __m128i x1 = load16(p + 16), x2 = load16(p + 32), x3 = load16(p + 48);
  for (p += 64, n -= 64; n >= 64; p += 64, n -= 64) {
    x0 = fold(x0, k4, load16(p));
    x1 = fold(x1, k4, load16(p + 16));
    x2 = fold(x2, k4, load16(p + 32));
    x3 = fold(x3, k4, load16(p + 48));
  }
  x0 = fold(fold(fold(x0, k1, x1), k1, x2), k1, x3);
  for (; n >= 16; p += 16, n -= 16) x0 = fold(x0, k1, load16(p));
  return reduce128(x0);
}

// Asked once: the default build targets every x86-64, with or without PCLMULQDQ.
bool cpu_has_clmul() {
  static const bool yes = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1");
  }();
  return yes;
}

#endif  // WSBOOK_CRC32_CLMUL

}  // namespace

std::uint32_t crc32(std::string_view bytes, std::uint32_t crc) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  std::size_t n = bytes.size();
  std::uint32_t c = ~crc;
#ifdef WSBOOK_CRC32_CLMUL
  if (n >= 64 && cpu_has_clmul()) {
    const std::size_t folded = n & ~std::size_t{15};
    c = clmul_update(p, folded, c);
    p += folded;
    n -= folded;
  }
#endif
  return ~table_update(p, n, c);
}

std::uint32_t crc32_table(std::string_view bytes, std::uint32_t crc) {
  return ~table_update(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), ~crc);
}

std::uint32_t crc32_bytewise(std::string_view bytes, std::uint32_t crc) {
  crc = ~crc;
  for (const char ch : bytes) {
    crc ^= static_cast<unsigned char>(ch);
    for (int k = 0; k < 8; ++k) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
  }
  return ~crc;
}

}  // namespace wsbook
