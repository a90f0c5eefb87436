#pragma once
// Internal: the command line's flags for running as a service: --metrics,
// --no-status, --stop-timeout and --proxy (or the environment's https_proxy and no_proxy).

#include <CLI/CLI.hpp>

#include "wsbook/cli.h"

namespace wsbook {

/// A CLI11 check that the value is seconds within [lo, hi], or 0 if `or_zero`.
CLI::Validator seconds_between(double lo, double hi, bool or_zero = false);

/// Adds --metrics, --no-status, --stop-timeout and --proxy to `app`, filling `o`.
void add_operation_flags(CLI::App& app, CliOptions& o);

/// "" or why the operation flags do not go with the others, or --proxy is malformed.
std::string check_operations(const CliOptions& o);

/// "" or why the environment's proxy is not used (it is malformed, or no http:// proxy): then
/// connections go direct.
std::string proxy_warning(const CliOptions& o);

/// The proxy to connect through (--proxy, else https_proxy or HTTPS_PROXY) and the hosts that
/// bypass it (no_proxy or NO_PROXY), as curl reads them; checked by check_operations().
void set_proxy(const CliOptions& o, ConnectionOptions& c);

}  // namespace wsbook
