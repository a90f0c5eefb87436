#pragma once
// The command line both fault soaks take: WSBOOK_BINARY [FAULTS=1000] [OUT_DIR=/tmp] [more...].

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace wsbook::testing {

/// What a soak was asked for.
struct SoakArgs {
  std::string binary;             ///< the wsbook to soak
  int faults = 1000;              ///< how many faults to inject
  std::filesystem::path dir;      ///< where its outputs go
  std::vector<std::string> more;  ///< the arguments after OUT_DIR
};

/// The soak's arguments; nullopt, with `usage` printed, if not even the binary was given.
inline std::optional<SoakArgs> soak_args(int argc, char** argv, const char* usage) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s\n", usage);
    return std::nullopt;
  }
  SoakArgs a{argv[1],
             argc > 2 ? std::atoi(argv[2]) : 1000,
             argc > 3 ? std::filesystem::path(argv[3]) : std::filesystem::temp_directory_path(),
             {}};
  for (int i = 4; i < argc; ++i) a.more.emplace_back(argv[i]);
  return a;
}

}  // namespace wsbook::testing
