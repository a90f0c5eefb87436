#include "support/true_book.h"

namespace wsbook::testing {
namespace {

std::string fixed_text(std::int64_t value, std::int64_t scale) {
  std::string text = std::to_string(value / scale);
  std::string frac = std::to_string(scale + value % scale).substr(1);
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  if (!frac.empty()) text += "." + frac;
  return text;
}

std::string change_event(const char* side, std::int64_t cents, std::int64_t milli, const char* reason) {
  // Prices go out with a trailing zero now and then, as Gemini writes "6513.20".
  const std::string price = TrueBook::price_text(cents) + (cents % 10 == 0 && cents % 100 != 0 ? "0" : "");
  return R"({"type":"change","side":")" + std::string(side) + R"(","price":")" + price +
         R"(","remaining":")" + TrueBook::amount_text(milli) + R"(","delta":"0","reason":")" + reason + R"("})";
}

}  // namespace

std::string TrueBook::price_text(std::int64_t cents) { return fixed_text(cents, 100); }
std::string TrueBook::amount_text(std::int64_t milli) { return fixed_text(milli, 1000); }

void TrueBook::fill(std::int64_t mid_cents, int levels) {
  bids_.clear();
  asks_.clear();
  for (int i = 1; i <= levels; ++i) {
    bids_[mid_cents - i] = 1000 + 7 * i;
    asks_[mid_cents + i] = 2000 + 3 * i;
  }
}

std::string TrueBook::next_seq_field() {
  return R"("socket_sequence":)" + std::to_string(next_seq_++);
}

std::string TrueBook::initial_frame() {
  next_seq_ = 0;
  std::string frame = R"({"type":"update","eventId":)" + std::to_string(event_id_++) + "," + next_seq_field() +
                      R"(,"events":[)";
  auto add = [&frame, first = true](const std::string& event) mutable {
    if (!first) frame += ',';
    frame += event;
    first = false;
  };
  for (const auto& [c, m] : bids_) add(change_event("bid", c, m, "initial"));
  for (const auto& [c, m] : asks_) add(change_event("ask", c, m, "initial"));
  remember();
  return frame + "]}";
}

std::string TrueBook::update_frame(TrueSide side, std::int64_t cents, std::int64_t milli) {
  if (side == TrueSide::bid) {
    if (milli == 0) bids_.erase(cents); else bids_[cents] = milli;
  } else {
    if (milli == 0) asks_.erase(cents); else asks_[cents] = milli;
  }
  remember();
  return R"({"type":"update","eventId":)" + std::to_string(event_id_++) +
         R"(,"timestamp":1700000000,"timestampms":1700000000123,)" + next_seq_field() + R"(,"events":[)" +
         change_event(side == TrueSide::bid ? "bid" : "ask", cents, milli, milli ? "place" : "cancel") + "]}";
}

std::string TrueBook::random_update(std::uint32_t& rng) {
  rng = rng * 1664525u + 1013904223u;
  const bool bid = (rng >> 8) % 2 == 0 || asks_.empty();
  const bool remove = (rng >> 12) % 3 == 0;
  const std::int64_t best_bid = bids_.empty() ? 0 : bids_.begin()->first;
  const std::int64_t best_ask = asks_.empty() ? best_bid + 100 : asks_.begin()->first;
  const std::int64_t offset = static_cast<std::int64_t>((rng >> 16) % 15);
  if (bid) {
    const std::int64_t cents = std::min(best_ask - 1, best_bid + 2 - offset);
    return update_frame(TrueSide::bid, cents, remove ? 0 : 1 + (rng >> 20) % 5000);
  }
  const std::int64_t cents = std::max(best_bid + 1, best_ask - 2 + offset);
  return update_frame(TrueSide::ask, cents, remove ? 0 : 1 + (rng >> 20) % 5000);
}

std::string TrueBook::heartbeat() {
  return R"({"type":"heartbeat",)" + next_seq_field() + "}";
}

std::string TrueBook::body() const {
  return R"({"bids":)" + side_json(bids_, depth_) + R"(,"asks":)" + side_json(asks_, depth_);
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (std::size_t nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1) {
    lines.push_back(text.substr(start, nl - start));
  }
  if (start < text.size()) lines.push_back(text.substr(start));
  return lines;
}

std::string line_body(const std::string& line) {
  const auto ts = line.rfind(R"(,"ts":)");
  return ts == std::string::npos ? line : line.substr(0, ts);
}

}  // namespace wsbook::testing
