#include "compress/zstd_stream.h"

#include <unistd.h>
#include <zstd.h>

#include <array>

namespace wsbook::zstd {
namespace {

constexpr std::uint32_t kMagic = 0xFD2FB528;
constexpr std::uint32_t kSkippableMask = 0xFFFFFFF0, kSkippable = 0x184D2A50;

std::uint32_t le(const unsigned char* p, std::size_t n) {
  std::uint32_t v = 0;
  for (std::size_t i = n; i-- > 0;) v = (v << 8) | p[i];
  return v;
}

// Small reads at increasing offsets of a file, from a window read ahead.
class Window {
 public:
  Window(int fd, std::uint64_t size) : fd_(fd), size_(size) {}
  // The `n` bytes at `at` (n <= 32), or nullptr past the end.
  const unsigned char* at(std::uint64_t at, std::size_t n) {
    if (at + n > size_) return nullptr;
    if (at < start_ || at + n > start_ + len_) {
      const ssize_t got = ::pread(fd_, buf_.data(), buf_.size(), static_cast<off_t>(at));
      start_ = at;
      len_ = got > 0 ? static_cast<std::size_t>(got) : 0;
      failed_ = failed_ || n > len_;  // the file is shorter than its size said, or unreadable
      if (n > len_) return nullptr;
    }
    return buf_.data() + (at - start_);
  }
  // A read came short: what is known of the file is not to be trusted.
  bool failed() const { return failed_; }

