#pragma once
// Builds a Gemini v1 frame near Gemini's own layout from fuzzer bytes: random
// bytes alone seldom make a frame the shape or the fast path takes (about 1 in
// 2,500), so their agreement with the general path would go almost untested.

#include <fuzzer/FuzzedDataProvider.h>

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wsbook::fuzz {

/// Each byte decides one thing: key order, presence, an odd value, some whitespace.
/// Option 0 is the common one, so a short recipe gives a typical frame.
class V1Recipe {
 public:
  explicit V1Recipe(FuzzedDataProvider& in) : in_(in) {}

  /// The frame, perhaps with raw bytes spliced in somewhere.
  std::string frame() {
    std::vector<std::string> fields;
    // An update, the initial update (no timestamps) or a heartbeat, as Gemini lays them out.
    const auto kind = in_.ConsumeIntegral<std::uint8_t>() % 4;
    add(fields, "type", kind == 3 ? "\"heartbeat\"" : pick({"\"update\"", "\"heartbeat\"", "\"snapshot\"", "\"\"", "7"}));
    add_if(kind != 3, fields, "eventId", integer());
    add_if(kind < 2, fields, "timestamp", integer());
    add_if(kind < 2, fields, "timestampms", integer());
    add(fields, "socket_sequence", integer());
    add_if(kind != 3, fields, "events", events());
    add_rarely(fields, "x", scalar());
    std::string f = space() + object(fields) + space();
    if (in_.ConsumeIntegral<std::uint8_t>() >= 240) {
      const auto at = in_.ConsumeIntegralInRange<std::size_t>(0, f.size());
      f.insert(at, in_.ConsumeRandomLengthString(8));
    }
    return f;
  }

 private:
  // The first option 15 times in 16: a frame is some 40 choices, and one odd choice
  // is enough to send it the general way.
  std::string pick(std::initializer_list<std::string_view> options) {
    const auto byte = in_.ConsumeIntegral<std::uint8_t>();
    return std::string(options.begin()[byte < 240 ? 0 : byte % options.size()]);
  }

  std::string space() { return pick({"", " ", "\n", "\r\t", "\v", "\f"}); }

  // Usually once; sometimes missing, twice, or under an escaped name.
  void add(std::vector<std::string>& fields, std::string_view key, const std::string& value) {
    const std::string field = "\"" + std::string(key) + "\"" + space() + ":" + space() + value;
    switch (in_.ConsumeIntegral<std::uint8_t>()) {
      case 253: return;
      case 254: place(fields, field); break;
      case 255: return place(fields, "\"" + escaped(key) + "\":" + value);
    }
    place(fields, field);
  }

  // Now and then only: a key that Gemini's own layout lacks.
  void add_rarely(std::vector<std::string>& fields, std::string_view key, const std::string& value) {
    if (in_.ConsumeIntegral<std::uint8_t>() >= 224) add(fields, key, value);
  }

  // At the end, or swapped with an earlier field.
  void place(std::vector<std::string>& fields, const std::string& field) {
    fields.push_back(field);
    const auto last = fields.size() - 1;
    std::swap(fields[last], fields[last - in_.ConsumeIntegralInRange<std::size_t>(0, last)]);
  }

  // "type" as "\u0074ype": the same key to JSON, another one to a byte compare.
  static std::string escaped(std::string_view key) {
    constexpr std::string_view hex = "0123456789abcdef";
    return std::string("\\u00") + hex[key[0] / 16] + hex[key[0] % 16] + std::string(key.substr(1));
  }

  std::string object(const std::vector<std::string>& fields) {
    std::string o = "{";
    for (const auto& field : fields) o += (o.size() > 1 ? "," : "") + space() + field + space();
    return o + "}";
  }

  std::string digits() { return std::to_string(in_.ConsumeIntegral<std::uint64_t>() >> in_.ConsumeIntegralInRange(0, 63)); }

  std::string zeros() { return std::string(in_.ConsumeIntegralInRange(0, 3), '0'); }

  std::string integer() {
    return pick({digits(), "0", "01", "-1", "1.5", "1e3", "\"5\"", "null", "18446744073709551615",
                 "18446744073709551616", "9223372036854775807", "9223372036854775808", "-0"});
  }

  std::string decimal() {
    const std::string fraction = zeros() + digits() + zeros();
    return pick({"\"" + digits() + "." + fraction + "\"", "\"" + digits() + "\"", "1.5", "\"-1\"", "\"\"",
                 "\"1e5\"", "\"1.\"", "\".5\"", "\"1.2.3\"", "\"" + std::string(25, '9') + "\"",
                 "\"0." + std::string(19, '1') + "\"", "\"1\\u0030\"", "null", "{}"});
  }

  std::string scalar() {
    return pick({"\"x\"", "true", "false", "null", "-1.5e+3", "0", "{}", "[1]", "tru", "01", "1.", "-",
                 "\"\\\"\"", "\"\xc3\xa9\"", "\"\x01\"", "\"\t\"", "\"\x7f\""});
  }

  // A key of the event's own kind (always) or of the other kind (now and then).
  void add_if(bool own, std::vector<std::string>& fields, std::string_view key, const std::string& value) {
    own ? add(fields, key, value) : add_rarely(fields, key, value);
  }

  // A change or a trade, its keys in Gemini's order.
  std::string event() {
    std::vector<std::string> fields;
    const bool trade = in_.ConsumeIntegral<std::uint8_t>() % 4 == 0;
    add(fields, "type", trade ? "\"trade\"" : pick({"\"change\"", "\"auction_open\"", "\"\"", "1"}));
    add_if(trade, fields, "tid", integer());
    add_if(!trade, fields, "side", pick({"\"bid\"", "\"ask\"", "\"buy\"", "\"\"", "\"b\\u0069d\""}));
    add(fields, "price", decimal());
    add_if(!trade, fields, "remaining", decimal());
    add_if(trade, fields, "amount", decimal());
    add_if(!trade, fields, "delta", decimal());
    add_if(!trade, fields, "reason", pick({"\"place\"", "\"initial\"", "\"top-of-book\"", "\"cancel\"", "0"}));
    add_if(trade, fields, "makerSide", pick({"\"bid\"", "\"ask\"", "\"auction\"", "\"sideways\"", "[]"}));
    add_rarely(fields, "y", scalar());
    return object(fields);
  }

  std::string events() {
    std::string e = "[";
    for (int n = in_.ConsumeIntegralInRange(0, 4); n > 0; --n) e += (e.size() > 1 ? "," : "") + space() + event();
    return pick({e + "]", e + "]", e + "]", "{}", "\"[]\"", e + ",]"});
  }

  FuzzedDataProvider& in_;
};

}  // namespace wsbook::fuzz
