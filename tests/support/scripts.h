#pragma once
// Connection scripts that several scenarios share.

#include <chrono>

#include "support/test_exchange.h"
#include "support/true_book.h"

namespace wsbook::testing {

/// Accepts, sends the book's initial frame, and waits for the client to leave.
inline TestExchange::Script snapshot_then_wait(TrueBook& book) {
  return [&book](Connection& c) {
    if (!c.accept()) return;
    c.send_text(book.initial_frame());
    c.wait_closed(std::chrono::seconds(5));
  };
}

}  // namespace wsbook::testing
