// The symbol list of the command line: `--symbol A,B -s C`, then the lines of
// --symbols-file; each symbol in the venue's form, and none twice in its wire form.
#include "cli_symbols.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <string_view>

namespace wsbook {
namespace {

struct Entry {
  std::string symbol;
  std::string origin;  // "" for --symbol, else "PATH:LINE"
};

constexpr std::string_view kSpace = " \t\r\n\f\v";

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(kSpace) - first + 1);
}

std::string split_values(const std::vector<std::string>& values, std::vector<Entry>& out) {
  for (const std::string& value : values) {
    std::string_view rest = value;
    for (;;) {
      const auto comma = rest.find(',');
      const std::string_view item = trim(rest.substr(0, comma));
      if (item.empty()) return "--symbol: empty symbol in list '" + value + "'";
      out.push_back({std::string(item), {}});
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  return {};
}

struct CloseFile {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

std::string read_whole(const std::string& path, std::string& text) {
  const std::unique_ptr<std::FILE, CloseFile> file(std::fopen(path.c_str(), "rb"));
  if (!file) return "--symbols-file " + path + ": " + std::strerror(errno);
  char buffer[4096];
  for (std::size_t n = 0; (n = std::fread(buffer, 1, sizeof buffer, file.get())) > 0;) text.append(buffer, n);
  // A directory opens, and fails only here (EISDIR).
  if (std::ferror(file.get())) return "--symbols-file " + path + ": " + std::strerror(errno);
  return {};
}

std::string read_symbols_file(const std::string& path, std::vector<Entry>& out) {
  std::string text;
  if (auto error = read_whole(path, text); !error.empty()) return error;
  const std::size_t before = out.size();
  std::string_view rest = text;
  for (std::size_t line = 1; !rest.empty(); ++line) {
    const auto end = rest.find('\n');
    std::string_view content = rest.substr(0, end);
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
    content = trim(content.substr(0, content.find('#')));  // trim() also drops a CRLF's \r
    if (!content.empty()) out.push_back({std::string(content), path + ":" + std::to_string(line)});
  }
  if (out.size() == before) return "--symbols-file " + path + ": no symbol in it (only blank lines and # comments)";
  return {};
}

// How a message starts when it is about `e`, shown as `shown`.
std::string culprit(const Entry& e, std::string_view shown) {
  return (e.origin.empty() ? "--symbol " : e.origin + ": ") + std::string(shown);
}

std::string check_form(const Venue& venue, const Entry& e) {
  const std::string form = venue.check_symbol(e.symbol);
  if (form.empty()) return {};
  return culprit(e, e.symbol) + " is not a " + std::string(venue.name()) + " symbol: " + form;
}

std::string given_twice(const Entry& first, const Entry& second, const std::string& wire) {
  const std::string where = !first.origin.empty()    ? " at " + first.origin
                            : !second.origin.empty() ? std::string(" in --symbol")
                                                     : std::string();
  std::string detail;
  if (first.symbol != second.symbol) {
    detail = " (as " + first.symbol + where + " and " + second.symbol + ")";
  } else if (!where.empty()) {
    detail = " (first" + where + ")";
  }
  return culprit(second, wire) + " given twice" + detail;
}

std::string check_each(const Venue& venue, const std::vector<Entry>& entries) {
  std::map<std::string, std::size_t> seen;  // wire form -> its first entry
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (auto error = check_form(venue, entries[i]); !error.empty()) return error;
    const auto [it, fresh] = seen.emplace(venue.wire_symbol(entries[i].symbol), i);
    if (!fresh) return given_twice(entries[it->second], entries[i], it->first);
  }
  return {};
}

}  // namespace

std::string collect_symbols(const SymbolSources& sources, std::vector<std::string>& out) {
  std::vector<Entry> entries;
  if (auto error = split_values(sources.values, entries); !error.empty()) return error;
  if (!sources.file.empty()) {
    if (auto error = read_symbols_file(sources.file, entries); !error.empty()) return error;
  }
  if (sources.venue) {
    if (entries.empty()) return "--symbol is required";
    if (auto error = check_each(*sources.venue, entries); !error.empty()) return error;
  } else if (entries.size() > 1) {
    return "--raw records one connection: at most one --symbol";
  }
  out.clear();
  for (Entry& e : entries) out.push_back(std::move(e.symbol));
  return {};
}

}  // namespace wsbook
