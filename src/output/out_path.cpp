#include "output/out_path.h"

#include <cerrno>
#include <cstring>
#include <sys/stat.h>

namespace wsbook {
namespace {

void replace_all(std::string& text, std::string_view what, std::string_view with) {
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + with.size())) {
    text.replace(at, what.size(), with);
  }
}

}  // namespace

bool names_symbol(std::string_view out) { return out.find("{symbol}") != std::string_view::npos; }

std::string out_path(std::string_view out, std::string_view exchange, std::string_view symbol) {
  std::string file_symbol(symbol);
  for (char& c : file_symbol) {
    if (c == '/' || c == '%') c = '-';  // BTC/USD would be a directory; a % a time field
  }
  std::string path(out);
  replace_all(path, "{exchange}", exchange);
  replace_all(path, "{symbol}", file_symbol);
  return path;
}

std::string make_parent_dirs(const std::string& path) {
  for (std::size_t slash = path.find('/', 1); slash != std::string::npos; slash = path.find('/', slash + 1)) {
    const std::string dir = path.substr(0, slash);
    if (::mkdir(dir.c_str(), 0755) == 0 || errno == EEXIST) continue;
    return "cannot create directory " + dir + ": " + std::strerror(errno);
  }
  return {};
}

}  // namespace wsbook
