#include "output/line_batch.h"

namespace wsbook {

LineBatch::LineBatch(Output& output) : output_(output) { layout_.reset(output_.placement()); }

void LineBatch::placed(std::size_t start) {
  layout_.placed(pending_, start);
  ++pending_lines_;
}

void LineBatch::add(std::string_view line) {
  const std::size_t start = pending_.size();
  pending_.append(line);
  placed(start);
}

WriteResult LineBatch::flush() {
  if (pending_.empty()) return {};
  layout_.seal(pending_);
  WriteResult r = output_.write(pending_);
  if (r.status == WriteResult::Status::ok) {
    written_ += pending_lines_;
    written_bytes_ += pending_.size();
  } else if (r.status == WriteResult::Status::dropped) {
    dropped_ += pending_lines_;
  }
  pending_.clear();
  layout_.reset(output_.placement());
  pending_lines_ = 0;
  return r;
}

std::string LineBatch::reopen() {
  if (auto err = output_.reopen(); !err.empty()) return err;
  layout_.reset(output_.placement());
  return {};
}

}  // namespace wsbook
