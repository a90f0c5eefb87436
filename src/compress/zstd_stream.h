#pragma once
// Internal: zstd for .zst outputs and inputs. A writer compresses each batch
// of lines as a flushed block of one open frame, so everything written is
// decodable up to the last whole batch; the frame is ended every so often and
// on close. A file left by a crash ends inside a frame: find_torn_frame says
// where, and the decoder reads what is whole of it.
#include <cstddef>
#include <cstdint>
#include <memory>
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
  ~Encoder();
  Encoder(const Encoder&) = delete;
  Encoder& operator=(const Encoder&) = delete;

  /// The bytes that make `lines` decodable (a flushed block; a frame's end when it is full); "" on error.
  std::string_view add(std::string_view lines);
  /// The bytes that end the open frame ("" if none is open).
  std::string_view end();
  /// A whole frame of `data` alone, as the file's next frame.
  std::string_view frame(std::string_view data);
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
  Decoder();
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
  bool zstd = true;         ///< false: the bytes at `whole` are no zstd frame
};
/// Walks the frames of the open file `fd` of `size` bytes.
FrameScan scan_frames(int fd, std::uint64_t size);

}  // namespace wsbook::zstd
