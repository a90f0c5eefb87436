#pragma once
// Internal: the command line's capture and replay flags (--capture, --replay,
// --replay-speed) and what they exclude.

#include <CLI/CLI.hpp>

#include <string>

#include "wsbook/cli.h"

namespace wsbook {

/// Adds --capture, --replay and --replay-speed to `app`, filling `o`.
void add_capture_flags(CLI::App& app, CliOptions& o);

/// "" or why the capture and replay flags given to `app` do not go with the others.
std::string check_capture(const CLI::App& app, const CliOptions& o);

}  // namespace wsbook
