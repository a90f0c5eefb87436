#pragma once
// `wsbook check FILE...`: its command line, reading the files, the report on stdout.

namespace wsbook::check {

/// Runs the subcommand, `argv[0]` being "check"; the exit code: 0 every file
/// clean, 1 findings, 2 a usage error or a file that cannot be read.
int run_check(int argc, const char* const* argv);

}  // namespace wsbook::check
