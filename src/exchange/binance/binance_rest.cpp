// Binance `/api/v3/depth` and `/fapi/v1/depth` replies: a book with its
// `lastUpdateId`, or the venue's `{"code":..,"msg":..}` error.
#include <string>

#include "exchange/binance/binance_json.h"

namespace wsbook::binance {
namespace {

using json::od::value;

// The venue's code for a symbol it does not list.
constexpr std::int64_t kInvalidSymbol = -1121;
// How much of an error body that is not the venue's JSON the log gets.
constexpr std::size_t kBodyExcerpt = 120;

// What a 200 reply said, in whatever order its keys came.
struct Reply {
  enum : unsigned { kId = 1, kBids = 2, kAsks = 4, kE = 8, kT = 16 };
  unsigned seen = 0;  // a bit per field, against a repeated key
  std::optional<std::int64_t> id, e, t;
};

std::string_view read_reply_field(json::od::field& field, Reply& r, std::vector<BookChange>& out) {
  const json::od::raw_json_string key = field.key();
  const value v = field.value();
  const auto first = [&r](unsigned bit) {
    const bool was = (r.seen & bit) != 0;
    r.seen |= bit;
    return !was;
  };
  if (key == "lastUpdateId") return first(Reply::kId) ? json::read_id(v, r.id, "lastUpdateId") : "repeated lastUpdateId";
  if (key == "bids") return first(Reply::kBids) ? json::read_pair_levels(v, Side::bid, "bids", "quantity", out) : "repeated bids";
  if (key == "asks") return first(Reply::kAsks) ? json::read_pair_levels(v, Side::ask, "asks", "quantity", out) : "repeated asks";
  // Futures replies carry the message's and the matching engine's times.
  if (key == "E") return first(Reply::kE) ? json::read_id(v, r.e, "E") : "repeated E";
  if (key == "T") return first(Reply::kT) ? json::read_id(v, r.t, "T") : "repeated T";
  return {};
}

std::string_view read_book(json::Reader& reader, std::string_view body, std::string_view symbol, ParsedFrame& out) {
  Reply r;
  const auto on_field = [&](json::od::field& field) { return read_reply_field(field, r, out.changes); };
  if (auto err = json::read_object(reader, body, on_field); !err.empty()) return err;
  if (!r.id) return "reply without lastUpdateId";
  if ((r.seen & Reply::kBids) == 0) return "reply without bids";
  if ((r.seen & Reply::kAsks) == 0) return "reply without asks";
  BookMessage& m = out.books.emplace_back();
  m.symbol = symbol;
  m.snapshot = true;
  m.end_change = out.changes.size();
  m.seq = r.id;
  m.exchange_ms = r.e ? r.e : r.t;
  return {};
}

// {"code":-1121,"msg":"Invalid symbol."}: true if the body is that, with both filled.
bool read_error_body(json::Reader& reader, std::string_view body, std::int64_t& code, std::string_view& msg) {
  bool has_code = false, has_msg = false;
  const auto on_field = [&](json::od::field& field) -> std::string_view {
    const json::od::raw_json_string key = field.key();
    value v = field.value();
    if (key == "code") has_code = v.get_int64().get(code) == simdjson::SUCCESS;
    if (key == "msg") has_msg = v.get_string().get(msg) == simdjson::SUCCESS;
    return {};
  };
  return json::read_object(reader, body, on_field).empty() && has_code && has_msg;
}

// A body that is not the venue's JSON (a proxy's page, nothing): its start, on one line.
std::string excerpt(std::string_view body) {
  if (body.empty()) return "(empty body)";
  std::string out(body.substr(0, kBodyExcerpt));
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return body.size() > kBodyExcerpt ? out + "..." : out;
}

// "HTTP 429: Too many requests".
std::string status_text(int http_status, std::string_view what) {
  std::string text = "HTTP ";
  text += std::to_string(http_status);
  text += ": ";
  text += what;
  return text;
}

void add_error(json::Reader& reader, int http_status, std::string_view body, std::string_view symbol,
               ParsedFrame& out, std::string& text) {
  std::int64_t code = 0;
  std::string_view msg;
  if (!read_error_body(reader, body, code, msg)) {
    text = status_text(http_status, excerpt(body));
    out.notices.push_back({Notice::Kind::error, symbol, text});
    return;
  }
  if (code == kInvalidSymbol) {
    text.assign(msg);
    out.notices.push_back({Notice::Kind::rejected, symbol, text});
    return;
  }
  text = status_text(http_status, msg);
  out.notices.push_back({Notice::Kind::error, symbol, text});
}

}  // namespace

std::string_view parse_snapshot_reply(json::Reader& reader, int http_status, std::string_view body,
                                      std::string_view symbol, ParsedFrame& out, std::string& text) {
  out.clear();
  if (http_status != 200) {
    add_error(reader, http_status, body, symbol, out, text);
    return {};
  }
  const std::string_view err = read_book(reader, body, symbol, out);
  if (!err.empty()) out.clear();  // nothing of a malformed reply can be applied
  return err;
}

}  // namespace wsbook::binance
