#include "cli_capture.h"

#include <array>
#include <cmath>
#include <filesystem>

namespace wsbook {
namespace {

// What a replay takes from the capture, or has no use for without a network.
constexpr std::array<const char*, 18> kNetworkOnly{
    "--url",          "--rest-url",    "--subscribe",   "--header",      "--cafile",     "--insecure",
    "--capture",      "--stale-timeout", "--symbol-stale-timeout", "--ping-interval", "--backoff-min",
    "--backoff-max",  "--max-retries", "--duration",    "--symbol",      "--symbols-file", "--raw",
    "--feed"};

std::string check_replay(const CLI::App& app) {
  for (const char* name : kNetworkOnly) {
    if (app.count(name) == 0) continue;
    const std::string flag = name;
    if (flag == "--symbol" || flag == "--symbols-file") return "--replay: the capture names the symbols; drop " + flag;
    return "--replay reads a capture instead of the network: " + flag + " does not apply";
  }
  return {};
}

}  // namespace

void add_capture_flags(CLI::App& app, CliOptions& o) {
  app.add_option("--capture", o.capture, "Also record every frame, REST reply and connection event to FILE")
      ->type_name("FILE")
      ->check([](const std::string& path) { return path.empty() ? "--capture needs a path" : ""; });
  app.add_option("--replay", o.replay, "Rebuild the books from a --capture FILE ('-': stdin), no network")
      ->type_name("FILE")
      ->check([](const std::string& path) { return path.empty() ? "--replay needs a path" : ""; });
  app.add_option("--replay-speed", o.replay_speed, "Replay at X times the recorded pace (default: as fast as it goes)")
      ->type_name("X")
      ->check(CLI::Validator(
          [](std::string& text) {
            char* end = nullptr;
            const double v = std::strtod(text.c_str(), &end);
            const bool ok = end != text.c_str() && *end == '\0' && std::isfinite(v) && v > 0 && v <= 1e6;
            return ok ? std::string() : "--replay-speed must be a number above 0: " + text;
          },
          ""));
}

std::string check_capture(const CLI::App& app, const CliOptions& o) {
  if (o.replay_speed && o.replay.empty()) return "--replay-speed paces a --replay";
  if (!o.replay.empty()) return check_replay(app);
  if (o.capture.empty()) return {};
  if (o.raw || o.feed == "raw") return "--raw already writes frames: --capture does not go with it";
  std::error_code ec;
  const auto same = [&](const std::string& a, const std::string& b) {
    return a == b || std::filesystem::weakly_canonical(a, ec) == std::filesystem::weakly_canonical(b, ec);
  };
  if (o.out != "-" && o.capture != "-" && same(o.capture, o.out)) return "--capture and --out name the same file";
  if (o.capture == "-" && o.out == "-") return "--capture - and the lines would share stdout: give --out a file";
  if (o.capture.find("{symbol}") != std::string::npos) return "--capture is one file for all symbols: no {symbol}";
  return {};
}

}  // namespace wsbook
