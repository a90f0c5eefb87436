#include "output/line_router.h"

#include <algorithm>

namespace wsbook {
namespace {

// A batch is written once it is this big, or when its owner flushes. Each
// write(2) has a fixed cost; past a few hundred KiB the batch falls out of the
// cache before the kernel copies it (measured end to end with bench/ab.sh).
constexpr std::size_t kFlushBytes = std::size_t{256} << 10;

// The one output every book of a connection writes to; nullopt when they write to several.
std::optional<std::size_t> single_target(const std::vector<std::size_t>& outputs) {
  if (outputs.empty()) return 0;
  const std::size_t first = outputs.front();
  const bool one = std::all_of(outputs.begin(), outputs.end(), [&](std::size_t o) { return o == first; });
  return one ? std::optional<std::size_t>(first) : std::nullopt;
}

}  // namespace

LineRouter::LineRouter(std::vector<Output*> outputs, const std::vector<std::vector<std::size_t>>& book_outputs,
                       std::optional<std::uint64_t> count, const Log& log)
    : log_(log), limit_(count.value_or(0)), book_outputs_(book_outputs) {
  for (Output* out : outputs) batches_.emplace_back(*out);
  listed_.assign(batches_.size(), false);
  dropping_.resize(batches_.size());
  failed_.assign(batches_.size(), false);
  for (const auto& books : book_outputs_) {
    targets_.push_back(single_target(books));
    std::vector<std::size_t> reach = books.empty() ? std::vector<std::size_t>{0} : books;
    std::sort(reach.begin(), reach.end());
    reach.erase(std::unique(reach.begin(), reach.end()), reach.end());
    reaches_.push_back(std::move(reach));
  }
}

std::string& LineRouter::lines_for(std::size_t c) {
  if (const auto& t = targets_[c]) return batches_[*t].text();
  routed_.clear();
  return routed_;
}

// --count N writes exactly N book lines, so a frame that brought more keeps only the first.
void LineRouter::placed(std::size_t c, const std::vector<LineOf>& of, std::size_t before, std::uint32_t n) {
  const auto& target = targets_[c];
  const bool record = !of.empty() && of[0].record;
  const std::uint64_t limit = frames_counted_ ? 0 : limit_;
  if (target && n == 1 && !record && (limit == 0 || lines_ < limit)) {
    batches_[*target].placed(before);  // the usual frame: one line, nothing to take apart
    mark_dirty(*target);
    if (batches_[*target].size() >= kFlushBytes) flush_batch(*target);
    ++lines_;
  } else {
    // Page padding goes between lines, so each is placed as if appended alone.
    std::string& text = target ? batches_[*target].text() : routed_;
    scratch_.assign(text, before);
    text.resize(before);
    for (std::size_t i = 0, a = 0, b; i < n && (b = scratch_.find('\n', a)) != std::string::npos; ++i, a = b + 1) {
      const LineOf line = i < of.size() ? of[i] : LineOf{};
      if (!line.record && limit != 0 && lines_ == limit) continue;
      if (!line.record) ++lines_;
      deliver(c, line, std::string_view(scratch_).substr(a, b + 1 - a));
    }
  }
  if (limit != 0 && lines_ == limit) ask_stop(0, "--count lines written");
}

bool LineRouter::add_frame(std::size_t i, std::string_view line) {
  if (frames_counted_ && limit_ != 0) {
    if (frames_ == limit_) return false;
    if (++frames_ == limit_) ask_stop(0, "--count frames captured");
  }
  add(i, line);
  return true;
}

// A line to the output of its book; a connection's record to those of all its books.
void LineRouter::deliver(std::size_t c, const LineOf& of, std::string_view line) {
  if (of.record) records_ += of.book == LineOf::kConnection && !targets_[c] ? reaches_[c].size() : 1;
  if (const auto& t = targets_[c]) return add(*t, line);
  if (of.book == LineOf::kConnection) {
    for (std::size_t batch : reaches_[c]) add(batch, line);
    return;
  }
  add(book_outputs_[c].at(of.book), line);
}

void LineRouter::mark_dirty(std::size_t batch) {
  if (listed_[batch]) return;
  listed_[batch] = true;
  dirty_.push_back(batch);
}

void LineRouter::add(std::size_t i, std::string_view line) {
  mark_dirty(i);
  batches_[i].add(line);
  if (batches_[i].size() >= kFlushBytes) flush_batch(i);
}

void LineRouter::flush() {
  std::vector<std::size_t> now;
  now.swap(dirty_);
  for (std::size_t i : now) listed_[i] = false;
  for (std::size_t i : now) flush_batch(i);
  now.clear();
  if (dirty_.empty()) dirty_.swap(now);  // keeps its capacity: no allocation per flush
}

void LineRouter::flush_batch(std::size_t i) {
  const std::uint64_t dropped = batches_[i].dropped();
  const WriteResult r = batches_[i].flush();
  note_dropping(i, r, dropped);
  if (r.status == WriteResult::Status::closed) {
    log_.info(r.error + "; exiting");
    ask_stop(0, r.error);
  } else if (r.status == WriteResult::Status::failed) {
    failed_[i] = true;
    ++write_errors_;
    log_.error(r.error);
    ask_stop(1, r.error);
  }
}

// One message when a reader falls behind and one when it has caught up, not one a batch.
void LineRouter::note_dropping(std::size_t i, const WriteResult& r, std::uint64_t dropped_before) {
  auto& episode = dropping_[i];
  if (r.status == WriteResult::Status::dropped && !episode) {
    log_.error(r.error + " is not keeping up: dropping lines until it catches up");
    episode = Dropping{dropped_before, r.error};
  } else if (r.status == WriteResult::Status::ok && episode) {
    const std::uint64_t n = batches_[i].dropped() - episode->since;
    log_.warn(episode->why + " caught up; " + std::to_string(n) + " lines were dropped");
    episode.reset();
  }
}

LineRouter::Finished LineRouter::finish(std::chrono::steady_clock::time_point deadline) {
  Finished done;
  for (std::size_t i = 0; i < batches_.size(); ++i) {
    const FinishResult f = batches_[i].finish(deadline);
    const bool failed = f.result.status == WriteResult::Status::failed;
    done.unwritten.push_back(failed ? f.unwritten : 0);
    done.timed_out = done.timed_out || f.timed_out;
    if (failed) {
      // A writer's failure stays: the one a write returned was counted then.
      if (!f.timed_out && !failed_[i]) ++write_errors_;
      log_.error(f.result.error + ": " + std::to_string(f.unwritten) + " lines were not written");
    } else if (f.result.status == WriteResult::Status::closed) {
      log_.info(f.result.error);
    }
  }
  return done;
}

std::uint64_t LineRouter::dropped() const {
  std::uint64_t n = 0;
  for (const LineBatch& b : batches_) n += b.dropped();
  return n;
}

void LineRouter::ask_stop(int code, std::string why) {
  // A failed write outranks a stop asked for before it: the exit code must say so.
  if (!stop_ || (code != 0 && stop_->code == 0)) stop_ = Stop{code, std::move(why)};
}

std::optional<LineRouter::Stop> LineRouter::take_stop() {
  std::optional<Stop> s;
  s.swap(stop_);
  return s;
}

std::string LineRouter::reopen() {
  for (LineBatch& b : batches_) {
    if (auto err = b.reopen(); !err.empty()) return err;
  }
  return "";
}

std::uint64_t LineRouter::written() const {
  std::uint64_t n = 0;
  for (const LineBatch& b : batches_) n += b.written();
  return n;
}

std::uint64_t LineRouter::written_bytes() const {
  std::uint64_t n = 0;
  for (const LineBatch& b : batches_) n += b.written_bytes();
  return n;
}

}  // namespace wsbook
