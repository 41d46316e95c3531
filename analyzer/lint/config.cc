// Config file parsing and discovery.
#include "lint/config.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "nftc/error.h"
#include "nftc/lint_rule.h"

namespace nftc {

namespace fs = std::filesystem;

namespace {

// Splits a line into whitespace-separated tokens; double quotes group ("a b"), `#` outside
// quotes at the start of a token ends the line.
std::vector<std::string> Tokenize(std::string_view line, const SourceRef& where) {
  std::vector<std::string> out;
  std::string cur;
  bool in_token = false, quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"') quoted = false;
      else cur += c;
      continue;
    }
    if (c == '"') { quoted = true; in_token = true; continue; }
    if (c == ' ' || c == '\t' || c == '\r') {
      if (in_token) out.push_back(std::move(cur)), cur.clear(), in_token = false;
      continue;
    }
    if (c == '#' && !in_token) break;
    cur += c;
    in_token = true;
  }
  if (quoted) throw InputError("unterminated quote", where);
  if (in_token) out.push_back(std::move(cur));
  return out;
}

void SetSelector(Selector& s, std::string_view key, std::string value, const SourceRef& where) {
  if (value.empty()) throw InputError("empty value for selector '" + std::string(key) + "'", where);
  if (key == "owner") s.owner = std::move(value);
  else if (key == "family") s.family = std::move(value);
  else if (key == "table") s.table = std::move(value);
  else if (key == "chain") s.chain = std::move(value);
  else if (key == "backend") s.backend = std::move(value);
  else if (key == "comment") s.comment = std::move(value);
  else
    throw InputError("unknown selector '" + std::string(key) +
                         "' (expected owner, family, table, chain, backend or comment)",
                     where);
}

bool ParseOnOff(std::string_view v, const SourceRef& where) {
  if (v == "on" || v == "true" || v == "yes" || v == "1") return true;
  if (v == "off" || v == "false" || v == "no" || v == "0") return false;
  throw InputError("expected on or off, got '" + std::string(v) + "'", where);
}

}  // namespace

std::vector<std::string> ParseRuleList(std::string_view list, const SourceRef& where) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= list.size()) {
    size_t end = list.find(',', start);
    if (end == std::string_view::npos) end = list.size();
    std::string_view item = list.substr(start, end - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item.empty()) throw InputError("empty rule name in list '" + std::string(list) + "'", where);
    if (item == "all") {
      out.push_back("all");
    } else if (const RuleEntry* r = FindRule(item)) {
      out.push_back(std::string(r->id));
    } else {
      throw InputError("unknown rule '" + std::string(item) +
                           "' (see `nft-coexist rules` for IDs and names)",
                       where);
    }
    start = end + 1;
  }
  return out;
}

std::optional<Severity> ParseFailOn(std::string_view s, const SourceRef& where) {
  if (s == "none") return std::nullopt;
  if (auto sev = ParseSeverity(s)) return sev;
  throw InputError("fail-on must be error, warning, info or none, not '" + std::string(s) + "'",
                   where);
}

LintConfig ParseConfig(std::string_view text, const std::string& path) {
  LintConfig cfg;
  cfg.path = path;
  std::istringstream in{std::string(text)};
  std::string line;
  int64_t lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    SourceRef where;
    where.file = path;
    where.line = lineno;
    std::vector<std::string> toks = Tokenize(line, where);
    if (toks.empty()) continue;
    size_t eq = toks[0].find('=');
    if (eq == std::string::npos)
      throw InputError("expected key=value, got '" + toks[0] + "'", where);
    std::string key = toks[0].substr(0, eq), value = toks[0].substr(eq + 1);
    if (value.empty()) throw InputError("empty value for '" + key + "'", where);
    ConfigDirective d;
    d.where = where;
    for (size_t i = 1; i < toks.size(); ++i) {
      size_t e = toks[i].find('=');
      if (e == std::string::npos)
        throw InputError("expected selector=value, got '" + toks[i] + "'", where);
      SetSelector(d.sel, std::string_view(toks[i]).substr(0, e), toks[i].substr(e + 1), where);
    }
    bool takes_selectors = false;
    if (key == "disable") {
      d.action = ConfigDirective::Action::kDisable;
      d.rules = ParseRuleList(value, where);
      takes_selectors = true;
    } else if (key == "enable") {
      d.action = ConfigDirective::Action::kEnable;
      d.rules = ParseRuleList(value, where);
    } else if (key == "severity") {
      size_t colon = value.rfind(':');
      if (colon == std::string::npos)
        throw InputError("severity expects RULE[,RULE...]:LEVEL, got '" + value + "'", where);
      auto sev = ParseSeverity(value.substr(colon + 1));
      if (!sev)
        throw InputError("severity must be error, warning or info, not '" +
                             value.substr(colon + 1) + "'",
                         where);
      d.action = ConfigDirective::Action::kSeverity;
      d.severity = *sev;
      d.rules = ParseRuleList(std::string_view(value).substr(0, colon), where);
      takes_selectors = true;
    } else if (key == "fail-on") {
      cfg.has_fail_on = true;
      cfg.fail_on = ParseFailOn(value, where);
    } else if (key == "inline") {
      cfg.inline_directives = ParseOnOff(value, where);
    } else {
      throw InputError("unknown key '" + key +
                           "' (expected disable, enable, severity, fail-on or inline)",
                       where);
    }
    if (!d.sel.empty() && !takes_selectors)
      throw InputError("'" + key + "' takes no selectors", where);
    if (key == "disable" || key == "enable" || key == "severity") cfg.directives.push_back(std::move(d));
  }
  return cfg;
}

LintConfig LoadConfigFile(const std::string& path) {
  SourceRef where;
  where.file = path;
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) throw InputError("config file not found or not a file", where);
  std::ifstream f(path, std::ios::binary);
  if (!f) throw InputError("cannot read config file", where);
  std::stringstream ss;
  ss << f.rdbuf();
  return ParseConfig(ss.str(), path);
}

std::optional<std::string> DiscoverConfig(const std::string& cwd, const char* xdg_config_home,
                                          const char* home) {
  std::error_code ec;
  fs::path dir = fs::absolute(cwd, ec);
  while (!ec && !dir.empty()) {
    fs::path candidate = dir / kConfigFileName;
    std::error_code ignored;  // a missing file is the normal case
    if (fs::is_regular_file(candidate, ignored)) return candidate.string();
    if (dir == dir.root_path() || dir.parent_path() == dir) break;
    dir = dir.parent_path();
  }
  fs::path xdg;
  if (xdg_config_home && *xdg_config_home) xdg = xdg_config_home;
  else if (home && *home) xdg = fs::path(home) / ".config";
  if (!xdg.empty()) {
    fs::path candidate = xdg / "nft-coexist" / "config";
    if (fs::is_regular_file(candidate, ec)) return candidate.string();
  }
  return std::nullopt;
}

}  // namespace nftc