 private:
  int fd_;
  std::uint64_t size_, start_ = 0;
  std::size_t len_ = 0;
  bool failed_ = false;
  std::array<unsigned char, 64 * 1024> buf_{};
};

// The few bytes at the end from `p`: a frame cut short (0) if they begin its magic number.
std::uint64_t short_tail(Window& w, std::uint64_t p) {
  constexpr unsigned char kStart[4] = {0x28, 0xB5, 0x2F, 0xFD};
  for (std::size_t i = 0; i < 4; ++i) {
    const unsigned char* b = w.at(p + i, 1);
    if (b == nullptr) return w.failed() ? UINT64_MAX : 0;
    if (*b != kStart[i]) return UINT64_MAX;
  }
  return 0;
}

// The size of the zstd frame header whose descriptor byte is `fhd` (RFC 8878, 3.1.1.1).
std::size_t header_size(unsigned char fhd) {
  const unsigned fcs = fhd >> 6, single = (fhd >> 5) & 1, did = fhd & 3;
  constexpr std::array<std::size_t, 4> kDid{0, 1, 2, 4};
  const std::size_t fcs_bytes = fcs == 0 ? single : std::size_t{1} << fcs;
  return 5 + (single ? 0 : 1) + kDid[did] + fcs_bytes;
}

// The end of the frame at `p`: 0 if it is cut short, UINT64_MAX if it is no frame.
std::uint64_t frame_end(Window& w, std::uint64_t p) {
  const unsigned char* head = w.at(p, 8);
  if (head == nullptr) return w.failed() ? UINT64_MAX : short_tail(w, p);
  const std::uint32_t magic = le(head, 4);
  std::uint64_t q = 0;
  if ((magic & kSkippableMask) == kSkippable) {
    q = p + 8 + le(head + 4, 4);
  } else if (magic == kMagic) {
    const bool checksum = (head[4] >> 2) & 1;
    q = p + header_size(head[4]);
    for (bool last = false; !last;) {
      const unsigned char* b = w.at(q, 3);
      if (b == nullptr) return 0;
      const std::uint32_t h = le(b, 3), type = (h >> 1) & 3;
      if (type == 3) return UINT64_MAX;   // reserved: not zstd
      q += 3 + (type == 1 ? 1 : h >> 3);  // an RLE block holds one byte
      last = h & 1;
    }
    q += checksum ? 4 : 0;
  } else {
    return UINT64_MAX;
  }
  return w.at(q - 1, 1) ? q : 0;
}

}  // namespace

bool is_zstd(std::string_view bytes) {
  if (bytes.size() < 4) return false;
  const std::uint32_t magic = le(reinterpret_cast<const unsigned char*>(bytes.data()), 4);
  return magic == kMagic || (magic & kSkippableMask) == kSkippable;
}

Encoder::Encoder(int level, std::size_t frame_bytes) : cctx_(ZSTD_createCCtx()), frame_bytes_(frame_bytes) {
  ZSTD_CCtx_setParameter(cctx_, ZSTD_c_compressionLevel, level);
  // A frame cut after a whole block is ended in place by an empty last block
  // (wsbook's repair): that takes frames with neither a checksum nor a size.
  ZSTD_CCtx_setParameter(cctx_, ZSTD_c_checksumFlag, 0);
  ZSTD_CCtx_setParameter(cctx_, ZSTD_c_contentSizeFlag, 0);
  // Each output keeps its compressor for its whole life, and hundreds of
  // per-symbol files each have one: small tables keep it a fraction of the
  // default's memory at any level, for book lines whose repeats are near.
  ZSTD_CCtx_setParameter(cctx_, ZSTD_c_windowLog, 16);
  ZSTD_CCtx_setParameter(cctx_, ZSTD_c_hashLog, 13);
  ZSTD_CCtx_setParameter(cctx_, ZSTD_c_chainLog, 13);
}

std::size_t Encoder::memory() const { return ZSTD_sizeof_CCtx(cctx_); }

Encoder::~Encoder() { ZSTD_freeCCtx(cctx_); }

std::string_view Encoder::run(std::string_view data, int directive) {
  ZSTD_inBuffer in{data.data(), data.size(), 0};
  std::size_t used = 0, left = 0;
  do {
    // The buffer only grows: no clearing of it per batch.
    if (out_.size() - used < ZSTD_CStreamOutSize()) out_.resize(used + ZSTD_CStreamOutSize());
    ZSTD_outBuffer out{out_.data() + used, out_.size() - used, 0};
    left = ZSTD_compressStream2(cctx_, &out, &in, static_cast<ZSTD_EndDirective>(directive));
    used += out.pos;
    if (ZSTD_isError(left)) return {};
  } while (left != 0);
  return std::string_view(out_).substr(0, used);
}

std::string_view Encoder::add(std::string_view lines) {
  in_frame_ += lines.size();
  const bool full = in_frame_ >= frame_bytes_;
  if (full) in_frame_ = 0;
  return run(lines, full ? ZSTD_e_end : ZSTD_e_flush);
}

std::string_view Encoder::end() {
  if (in_frame_ == 0) return {};
  in_frame_ = 0;
  return run({}, ZSTD_e_end);
}

void Encoder::restart() {
  ZSTD_CCtx_reset(cctx_, ZSTD_reset_session_only);
  in_frame_ = 0;
}

Decoder::Decoder() : dctx_(ZSTD_createDCtx()) {}

Decoder::~Decoder() { ZSTD_freeDCtx(dctx_); }

std::string Decoder::add(std::string_view data, std::string& out) {
  ZSTD_inBuffer in{data.data(), data.size(), 0};
  for (;;) {
    const std::size_t had = out.size(), room = ZSTD_DStreamOutSize();
    out.resize(had + room);
    ZSTD_outBuffer o{out.data() + had, room, 0};
    const std::size_t r = ZSTD_decompressStream(dctx_, &o, &in);
    out.resize(had + o.pos);
    if (ZSTD_isError(r)) return ZSTD_getErrorName(r);
    if (in.pos == in.size && o.pos < room) return {};  // all in, nothing more held back
  }
}

std::string FileDecoder::add(std::string_view bytes, std::string& out) {
  if (kind_ == Kind::unknown) {  // the magic number may come in pieces
    start_.append(bytes);
    if (start_.size() < 4 && !bytes.empty()) return {};
    kind_ = is_zstd(start_) ? Kind::zstd : Kind::plain;
    if (kind_ == Kind::zstd) decoder_ = std::make_unique<Decoder>();
    bytes = start_;
  }
  if (kind_ != Kind::zstd) return out.append(bytes), "";
  if (auto err = decoder_->add(bytes, out); !err.empty()) return "not valid zstd: " + err;
  return {};
}

FrameScan scan_frames(int fd, std::uint64_t size) {
  Window w(fd, size);
  FrameScan s;
  while (s.whole < size) {
    const std::uint64_t end = frame_end(w, s.whole);
    if (end == UINT64_MAX) s.zstd = false;
    if (end == 0 || end == UINT64_MAX) break;
    s.whole = end;
  }
  return s;
}

std::optional<std::size_t> whole_line_blocks(std::string_view frame) {
  const auto* p = reinterpret_cast<const unsigned char*>(frame.data());
  if (frame.size() < 5 || frame.size() < header_size(p[4])) return 0;  // no block yet
  if ((p[4] >> 6) != 0 || ((p[4] >> 5) & 1) || ((p[4] >> 2) & 1)) return std::nullopt;  // a size or checksum
  Decoder decoder;
  std::string out;
  std::size_t q = header_size(p[4]), whole = 0;
  char last = 0;
  if (!decoder.add(frame.substr(0, q), out).empty()) return std::nullopt;
  while (q + 3 <= frame.size()) {
    const std::uint32_t h = le(p + q, 3), type = (h >> 1) & 3;
    const std::size_t len = 3 + (type == 1 ? 1 : h >> 3);
    if (q + len > frame.size()) break;              // the torn block
    if (type == 3 || (h & 1)) return std::nullopt;  // reserved, or a whole last block: no tear
    out.clear();
    if (!decoder.add(frame.substr(q, len), out).empty()) return std::nullopt;
    q += len;
    if (!out.empty()) last = out.back();
    if (last == '\n') whole = q;
  }
  return whole;
}

}  // namespace wsbook::zstd
