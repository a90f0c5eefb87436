// What VenueFeed writes besides a line per update: the --markers records that
// say where a series broke, the --fields after `ts`, and the lines of
// --interval instants.
#include <algorithm>
#include <array>
#include <charconv>

#include "json/escape.h"
#include "feed/venue_feed.h"

namespace wsbook {
namespace {

// --interval: instants further behind than this are skipped, not written late.
constexpr std::int64_t kMaxCatchUpMs = 1'000;

constexpr std::array<std::string_view, 5> kFieldNames = {"exchange", "symbol", "seq", "exchange_ts", "recv_us"};

void append_number(std::int64_t n, std::string& out) {
  char buf[24];
  out.append(buf, std::to_chars(buf, buf + sizeof buf, n).ptr);
}

void append_optional(const std::optional<std::int64_t>& n, std::string& out) {
  if (n) append_number(*n, out);
  else out += "null";
}

}  // namespace

std::string_view field_name(LineField f) { return kFieldNames[static_cast<std::size_t>(f)]; }

std::optional<LineField> find_field(std::string_view name) {
  for (std::size_t i = 0; i < kFieldNames.size(); ++i) {
    if (kFieldNames[i] == name) return static_cast<LineField>(i);
  }
  return std::nullopt;
}

FrameResult VenueFeed::record_connect(std::string_view how, std::int64_t now_ms, std::string& out) {
  begin(now_ms, out);
  record(nullptr, "connect", how);
  return finish({});
}

FrameResult VenueFeed::on_disconnect(std::string_view reason, bool last, std::int64_t now_ms, std::string& out) {
  begin(now_ms, out);
  // The crawl's end breaks no book: the file ends with the disconnect record.
  if (!last) drop_books("disconnect: " + std::string(reason));
  record(nullptr, "disconnect", reason);
  return finish({});
}

FrameResult VenueFeed::on_clock(std::int64_t now_ms, std::string& out) {
  begin(now_ms, out);
  if (!restarting_) write_instants(now_ms, out);
  return finish({});
}

void VenueFeed::drop_books(std::string_view reason) {
  for (auto& b : books_) {
    if (b->state != SymbolBook::State::trusted) continue;
    if (!b->broke_connection) {
      ++b->rebuilds;  // the connection's book goes with it
      b->last_problem = "its connection ended";
    }
    record_gap(*b, reason);
    b->state = SymbolBook::State::waiting;
  }
}

void VenueFeed::record_gap(SymbolBook& b, std::string_view reason) {
  if (b.gap_open) return;  // one record per broken book, however many frames say so
  b.gap_open = true;
  ++b.gaps;
  record(&b, "gap", reason);
}

void VenueFeed::record_resync(SymbolBook& b) {
  if (!b.gap_open) return;  // a snapshot in band on a trusted book goes on its series
  b.gap_open = false;
  if (b.gaps > 0) ++b.resyncs;  // a series breaks only once it began: every resync after a gap is a rebuild
  record(&b, "resync", snapshot_message(b.book));
}

// `{"event":..,"exchange":..,"symbol":..,"reason":..,"ts":..}`; a connection's
// records name its symbols instead.
void VenueFeed::record(const SymbolBook* b, std::string_view event, std::string_view reason) {
  if (!options_.markers || out_ == nullptr) return;
  std::string& out = *out_;
  out += R"({"event":")";
  out += event;
  out += R"(","exchange":")";
  out += venue_.name();
  if (b != nullptr) {
    out += R"(","symbol":)";
    append_json_string(b->name, out);
  } else {
    out += R"(","symbols":[)";
    bool first = true;
    for (const auto& x : books_) {
      if (x->state == SymbolBook::State::rejected) continue;
      if (!first) out += ',';
      first = false;
      append_json_string(x->name, out);
    }
    out += ']';
  }
  out += R"(,"reason":)";
  append_json_string(reason, out);
  out += R"(,"ts":)";
  append_number(now_ms_, out);
  out += "}\n";
  lines_of_.push_back({b != nullptr ? b->index : LineOf::kConnection, true});
  ++stats_.records;
}

// Each instant's line shows the book after the last message received before it.
void VenueFeed::write_instants(std::int64_t now_ms, std::string& out) {
  const std::int64_t every = options_.interval.count();
  if (every <= 0) return;
  // First call, or the wall clock stepped back (more than a frame can be late): the instants start from now.
  if (next_instant_ == 0 || now_ms < next_instant_ - every - kMaxCatchUpMs) next_instant_ = (now_ms / every + 1) * every;
  if (now_ms < next_instant_) return;
  // The crawl did not run for a while (suspended, or the clock stepped on): the instants it
  // did not see are not written as if it had.
  if (now_ms - next_instant_ >= std::max<std::int64_t>(kMaxCatchUpMs, 2 * every)) {
    const std::int64_t latest = now_ms / every * every;
    stats_.skipped_instants += static_cast<std::uint64_t>((latest - next_instant_) / every);
    next_instant_ = latest;
  }
  for (; next_instant_ <= now_ms; next_instant_ += every) {
    for (auto& b : books_) {
      if (b->state == SymbolBook::State::trusted && !b->unconfirmed) write_line(*b, next_instant_, out);
    }
  }
}

void VenueFeed::end_line(SymbolBook& b, std::int64_t ts_ms, std::string& out) {
  if (options_.fields.empty()) return b.writer.end_line(ts_ms, out);
  out += R"(,"ts":)";
  append_number(ts_ms, out);
  for (const LineField f : options_.fields) {
    // A tagged line names its exchange and symbol first already.
    const bool tagged = !b.tag.empty();
    if ((f == LineField::exchange || f == LineField::symbol) && tagged) continue;
    out += ",\"";
    out += field_name(f);
    out += "\":";
    switch (f) {
      case LineField::exchange: append_json_string(venue_.name(), out); break;
      case LineField::symbol: append_json_string(b.name, out); break;
      case LineField::seq: append_optional(b.last_seq, out); break;
      case LineField::exchange_ts: append_optional(b.last_exchange_ms, out); break;
      case LineField::recv_us: append_number(b.last_recv_us, out); break;
    }
  }
  out += "}\n";
}

}  // namespace wsbook
