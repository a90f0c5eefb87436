#include <sys/stat.h>

#include <ctime>

#include "output/time_path.h"

namespace wsbook {
namespace {

// The fields a path may use: numbers of the UTC date and time that sort and
// name one period each, and %% for a %. (%e has a space, %D slashes, %U/%W
// and %C are not periods of their own; %G/%g/%V are ISO weeks, below.)
constexpr std::string_view kFields = "YmdHMSjyGgVuwFT%";

class TimeOutput final : public Output {
 public:
  TimeOutput(std::string path, OpenOutput open) : path_(std::move(path)), open_(std::move(open)) {}

  // The file of now is opened at once, so that a path that cannot be made fails
  // before any connection; the one before it is repaired (a crash left it torn).
  std::string start(std::int64_t now_s) {
    if (const std::string before = time_path(path_, previous_period(now_s)); exists(before)) {
      std::string error;
      if (!open_(before, error)) return error;
    }
    second_ = now_s;
    return switch_to(time_path(path_, now_s));
  }

  FinishResult finish(std::chrono::steady_clock::time_point deadline) override {
    return current_ ? current_->finish(deadline) : FinishResult{};
  }

  // Runs of lines that name one file go to it in one write.
  WriteResult write(std::string_view lines) override {
    if (!error_.empty()) return {WriteResult::Status::failed, error_};
    std::size_t run = 0;
    for (std::size_t at = 0, nl; at < lines.size(); at = nl + 1) {
      nl = lines.find('\n', at);
      if (nl == std::string_view::npos) nl = lines.size() - 1;
      const std::int64_t ts = line_ts(lines.substr(at, nl - at));
      if (ts < 0 || ts / 1000 == second_) continue;
      second_ = ts / 1000;
      const std::string name = time_path(path_, second_);
      if (name == name_) continue;
      if (WriteResult r = put(lines.substr(run, at - run)); r.status != WriteResult::Status::ok) return r;
      run = at;
      if (auto err = switch_to(name); !err.empty()) return {WriteResult::Status::failed, error_ = err};
    }
    return put(lines.substr(run));
  }

  std::string reopen() override { return current_ ? current_->reopen() : std::string(); }
  // The batch is laid out here, file by file (put()), not by the caller.
  Placement placement() const override { return {}; }

 private:
  // The lines laid out for the file they go to, so that none crosses its pages.
  WriteResult put(std::string_view lines) {
    if (lines.empty()) return {};
    const Placement where = current_->placement();
    if (where.page == 0) return current_->write(lines);
    laid_.clear();
    layout_.reset(where);
    for (std::size_t at = 0, nl; at < lines.size(); at = nl + 1) {
      nl = lines.find('\n', at);
      if (nl == std::string_view::npos) nl = lines.size() - 1;
      const std::size_t start = laid_.size();
      laid_.append(lines.substr(at, nl - at + 1));
      layout_.placed(laid_, start);
    }
    layout_.seal(laid_);
    return current_->write(laid_);
  }

  std::string switch_to(const std::string& name) {
    current_.reset();  // closed (a .zst file gets its frame's end) before the next opens
    std::string error;
    current_ = open_(name, error);
    name_ = current_ ? name : std::string();
    return error;
  }

  // A moment of the period before the one of `s`: back in doubling steps until the name changes.
  std::int64_t previous_period(std::int64_t s) const {
    const std::string now = time_path(path_, s);
    for (std::int64_t step = 1; step < (std::int64_t{1} << 26); step *= 2) {
      if (time_path(path_, s - step) != now) return s - step;
    }
    return s;
  }

  static bool exists(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
  }

  std::string path_;
  OpenOutput open_;
  std::unique_ptr<Output> current_;
  std::string name_, error_;  // error_: a file could not be opened; the output takes no more
  std::int64_t second_ = -1;
  PageLayout layout_;
  std::string laid_;
};

}  // namespace

bool names_time(std::string_view path) { return path.find('%') != std::string_view::npos; }

std::string check_time_fields(std::string_view path) {
  bool week = false, date = false;
  for (std::size_t at = path.find('%'); at != std::string_view::npos; at = path.find('%', at + 2)) {
    if (at + 1 == path.size()) return "a lone % ends it";
    const char f = path[at + 1];
    if (kFields.find(f) == std::string_view::npos) {
      return std::string("%") + f + " is not a time field wsbook fills in (%Y %m %d %H %M %S %j %F %T ..., %% for a %)";
    }
    week = week || f == 'G' || f == 'g' || f == 'V';
    date = date || f == 'Y' || f == 'y' || f == 'm' || f == 'd' || f == 'j' || f == 'F';
  }
  if (week && date) return "ISO weeks (%G %g %V) and dates (%Y %m %d %j %F) do not mix: a week crosses years";
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

std::unique_ptr<Output> make_time_output(std::string path, OpenOutput open, std::int64_t now_s, std::string& error) {
  auto out = std::make_unique<TimeOutput>(std::move(path), std::move(open));
  if (error = out->start(now_s); !error.empty()) return nullptr;
  return out;
}

}  // namespace wsbook
