#pragma once
// Internal: zstd for .zst outputs and inputs. A writer compresses each batch
// of lines as a flushed block of one open frame, so everything written is
// decodable up to the last whole batch; the frame is ended every so often and
// on close. A file left by a crash ends inside a frame: scan_frames says where,
// whole_line_blocks how much of it holds whole lines, and an empty last block
// after those ends it in place.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct ZSTD_CCtx_s;
struct ZSTD_DCtx_s;

namespace wsbook::zstd {

/// Whether `bytes` start like a zstd frame (its magic number).
bool is_zstd(std::string_view bytes);

/// Compresses batches into the one frame it keeps open.
class Encoder {
 public:
  /// At compression `level`; frame_bytes: the input after which a frame is ended.
  explicit Encoder(int level, std::size_t frame_bytes = std::size_t{8} << 20);
  /// Frees the compressor.
  ~Encoder();
  Encoder(const Encoder&) = delete;
  Encoder& operator=(const Encoder&) = delete;

  /// The bytes that make `lines` decodable (a flushed block; a frame's end when it is full); "" on error.
  std::string_view add(std::string_view lines);
  /// The bytes that end the open frame ("" if none is open).
  std::string_view end();
  /// Forgets the open frame (its file was emptied under it): the next add() starts a new one.
  void restart();
  /// The bytes of memory the compressor holds.
  std::size_t memory() const;

 private:
  std::string_view run(std::string_view in, int directive);
  ZSTD_CCtx_s* cctx_;
  std::size_t frame_bytes_, in_frame_ = 0;
  std::string out_;
};

/// Decompresses a stream of frames, as far as its bytes go.
class Decoder {
 public:
  /// A decompressor at the start of a stream.
  Decoder();
  /// Frees the decompressor.
  ~Decoder();
  Decoder(const Decoder&) = delete;
  Decoder& operator=(const Decoder&) = delete;

  /// Appends to `out` what `in` decodes to (with the bytes before it); "" or the error.
  std::string add(std::string_view in, std::string& out);

 private:
  ZSTD_DCtx_s* dctx_;
};

/// A file's bytes as they are, or decompressed if it is zstd (as its first bytes tell).
class FileDecoder {
 public:
  /// Appends to `out` what the file's next `bytes` hold ("" at the end); "" or the error.
  std::string add(std::string_view bytes, std::string& out);

 private:
  enum class Kind : std::uint8_t { unknown, plain, zstd } kind_ = Kind::unknown;
  std::string start_;  // the first bytes, until they tell which
  std::unique_ptr<Decoder> decoder_;
};

/// Where a file of zstd frames stops being whole frames.
struct FrameScan {
  std::uint64_t whole = 0;  ///< bytes of whole frames from the start
  bool zstd = true;         ///< false: the bytes at `whole` are no zstd frame, or could not be read
};
/// Walks the frames of the open file `fd` of `size` bytes.
FrameScan scan_frames(int fd, std::uint64_t size);

/// Of an unfinished frame (its bytes from its start to the end of the file): how many of its
/// first bytes are whole blocks ending with a whole line; nullopt if it is damaged, not torn.
std::optional<std::size_t> whole_line_blocks(std::string_view frame);
/// What ends a frame after a whole block: an empty last block.
inline constexpr std::string_view kEmptyLastBlock{"\x01\x00\x00", 3};

}  // namespace wsbook::zstd
