#include "support/fake_network.h"

#include <boost/asio/post.hpp>

#include <gtest/gtest.h>

#include <future>

#include "net/wall_clock.h"

namespace wsbook::testing {
namespace {

net::SessionEnd closed_by_wsbook() { return {"closed by wsbook", 0, std::nullopt}; }

}  // namespace

void FakeSession::on_io(std::function<void()> fn) {
  auto done = std::make_shared<std::promise<void>>();
  std::future<void> ran = done->get_future();
  // A crawl that has ended never runs it: the wait ends with its io_context.
  boost::asio::post(ioc_, [fn = std::move(fn), done] {
    fn();
    done->set_value();
  });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (ran.wait_for(std::chrono::milliseconds(5)) != std::future_status::ready && !ioc_.stopped()) {
    if (std::chrono::steady_clock::now() < deadline) continue;
    ADD_FAILURE() << "the crawl did not take the test's step within 10 s";
    return;
  }
}

void FakeSession::open() {
  on_io([self = shared_from_this()] {
    if (!self->ended()) self->listener_.on_open();
  });
}

void FakeSession::deliver(std::string frame) {
  on_io([self = shared_from_this(), frame = std::move(frame)] {
    if (self->ended()) return;
    // As the real session: a frame the crawl refuses ends the connection.
    if (!self->listener_.on_frame(frame, net::unix_us(), false)) self->finish(closed_by_wsbook());
  });
}

void FakeSession::end(net::SessionEnd end) {
  on_io([self = shared_from_this(), end = std::move(end)] { self->finish(end); });
}

// As the real session's: the close completes later, never inside the caller's call.
void FakeSession::close() {
  boost::asio::post(ioc_, [self = shared_from_this()] { self->finish(closed_by_wsbook()); });
}

void FakeSession::ping() {
  std::lock_guard lock(mutex_);
  ++pings_;
}

int FakeSession::pings() const {
  std::lock_guard lock(mutex_);
  return pings_;
}

void FakeSession::finish(net::SessionEnd end) {
  {
    std::lock_guard lock(mutex_);
    if (ended_) return;
    ended_ = true;
  }
  listener_.on_end(end);
  work_.reset();
}

std::vector<std::string> FakeSession::sent() const {
  std::lock_guard lock(mutex_);
  return sent_;
}

bool FakeSession::ended() const {
  std::lock_guard lock(mutex_);
  return ended_;
}

void FakeSession::send(std::string frame) {
  std::lock_guard lock(mutex_);
  sent_.push_back(std::move(frame));
}

std::shared_ptr<net::Session> FakeNetwork::start(boost::asio::io_context& ioc, const Url&, const ConnectionOptions&,
                                                 net::SessionListener& listener) {
  auto s = std::make_shared<FakeSession>(ioc, listener);
  std::lock_guard lock(mutex_);
  sessions_.push_back(s);
  started_.notify_all();
  return s;
}

std::shared_ptr<FakeSession> FakeNetwork::session(std::size_t i, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  if (!started_.wait_for(lock, timeout, [&] { return sessions_.size() > i; })) return nullptr;
  return sessions_[i].lock();
}

std::size_t FakeNetwork::sessions() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

}  // namespace wsbook::testing
