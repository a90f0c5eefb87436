#include "flood_frames.h"

namespace wsbook::bench {
namespace {

std::string change_event(bool bid, std::int64_t price, std::int64_t remaining, std::int64_t delta,
                         const char* reason) {
  return std::string(R"({"type":"change","side":")") + (bid ? "bid" : "ask") + R"(","price":")" +
         price_text(price) + R"(","remaining":")" + amount_text(remaining) + R"(","delta":")" +
         amount_text(delta) + R"(","reason":")" + reason + R"("})";
}

std::string trade_event(std::uint64_t tid, const FloodEvent& e) {
  return R"({"type":"trade","tid":)" + std::to_string(tid) + R"(,"price":")" + price_text(e.price) +
         R"(","amount":")" + amount_text(e.amount) + R"(","makerSide":")" + (e.bid ? "bid" : "ask") + R"("})";
}

}  // namespace

void append_ws_text_header(std::uint64_t size, std::string& out) {
  out += static_cast<char>(0x81);  // FIN + text
  if (size < 126) {
    out += static_cast<char>(size);
    return;
  }
  const int bytes = size <= 0xffff ? 2 : 8;
  out += static_cast<char>(bytes == 2 ? 126 : 127);
  for (int i = bytes - 1; i >= 0; --i) out += static_cast<char>((size >> (8 * i)) & 0xff);
}

void append_ws_text_frame(std::string_view payload, std::string& out) {
  append_ws_text_header(payload.size(), out);
  out += payload;
}

void append_ws_close_frame(std::uint16_t code, std::string& out) {
  out += static_cast<char>(0x88);  // FIN + close
  out += static_cast<char>(2);
  out += static_cast<char>(code >> 8);
  out += static_cast<char>(code & 0xff);
}

std::string heartbeat_frame(std::uint64_t seq) {
  return R"({"type":"heartbeat","socket_sequence":)" + std::to_string(seq) + "}";
}

FloodBook::FloodBook(int levels, std::uint64_t seed) : book_(levels, seed) {}

std::string FloodBook::header(std::uint64_t seq, bool with_time) {
  std::string h = R"({"type":"update","eventId":)" + std::to_string(event_id_) + ",";
  if (with_time) {
    h += R"("timestamp":)" + std::to_string(time_ms_ / 1000) + R"(,"timestampms":)" + std::to_string(time_ms_) + ",";
  }
  return h + R"("socket_sequence":)" + std::to_string(seq) + R"(,"events":[)";
}

std::string FloodBook::initial_frame() {
  std::string f = header(0, false);
  for (const auto& [price, amount] : book_.bids()) f += change_event(true, price, amount, amount, "initial") + ",";
  for (const auto& [price, amount] : book_.asks()) f += change_event(false, price, amount, amount, "initial") + ",";
  f.back() = ']';
  return f + "}";
}

std::string FloodBook::update_frame(std::uint64_t seq) {
  // Drawn before the book's own draws, in the order the stream has always had.
  event_id_ += 1 + book_.rng()() % 50;
  time_ms_ += static_cast<std::int64_t>(book_.rng()() % 5);
  events_.clear();
  for (const FloodEvent& e : book_.next_update()) {
    if (!events_.empty()) events_ += ',';
    if (e.kind == FloodEvent::Kind::trade) events_ += trade_event(++event_id_, e);
    else events_ += change_event(e.bid, e.price, e.amount, e.delta, e.reason);
  }
  return header(seq, true) + events_ + "]}";
}

std::string build_flood(int levels, std::uint64_t updates, std::uint64_t seed) {
  FloodBook book(levels, seed);
  std::string wire;
  wire.reserve(static_cast<std::size_t>(updates) * 300 + static_cast<std::size_t>(levels) * 120);
  append_ws_text_frame(book.initial_frame(), wire);
  for (std::uint64_t seq = 1; seq <= updates; ++seq) append_ws_text_frame(book.update_frame(seq), wire);
  return wire;
}

}  // namespace wsbook::bench
