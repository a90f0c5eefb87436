#include "compress/zstd_stream.h"

#include <unistd.h>
#include <zstd.h>

#include <array>

namespace wsbook::zstd {
namespace {

constexpr std::uint32_t kMagic = 0xFD2FB528;
// From this level on, zstd's own window and tables: asked for, the ratio outranks memory.
constexpr int kLargeLevel = 10;
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
      if (n > len_) return nullptr;
    }
    return buf_.data() + (at - start_);
  }

 private:
  int fd_;
  std::uint64_t size_, start_ = 0;
  std::size_t len_ = 0;
  std::array<unsigned char, 64 * 1024> buf_{};
};

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
  if (head == nullptr) return 0;  // a few bytes: the start of a frame cut short
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
  return bytes.size() >= 4 && le(reinterpret_cast<const unsigned char*>(bytes.data()), 4) == kMagic;
}

Encoder::Encoder(int level, std::size_t frame_bytes) : cctx_(ZSTD_createCCtx()), frame_bytes_(frame_bytes) {
  ZSTD_CCtx_setParameter(cctx_, ZSTD_c_compressionLevel, level);
  ZSTD_CCtx_setParameter(cctx_, ZSTD_c_checksumFlag, 1);  // zstd -t finds a damaged frame
  if (level < kLargeLevel) {
    // Each output keeps its compressor for its whole life, and hundreds of
    // per-symbol files each have one: small tables keep it a fraction of the
    // default's memory for book lines, whose repeats are near.
    ZSTD_CCtx_setParameter(cctx_, ZSTD_c_windowLog, 16);
    ZSTD_CCtx_setParameter(cctx_, ZSTD_c_hashLog, 13);
    ZSTD_CCtx_setParameter(cctx_, ZSTD_c_chainLog, 13);
  }
}

std::size_t Encoder::memory() const { return ZSTD_sizeof_CCtx(cctx_); }

Encoder::~Encoder() { ZSTD_freeCCtx(cctx_); }

std::string_view Encoder::run(std::string_view data, int directive) {
  out_.clear();
  ZSTD_inBuffer in{data.data(), data.size(), 0};
  std::size_t left = 0;
  do {
    const std::size_t had = out_.size(), room = ZSTD_CStreamOutSize();
    out_.resize(had + room);
    ZSTD_outBuffer out{out_.data() + had, room, 0};
    left = ZSTD_compressStream2(cctx_, &out, &in, static_cast<ZSTD_EndDirective>(directive));
    out_.resize(had + out.pos);
    if (ZSTD_isError(left)) return {};
  } while (left != 0);
  return out_;
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

std::string_view Encoder::frame(std::string_view data) {
  ZSTD_CCtx_reset(cctx_, ZSTD_reset_session_only);
  in_frame_ = 0;
  return run(data, ZSTD_e_end);
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

}  // namespace wsbook::zstd
