// An output written by a thread of its own, so that a reader who stops
// reading (a paused `less`, a stuck `kcat`) never blocks the io thread: the
// crawl goes on, SIGTERM is acted on, and a stop waits for the reader only
// as long as --stop-timeout allows.
#include <limits.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "wsbook/output.h"

namespace wsbook {
namespace {

// What the writer thread and the caller share. The thread holds it too: if a
// stop gives up on a reader that never reads, the thread is left blocked in
// write(2) with everything it uses still alive until the process ends.
struct QueueState {
  QueueState(std::unique_ptr<Output> out, std::string n, std::size_t max)
      : inner(std::move(out)), name(std::move(n)), max_bytes(max) {}

  std::unique_ptr<Output> inner;
  const std::string name;
  const std::size_t max_bytes;
  std::mutex mutex;
  std::condition_variable work, idle;
  std::deque<std::string> queue;
  std::vector<std::string> spare;  // written batches, kept for their capacity
  std::size_t queued_bytes = 0;
  std::uint64_t unwritten = 0;  // lines taken and not yet written
  bool busy = false, closing = false;
  bool abandoned = false;  // a stop gave up waiting: write nothing more
  bool dropping = false;   // behind: nothing is taken until half the room is free again
  WriteResult failure;  // the first write that went wrong; nothing is written after it
};

// Written batches kept for their capacity, so a steady flow allocates nothing.
constexpr std::size_t kSpares = 4;

// The longest run of whole lines from the start of `lines` that fits in one
// atomic pipe write; a line longer than that goes alone.
std::size_t next_chunk(std::string_view lines) {
  if (lines.size() <= PIPE_BUF) return lines.size();
  const std::size_t last = lines.rfind('\n', PIPE_BUF - 1);
  if (last != std::string_view::npos) return last + 1;
  const std::size_t end = lines.find('\n', PIPE_BUF);
  return end == std::string_view::npos ? lines.size() : end + 1;
}

std::uint64_t lines_in(std::string_view text) {
  return static_cast<std::uint64_t>(std::count(text.begin(), text.end(), '\n'));
}

// Writes one batch a chunk at a time; false once a write has gone wrong.
bool write_batch(QueueState& s, std::string_view batch) {
  while (!batch.empty()) {
    const std::string_view chunk = batch.substr(0, next_chunk(batch));
    WriteResult r = s.inner->write(chunk);
    std::lock_guard lock(s.mutex);
    if (r.status != WriteResult::Status::ok) {
      s.failure = std::move(r);
      return false;
    }
    s.unwritten -= lines_in(chunk);
    batch.remove_prefix(chunk.size());
    if (s.abandoned) return false;
  }
  return true;
}

void run_writer(const std::shared_ptr<QueueState>& state) {
  QueueState& s = *state;
  std::unique_lock lock(s.mutex);
  for (;;) {
    s.work.wait(lock, [&] { return !s.queue.empty() || s.closing; });
    if (s.queue.empty() || s.abandoned) return;
    std::string batch = std::move(s.queue.front());
    s.queue.pop_front();
    s.busy = true;
    lock.unlock();
    const bool ok = write_batch(s, batch);
    lock.lock();
    s.queued_bytes -= batch.size();
    batch.clear();
    if (s.spare.size() < kSpares) s.spare.push_back(std::move(batch));
    if (!ok) s.queue.clear();  // a closed pipe or a failed write takes nothing more
    s.busy = false;
    s.idle.notify_all();
  }
}

class QueuedOutput final : public Output {
 public:
  QueuedOutput(std::unique_ptr<Output> inner, std::string name, std::size_t max_bytes)
      : state_(std::make_shared<QueueState>(std::move(inner), std::move(name), max_bytes)),
        thread_([s = state_] { run_writer(s); }) {}

  ~QueuedOutput() override {
    finish(std::chrono::steady_clock::time_point::max());
  }

  WriteResult write(std::string_view lines) override {
    QueueState& s = *state_;
    std::lock_guard lock(s.mutex);
    if (s.failure.status != WriteResult::Status::ok) return s.failure;
    // Once behind, it stays behind until the reader has taken half: one "behind", one "caught up".
    if (s.dropping && s.queued_bytes > s.max_bytes / 2) return {WriteResult::Status::dropped, "the reader of " + s.name};
    s.dropping = s.queued_bytes + lines.size() > s.max_bytes && s.queued_bytes > 0;
    if (s.dropping) return {WriteResult::Status::dropped, "the reader of " + s.name};
    std::string batch;
    if (!s.spare.empty()) {
      batch = std::move(s.spare.back());
      s.spare.pop_back();
    }
    batch.assign(lines);
    s.queued_bytes += batch.size();
    s.unwritten += lines_in(batch);
    s.queue.push_back(std::move(batch));
    s.work.notify_one();
    return {};
  }

  // A pipe or a terminal is not moved by logrotate, and reopening a FIFO would wait for a reader.
  std::string reopen() override { return {}; }
  Placement placement() const override { return {}; }

  FinishResult finish(std::chrono::steady_clock::time_point deadline) override {
    if (!thread_.joinable()) return {};
    QueueState& s = *state_;
    std::unique_lock lock(s.mutex);
    const auto done = [&] { return s.queue.empty() && !s.busy; };
    bool drained = true;
    if (deadline == std::chrono::steady_clock::time_point::max()) s.idle.wait(lock, done);
    else drained = s.idle.wait_until(lock, deadline, done);
    s.closing = true;
    s.work.notify_one();
    // The chunk in write(2) counts as unwritten; the reader may yet take it before the process ends.
    FinishResult f{s.unwritten, s.failure, !drained};
    if (!drained) {
      s.abandoned = true;
      f.result = {WriteResult::Status::failed, "the reader of " + s.name + " stopped reading"};
    }
    lock.unlock();
    if (drained) thread_.join();
    else thread_.detach();  // blocked in write(2): it ends with the process
    return f;
  }

 private:
  std::shared_ptr<QueueState> state_;
  std::thread thread_;
};

}  // namespace

std::unique_ptr<Output> make_queued_output(std::unique_ptr<Output> inner, std::string name,
                                           std::size_t max_bytes) {
  return std::make_unique<QueuedOutput>(std::move(inner), std::move(name), max_bytes);
}

}  // namespace wsbook
