#pragma once
// Internal: the capture format (--capture, --raw, --replay): one JSON line per
// event that reached a feed, with its time in unix µs and its connection, so
// that a replay can make the very same calls. Frames are kept byte for byte:
// a JSON frame on one line as it is ("json"), other UTF-8 text as a JSON
// string ("text"), anything else as base64 ("b64").

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "wsbook/feed.h"

namespace wsbook::capture {

/// The version of the format, in every header.
inline constexpr int kVersion = 1;

/// One planned connection, as the header lists it.
struct PlannedConnection {
  std::string url;                   ///< where it connects
  std::vector<std::string> symbols;  ///< as the user gave them
};

/// What a capture file starts with (and starts again with after a reopen).
struct Header {
  std::string exchange;  ///< the --exchange name; "raw" for a venue wsbook does not know
  std::string wsbook;    ///< the version that wrote it
  std::int64_t interval_ms = 0;  ///< the live run's --interval (its clock events); 0: none
  std::int64_t symbol_stale_ms = 0;  ///< the live run's --symbol-stale-timeout, which its ticks acted on
  std::size_t depth = 0;  ///< the live run's --depth, which chose what was asked of the venue; 0: not known
  std::vector<PlannedConnection> connections;
  std::int64_t us = 0;  ///< when it was written, unix us (read back; append_header takes the time apart)
};

/// What happened, in the order a connection's feed heard of it.
enum class Kind : std::uint8_t {
  open,      ///< a session opened: the feed's on_connect (text: how, in words)
  send,      ///< a frame the feed sent (text)
  frame,     ///< a frame received (text; binary: it came as a binary message)
  fetch,     ///< a REST GET the feed asked for (request)
  response,  ///< its answer (response)
  tick,      ///< the once-a-second timer
  clock,     ///< an --interval instant's wake-up
  end,       ///< the session ended for the feed (text: why; last: the crawl ends)
  header,    ///< (reading) the line was a header, not an event
};

/// One event line.
struct Event {
  Kind kind = Kind::tick;      ///< what happened
  std::size_t connection = 0;  ///< the connection's index in the header
  std::int64_t us = 0;         ///< unix µs: the time the feed was given
  std::string text{};          ///< open: how; send, and frame when read as a string: the bytes; end: why
  /// frame: its bytes; they may point into the line read (valid until the next one) or into `text`.
  std::string_view frame{};
  bool binary = false;  ///< frame: it came as a binary message
  bool last = false;    ///< end: the crawl ended with it
  std::string url{};                 ///< open: where the session went
  std::vector<std::string> symbols{};  ///< open: the connection's symbols
  FetchRequest request{};    ///< fetch
  FetchResponse response{};  ///< response
};

/// The name of `k` in the file ("frame").
std::string_view kind_name(Kind k);

/// Appends the header line.
void append_header(const Header& h, std::int64_t now_us, std::string& out);
/// Appends the line of `e`.
void append_event(const Event& e, std::string& out);
/// Appends the line of a received frame, without copying it into an Event first.
void append_frame(std::size_t connection, std::int64_t us, std::string_view frame, bool binary, std::string& out);
/// Appends `bytes` as base64 (RFC 4648, padded).
void append_base64(std::string_view bytes, std::string& out);
/// Decodes base64 into `out`; false if `text` is not base64.
bool decode_base64(std::string_view text, std::string& out);

}  // namespace wsbook::capture
