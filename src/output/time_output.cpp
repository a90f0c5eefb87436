#include <ctime>

#include "output/time_path.h"

namespace wsbook {
namespace {

// The fields a path may use: numbers of the UTC date and time, and %% for a %.
constexpr std::string_view kFields = "YmdHMSjyCGgVuwUWFTDe%";

class TimeOutput final : public Output {
 public:
  TimeOutput(std::string path, OpenOutput open) : path_(std::move(path)), open_(std::move(open)) {}

  // Runs of lines that name one file go to it in one write.
  WriteResult write(std::string_view lines) override {
    std::size_t run = 0;
    for (std::size_t at = 0, nl; at < lines.size(); at = nl + 1) {
      nl = lines.find('\n', at);
      if (nl == std::string_view::npos) nl = lines.size() - 1;
      const std::int64_t ts = line_ts(lines.substr(at, nl - at));
      if (ts < 0 || (current_ && ts / 1000 == second_)) continue;
      const std::string name = time_path(path_, ts / 1000);
      second_ = ts / 1000;
      if (current_ && name == name_) continue;
      if (WriteResult r = put(lines.substr(run, at - run)); r.status != WriteResult::Status::ok) return r;
      run = at;
      if (auto err = switch_to(name); !err.empty()) return {WriteResult::Status::failed, err};
    }
    return put(lines.substr(run));
  }

  std::string reopen() override { return current_ ? current_->reopen() : std::string(); }
  Placement placement() const override { return current_ ? current_->placement() : Placement{}; }

 private:
  WriteResult put(std::string_view lines) {
    if (lines.empty()) return {};
    if (!current_) {  // lines without a ts before any with one: the file of now
      if (auto err = switch_to(time_path(path_, std::time(nullptr))); !err.empty()) {
        return {WriteResult::Status::failed, err};
      }
    }
    return current_->write(lines);
  }

  std::string switch_to(const std::string& name) {
    current_.reset();  // closed (a .zst file gets its frame's end) before the next opens
    std::string error;
    current_ = open_(name, error);
    name_ = current_ ? name : std::string();
    return error;
  }

  std::string path_;
  OpenOutput open_;
  std::unique_ptr<Output> current_;
  std::string name_;
  std::int64_t second_ = -1;
};

}  // namespace

bool names_time(std::string_view path) { return path.find('%') != std::string_view::npos; }

std::string check_time_fields(std::string_view path) {
  for (std::size_t at = path.find('%'); at != std::string_view::npos; at = path.find('%', at + 2)) {
    if (at + 1 == path.size()) return "a lone % ends it";
    if (kFields.find(path[at + 1]) == std::string_view::npos) {
      return std::string("%") + path[at + 1] + " is not a time field wsbook fills in (" +
             "%Y %m %d %H %M %S %j %F %T ..., %% for a %)";
    }
  }
  return {};
}

std::string time_path(const std::string& path, std::int64_t unix_s) {
  const std::time_t t = static_cast<std::time_t>(unix_s);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  std::string out(path.size() + 64, '\0');
  std::size_t n = 0;
  while ((n = std::strftime(out.data(), out.size(), path.c_str(), &tm)) == 0 && out.size() < 4 * 4096) {
    out.resize(out.size() * 2);
  }
  out.resize(n);
  return out;
}

std::int64_t line_ts(std::string_view line) {
  // Levels are numbers and strings are escaped, so the first "ts": is the line's own.
  const std::size_t at = line.find("\"ts\":");
  if (at == std::string_view::npos) return -1;
  std::int64_t v = 0;
  std::size_t i = at + 5, digits = 0;
  for (; i < line.size() && line[i] >= '0' && line[i] <= '9' && digits < 18; ++i, ++digits) v = v * 10 + (line[i] - '0');
  return digits > 0 ? v : -1;
}

std::unique_ptr<Output> make_time_output(std::string path, OpenOutput open) {
  return std::make_unique<TimeOutput>(std::move(path), std::move(open));
}

}  // namespace wsbook
